using DeviceAgent.Csp;
using DeviceAgent.Dm;
using DeviceAgent.SyncML;
using static DeviceAgent.Tests.Dm.DmTestDevice;

namespace DeviceAgent.Tests.Dm;

public class AtomicTests
{
    private const string Recovery = DevicePolicies + "/EnablePinRecovery";
    private const string MinLength = DevicePolicies + "/PINComplexity/MinimumPINLength";

    private static async Task<DmTestDevice> DeviceWithPolicyAsync()
    {
        var device = new DmTestDevice();
        await device.RunAsync(Add("1", Recovery, "false", "bool"), Add("1", MinLength, "6", "int"));
        return device;
    }

    [Test]
    public async Task ASuccessfulAtomicAnswersItselfThenEachCommand()
    {
        var device = new DmTestDevice();

        var described = (await device.RunDescribedAsync(Atomic("2",
            Add("3", Recovery, "true", "bool"),
            Add("4", MinLength, "8", "int"))));

        Assert.That(described, Is.EqualTo(new[] { "Status 2 Atomic 200", "Status 3 Add 200", "Status 4 Add 200" }));
        Assert.That(device.Tree.Find(MinLength)!.Value, Is.EqualTo("8"));
    }

    [Test]
    public async Task AFailedAtomicRollsBackAndLeavesTheTreeExactlyAsItWas()
    {
        var device = await DeviceWithPolicyAsync();
        var before = device.Dump();
        var other = "./Device/Vendor/MSFT/PassportForWork/0a1b2c3d-0000-4000-8000-000000000001/Policies/UsePassportForWork";

        var described = (await device.RunDescribedAsync(Atomic("2",
            Replace("3", Recovery, "true", "bool"),
            Add("4", other, "true", "bool"),
            Delete("5", MinLength),
            Add("6", "./Device/Vendor/MSFT/NoSuchCsp/X", "1"),
            Replace("7", Recovery, "false", "bool"))));

        Assert.That(described, Is.EqualTo(new[]
        {
            "Status 2 Atomic 507", "Status 3 Replace 216", "Status 4 Add 216", "Status 5 Delete 216", "Status 6 Add 404", "Status 7 Replace 215",
        }));
        Assert.That(device.Dump(), Is.EqualTo(before));
    }

    [Test]
    public async Task ADeletedSubtreeComesBackAtItsPlace()
    {
        var device = await DeviceWithPolicyAsync();
        await device.RunAsync(Add("1", "./Device/Vendor/MSFT/PassportForWork/0a1b2c3d-0000-4000-8000-000000000001", format: "node"));
        var before = device.Dump();

        var described = (await device.RunDescribedAsync(Atomic("2",
            Delete("3", "./Device/Vendor/MSFT/PassportForWork/" + Tenant),
            Add("4", MinLength, "x", "int"))));

        Assert.That(described, Is.EqualTo(new[] { "Status 2 Atomic 507", "Status 3 Delete 216", "Status 4 Add 415" }));
        Assert.That(device.Dump(), Is.EqualTo(before));
    }

    [Test]
    public async Task GetInsideAtomicIs500AndFailsTheAtomic()
    {
        var device = await DeviceWithPolicyAsync();
        var before = device.Dump();

        var described = (await device.RunDescribedAsync(Atomic("2", Replace("3", Recovery, "true", "bool"), Get("4", Recovery))));

        Assert.That(described, Is.EqualTo(new[] { "Status 2 Atomic 507", "Status 3 Replace 216", "Status 4 Get 500" }));
        Assert.That(device.Dump(), Is.EqualTo(before));
    }

    [Test]
    public async Task NestedAtomicIs500AndItsCommandsDoNotRun()
    {
        var device = await DeviceWithPolicyAsync();
        var before = device.Dump();

        var described = (await device.RunDescribedAsync(Atomic("2",
            Replace("3", Recovery, "true", "bool"),
            Atomic("4", Replace("5", MinLength, "9", "int")),
            Replace("6", MinLength, "10", "int"))));

        Assert.That(described, Is.EqualTo(new[]
        {
            "Status 2 Atomic 507", "Status 3 Replace 216", "Status 4 Atomic 500", "Status 5 Replace 215", "Status 6 Replace 215",
        }));
        Assert.That(device.Dump(), Is.EqualTo(before));
    }

    [Test]
    public async Task AddThenReplaceOfTheSameNodeInOneAtomicIsNotSupported()
    {
        var device = new DmTestDevice();
        var before = device.Dump();

        var described = (await device.RunDescribedAsync(Atomic("2", Add("3", Recovery, "true", "bool"), Replace("4", Recovery, "false", "bool"))));

        Assert.That(described, Is.EqualTo(new[] { "Status 2 Atomic 507", "Status 3 Add 216", "Status 4 Replace 500" }));
        Assert.That(device.Dump(), Is.EqualTo(before));
    }

    [Test]
    public async Task AFailedItemStopsTheRestOfItsCommand()
    {
        var device = await DeviceWithPolicyAsync();
        var before = device.Dump();
        var replace = WithItems(new Replace(), "3",
            Item(Recovery, "true", "bool"),
            Item(MinLength, "200", "int"),
            Item(MinLength, "7", "int"));

        var described = (await device.RunDescribedAsync(Atomic("2", replace)));

        Assert.That(described, Is.EqualTo(new[]
        {
            "Status 2 Atomic 507", "Status 3 Replace 216 " + Recovery, "Status 3 Replace 500 " + MinLength, "Status 3 Replace 215 " + MinLength,
        }));
        Assert.That(device.Dump(), Is.EqualTo(before));
    }

    [Test]
    public async Task ASequenceInsideAFailedAtomicIsRolledBackToo()
    {
        var device = await DeviceWithPolicyAsync();
        var before = device.Dump();

        var described = (await device.RunDescribedAsync(Atomic("2",
            Sequence("3", Replace("4", Recovery, "true", "bool"), Replace("5", MinLength, "3", "int"), Replace("6", MinLength, "7", "int")),
            Replace("7", Recovery, "false", "bool"))));

        Assert.That(described, Is.EqualTo(new[]
        {
            "Status 2 Atomic 507", "Status 3 Sequence 216", "Status 4 Replace 216", "Status 5 Replace 500", "Status 6 Replace 215", "Status 7 Replace 215",
        }));
        Assert.That(device.Dump(), Is.EqualTo(before));
    }

    [Test]
    public async Task HandlerEffectsAreUndoneAndAFailedUndoIs516()
    {
        var policy = new PolicyHandler();
        var device = new DmTestDevice(extraHandlers: [policy]);
        await device.RunAsync(Add("1", Recovery, "false", "bool"));
        Assert.That(policy.Applied[Recovery], Is.EqualTo("false"));

        policy.UndoThrows = false;
        Assert.That((await device.RunDescribedAsync(Atomic("2", Replace("3", Recovery, "true", "bool"), Get("4", Recovery)))),
            Is.EqualTo(new[] { "Status 2 Atomic 507", "Status 3 Replace 216", "Status 4 Get 500" }));
        Assert.That(policy.Applied[Recovery], Is.EqualTo("false"), "the handler's own state was rolled back");

        policy.UndoThrows = true;
        Assert.That((await device.RunDescribedAsync(Atomic("5", Replace("6", Recovery, "true", "bool"), Get("7", Recovery)))),
            Is.EqualTo(new[] { "Status 5 Atomic 507", "Status 6 Replace 516", "Status 7 Get 500" }));
        Assert.That(device.Tree.Find(Recovery)!.Value, Is.EqualTo("false"), "the tree part of the command was still undone");
    }

    [Test]
    public async Task AnIrreversibleExecReports516WhenItsAtomicFails()
    {
        var remoteLock = new RemoteLockLikeHandler();
        var device = new DmTestDevice(extraHandlers: [remoteLock]);

        var described = (await device.RunDescribedAsync(Atomic("2",
            Exec("3", "./Vendor/MSFT/RemoteLock/Lock"),
            Add("4", MinLength, "1", "int"))));

        Assert.That(described, Is.EqualTo(new[] { "Status 2 Atomic 507", "Status 3 Exec 516", "Status 4 Add 500" }));
    }

    /// <summary>Applies PassportForWork values to its own state (like NGC policy), refusing TenantIds that are not GUIDs.</summary>
    internal sealed class PolicyHandler : CspHandler
    {
        public Dictionary<string, string?> Applied { get; } = [];

        public bool UndoThrows { get; set; }

        public override IReadOnlyList<string> Roots { get; } = ["./Device/Vendor/MSFT/PassportForWork"];

        public override ValueTask<CspResult> OnWritingAsync(CspWriteContext context, CancellationToken cancellationToken) =>
            new(context.RelativeSegment(0) is { } tenant && tenant != "UseBiometrics" && tenant != "Biometrics" && !Guid.TryParseExact(tenant, "D", out _)
                ? CspResult.Fail(400)
                : CspResult.Ok);

        public override async ValueTask<CspResult> OnWrittenAsync(CspWriteContext context, CancellationToken cancellationToken)
        {
            // A real policy store is asynchronous: the executor must await the handler and its undo.
            await Task.Yield();
            var key = context.Node!.Path;
            var had = Applied.TryGetValue(key, out var previous);
            Applied[key] = context.NewValue;
            return CspResult.Success(async () =>
            {
                await Task.Yield();
                if (UndoThrows)
                {
                    throw new InvalidOperationException("NGC policy store is gone");
                }

                if (had)
                {
                    Applied[key] = previous;
                }
                else
                {
                    Applied.Remove(key);
                }
            });
        }
    }

    /// <summary>Lock is irreversible; LockAndResetPIN fills a one-time NewPINValue.</summary>
    internal sealed class RemoteLockLikeHandler : CspHandler
    {
        private string? _newPin;

        public int Locks { get; private set; }

        public override IReadOnlyList<string> Roots { get; } = ["./Device/Vendor/MSFT/RemoteLock"];

        public override ValueTask<CspResult> ExecAsync(CspExecContext context, CancellationToken cancellationToken)
        {
            switch (context.RelativePath)
            {
                case "Lock":
                    Locks++;
                    return new(CspResult.Irreversible("a screen lock"));
                case "LockAndResetPIN":
                    var previous = _newPin;
                    _newPin = "123456";
                    return new(CspResult.Success(() => _newPin = previous));
                default:
                    return new(CspResult.Fail(StatusCodes.OptionalFeatureNotSupported));
            }
        }

        public override ValueTask<CspReadResult> GetAsync(CspContext context, CancellationToken cancellationToken)
        {
            if (context.RelativePath != "NewPINValue")
            {
                return new(CspReadResult.FromTree);
            }

            var pin = _newPin;
            _newPin = null;
            return new(CspReadResult.Of(pin ?? ""));
        }
    }
}

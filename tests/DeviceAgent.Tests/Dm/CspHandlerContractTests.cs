using DeviceAgent.Csp;
using DeviceAgent.Dm;
using static DeviceAgent.Tests.Dm.DmTestDevice;

namespace DeviceAgent.Tests.Dm;

public class CspHandlerContractTests
{
    [Test]
    public async Task AHandlerRefusalLeavesNothingBehind()
    {
        var policy = new AtomicTests.PolicyHandler();
        var device = new DmTestDevice(extraHandlers: [policy]);
        var before = device.Dump();

        var described = (await device.RunDescribedAsync(Add("2", "./Device/Vendor/MSFT/PassportForWork/{not-a-guid}/Policies/EnablePinRecovery", "true", "bool")));

        Assert.That(described, Is.EqualTo(new[] { "Status 2 Add 400" }));
        Assert.That(device.Dump(), Is.EqualTo(before));
        Assert.That(policy.Applied, Is.Empty);
    }

    [Test]
    public async Task OneTimeReadInASequenceAfterExec()
    {
        var device = new DmTestDevice(extraHandlers: [new AtomicTests.RemoteLockLikeHandler()]);

        var answers = (await device.RunAsync(Sequence("2",
            Exec("3", "./Vendor/MSFT/RemoteLock/LockAndResetPIN"),
            Get("4", "./Vendor/MSFT/RemoteLock/NewPINValue")), Get("5", "./Vendor/MSFT/RemoteLock/NewPINValue")));

        Assert.That(Describe(answers), Is.EqualTo(new[]
        {
            "Status 2 Sequence 200", "Status 3 Exec 200", "Status 4 Get 200", "Results 4", "Status 5 Get 200", "Results 5",
        }));
        var values = answers.OfType<SyncML.Results>().Select(r => r.Items.Single().Data!.Value).ToArray();
        Assert.That(values, Is.EqualTo(new[] { "123456", "" }));
    }

    [Test]
    public async Task ExecOfANodeWithoutHandlerIsNotSupported()
    {
        var device = new DmTestDevice();

        Assert.That((await device.RunDescribedAsync(Exec("2", "./Vendor/MSFT/RemoteLock/Lock"))), Is.EqualTo(new[] { "Status 2 Exec 406" }));
    }

    [Test]
    public async Task AHandlerThatThrowsIsAnswered500AndTheTreeIsUnchanged()
    {
        var device = new DmTestDevice(extraHandlers: [new ThrowingHandler()]);
        var before = device.Dump();

        var described = (await device.RunDescribedAsync(
            Add("2", DevicePolicies + "/EnablePinRecovery", "true", "bool"),
            Get("3", "./Device/Vendor/MSFT/PassportForWork")));

        Assert.That(described, Is.EqualTo(new[] { "Status 2 Add 500", "Status 3 Get 500" }));
        Assert.That(device.Dump(), Is.EqualTo(before));
    }

    [Test]
    public async Task HandlersSeeTheDecodedPathBelowTheirRoot()
    {
        var spy = new SpyHandler();
        var device = new DmTestDevice(extraHandlers: [spy]);

        await device.RunAsync(Add("2", "./user/Vendor/MSFT/PassportForWork/" + Tenant + "/Policies/PINComplexity/Digits", "1", "int"));

        Assert.That(spy.Seen, Is.EqualTo(new[]
        {
            $"OnWriting Add {Tenant}/Policies/PINComplexity/Digits user=user@contoso.onmicrosoft.com new=1 node=False",
            $"OnWritten Add {Tenant}/Policies/PINComplexity/Digits user=user@contoso.onmicrosoft.com new=1 node=True",
        }));
    }

    [Test]
    public void TwoHandlersForOneRootAreRefused()
    {
        var tree = DmTree.ForProfile(DeviceProfiles.Win10Mobile1703(new Random(1)));

        Assert.That(() => new DmCommandExecutor(tree, [new AtomicTests.PolicyHandler(), new AtomicTests.PolicyHandler()]),
            Throws.ArgumentException.With.Message.Contains("./Device/Vendor/MSFT/PassportForWork"));
    }

    private sealed class ThrowingHandler : CspHandler
    {
        public override IReadOnlyList<string> Roots { get; } = ["./Device/Vendor/MSFT/PassportForWork"];

        public override ValueTask<CspReadResult> GetAsync(CspContext context, CancellationToken cancellationToken) => throw new InvalidOperationException("boom");

        // Faults of an awaited handler count like synchronous ones.
        public override async ValueTask<CspResult> OnWritingAsync(CspWriteContext context, CancellationToken cancellationToken)
        {
            await Task.Yield();
            throw new InvalidOperationException("boom");
        }
    }

    private sealed class SpyHandler : CspHandler
    {
        public List<string> Seen { get; } = [];

        public override IReadOnlyList<string> Roots { get; } = ["./User/Vendor/MSFT/PassportForWork"];

        public override ValueTask<CspResult> OnWritingAsync(CspWriteContext context, CancellationToken cancellationToken)
        {
            Seen.Add($"OnWriting {Describe(context)}");
            return new(CspResult.Ok);
        }

        public override ValueTask<CspResult> OnWrittenAsync(CspWriteContext context, CancellationToken cancellationToken)
        {
            Seen.Add($"OnWritten {Describe(context)}");
            return new(CspResult.Ok);
        }

        private static string Describe(CspWriteContext c) =>
            $"{c.Kind} {c.RelativePath} user={c.UserId} new={c.NewValue} node={c.Node is not null}";
    }
}

using DeviceAgent.Csp;
using DeviceAgent.Dm;
using static DeviceAgent.Tests.Dm.DmTestDevice;

namespace DeviceAgent.Tests.Dm;

/// <summary>The tree's command lock and cancellation of a message (docs/dm-tree.md "Locking", "Cancellation").</summary>
public class ExecutorConcurrencyTests
{
    private const string Recovery = DevicePolicies + "/EnablePinRecovery";
    private const string MinLength = DevicePolicies + "/PINComplexity/MinimumPINLength";

    [Test]
    [CancelAfter(20_000)]
    public async Task Two_messages_on_one_device_never_interleave(CancellationToken cancellationToken)
    {
        var handler = new GatedHandler();
        var device = new DmTestDevice(extraHandlers: [handler]);

        var first = device.Executor.ExecuteAsync([Add("2", Recovery, "true", "bool")], "1", cancellationToken).AsTask();
        await handler.Entered.Task.WaitAsync(cancellationToken);
        var second = device.Executor.ExecuteAsync([Add("2", MinLength, "6", "int")], "2", cancellationToken).AsTask();

        // The first message's handler is waiting: the second message must not have reached the tree or its handler.
        await Task.Delay(200, cancellationToken);
        Assert.Multiple(() =>
        {
            Assert.That(handler.Calls, Is.EqualTo(new[] { "enter " + Recovery }));
            Assert.That(second.IsCompleted, Is.False);
            Assert.That(device.Tree.Find(MinLength), Is.Null);
        });

        handler.Release.SetResult();
        var answers = await Task.WhenAll(first, second);

        Assert.Multiple(() =>
        {
            Assert.That(handler.Calls, Is.EqualTo(new[] { "enter " + Recovery, "leave " + Recovery, "enter " + MinLength, "leave " + MinLength }));
            Assert.That(answers.Select(a => Describe(a).Single()), Is.EqualTo(new[] { "Status 2 Add 200", "Status 2 Add 200" }));
        });
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task A_cancelled_Atomic_is_rolled_back_whole_and_the_device_stays_usable(CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var policy = new AtomicTests.PolicyHandler();
        var cancelling = new CancellingHandler(cts, "MinimumPINLength");
        var device = new DmTestDevice(extraHandlers: [new CompositeHandler(policy, cancelling)]);
        var before = device.Dump();

        var run = device.Executor.ExecuteAsync([Atomic("2", Add("3", Recovery, "true", "bool"), Add("4", MinLength, "6", "int"))], "1", cts.Token);

        Assert.That(async () => await run, Throws.InstanceOf<OperationCanceledException>());
        Assert.Multiple(() =>
        {
            Assert.That(device.Dump(), Is.EqualTo(before), "the Atomic's first Add stayed in the tree");
            Assert.That(policy.Applied, Is.Empty, "the handler's effect was not undone");
        });

        // The command lock was released: the next message runs.
        Assert.That(await device.RunDescribedAsync(Add("5", Recovery, "true", "bool")), Is.EqualTo(new[] { "Status 5 Add 200" }));
    }

    [Test]
    public void A_cancelled_token_runs_nothing()
    {
        var device = new DmTestDevice();
        var before = device.Dump();

        Assert.That(async () => await device.Executor.ExecuteAsync([Add("2", Recovery, "true", "bool")], "1", new CancellationToken(canceled: true)),
            Throws.InstanceOf<OperationCanceledException>());
        Assert.That(device.Dump(), Is.EqualTo(before));
    }

    /// <summary>Records its calls and holds the first write until released.</summary>
    private sealed class GatedHandler : CspHandler
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<string> Calls { get; } = [];

        public override IReadOnlyList<string> Roots { get; } = ["./Device/Vendor/MSFT/PassportForWork"];

        public override async ValueTask<CspResult> OnWritingAsync(CspWriteContext context, CancellationToken cancellationToken)
        {
            var path = "./" + string.Join('/', context.Segments);
            Calls.Add("enter " + path);
            Entered.TrySetResult();
            await Release.Task.WaitAsync(cancellationToken);
            Calls.Add("leave " + path);
            return CspResult.Ok;
        }
    }

    /// <summary>Cancels the message's token while it writes <c>leaf</c>, as a caller giving up half way would.</summary>
    private sealed class CancellingHandler(CancellationTokenSource cts, string leaf) : CspHandler
    {
        public override IReadOnlyList<string> Roots { get; } = [];

        public override async ValueTask<CspResult> OnWritingAsync(CspWriteContext context, CancellationToken cancellationToken)
        {
            if (context.Schema.Name == leaf)
            {
                await cts.CancelAsync();
                cancellationToken.ThrowIfCancellationRequested();
            }

            return CspResult.Ok;
        }
    }

    /// <summary>Two handlers on one root: the policy handler's effects with the cancelling handler's timing.</summary>
    private sealed class CompositeHandler(AtomicTests.PolicyHandler policy, CancellingHandler cancelling) : CspHandler
    {
        public override IReadOnlyList<string> Roots => policy.Roots;

        public override async ValueTask<CspResult> OnWritingAsync(CspWriteContext context, CancellationToken cancellationToken)
        {
            await cancelling.OnWritingAsync(context, cancellationToken);
            return await policy.OnWritingAsync(context, cancellationToken);
        }

        public override ValueTask<CspResult> OnWrittenAsync(CspWriteContext context, CancellationToken cancellationToken) =>
            policy.OnWrittenAsync(context, cancellationToken);
    }
}

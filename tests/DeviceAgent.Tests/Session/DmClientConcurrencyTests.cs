using DeviceAgent.Dm;
using DeviceAgent.Session;
using DeviceAgent.SyncML;

namespace DeviceAgent.Tests.Session;

/// <summary>One session per device at a time, and cancellation of a running session (docs/session.md).</summary>
internal sealed class DmClientConcurrencyTests : SessionTestBase
{
    [Test]
    [CancelAfter(20_000)]
    public async Task A_second_session_waits_until_the_first_has_ended(CancellationToken cancellationToken)
    {
        var first = Server.Watch(Client.RunSessionAsync(DmSessionTrigger.ClientInitiated, null, cancellationToken));
        var package1 = await Server.ExpectMessageAsync();
        var second = Client.RunSessionAsync(DmSessionTrigger.ClientInitiated, null, cancellationToken);

        // The first session is waiting for the server: the second must not have sent its package 1 meanwhile.
        await Task.Delay(200, cancellationToken);
        Assert.Multiple(() =>
        {
            Assert.That(Server.HasUnreadMessage, Is.False, "the second session sent a message while the first was open");
            Assert.That(second.IsCompleted, Is.False);
        });

        Acknowledge(package1).Final().Send();
        var firstResult = await first;
        _ = Server.Watch(second);
        var secondPackage1 = await Server.ExpectMessageAsync();
        Acknowledge(secondPackage1).Final().Send();
        var secondResult = await second;

        Assert.Multiple(() =>
        {
            Assert.That(firstResult.Outcome, Is.EqualTo(DmSessionState.Completed), firstResult.Reason);
            Assert.That(secondResult.Outcome, Is.EqualTo(DmSessionState.Completed), secondResult.Reason);
            Assert.That(secondPackage1.Header.SessionID, Is.Not.EqualTo(package1.Header.SessionID));
        });
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task A_session_waiting_for_another_can_be_cancelled_and_the_next_one_still_runs(CancellationToken cancellationToken)
    {
        var first = Server.Watch(Client.RunSessionAsync(DmSessionTrigger.ClientInitiated, null, cancellationToken));
        var package1 = await Server.ExpectMessageAsync();
        using var giveUp = new CancellationTokenSource();
        var waiting = Client.RunSessionAsync(DmSessionTrigger.ClientInitiated, null, giveUp.Token);
        await giveUp.CancelAsync();

        Assert.That(async () => await waiting, Throws.InstanceOf<OperationCanceledException>());
        Acknowledge(package1).Final().Send();
        Assert.That((await first).Outcome, Is.EqualTo(DmSessionState.Completed));

        var third = Server.Watch(Client.RunSessionAsync(DmSessionTrigger.ClientInitiated, null, cancellationToken));
        Acknowledge(await Server.ExpectMessageAsync()).Final().Send();
        Assert.That((await third).Outcome, Is.EqualTo(DmSessionState.Completed), "the cancelled wait did not keep the device's session slot");
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Cancelling_while_a_command_runs_stops_the_command_and_sends_nothing_more(CancellationToken cancellationToken)
    {
        var executor = new WaitingExecutor();
        using var client = new DmClient(Server, Options, executor, Time, new Random(1));
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var run = Server.Watch(client.RunSessionAsync(DmSessionTrigger.ClientInitiated, null, cts.Token));
        Acknowledge(await Server.ExpectMessageAsync()).Item<Exec>("./Vendor/MSFT/RemoteLock/Lock").Final().Send();
        await executor.Entered.Task.WaitAsync(cancellationToken);

        await cts.CancelAsync();

        Assert.That(async () => await run, Throws.InstanceOf<OperationCanceledException>());
        Assert.Multiple(() =>
        {
            Assert.That(executor.SawCancellation, Is.True, "the command's token was not cancelled");
            Assert.That(Server.HasUnreadMessage, Is.False, "the device answered a message it did not finish");
        });
    }

    /// <summary>An executor whose command waits on the session's token, as a CSP waiting for a service does.</summary>
    private sealed class WaitingExecutor : IDmCommandExecutor
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool SawCancellation { get; private set; }

        public async ValueTask<IReadOnlyList<SyncMLCommand>> ExecuteAsync(IReadOnlyList<SyncMLCommand> commands, string? serverMsgId, CancellationToken cancellationToken)
        {
            Entered.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                SawCancellation = true;
                throw;
            }

            return [];
        }
    }
}

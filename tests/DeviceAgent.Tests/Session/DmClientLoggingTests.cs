using System.Net;
using DeviceAgent.Session;
using DeviceAgent.SyncML;
using DeviceAgent.Tests.Support;
using Microsoft.Extensions.Logging;

namespace DeviceAgent.Tests.Session;

/// <summary>What the DM client logs (docs/session.md "Logs and metrics"): the lines a person debugging a failed session reads.</summary>
internal sealed class DmClientLoggingTests : SessionTestBase
{
    private RecordingLoggerProvider _logs = null!;

    [SetUp]
    public void RecordLogs()
    {
        _logs = new RecordingLoggerProvider();
        Configure(o => o with { Logger = _logs.CreateLogger("DeviceAgent.Session.DmClient") });
    }

    [TearDown]
    public void DisposeLogs() => _logs.Dispose();

    [Test]
    [CancelAfter(10_000)]
    public async Task A_session_logs_its_start_messages_failed_commands_and_end_with_duration()
    {
        Executor.Nodes["./DevDetail/Present"] = "yes";
        Start();
        var first = await Server.ExpectMessageAsync();
        Time.Advance(TimeSpan.FromMilliseconds(1500));
        Acknowledge(first).Item<Get>("./DevDetail/Ext/Missing").Item<Get>("./DevDetail/Present").Final().Send();
        var second = await Server.ExpectMessageAsync();
        second.Reply().StatusForSyncHdr().StatusForCommands().Final().Send();
        var result = await Server.ExpectEndAsync();

        var started = _logs.WithEvent(201).Single();
        var failed = _logs.WithEvent(204).Single();
        var ended = _logs.WithEvent(207).Single();
        Assert.Multiple(() =>
        {
            Assert.That(result.Succeeded, Is.True, result.Reason);
            Assert.That(started.Level, Is.EqualTo(LogLevel.Information));
            Assert.That(started.Message, Is.EqualTo($"OMA-DM session 1 started (client-initiated, Alert 1201) with {Server.ServerUrl}"));
            Assert.That(_logs.WithEvent(202).Select(e => e.Message), Is.EqualTo(new[]
            {
                $"OMA-DM session 1: sent message 1 with {first.Commands.Count} commands ({first.Body.Length} bytes)",
                $"OMA-DM session 1: sent message 2 with {second.Commands.Count} commands ({second.Body.Length} bytes)",
            }));
            Assert.That(_logs.WithEvent(202).Concat(_logs.WithEvent(203)).Select(e => e.Level), Is.All.EqualTo(LogLevel.Debug));
            Assert.That(_logs.WithEvent(203).Select(e => e.Message), Is.EqualTo(new[]
            {
                "OMA-DM session 1: received server message 1 with 6 commands (Final True)",
                "OMA-DM session 1: received server message 2 with 2 commands (Final True)",
            }));
            Assert.That(failed.Level, Is.EqualTo(LogLevel.Warning));
            Assert.That(failed.Message, Is.EqualTo("OMA-DM session 1: answered Get 5 on ./DevDetail/Ext/Missing with status 404"));
            Assert.That(ended.Message, Does.StartWith("OMA-DM session 1 ended Completed after 1500 ms (2 sent, 2 received): "));
            Assert.That(_logs.WithEvent(208), Is.Empty);
        });
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task A_failed_session_logs_the_server_problem_and_its_reason()
    {
        Start();
        (await Server.ExpectMessageAsync()).RespondHttp(new HttpResponseMessage(HttpStatusCode.InternalServerError));
        var result = await Server.ExpectEndAsync();

        var problem = _logs.WithEvent(205).Single();
        var ended = _logs.WithEvent(208).Single();
        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(DmSessionState.Failed));
            Assert.That(problem.Level, Is.EqualTo(LogLevel.Warning));
            Assert.That(problem.Message, Is.EqualTo("OMA-DM session 1: server protocol problem: The server answered HTTP 500 Internal Server Error."));
            Assert.That(ended.Level, Is.EqualTo(LogLevel.Warning));
            Assert.That(ended.Message, Is.EqualTo("OMA-DM session 1 ended Failed after 0 ms (1 sent, 0 received): The server answered HTTP 500 Internal Server Error."));
            Assert.That(_logs.WithEvent(207), Is.Empty);
        });
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Retries_are_logged_with_their_backoff_and_the_last_failure_ends_the_session()
    {
        Configure(o => o with { Logger = _logs.CreateLogger("DeviceAgent.Session.DmClient"), ConnRetryFreq = 1, InitialBackoffTime = TimeSpan.FromSeconds(16) });
        Start();
        (await Server.ExpectMessageAsync()).FailConnection("refused once");
        await Time.WaitForTimerAsync(TimeSpan.FromSeconds(16));
        Time.Advance(TimeSpan.FromSeconds(16));
        (await Server.ExpectMessageAsync()).FailConnection("refused twice");
        await Server.ExpectEndAsync();

        Assert.Multiple(() =>
        {
            Assert.That(_logs.WithEvent(206).Select(e => e.Message), Is.EqualTo(new[] { "OMA-DM session 1: attempt 1 failed (refused once); retrying in 00:00:16" }));
            Assert.That(_logs.WithEvent(208).Single().Message, Does.Contain("ended Failed after 16000 ms").And.Contain("after 2 attempts: refused twice"));
            Assert.That(_logs.WithEvent(208).Single().Exception, Is.InstanceOf<HttpRequestException>());
        });
    }
}

using System.Net;
using System.Text;
using DeviceAgent.Dm;
using DeviceAgent.Session;
using DeviceAgent.SyncML;

namespace DeviceAgent.Tests.Session;

internal sealed class DmClientTransportTests : SessionTestBase
{
    [Test]
    public async Task Messages_are_POSTed_with_the_Windows_query_and_headers()
    {
        Configure(o => o with { BearerTokenProvider = _ => ValueTask.FromResult<string?>("aad-token") });
        Start();
        var first = await Server.ExpectMessageAsync();
        Acknowledge(first).Item<Exec>("./Vendor/MSFT/X").Final().Send();
        var second = await Server.ExpectMessageAsync();
        second.Reply().StatusForSyncHdr().Final().Send();
        await Server.ExpectEndAsync();

        Assert.Multiple(() =>
        {
            Assert.That(first.Uri.ToString(), Is.EqualTo(Server.ServerUrl + "?mode=Maintenance&Platform=WoA"));
            Assert.That(first.Headers["Content-Type"], Is.EqualTo("application/vnd.syncml.dm+xml"));
            Assert.That(first.Headers["User-Agent"], Is.EqualTo("MSFT OMA DM Client/1.2.0.1"));
            Assert.That(first.Headers["Accept"], Is.EqualTo(DmHttp.Accept));
            Assert.That(first.Headers["Accept-Charset"], Is.EqualTo("UTF-8"));
            Assert.That(first.Headers["Client-Request-Id"], Is.EqualTo("0"));
            Assert.That(first.Headers["Authorization"], Is.EqualTo("Bearer aad-token"));
            Assert.That(first.Headers["MS-CV"], Does.Match(@"^[A-Za-z0-9+/]{16}\.0\.0\.0$"));
            Assert.That(second.Headers["MS-CV"], Is.EqualTo(first.Headers["MS-CV"][..^1] + "1"));
            Assert.That(first.Header.Target!.LocURI, Is.EqualTo(Server.ServerUrl), "the SyncHdr Target carries no query");
        });
    }

    [Test]
    public async Task The_query_and_correlation_headers_can_be_turned_off()
    {
        Configure(o => o with { Mode = null, Platform = null, SendCorrelationHeaders = false });
        Start();
        var first = await Server.ExpectMessageAsync();
        Acknowledge(first).Final().Send();
        await Server.ExpectEndAsync();

        Assert.That(first.Uri.ToString(), Is.EqualTo(Server.ServerUrl));
        Assert.That(first.Headers.Keys, Has.None.EqualTo("MS-CV").And.None.EqualTo("Client-Request-Id").And.None.EqualTo("Authorization"));
    }

    [Test]
    public async Task Connection_failures_are_retried_after_INITIALBACKOFFTIME_doubling_up_to_MAXBACKOFFTIME()
    {
        Configure(o => o with { ConnRetryFreq = 3, InitialBackoffTime = TimeSpan.FromSeconds(16), MaxBackoffTime = TimeSpan.FromSeconds(40) });
        Start();
        var attempts = new List<DmServerRequest> { await Server.ExpectMessageAsync() };
        foreach (var wait in new[] { 16, 32, 40 })
        {
            attempts[^1].FailConnection();
            await Time.WaitForTimerAsync(TimeSpan.FromSeconds(wait));
            Time.Advance(TimeSpan.FromSeconds(wait));
            attempts.Add(await Server.ExpectMessageAsync());
        }

        Acknowledge(attempts[^1]).Final().Send();
        var result = await Server.ExpectEndAsync();
        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(DmSessionState.Completed), result.Reason);
            Assert.That(attempts.Select(a => a.Xml).Distinct().Count(), Is.EqualTo(1), "a retry resends the same message");
            Assert.That(result.MessagesSent, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task After_CONNRETRYFREQ_retries_the_session_fails_with_the_last_error()
    {
        Configure(o => o with { ConnRetryFreq = 1 });
        Start();
        (await Server.ExpectMessageAsync()).FailConnection("refused once");
        await Time.WaitForTimerAsync(TimeSpan.FromSeconds(16));
        Time.Advance(TimeSpan.FromSeconds(16));
        (await Server.ExpectMessageAsync()).FailConnection("refused twice");

        var result = await Server.ExpectEndAsync();
        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(DmSessionState.Failed));
            Assert.That(result.Reason, Does.Contain("after 2 attempts").And.Contain("refused twice"));
            Assert.That(result.Error, Is.TypeOf<HttpRequestException>());
        });
    }

    [Test]
    public async Task Backoff_is_capped_by_MAXBACKOFFTIME()
    {
        var options = Options with { InitialBackoffTime = TimeSpan.FromSeconds(16), MaxBackoffTime = TimeSpan.FromMinutes(1) };
        Assert.That(
            Enumerable.Range(0, 5).Select(i => DmClient.Backoff(options, i).TotalSeconds),
            Is.EqualTo(new double[] { 16, 32, 60, 60, 60 }));
        await Task.CompletedTask;
    }

    [Test]
    public async Task HTTP_429_fails_the_session_on_1703_which_ignores_throttling()
    {
        Start();
        var first = await Server.ExpectMessageAsync();
        first.RespondHttp(new HttpResponseMessage(HttpStatusCode.TooManyRequests) { Headers = { RetryAfter = new(TimeSpan.FromSeconds(30)) } });

        var result = await Server.ExpectEndAsync();
        Assert.That(result.Outcome, Is.EqualTo(DmSessionState.Failed));
        Assert.That(result.Reason, Does.Contain("HTTP 429"));
    }

    [Test]
    public async Task HTTP_429_with_Retry_After_is_honoured_when_the_profile_says_so()
    {
        Configure(o => o with { HonorRetryAfter = true });
        Start();
        var first = await Server.ExpectMessageAsync();
        first.RespondHttp(new HttpResponseMessage(HttpStatusCode.TooManyRequests) { Headers = { RetryAfter = new(TimeSpan.FromSeconds(30)) } });
        await Time.WaitForTimerAsync(TimeSpan.FromSeconds(30));
        Time.Advance(TimeSpan.FromSeconds(30));
        var again = await Server.ExpectMessageAsync();
        Acknowledge(again).Final().Send();

        Assert.That((await Server.ExpectEndAsync()).Outcome, Is.EqualTo(DmSessionState.Completed));
    }

    [TestCase("<SyncML><SyncHdr><SessionID>1</Sess", "not valid SyncML")]
    [TestCase("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><SyncML>&e;</SyncML>", "not valid SyncML")]
    [TestCase("", "empty body")]
    public async Task Hostile_or_broken_bytes_fail_the_session_with_a_reason(string body, string reason)
    {
        Start();
        (await Server.ExpectMessageAsync()).RespondBytes(Encoding.UTF8.GetBytes(body));

        var result = await Server.ExpectEndAsync();
        Assert.That(result.Outcome, Is.EqualTo(DmSessionState.Failed));
        Assert.That(result.Reason, Does.Contain(reason));
        Assert.That(Executor.Executed, Is.Empty);
    }

    [Test]
    public async Task A_body_over_the_response_limit_is_refused_before_it_is_parsed()
    {
        Configure(o => o with { MaxResponseBytes = 4096 });
        Start();
        (await Server.ExpectMessageAsync()).RespondBytes(new byte[5000]);

        var result = await Server.ExpectEndAsync();
        Assert.That(result.Outcome, Is.EqualTo(DmSessionState.Failed));
        Assert.That(result.Reason, Does.Contain("4096-byte limit"));
    }

    [TestCase("text/html", "Content-Type 'text/html', which is not a SyncML DM type (application/vnd.syncml.dm+xml, application/vnd.syncml.dm+wbxml")]
    [TestCase("application/vnd.syncml.dm+wbxml", "not valid SyncML (Wbxml): byte 0:")]
    public async Task A_response_that_is_not_DM_XML_fails_the_session(string contentType, string reason)
    {
        Start();
        (await Server.ExpectMessageAsync()).RespondBytes("<html/>"u8.ToArray(), contentType);

        var result = await Server.ExpectEndAsync();
        Assert.That(result.Reason, Does.Contain(reason));
    }

    [Test]
    public async Task With_WBXML_encoding_messages_are_POSTed_as_WBXML_and_replies_are_read_by_their_Content_Type()
    {
        // w7 DEFAULTENCODING WBXML (w7 APPLICATION CSP page): the client sends WBXML; the server may answer in either encoding.
        Configure(o => o with { Encoding = SyncMLEncoding.Wbxml });
        Start();
        var first = await Server.ExpectMessageAsync();
        Acknowledge(first).Item<Get>("./DevInfo/Man").Final().Send(SyncMLEncoding.Wbxml);
        var second = await Server.ExpectMessageAsync();
        second.Reply().StatusForSyncHdr().StatusForCommands().Final().Send(SyncMLEncoding.Xml);
        var result = await Server.ExpectEndAsync();

        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(DmSessionState.Completed), result.Reason);
            foreach (var request in new[] { first, second })
            {
                Assert.That(request.Headers["Content-Type"], Is.EqualTo("application/vnd.syncml.dm+wbxml"));
                Assert.That(request.Body[0], Is.EqualTo(0x03), "WBXML 1.3 version byte");
            }

            // The WBXML Get was read and answered.
            Assert.That(Of<Status>(second).Where(st => st.Cmd == "Get" && st.MsgRef == "1"), Has.Exactly(1).Items);
        });
    }

    [TestCase(null)]
    [TestCase("application/octet-stream")]
    [TestCase("application/vnd.syncml+wbxml")]
    public async Task A_WBXML_reply_without_a_DM_type_is_read_by_its_first_byte_or_its_older_type(string? contentType)
    {
        Start();
        var first = await Server.ExpectMessageAsync();
        var reply = Acknowledge(first).Final().Message;
        var content = new ByteArrayContent(SyncMLWbxml.ToBytes(reply));
        if (contentType is not null)
        {
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        }

        first.RespondHttp(new HttpResponseMessage(HttpStatusCode.OK) { Content = content });
        var result = await Server.ExpectEndAsync();
        Assert.That(result.Outcome, Is.EqualTo(DmSessionState.Completed), result.Reason);
    }

    [Test]
    public async Task An_HTTP_error_fails_the_session_with_the_status()
    {
        Start();
        (await Server.ExpectMessageAsync()).RespondHttp(new HttpResponseMessage(HttpStatusCode.Forbidden));
        var result = await Server.ExpectEndAsync();
        Assert.That(result.Reason, Does.Contain("HTTP 403"));
    }

    [Test]
    public async Task An_executor_fault_fails_the_session_instead_of_escaping()
    {
        using var server = new ScriptedDmServer();
        using var client = new DmClient(server, Options, new ThrowingExecutor(), Time, new Random(1));
        _ = server.Watch(client.RunSessionAsync(DmSessionTrigger.ClientInitiated));
        var first = await server.ExpectMessageAsync();
        Acknowledge(first).Item<Get>("./DevInfo/Lang").Final().Send();

        var result = await server.ExpectEndAsync();
        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(DmSessionState.Failed));
            Assert.That(result.Reason, Does.Contain("tree is on fire"));
            Assert.That(result.Error, Is.TypeOf<InvalidOperationException>());
        });
    }

    [Test]
    public async Task Cancellation_throws_and_the_trace_saw_every_message()
    {
        var trace = new List<DmTraceEntry>();
        using var cts = new CancellationTokenSource();
        var run = Server.Watch(Client.RunSessionAsync(DmSessionTrigger.ClientInitiated, trace.Add, cts.Token));
        var first = await Server.ExpectMessageAsync();
        Acknowledge(first).Item<Exec>("./Vendor/MSFT/X").Final().Send();
        await Server.ExpectMessageAsync();
        await cts.CancelAsync();

        Assert.That(async () => await run, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(trace.Select(t => t.Direction), Is.EqualTo(new[] { DmTraceDirection.Sent, DmTraceDirection.Received, DmTraceDirection.Sent }));
        Assert.That(trace[0].Bytes.ToArray(), Is.EqualTo(first.Body));
        Assert.That(trace[0].Timestamp, Is.EqualTo(Time.GetUtcNow()));
    }

    private sealed class ThrowingExecutor : IDmCommandExecutor
    {
        public ValueTask<IReadOnlyList<SyncMLCommand>> ExecuteAsync(IReadOnlyList<SyncMLCommand> commands, string? serverMsgId, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("tree is on fire");
    }
}

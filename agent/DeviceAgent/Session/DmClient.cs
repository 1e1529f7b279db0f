using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using DeviceAgent.Dm;
using DeviceAgent.Observability;
using DeviceAgent.Protocol;
using DeviceAgent.SyncML;
using Microsoft.Extensions.Logging;

namespace DeviceAgent.Session;

/// <summary>
/// Runs OMA-DM sessions over HTTP: POSTs each client message and reads the server's message from the response
/// (docs/reference/omadm.md §1), with connection retries and backoff on the TimeProvider and bounded response reads. One client
/// is one device's DM client: it runs one session at a time, and a second <see cref="RunSessionAsync"/> waits for the
/// first to end (docs/session.md "One session at a time").
/// </summary>
public sealed partial class DmClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly DmClientOptions _options;
    private readonly IDmCommandExecutor _executor;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly Uri _requestUri;
    private readonly ILogger _log;

    // Held for a whole session: a device never runs two OMA-DM sessions at once (docs/session.md).
    private readonly SemaphoreSlim _session = new(1, 1);
    private int _nextSessionNumber;

    /// <summary>Creates a client; <paramref name="random"/> (seeded by the caller) draws MS-CV bases.</summary>
    public DmClient(HttpMessageHandler handler, DmClientOptions options, IDmCommandExecutor executor, TimeProvider timeProvider, Random random)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(random);
        options.Validate();
        _http = new HttpClient(handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
        _options = options;
        _executor = executor;
        _time = timeProvider;
        _random = random;
        _requestUri = RequestUri(options);
        _log = options.Logger;
        _nextSessionNumber = options.FirstSessionNumber;
    }

    /// <summary>The URL every message is POSTed to: the server URL plus the mode and Platform query (docs/reference/omadm.md §1).</summary>
    public Uri RequestUri() => _requestUri;

    /// <summary>
    /// Runs one session from package 1 to its end. Protocol, transport and executor failures end in a Failed result
    /// with a reason; only cancellation of <paramref name="cancellationToken"/> throws. While another session of this
    /// client runs, this one waits for it to end (cancellable) before it starts.
    /// </summary>
    public async Task<DmSessionResult> RunSessionAsync(DmSessionTrigger trigger, DmTraceHandler? trace = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        await _session.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await RunOneSessionAsync(trigger, trace, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _session.Release();
        }
    }

    private async Task<DmSessionResult> RunOneSessionAsync(DmSessionTrigger trigger, DmTraceHandler? trace, CancellationToken cancellationToken)
    {
        var sessionId = trigger.NotificationSessionID ?? NextSessionId();
        var started = _time.GetTimestamp();
        _log.SessionStarted(sessionId, trigger.IsServerInitiated ? "server-initiated" : "client-initiated", trigger.AlertCode, _options.ServerUrl);
        DmSessionResult result;
        try
        {
            result = await RunMessagesAsync(sessionId, trigger, trace, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (cancellationToken.IsCancellationRequested)
        {
            _log.SessionEndedBadly(sessionId, nameof(DmSessionState.Failed), DurationMs(started), 0, 0, "The session was cancelled.", e);
            throw;
        }

        var duration = DurationMs(started);
        if (result.Succeeded)
        {
            _log.SessionEnded(sessionId, result.Outcome.ToString(), duration, result.MessagesSent, result.MessagesReceived, result.Reason);
        }
        else
        {
            _log.SessionEndedBadly(sessionId, result.Outcome.ToString(), duration, result.MessagesSent, result.MessagesReceived, result.Reason, result.Error);
        }

        return result;
    }

    private long DurationMs(long startTimestamp) => (long)_time.GetElapsedTime(startTimestamp).TotalMilliseconds;

    private async Task<DmSessionResult> RunMessagesAsync(string sessionId, DmSessionTrigger trigger, DmTraceHandler? trace, CancellationToken cancellationToken)
    {
        var session = new DmSession(sessionId, _options.ServerUrl.ToString(), _options.Device, _executor, _options.Session, _options.Encoding);
        var exchange = new Exchange(this, session, trigger, trace);
        try
        {
            var message = session.StartPackage1(trigger);
            while (true)
            {
                var reply = await exchange.PostAsync(message, cancellationToken).ConfigureAwait(false);
                if (reply is not { } received || session.IsEnded)
                {
                    // Failed in transport, or the answer to the client's own Alert 1223, which is not processed.
                    return exchange.Result();
                }

                SyncMLMessage serverMessage;
                try
                {
                    serverMessage = received.Encoding == SyncMLEncoding.Wbxml
                        ? SyncMLWbxml.ReadMessage(received.Body, _options.ReaderOptions)
                        : SyncMLReader.ReadMessage(received.Body, _options.ReaderOptions);
                }
                catch (SyncMLFormatException e)
                {
                    return exchange.ServerProblem($"The server's message is not valid SyncML ({received.Encoding}): {e.Message}", e);
                }

                _log.MessageReceived(sessionId, serverMessage.SyncHdr?.MsgID, serverMessage.SyncBody.Commands.Count, serverMessage.SyncBody.Final);

                SyncMLMessage? next;
                try
                {
                    next = await session.ReceiveAsync(serverMessage, cancellationToken).ConfigureAwait(false);
                }
                catch (DmProtocolException e)
                {
                    return exchange.ServerProblem(e.Message, e);
                }

                if (next is null)
                {
                    return exchange.Result();
                }

                LogFailedAnswers(sessionId, serverMessage, next);

                message = next;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            session.Fail("The session was cancelled.");
            throw;
        }
        catch (Exception e)
        {
            // The public contract: an executor or writer fault ends the session with a reason instead of escaping.
            return exchange.Fail($"The session failed: {e.GetType().Name}: {e.Message}", e);
        }
    }

    /// <summary>Releases the HttpClient (not the handler, which the caller owns).</summary>
    public void Dispose()
    {
        _http.Dispose();
        _session.Dispose();
    }

    // Each Status outside 2xx the client sends for a server command, with the LocURI of the command it answers
    // (Windows Status elements seldom carry TargetRef, so the LocURI comes from the server's command).
    private void LogFailedAnswers(string sessionId, SyncMLMessage serverMessage, SyncMLMessage clientMessage)
    {
        if (!_log.IsEnabled(LogLevel.Warning))
        {
            return;
        }

        foreach (var status in clientMessage.SyncBody.Commands.OfType<Status>())
        {
            if (int.TryParse(status.Data?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var code) && code is >= 200 and < 300)
            {
                continue;
            }

            var answered = string.Equals(status.MsgRef, serverMessage.SyncHdr?.MsgID, StringComparison.Ordinal)
                ? Flatten(serverMessage.SyncBody.Commands).FirstOrDefault(c => string.Equals(c.CmdID, status.CmdRef, StringComparison.Ordinal))
                : null;
            var locUri = (answered as ItemCommand)?.Items.FirstOrDefault()?.Target?.LocURI
                ?? status.TargetRefs.FirstOrDefault()
                ?? "(no LocURI)";
            _log.CommandFailed(sessionId, status.Cmd, status.CmdRef, locUri, status.Data);
        }
    }

    private static IEnumerable<SyncMLCommand> Flatten(IEnumerable<SyncMLCommand> commands)
    {
        foreach (var command in commands)
        {
            yield return command;
            if (command is ContainerCommand container)
            {
                foreach (var inner in Flatten(container.Commands))
                {
                    yield return inner;
                }
            }
        }
    }

    private string NextSessionId()
    {
        var number = _nextSessionNumber;
        _nextSessionNumber = number >= 0xFFFF ? 1 : number + 1;
        return _options.SessionIdStyle == DmSessionIdStyle.Hex
            ? number.ToString("X", CultureInfo.InvariantCulture)
            : number.ToString(CultureInfo.InvariantCulture);
    }

    private static Uri RequestUri(DmClientOptions options)
    {
        var builder = new UriBuilder(options.ServerUrl);
        var query = builder.Query.TrimStart('?');
        void Append(string name, string? value)
        {
            if (value is not null)
            {
                query += (query.Length == 0 ? "" : "&") + name + "=" + Uri.EscapeDataString(value);
            }
        }

        Append("mode", options.Mode);
        Append("Platform", options.Platform);
        builder.Query = query;
        return builder.Uri;
    }

    /// <summary>The wait before retry number <paramref name="retry"/> (0-based): INITIALBACKOFFTIME doubled per retry, capped at MAXBACKOFFTIME.</summary>
    internal static TimeSpan Backoff(DmClientOptions options, int retry)
    {
        var ticks = options.InitialBackoffTime.Ticks;
        for (var i = 0; i < retry && ticks < options.MaxBackoffTime.Ticks; i++)
        {
            ticks *= 2;
        }

        return TimeSpan.FromTicks(Math.Min(ticks, options.MaxBackoffTime.Ticks));
    }

    private static string GenericAlertHeader(DmSessionTrigger trigger)
    {
        // MS-MDM 2.1 note 5: the types of critical/fatal generic alerts that caused the session.
        var types = trigger.GenericAlerts
            .Where(a => a.Mark is { } mark && (mark.Equals("critical", StringComparison.OrdinalIgnoreCase) || mark.Equals("fatal", StringComparison.OrdinalIgnoreCase)))
            .Select(a => "<" + a.Type + ">");
        return string.Concat(types);
    }

    /// <summary>
    /// Whether a server reply's Content-Type is one the client reads (docs/session.md "Encoding"): a SyncML DM type, which
    /// names the encoding, or none or application/octet-stream (which the client's Accept header lists, MS-MDM 2.1),
    /// which leave the encoding to the body's first byte.
    /// </summary>
    private static bool IsReadableContentType(MediaTypeHeaderValue? contentType) =>
        contentType?.MediaType is null
        || string.Equals(contentType.MediaType, OctetStream, StringComparison.OrdinalIgnoreCase)
        || SyncMLMediaTypes.TryParse(contentType.ToString(), out _, out _);

    /// <summary>The encoding of a reply whose Content-Type passed <see cref="IsReadableContentType"/>.</summary>
    private static SyncMLEncoding ReplyEncoding(MediaTypeHeaderValue? contentType, ReadOnlySpan<byte> body) =>
        SyncMLMediaTypes.TryParse(contentType?.ToString(), out var encoding, out _) ? encoding : SyncMLWbxml.DetectEncoding(body);

    private const string OctetStream = "application/octet-stream";

    private static bool IsThrottled(HttpResponseMessage response) => response.StatusCode == HttpStatusCode.TooManyRequests;
}

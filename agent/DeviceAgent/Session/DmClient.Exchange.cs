using System.Globalization;
using System.Net.Http.Headers;
using DeviceAgent.Observability;
using DeviceAgent.Protocol;
using DeviceAgent.SyncML;

namespace DeviceAgent.Session;

public sealed partial class DmClient
{
    // The HTTP side of one session: POSTs with retries, bounded reads, headers, trace and counters.
    private sealed class Exchange(DmClient client, DmSession session, DmSessionTrigger trigger, DmTraceHandler? trace)
    {
        private readonly string _correlationBase = NewCorrelationBase(client._random);
        private int _requests;
        private int _sent;
        private int _received;
        private Exception? _error;

        public DmSessionResult Result() => new(
            session.SessionID,
            session.State == DmSessionState.Open ? DmSessionState.Failed : session.State,
            session.EndReason ?? "The session ended without a reason.",
            _sent,
            _received,
            session.ServerStatuses)
        {
            Error = _error,
            ProtocolWarnings = [.. session.ProtocolWarnings],
        };

        public DmSessionResult Fail(string reason, Exception? error)
        {
            _error ??= error;
            session.Fail(reason);
            return Result();
        }

        /// <summary>Fails the session for something the server did wrong, and logs it as a server protocol problem.</summary>
        public DmSessionResult ServerProblem(string reason, Exception? error)
        {
            client._log.ServerProblem(session.SessionID, reason);
            return Fail(reason, error);
        }

        /// <summary>POSTs one client message; returns the server's body and its encoding, or null after failing the session.</summary>
        public async Task<(byte[] Body, SyncMLEncoding Encoding)?> PostAsync(SyncMLMessage message, CancellationToken cancellationToken)
        {
            var options = client._options;
            var bytes = SyncMLWbxml.ToBytes(message, options.Encoding);
            trace?.Invoke(new DmTraceEntry(session.SessionID, DmTraceDirection.Sent, client._time.GetUtcNow(), bytes));
            _sent++;
            client._log.MessageSent(session.SessionID, message.SyncHdr?.MsgID, message.SyncBody.Commands.Count, bytes.Length);
            string? lastError = null;
            var waitedForRetryAfter = false;
            for (var retry = 0; ; retry++)
            {
                if (retry > 0 && !waitedForRetryAfter)
                {
                    await Task.Delay(Backoff(options, retry - 1), client._time, cancellationToken).ConfigureAwait(false);
                }

                waitedForRetryAfter = false;

                using var timeout = new CancellationTokenSource(options.RequestTimeout, client._time);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
                try
                {
                    using var request = await NewRequestAsync(bytes, linked.Token).ConfigureAwait(false);
                    using var response = await client._http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
                    if (IsThrottled(response) && options.HonorRetryAfter && retry < options.ConnRetryFreq)
                    {
                        lastError = "HTTP 429 Too Many Requests";
                        await DelayForRetryAfterAsync(response, cancellationToken).ConfigureAwait(false);
                        waitedForRetryAfter = true;
                        continue;
                    }

                    if (IsThrottled(response) && options.HonorRetryAfter)
                    {
                        ServerProblem($"The server still answered HTTP 429 after {retry + 1} attempts.", null);
                        return null;
                    }

                    if (!response.IsSuccessStatusCode)
                    {
                        ServerProblem($"The server answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}.", null);
                        return null;
                    }

                    var contentType = response.Content.Headers.ContentType;
                    if (!IsReadableContentType(contentType))
                    {
                        ServerProblem(
                            $"The server answered with Content-Type '{contentType}', which is not a SyncML DM type ({string.Join(", ", SyncMLMediaTypes.All)}).", null);
                        return null;
                    }

                    var body = await BoundedBody.ReadAsync(response.Content, options.MaxResponseBytes, linked.Token).ConfigureAwait(false);
                    if (body is null)
                    {
                        ServerProblem($"The server's message is longer than the {options.MaxResponseBytes}-byte limit.", null);
                        return null;
                    }

                    trace?.Invoke(new DmTraceEntry(session.SessionID, DmTraceDirection.Received, client._time.GetUtcNow(), body));
                    _received++;
                    if (body.Length == 0)
                    {
                        ServerProblem("The server answered with an empty body; a server must answer every client package (docs/reference/omadm.md §4).", null);
                        return null;
                    }

                    return (body, ReplyEncoding(contentType, body));
                }
                catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    lastError = $"no answer within {options.RequestTimeout}";
                }
                catch (HttpRequestException e)
                {
                    // Connection-level failures are what CONNRETRYFREQ counts (docs/reference/enrollment.md, w7 APPLICATION).
                    lastError = e.Message;
                    _error = e;
                }
                catch (IOException e)
                {
                    lastError = e.Message;
                    _error = e;
                }

                if (retry >= options.ConnRetryFreq)
                {
                    Fail($"The server could not be reached after {retry + 1} attempts: {lastError}", null);
                    return null;
                }

                client._log.Retrying(session.SessionID, retry + 1, lastError, Backoff(options, retry));
            }
        }

        private async Task<HttpRequestMessage> NewRequestAsync(byte[] bytes, CancellationToken cancellationToken)
        {
            var options = client._options;
            var request = new HttpRequestMessage(HttpMethod.Post, client._requestUri)
            {
                Content = new ByteArrayContent(bytes),
            };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(SyncMLMediaTypes.For(options.Encoding));
            request.Headers.TryAddWithoutValidation("User-Agent", options.UserAgent);
            request.Headers.TryAddWithoutValidation("Accept", DmHttp.Accept);
            request.Headers.TryAddWithoutValidation("Accept-Charset", DmHttp.AcceptCharset);
            if (options.SendCorrelationHeaders)
            {
                request.Headers.TryAddWithoutValidation(DmHttp.ClientRequestIdHeader, options.ClientRequestId);
                request.Headers.TryAddWithoutValidation(
                    DmHttp.CorrelationVectorHeader,
                    _correlationBase + ".0.0." + (_requests++).ToString(CultureInfo.InvariantCulture));
            }

            var genericAlert = GenericAlertHeader(trigger);
            if (genericAlert.Length > 0)
            {
                request.Headers.TryAddWithoutValidation(DmHttp.GenericAlertHeader, genericAlert);
            }

            if (options.BearerTokenProvider is { } provider && await provider(cancellationToken).ConfigureAwait(false) is { Length: > 0 } token)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            return request;
        }

        private async Task DelayForRetryAfterAsync(HttpResponseMessage response, CancellationToken cancellationToken)
        {
            var now = client._time.GetUtcNow();
            var delay = response.Headers.RetryAfter switch
            {
                { Delta: { } delta } => delta,
                { Date: { } date } => date - now,
                _ => Backoff(client._options, 0),
            };
            delay = TimeSpan.FromTicks(Math.Clamp(delay.Ticks, 0, client._options.MaxBackoffTime.Ticks));
            await Task.Delay(delay, client._time, cancellationToken).ConfigureAwait(false);
        }

        private static string NewCorrelationBase(Random random)
        {
            // A correlation vector base is 16 base64 characters (12 random bytes).
            var bytes = new byte[12];
            random.NextBytes(bytes);
            return Convert.ToBase64String(bytes);
        }
    }
}

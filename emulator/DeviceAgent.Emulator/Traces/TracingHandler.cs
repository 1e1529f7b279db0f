using System.Net.Http.Headers;

namespace DeviceAgent.Emulator.Traces;

/// <summary>
/// Sits in a device's HTTP pipeline and records each SyncML request and response body (content types
/// application/vnd.syncml.dm+xml and friends, docs/reference/omadm.md §1) in the device's <see cref="TraceRecorder"/>.
/// </summary>
public sealed class TracingHandler(TraceRecorder recorder) : DelegatingHandler
{
    /// <summary>
    /// Largest body buffered for the trace, the default bound of a DM client's read (DmClientOptions.MaxResponseBytes):
    /// a longer body fails the exchange (HttpRequestException) instead of being held whole before the client's bound.
    /// </summary>
    public const int MaxTracedBytes = 4 * 1024 * 1024;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is { } requestContent && IsSyncML(requestContent.Headers.ContentType))
        {
            // Buffering keeps the content readable by the next handler.
            await requestContent.LoadIntoBufferAsync(MaxTracedBytes, cancellationToken).ConfigureAwait(false);
            recorder.Record(TraceDirection.DeviceToServer, await requestContent.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false));
        }

        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (IsSyncML(response.Content.Headers.ContentType))
        {
            await response.Content.LoadIntoBufferAsync(MaxTracedBytes, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (body.Length > 0)
            {
                recorder.Record(TraceDirection.ServerToDevice, body);
            }
        }

        return response;
    }

    private static bool IsSyncML(MediaTypeHeaderValue? type) =>
        type?.MediaType is { } media && media.StartsWith("application/vnd.syncml", StringComparison.OrdinalIgnoreCase);
}

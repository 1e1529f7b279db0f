using System.Net;

namespace DeviceAgent.Fuzzing;

/// <summary>One HTTP exchange as it went over the wire.</summary>
internal sealed record HttpExchange(HttpMethod Method, Uri Uri, byte[]? RequestBody, HttpStatusCode Status, string? ContentType, byte[] ResponseBody);

/// <summary>Records every exchange through it (the live enrollment and session that the seeds and canned answers come from).</summary>
internal sealed class RecordingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private readonly List<HttpExchange> _exchanges = [];

    public IReadOnlyList<HttpExchange> Exchanges
    {
        get
        {
            lock (_exchanges)
            {
                return [.. _exchanges];
            }
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var requestBody = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var copy = new ByteArrayContent(body);
        foreach (var header in response.Content.Headers)
        {
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        response.Content.Dispose();
        response.Content = copy;
        lock (_exchanges)
        {
            _exchanges.Add(new HttpExchange(request.Method, request.RequestUri!, requestBody, response.StatusCode,
                response.Content.Headers.ContentType?.ToString(), body));
        }

        return response;
    }
}

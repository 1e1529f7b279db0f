namespace DeviceAgent.LoadHarness;

/// <summary>Counts HTTP exchanges and body bytes both ways, split by whether the request went to the OMA-DM endpoint.</summary>
public sealed class CountingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private long _dmRequests;
    private long _dmRequestBytes;
    private long _dmResponseBytes;
    private long _otherRequests;

    public long DmRequests => Interlocked.Read(ref _dmRequests);

    public long DmRequestBytes => Interlocked.Read(ref _dmRequestBytes);

    public long DmResponseBytes => Interlocked.Read(ref _dmResponseBytes);

    public long OtherRequests => Interlocked.Read(ref _otherRequests);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var isDm = request.RequestUri?.AbsolutePath.EndsWith("/MDM.svc", StringComparison.OrdinalIgnoreCase) == true;
        if (isDm && request.Content is { } content)
        {
            await content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
            Interlocked.Add(ref _dmRequestBytes, content.Headers.ContentLength ?? 0);
        }

        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (isDm)
        {
            Interlocked.Increment(ref _dmRequests);
            Interlocked.Add(ref _dmResponseBytes, response.Content.Headers.ContentLength ?? 0);
        }
        else
        {
            Interlocked.Increment(ref _otherRequests);
        }

        return response;
    }
}

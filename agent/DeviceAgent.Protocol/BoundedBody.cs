namespace DeviceAgent.Protocol;

/// <summary>
/// Reads an HTTP body into memory up to a limit, for every read of network bytes in client and server: a peer that
/// sends more than the limit is refused before it costs more than the limit (network bytes are hostile).
/// </summary>
public static class BoundedBody
{
    private const int ChunkSize = 16 * 1024;

    /// <summary>The whole body, or null when it is longer than <paramref name="limit"/> bytes.</summary>
    public static async Task<byte[]?> ReadAsync(Stream body, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        using var buffer = new MemoryStream();
        var chunk = new byte[ChunkSize];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// The whole content, or null when it is longer than <paramref name="limit"/> bytes; a Content-Length above the
    /// limit is refused without reading.
    /// </summary>
    public static async Task<byte[]?> ReadAsync(HttpContent content, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (content.Headers.ContentLength is { } declared && declared > limit)
        {
            return null;
        }

        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            return await ReadAsync(stream, limit, cancellationToken).ConfigureAwait(false);
        }
    }
}

using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using DeviceAgent.Protocol;

namespace DeviceAgent.PinReset;

/// <summary>
/// The PIN reset service could not be asked: unreachable, too slow, or it answered something that is not the wire shape
/// of docs/pin-reset.md "Wire". The CSPs treat it as a phone that cannot reach the service (RemoteLock logs
/// <c>pinreset=Unavailable</c>); the message names the service and what went wrong.
/// </summary>
public sealed class PinResetServiceUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The device's PIN reset service client over HTTP(S), as a phone calls the cloud service during LockAndRecoverPIN
/// (docs/reference/pin-reset.md §3; wire shape in <see cref="PinResetWire"/>, docs/pin-reset.md "Wire"). Thread-safe: a
/// fleet shares one. Every answer is read bounded (<see cref="PinResetWire.MaxBodyBytes"/>) and checked: a status that
/// does not match its outcome, a protector of the wrong size or a PIN outside 4-127 characters is refused. The public
/// key is fetched once and kept, as a phone keeps the key it sealed its protector to.
/// </summary>
public sealed class HttpPinResetServiceClient : IPinResetServiceClient, IDisposable
{
    private readonly HttpClient _http;
    private byte[]? _publicKey;

    /// <summary>A client of the service at <paramref name="baseUrl"/> over <paramref name="handler"/> (which it disposes).</summary>
    public HttpPinResetServiceClient(Uri baseUrl, HttpMessageHandler handler, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        ArgumentNullException.ThrowIfNull(handler);
        if (!baseUrl.IsAbsoluteUri || baseUrl.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"The PIN reset service URL must be an absolute http:// or https:// URL, not '{baseUrl}'.", nameof(baseUrl));
        }

        // A base URL without a final slash would drop its last segment when paths are resolved against it.
        BaseUrl = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
        _http = new HttpClient(handler, disposeHandler: true) { BaseAddress = BaseUrl, Timeout = timeout ?? TimeSpan.FromSeconds(30) };
    }

    /// <summary>The service's base URL (ends with '/').</summary>
    public Uri BaseUrl { get; }

    /// <inheritdoc/>
    public async ValueTask<byte[]> GetPublicKeyAsync(CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _publicKey) is { } known)
        {
            return (byte[])known.Clone();
        }

        var (_, body) = await SendAsync(HttpMethod.Get, PinResetWire.PublicKeyPath, null, cancellationToken).ConfigureAwait(false);
        var key = Base64(body, PinResetWire.SubjectPublicKeyInfo, PinResetWire.PublicKeyPath);
        Volatile.Write(ref _publicKey, key);
        return (byte[])key.Clone();
    }

    /// <inheritdoc/>
    public async ValueTask<PinRecoveryResult> RecoverProtectorAsync(string tenantId, byte[] encryptedProtector, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentNullException.ThrowIfNull(encryptedProtector);
        var path = PinResetWire.RecoverPath(tenantId);
        var request = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { [PinResetWire.EncryptedProtector] = Convert.ToBase64String(encryptedProtector) });
        var (status, body) = await SendAsync(HttpMethod.Post, path, request, cancellationToken, acceptRefusal: true).ConfigureAwait(false);
        if (!body.TryGetProperty(PinResetWire.Outcome, out var outcomeElement) || outcomeElement.ValueKind != JsonValueKind.String
            || !Enum.TryParse<PinRecoveryOutcome>(outcomeElement.GetString(), ignoreCase: false, out var outcome) || !Enum.IsDefined(outcome))
        {
            throw Unavailable($"POST {path} answered {status} without a known '{PinResetWire.Outcome}'");
        }

        if (PinResetWire.StatusOf(outcome) != status)
        {
            throw Unavailable($"POST {path} answered {status} with outcome {outcome}, which goes with {PinResetWire.StatusOf(outcome)}");
        }

        if (outcome != PinRecoveryOutcome.Success)
        {
            return PinRecoveryResult.Refused(outcome);
        }

        var protector = Base64(body, PinResetWire.Protector, path);
        return protector.Length == RecoveryProtectorEnvelope.ProtectorSize
            ? new PinRecoveryResult(PinRecoveryOutcome.Success, protector)
            : throw Unavailable($"POST {path} released a protector of {protector.Length} bytes, not {RecoveryProtectorEnvelope.ProtectorSize}");
    }

    /// <summary>
    /// Asks the service for a PIN, sending a seed drawn from <paramref name="random"/> so an emulated run is reproducible
    /// (docs/pin-reset.md "Wire": the seed is the emulator's addition, not part of Microsoft's exchange).
    /// </summary>
    public async ValueTask<string> GeneratePinAsync(Random random, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(random);
        var request = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, int> { [PinResetWire.Seed] = random.Next() });
        var (_, body) = await SendAsync(HttpMethod.Post, PinResetWire.PinPath, request, cancellationToken).ConfigureAwait(false);
        if (!body.TryGetProperty(PinResetWire.Pin, out var pin) || pin.ValueKind != JsonValueKind.String
            || pin.GetString() is not { Length: >= PinCharacters.LowestLength and <= PinCharacters.HighestLength } value)
        {
            throw Unavailable($"POST {PinResetWire.PinPath} answered no '{PinResetWire.Pin}' of {PinCharacters.LowestLength}-{PinCharacters.HighestLength} characters");
        }

        return value;
    }

    /// <inheritdoc/>
    public void Dispose() => _http.Dispose();

    private async Task<(int Status, JsonElement Body)> SendAsync(HttpMethod method, string path, byte[]? json, CancellationToken cancellationToken, bool acceptRefusal = false)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (json is not null)
        {
            request.Content = new ByteArrayContent(json);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        }

        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            var bytes = await BoundedBody.ReadAsync(response.Content, PinResetWire.MaxBodyBytes, cancellationToken).ConfigureAwait(false)
                ?? throw Unavailable($"{method} {path} answered more than {PinResetWire.MaxBodyBytes} bytes");
            var body = Parse(bytes);
            var refusal = acceptRefusal && status is 403 or 404 or 422 && body.ValueKind == JsonValueKind.Object;
            if (status != 200 && !refusal)
            {
                throw Unavailable($"{method} {path} answered {status}{ErrorMessage(body, bytes)}");
            }

            return body.ValueKind == JsonValueKind.Object
                ? (status, body)
                : throw Unavailable($"{method} {path} answered {status} without a JSON object");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException e)
        {
            throw Unavailable($"{method} {path} got no answer within {_http.Timeout.TotalSeconds:0.#} s", e);
        }
        catch (HttpRequestException e)
        {
            throw Unavailable($"{method} {path} failed: {e.Message}{(e.InnerException is { } inner ? $" ({inner.Message})" : "")}", e);
        }
    }

    private static JsonElement Parse(byte[] bytes)
    {
        if (bytes.Length == 0)
        {
            return default;
        }

        try
        {
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 8 });
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return default;
        }
    }

    private static string ErrorMessage(JsonElement body, byte[] bytes)
    {
        if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty(PinResetWire.Error, out var error)
            && error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String)
        {
            return $": {message.GetString()}";
        }

        var text = Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, 200));
        return text.Length == 0 ? "" : $": {text}";
    }

    private PinResetServiceUnavailableException Unavailable(string what, Exception? inner = null) =>
        new PinResetServiceUnavailableException($"PIN reset service {BaseUrl}: {what}", inner);

    private byte[] Base64(JsonElement body, string property, string path)
    {
        if (!body.TryGetProperty(property, out var element) || element.ValueKind != JsonValueKind.String)
        {
            throw Unavailable($"{path} answered no '{property}'");
        }

        try
        {
            return Convert.FromBase64String(element.GetString()!);
        }
        catch (FormatException e)
        {
            throw Unavailable($"{path} answered a '{property}' that is not base64", e);
        }
    }
}

using System.Net;
using System.Text.Json;
using DeviceAgent.PinReset;
using DeviceAgent.Protocol;

namespace DeviceAgent.Emulator.Server;

/// <summary>A server could not be asked what it offers (unreachable, TLS refused); the message says which URL and why.</summary>
public sealed class ServerUnreachableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// What a server at --server offers besides MS-MDE2 and OMA-DM, found out once before a fleet or scenario starts
/// (docs/emulator.md "Servers without the mock's API"): this project's admin API (/api, with the given key), and a
/// hosted PIN reset service (/pinreset/). Anything a server answers to the probes (404, HTML, a login page) means "not
/// offered"; only a transport failure is an error.
/// </summary>
public sealed record ServerOffer(Uri ServerUrl, bool AdminApi, Uri? HostedPinResetService, string? AdminApiRefusal)
{
    /// <summary>The server lets this run move its clock (MockMdm --clock-control true: GET /api/testing/clock answers its time).</summary>
    public bool ClockControl { get; init; }

    private const int MaxProbeBytes = 64 * 1024;

    /// <summary>One sentence for the run's output: what was found.</summary>
    public string Describe() =>
        (AdminApi ? "admin API: yes" : AdminApiRefusal is null ? "admin API: no" : $"admin API: refused ({AdminApiRefusal})")
        + (HostedPinResetService is null ? "; hosted PIN reset service: no" : $"; hosted PIN reset service: {HostedPinResetService}")
        + (ClockControl ? "; clock control: yes" : "");

    /// <summary>
    /// Asks <paramref name="serverUrl"/>: GET /api/tenants with <paramref name="apiKey"/> (a JSON object with a "value"
    /// array is this project's API; 401 is the API refusing the key) and GET /pinreset/v1/publickey (a JSON object with
    /// the key is a hosted service).
    /// </summary>
    /// <exception cref="ServerUnreachableException">The server could not be reached at all.</exception>
    public static async Task<ServerOffer> ProbeAsync(Uri serverUrl, string apiKey, HttpMessageHandler handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(serverUrl);
        ArgumentNullException.ThrowIfNull(handler);
        using var http = new HttpClient(handler, disposeHandler: true) { BaseAddress = serverUrl, Timeout = TimeSpan.FromSeconds(30) };
        var (apiStatus, api) = await GetAsync(http, "api/tenants", apiKey, cancellationToken).ConfigureAwait(false);
        var adminApi = apiStatus == HttpStatusCode.OK && api is { ValueKind: JsonValueKind.Object } a
            && a.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.Array;
        string? refusal = apiStatus is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden && api is { ValueKind: JsonValueKind.Object } e
            && e.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
            ? $"{(int)apiStatus}: {(error.TryGetProperty("message", out var m) ? m.ToString() : "")}; check --api-key"
            : null;
        var (keyStatus, key) = await GetAsync(http, $"{PinResetWire.HostedPrefix}/{PinResetWire.PublicKeyPath}", null, cancellationToken).ConfigureAwait(false);
        var hosted = keyStatus == HttpStatusCode.OK && key is { ValueKind: JsonValueKind.Object } k
            && k.TryGetProperty(PinResetWire.SubjectPublicKeyInfo, out var spki) && spki.ValueKind == JsonValueKind.String
            ? new Uri(serverUrl, PinResetWire.HostedPrefix + "/")
            : null;
        var clock = false;
        if (adminApi)
        {
            var (clockStatus, state) = await GetAsync(http, "api/testing/clock", apiKey, cancellationToken).ConfigureAwait(false);
            clock = clockStatus == HttpStatusCode.OK && state is { ValueKind: JsonValueKind.Object } c && c.TryGetProperty("utcNow", out _);
        }

        return new ServerOffer(serverUrl, adminApi, hosted, refusal) { ClockControl = clock };
    }

    private static async Task<(HttpStatusCode Status, JsonElement? Body)> GetAsync(HttpClient http, string path, string? apiKey, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (apiKey is not null)
        {
            request.Headers.Add("api-key", apiKey);
        }

        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            var bytes = await BoundedBody.ReadAsync(response.Content, MaxProbeBytes, cancellationToken).ConfigureAwait(false);
            if (bytes is null || bytes.Length == 0)
            {
                return (response.StatusCode, null);
            }

            try
            {
                using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 16 });
                return (response.StatusCode, document.RootElement.Clone());
            }
            catch (JsonException)
            {
                return (response.StatusCode, null);
            }
        }
        catch (HttpRequestException ex)
        {
            throw new ServerUnreachableException($"cannot reach {new Uri(http.BaseAddress!, path)}: {ex.Message}{(ex.InnerException is { } inner ? $" ({inner.Message})" : "")}", ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ServerUnreachableException($"{new Uri(http.BaseAddress!, path)} did not answer within {http.Timeout.TotalSeconds:0} s", ex);
        }
    }
}

/// <summary>
/// The consent endpoints of a standalone PIN reset service (`deviceagent pinreset serve`; docs/pin-reset.md "Wire"):
/// what a fleet or scenario sends there besides the MDM server's own consent, so the service devices call knows it.
/// </summary>
public sealed class PinResetConsentClient : IDisposable
{
    private readonly HttpClient _http;

    /// <summary>A client of the service at <paramref name="baseUrl"/> over <paramref name="handler"/> (which it disposes).</summary>
    public PinResetConsentClient(Uri baseUrl, HttpMessageHandler handler)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        ArgumentNullException.ThrowIfNull(handler);
        _http = new HttpClient(handler, disposeHandler: true)
        {
            BaseAddress = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/"),
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    /// <summary>Makes <paramref name="tenantId"/> known to the service.</summary>
    public Task AddTenantAsync(string tenantId, CancellationToken cancellationToken) =>
        PutAsync(PinResetWire.TenantPath(tenantId), "{}", cancellationToken);

    /// <summary>Records an admin's decision for the application <paramref name="clientId"/> in <paramref name="tenantId"/>.</summary>
    public Task SetConsentAsync(string tenantId, string clientId, bool granted, CancellationToken cancellationToken) =>
        PutAsync(PinResetWire.ConsentPath(tenantId, clientId), granted ? "{\"granted\":true}" : "{\"granted\":false}", cancellationToken);

    private async Task PutAsync(string path, string json, CancellationToken cancellationToken)
    {
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        try
        {
            using var response = await _http.PutAsync(new Uri(path, UriKind.Relative), content, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var body = await BoundedBody.ReadAsync(response.Content, PinResetWire.MaxBodyBytes, cancellationToken).ConfigureAwait(false) ?? [];
                var text = System.Text.Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 300));
                throw new PinResetServiceUnavailableException($"PIN reset service {_http.BaseAddress}: PUT {path} answered {(int)response.StatusCode}: {text}");
            }
        }
        catch (HttpRequestException e)
        {
            throw new PinResetServiceUnavailableException($"PIN reset service {_http.BaseAddress}: PUT {path} failed: {e.Message}", e);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _http.Dispose();
}

/// <summary>The PIN reset service of a run whose server hosts none and that was given no --pin-reset-service: every call says so.</summary>
public sealed class UnreachablePinResetServiceClient(string why) : IPinResetServiceClient
{
    /// <inheritdoc/>
    public ValueTask<byte[]> GetPublicKeyAsync(CancellationToken cancellationToken = default) => throw new PinResetServiceUnavailableException(why);

    /// <inheritdoc/>
    public ValueTask<PinRecoveryResult> RecoverProtectorAsync(string tenantId, byte[] encryptedProtector, CancellationToken cancellationToken = default) =>
        throw new PinResetServiceUnavailableException(why);

    /// <inheritdoc/>
    public ValueTask<string> GeneratePinAsync(Random random, CancellationToken cancellationToken = default) => throw new PinResetServiceUnavailableException(why);
}

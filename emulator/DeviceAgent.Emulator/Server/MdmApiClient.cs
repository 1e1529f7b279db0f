using System.Net.Http.Json;
using System.Text.Json;
using DeviceAgent.Protocol;

namespace DeviceAgent.Emulator.Server;

/// <summary>An /api call answered something other than what the caller needed; the message carries the server's error.</summary>
public sealed class MdmApiException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}

/// <summary>
/// The mock MDM's admin REST API (/api/..., Graph-shaped, the api-key header) and its consent pages, as the scenario
/// world and the demo use them. Works against the embedded server or any MockMdm at a URL.
/// </summary>
public sealed class MdmApiClient : IDisposable
{
    private const int MaxAnswerBytes = 4 * 1024 * 1024;
    private readonly HttpClient _http;

    public MdmApiClient(Uri baseUrl, string apiKey, HttpMessageHandler handler)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        ArgumentNullException.ThrowIfNull(handler);
        BaseUrl = baseUrl;
        _http = new HttpClient(handler, disposeHandler: true) { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(60) };
        _http.DefaultRequestHeaders.Add("api-key", apiKey);
    }

    public Uri BaseUrl { get; }

    public Task<JsonElement> GetAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, path, null, 200, cancellationToken);

    /// <summary>POSTs JSON and returns the answer's JSON (or an empty object for 204).</summary>
    public Task<JsonElement> PostAsync(string path, object body, int expectedStatus, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, path, body, expectedStatus, cancellationToken);

    public Task<JsonElement> PutAsync(string path, object body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, path, body, 200, cancellationToken);

    /// <summary>
    /// POSTs a device action (resetPasscode, remoteLock): the action ID on 204, else the refusal as an
    /// <see cref="MdmApiException"/>. <paramref name="method"/> forces the RemoteLock node of a resetPasscode (MockMdm extension).
    /// </summary>
    public async Task<string> RequestActionAsync(string managedDeviceId, string action, string? method, CancellationToken cancellationToken)
    {
        using var body = method is null ? null : new StringContent(JsonSerializer.Serialize(new { method }), System.Text.Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync(
            new Uri($"api/deviceManagement/managedDevices/{Uri.EscapeDataString(managedDeviceId)}/{action}", UriKind.Relative), body, cancellationToken).ConfigureAwait(false);
        if ((int)response.StatusCode != 204)
        {
            throw new MdmApiException((int)response.StatusCode, await DescribeAsync(response, cancellationToken).ConfigureAwait(false));
        }

        return response.Headers.TryGetValues("X-MockMdm-ActionId", out var ids) ? ids.First() : "";
    }

    /// <summary>An admin accepts (or declines) a PIN reset application on the tenant's consent page (docs/reference/pin-reset.md §1).</summary>
    public async Task ConsentAsync(string tenantId, string clientId, bool accept, CancellationToken cancellationToken)
    {
        using var form = new FormUrlEncodedContent([new("client_id", clientId), new("decision", accept ? "accept" : "decline")]);
        using var response = await _http.PostAsync(
            new Uri($"{Uri.EscapeDataString(tenantId)}/oauth2/authorize?response_type=code&client_id={clientId}&prompt=admin_consent", UriKind.Relative),
            form, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new MdmApiException((int)response.StatusCode, $"the consent page answered {(int)response.StatusCode}: {await DescribeAsync(response, cancellationToken).ConfigureAwait(false)}");
        }
    }

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, object? body, int expectedStatus, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(path.TrimStart('/'), UriKind.Relative));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var bytes = await ReadBoundedAsync(response, cancellationToken).ConfigureAwait(false);
        if ((int)response.StatusCode != expectedStatus)
        {
            throw new MdmApiException((int)response.StatusCode,
                $"{method} /{path.TrimStart('/')} answered {(int)response.StatusCode}: {ErrorText(bytes)}");
        }

        if (bytes.Length == 0)
        {
            return JsonDocument.Parse("{}").RootElement.Clone();
        }

        try
        {
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 64 });
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new MdmApiException((int)response.StatusCode, $"{method} /{path.TrimStart('/')} answered malformed JSON: {e.Message}");
        }
    }

    private static async Task<string> DescribeAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        ErrorText(await ReadBoundedAsync(response, cancellationToken).ConfigureAwait(false));

    /// <summary>The Graph error message when the body is one, else the body text (shortened).</summary>
    private static string ErrorText(byte[] bytes)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes);
            if (document.RootElement.TryGetProperty("error", out var error) && error.TryGetProperty("message", out var message))
            {
                return message.GetString() ?? "";
            }
        }
        catch (JsonException)
        {
        }

        var text = System.Text.Encoding.UTF8.GetString(bytes);
        return text.Length > 500 ? text[..500] + "…" : text;
    }

    private static async Task<byte[]> ReadBoundedAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        await BoundedBody.ReadAsync(response.Content, MaxAnswerBytes, cancellationToken).ConfigureAwait(false)
            ?? throw new MdmApiException((int)response.StatusCode, $"the server's answer is larger than {MaxAnswerBytes} bytes");

    public void Dispose() => _http.Dispose();
}

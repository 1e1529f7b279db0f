using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DeviceAgent.PinReset;
using DeviceAgent.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using MockMdm.PinReset;
using MockMdm.Tests.Support;

namespace MockMdm.Tests.PinReset;

/// <summary>
/// The PIN reset service over HTTP (docs/pin-reset.md "Wire"): the standalone service's endpoints with the device's
/// HttpPinResetServiceClient over TestHost, bad input on every endpoint, a hostile service answering the client, and the
/// device endpoints the mock MDM hosts at /pinreset/.
/// </summary>
public sealed class PinResetHttpTests
{
    private static readonly Uri s_base = new("http://pinreset.test/");

    private static async Task<(WebApplication App, PinResetService Service)> StartAsync()
    {
        var service = new PinResetService();
        var app = PinResetServer.Build(new PinResetServerOptions { Urls = [], Service = service }, builder => builder.WebHost.UseTestServer());
        await app.StartAsync();
        return (app, service);
    }

    private static HttpClient Http(WebApplication app)
    {
        var http = app.GetTestServer().CreateClient();
        http.BaseAddress = s_base;
        return http;
    }

    private static HttpPinResetServiceClient Client(WebApplication app) => new(s_base, app.GetTestServer().CreateHandler());

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpClient http, HttpMethod method, string path, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private static string ErrorMessage(JsonElement body) => body.GetProperty("error").GetProperty("message").GetString()!;

    [Test]
    [CancelAfter(60_000)]
    public async Task Consent_over_http_lets_the_client_recover_a_protector_and_get_a_pin(CancellationToken cancellationToken)
    {
        var (app, service) = await StartAsync();
        await using var _ = app;
        using var __ = service;
        using var http = Http(app);
        using var client = Client(app);
        var tenant = Guid.NewGuid().ToString("D");
        var protector = RandomNumberGenerator.GetBytes(RecoveryProtectorEnvelope.ProtectorSize);
        var blob = RecoveryProtectorEnvelope.Seal(await client.GetPublicKeyAsync(cancellationToken), protector, tenant);

        Assert.That((await client.RecoverProtectorAsync(tenant, blob, cancellationToken)).Outcome, Is.EqualTo(PinRecoveryOutcome.UnknownTenant));
        var (added, state) = await SendAsync(http, HttpMethod.Put, PinResetWire.TenantPath(tenant));
        Assert.That(added, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(state.GetProperty("serviceConsented").GetBoolean(), Is.False);
        Assert.That((await client.RecoverProtectorAsync(tenant, blob, cancellationToken)).Outcome, Is.EqualTo(PinRecoveryOutcome.ServiceConsentMissing));
        await SendAsync(http, HttpMethod.Put, PinResetWire.ConsentPath(tenant, PinResetApplicationIds.Service), Json("{\"granted\":true}"));
        Assert.That((await client.RecoverProtectorAsync(tenant, blob, cancellationToken)).Outcome, Is.EqualTo(PinRecoveryOutcome.ClientConsentMissing));
        var (consented, after) = await SendAsync(http, HttpMethod.Put, PinResetWire.ConsentPath(tenant, PinResetApplicationIds.Client.ToUpperInvariant()), Json("{\"granted\":true}"));
        Assert.That(consented, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(after.GetProperty("clientConsented").GetBoolean(), Is.True);

        var released = await client.RecoverProtectorAsync(tenant, blob, cancellationToken);
        Assert.That(released.IsSuccess, Is.True);
        Assert.That(released.Protector, Is.EqualTo(protector));
        Assert.That(service.HasConsent(tenant, PinResetApplication.Client), Is.True, "the HTTP consent reached the hosted service");

        var other = Guid.NewGuid().ToString("D");
        service.SetConsent(other, PinResetApplication.Service, true);
        service.SetConsent(other, PinResetApplication.Client, true);
        Assert.That((await client.RecoverProtectorAsync(other, blob, cancellationToken)).Outcome, Is.EqualTo(PinRecoveryOutcome.TenantMismatch));
        Assert.That((await client.RecoverProtectorAsync(tenant, [1, 2, 3], cancellationToken)).Outcome, Is.EqualTo(PinRecoveryOutcome.BadBlob));

        // The device's seed makes the PIN reproducible; it has the service's complexity (6 characters by default).
        var pin = await client.GeneratePinAsync(new Random(5), cancellationToken);
        Assert.That(pin, Has.Length.EqualTo(PinGenerationProfile.Default.Length));
        Assert.That(await client.GeneratePinAsync(new Random(5), cancellationToken), Is.EqualTo(pin));
    }

    [Test]
    public async Task Bad_requests_get_a_clear_error_naming_what_is_wrong_and_change_nothing()
    {
        var (app, service) = await StartAsync();
        await using var _ = app;
        using var __ = service;
        using var http = Http(app);
        var tenant = Guid.NewGuid().ToString("D");
        var recover = PinResetWire.RecoverPath(tenant);

        var cases = new (HttpMethod Method, string Path, HttpContent? Body, HttpStatusCode Status, string Says)[]
        {
            (HttpMethod.Post, recover, Json("not json"), HttpStatusCode.BadRequest, "not JSON"),
            (HttpMethod.Post, recover, Json("[1]"), HttpStatusCode.BadRequest, "JSON object"),
            (HttpMethod.Post, recover, Json("{}"), HttpStatusCode.BadRequest, "'encryptedProtector'"),
            (HttpMethod.Post, recover, Json("{\"encryptedProtector\":\"***\"}"), HttpStatusCode.BadRequest, "not base64"),
            (HttpMethod.Post, recover, Json("{\"encryptedProtector\":\"" + new string('A', PinResetWire.MaxBodyBytes) + "\"}"), HttpStatusCode.RequestEntityTooLarge, $"{PinResetWire.MaxBodyBytes} bytes"),
            (HttpMethod.Post, recover, new StreamContent(new MemoryStream(new byte[PinResetWire.MaxBodyBytes + 1])), HttpStatusCode.RequestEntityTooLarge, "larger than"),
            (HttpMethod.Post, PinResetWire.RecoverPath(new string('x', 200)), Json("{}"), HttpStatusCode.BadRequest, "tenant ID"),
            (HttpMethod.Post, PinResetWire.PinPath, Json("{\"seed\":\"seven\"}"), HttpStatusCode.BadRequest, "'seed'"),
            (HttpMethod.Post, PinResetWire.PinPath, Json("{\"seed\":1e40}"), HttpStatusCode.BadRequest, "32-bit"),
            (HttpMethod.Put, PinResetWire.ConsentPath(tenant, Guid.NewGuid().ToString()), Json("{\"granted\":true}"), HttpStatusCode.BadRequest, "client_id must be"),
            (HttpMethod.Put, PinResetWire.ConsentPath(tenant, PinResetApplicationIds.Service), new FormUrlEncodedContent([new("granted", "true")]), HttpStatusCode.UnsupportedMediaType, "application/json"),
            (HttpMethod.Put, PinResetWire.ConsentPath(tenant, PinResetApplicationIds.Service), Json("{\"granted\":\"yes\"}"), HttpStatusCode.BadRequest, "'granted'"),
        };
        foreach (var (method, path, body, status, says) in cases)
        {
            var (answered, error) = await SendAsync(http, method, path, body);
            Assert.That(answered, Is.EqualTo(status), $"{method} {path[..Math.Min(path.Length, 60)]}");
            Assert.That(ErrorMessage(error), Does.Contain(says), $"{method} {path[..Math.Min(path.Length, 60)]}");
        }

        Assert.Multiple(() =>
        {
            Assert.That(service.HasConsent(tenant, PinResetApplication.Service), Is.False, "no refused request recorded consent");
            Assert.That(service.RecoverProtector(tenant, [1]).Outcome, Is.EqualTo(PinRecoveryOutcome.UnknownTenant), "no refused request made the tenant known");
        });
    }

    /// <summary>A service that answers what it likes: every broken answer is a PinResetServiceUnavailableException that says what.</summary>
    [TestCase(200, "{\"outcome\":\"Success\",\"protector\":\"AAAA\"}", "protector of 3 bytes")]
    [TestCase(200, "{\"outcome\":\"UnknownTenant\"}", "goes with 404")]
    [TestCase(403, "{\"outcome\":\"Success\",\"protector\":\"AAAA\"}", "goes with 200")]
    [TestCase(200, "{\"outcome\":\"Granted\"}", "without a known 'outcome'")]
    [TestCase(500, "{\"error\":{\"code\":\"x\",\"message\":\"database down\"}}", "answered 500: database down")]
    [TestCase(200, "<html>login</html>", "without a JSON object")]
    [TestCase(200, "LARGE", "more than 16384 bytes")]
    public void A_broken_answer_is_the_service_unavailable_with_the_reason(int status, string body, string says)
    {
        var payload = body == "LARGE" ? "{\"outcome\":\"Success\",\"protector\":\"" + new string('A', 20_000) + "\"}" : body;
        using var client = new HttpPinResetServiceClient(s_base, new ScriptedHandler((HttpStatusCode)status, payload));

        var failure = Assert.ThrowsAsync<PinResetServiceUnavailableException>(async () => await client.RecoverProtectorAsync("t", [1, 2]));

        Assert.That(failure!.Message, Does.Contain(says).And.Contain(s_base.ToString()));
    }

    [Test]
    public void An_unreachable_service_is_unavailable_with_the_socket_error()
    {
        // Port 9 (discard) on loopback: nothing listens there in the test environment, so the connection is refused.
        using var client = new HttpPinResetServiceClient(new Uri("http://127.0.0.1:9/"), new SocketsHttpHandler(), TimeSpan.FromSeconds(10));

        var failure = Assert.ThrowsAsync<PinResetServiceUnavailableException>(async () => await client.GetPublicKeyAsync());

        Assert.That(failure!.Message, Does.Contain("v1/publickey failed"));
    }

    [Test]
    public async Task The_mock_server_hosts_the_device_endpoints_at_pinreset_and_records_consent_only_through_its_consent_pages()
    {
        await using var mdm = await TestMdm.StartAsync();
        using var client = new HttpPinResetServiceClient(new Uri(TestMdm.BaseUrl, PinResetWire.HostedPrefix), mdm.Server.CreateHandler());
        var key = await client.GetPublicKeyAsync();
        Assert.That(key, Is.EqualTo(mdm.App.Services.GetService(typeof(IPinResetService)) is IPinResetService hosted ? hosted.GetPublicKey() : null));

        using var http = mdm.Server.CreateClient();
        http.BaseAddress = new Uri(TestMdm.BaseUrl, PinResetWire.HostedPrefix + "/");
        var (status, _) = await SendAsync(http, HttpMethod.Put, PinResetWire.ConsentPath(MockMdmOptions.DefaultTenantId, PinResetApplicationIds.Service), Json("{\"granted\":true}"));
        Assert.That(status, Is.EqualTo(HttpStatusCode.NotFound), "consent on the mock goes through its tenants' consent pages, which keep the store in step");
        var (bad, error) = await SendAsync(http, HttpMethod.Post, PinResetWire.RecoverPath(MockMdmOptions.DefaultTenantId), Json("{"));
        Assert.That(bad, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(ErrorMessage(error), Does.Contain("not JSON"));
    }

    private sealed class ScriptedHandler(HttpStatusCode status, string body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, body.StartsWith('<') ? "text/html" : "application/json") });
    }
}

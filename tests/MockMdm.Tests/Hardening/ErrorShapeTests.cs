using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MockMdm.Tests.Support;

namespace MockMdm.Tests.Hardening;

/// <summary>
/// Issue 16 item 4 and the consent CSRF check: every failure answers in its endpoint's own error shape (Graph error
/// JSON for /api, the consent page's HTML), never an empty 500 (docs/security.md "Error shapes").
/// </summary>
public class ErrorShapeTests
{
    private static string ConsentPath => $"/{MockMdmOptions.DefaultTenantId}/oauth2/authorize";

    private static async Task AssertGraphErrorAsync(HttpResponseMessage response, int status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(status), text);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"), text);
        using var doc = JsonDocument.Parse(text);
        Assert.That(doc.RootElement.GetProperty("error").GetProperty("message").GetString(), Is.Not.Empty);
    }

    private static async Task AssertConsentPageAsync(HttpResponseMessage response, params int[] statuses)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.AnyOf(statuses.Cast<object>().ToArray()), text);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
        Assert.That(text, Does.StartWith("<!DOCTYPE html>").And.Contain("<h1>"));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task InvalidUtf8InAJsonString_IsA400GraphError(CancellationToken cancellationToken)
    {
        await using var mdm = await TestMdm.StartAsync();
        var body = Encoding.UTF8.GetBytes("{\"@odata.type\":\"#microsoft.graph.windows10CustomConfiguration\",\"displayName\":\"X\"}");
        var bad = body.Take(body.Length - 3).Concat(new byte[] { 0xC3, 0x28 }).Concat(Encoding.UTF8.GetBytes("\"}")).ToArray();
        using var content = new ByteArrayContent(bad);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        using var response = await mdm.Api.PostAsync(new Uri(TestMdm.BaseUrl, "/api/deviceManagement/deviceConfigurations"), content, cancellationToken);

        await AssertGraphErrorAsync(response, 400);
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task AConsentFormValueOf4MiB_IsRefusedInTheConsentPagesShape(CancellationToken cancellationToken)
    {
        await using var mdm = await TestMdm.StartAsync();
        using var form = new StringContent("decision=accept&client_id=" + new string('a', (4 * 1024 * 1024) + 1), Encoding.ASCII, "application/x-www-form-urlencoded");

        using var response = await mdm.Server.CreateClient().PostAsync(new Uri(TestMdm.BaseUrl, ConsentPath), form, cancellationToken);

        await AssertConsentPageAsync(response, 400, 413);
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task AConsentFormOfMoreThan1024Fields_IsRefusedInTheConsentPagesShape(CancellationToken cancellationToken)
    {
        await using var mdm = await TestMdm.StartAsync();
        var fields = string.Join('&', Enumerable.Range(0, 1100).Select(i => $"f{i}=x"));
        using var form = new StringContent(fields, Encoding.ASCII, "application/x-www-form-urlencoded");

        using var response = await mdm.Server.CreateClient().PostAsync(new Uri(TestMdm.BaseUrl, ConsentPath), form, cancellationToken);

        await AssertConsentPageAsync(response, 400, 413);
    }

    [TestCase("https://evil.test")]
    [TestCase("null")]
    [TestCase("http://mdm.test.evil.test")]
    [CancelAfter(30_000)]
    public async Task AConsentPostFromAnotherOrigin_IsRefusedAndChangesNothing(string origin, CancellationToken cancellationToken)
    {
        await using var mdm = await TestMdm.StartAsync();
        var browser = mdm.Server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(TestMdm.BaseUrl, ConsentPath))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["client_id"] = MockMdm.Tenants.TenantDirectory.ServiceClientId,
                ["decision"] = "accept",
            }),
        };
        request.Headers.Add("Origin", origin);

        using var response = await browser.SendAsync(request, cancellationToken);

        await AssertConsentPageAsync(response, 403);
        using var after = await mdm.GetJsonAsync($"/api/tenants/{MockMdmOptions.DefaultTenantId}");
        Assert.That(after.RootElement.GetProperty("pinResetServiceConsented").GetBoolean(), Is.False);
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task AConsentPostFromTheServersOwnOrigin_IsAccepted(CancellationToken cancellationToken)
    {
        await using var mdm = await TestMdm.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(TestMdm.BaseUrl, ConsentPath))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["client_id"] = MockMdm.Tenants.TenantDirectory.ServiceClientId,
                ["decision"] = "accept",
            }),
        };
        request.Headers.Add("Origin", "http://mdm.test");

        using var response = await mdm.Server.CreateClient().SendAsync(request, cancellationToken);

        Assert.That((int)response.StatusCode, Is.EqualTo(200));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task A50MBBodyOverKestrel_IsA413GraphError_LoggedBelowErrorLevel(CancellationToken cancellationToken)
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var logs = new RecordingLoggerProvider();
        var options = new MockMdmOptions { DatabasePath = null, Store = TestMdm.SeededStore(), ApiKey = TestMdm.ApiKey, Seed = 7 };
        options.Urls.Add($"http://127.0.0.1:{port}");
        await using var app = MockMdmServer.Build(options, b => b.Logging.AddProvider(logs));
        await app.StartAsync(cancellationToken);

        using var client = new HttpClient();
        client.DefaultRequestHeaders.Add("api-key", TestMdm.ApiKey);
        // As curl does for large bodies: the server can refuse before the body is sent (a refusal mid-upload resets the connection).
        client.DefaultRequestHeaders.ExpectContinue = true;
        using var content = new ByteArrayContent(new byte[50 * 1024 * 1024]);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var response = await client.PostAsync(new Uri($"http://127.0.0.1:{port}/api/deviceManagement/deviceConfigurations"), content, cancellationToken);

        await AssertGraphErrorAsync(response, 413);
        await app.StopAsync(cancellationToken);
        Assert.That(logs.Entries.Where(e => e.Level >= LogLevel.Error).Select(e => e.Category + ": " + e.Message), Is.Empty);
    }
}

/// <summary>The fallback's shapes by route family, for failures no endpoint anticipated.</summary>
public class ErrorShapeFamilyTests
{
    private static async Task<(int Status, string ContentType, string Body)> RenderAsync(string path, int status)
    {
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        var services = new ServiceCollection();
        services.AddLogging();
        context.RequestServices = services.BuildServiceProvider();
        context.Response.Body = new MemoryStream();
        await ErrorShapes.Shape(path, status, "what went wrong").ExecuteAsync(context);
        context.Response.Body.Position = 0;
        return (context.Response.StatusCode, context.Response.ContentType ?? "", await new StreamReader(context.Response.Body).ReadToEndAsync());
    }

    [Test]
    public async Task EachRouteFamily_GetsItsProtocolsErrorShape()
    {
        var api = await RenderAsync("/api/deviceManagement/managedDevices", 500);
        Assert.That((api.Status, api.ContentType), Is.EqualTo((500, "application/json; charset=utf-8")));
        Assert.That(JsonDocument.Parse(api.Body).RootElement.GetProperty("error").GetProperty("message").GetString(), Is.EqualTo("what went wrong"));

        var soap = await RenderAsync("/EnrollmentServer/Enrollment.svc", 500);
        Assert.That(soap.Body, Does.Contain("Fault").And.Contain("s:InternalServiceFault").And.Contain("what went wrong"));
        var soapRefusal = await RenderAsync("/EnrollmentServer/Policy.svc", 413);
        Assert.That(soapRefusal.Body, Does.Contain("s:MessageFormat"));

        var dm = await RenderAsync("/ManagementServer/MDM.svc", 400);
        Assert.That((dm.Status, dm.ContentType, dm.Body), Is.EqualTo((400, "text/plain", "what went wrong")));

        var page = await RenderAsync("/x/oauth2/authorize", 413);
        Assert.That(page.Status, Is.EqualTo(413));
        Assert.That(page.Body, Does.StartWith("<!DOCTYPE html>").And.Contain("<h1>Request too large</h1>").And.Contain("what went wrong"));
    }
}

using Microsoft.Extensions.DependencyInjection;
using MockMdm.PinReset;
using MockMdm.Tests.Support;

namespace MockMdm.Tests.Api;

/// <summary>Tenants, the consent pages an admin visits, and the hosted PIN reset service seeing the decisions.</summary>
public class TenantsApiTests
{
    [Test]
    public async Task ConsentThroughThePages_IsRecordedAndReachesThePinResetService()
    {
        await using var mdm = await TestMdm.StartAsync();
        var tenant = MockMdmOptions.DefaultTenantId;
        using var before = await mdm.GetJsonAsync($"/api/tenants/{tenant}");
        Assert.That(before.RootElement.GetProperty("pinResetServiceConsented").GetBoolean(), Is.False);
        var url = before.RootElement.GetProperty("pinResetServiceConsentUrl").GetString()!;
        Assert.That(url, Does.Contain("client_id=b8456c59-1230-44c7-a4a2-99b085333e84"));

        var browser = mdm.Server.CreateClient();
        using var page = await browser.GetAsync(new Uri(url));
        Assert.That(await page.Content.ReadAsStringAsync(), Does.Contain("Microsoft Pin Reset Service Production"));
        foreach (var clientId in new[] { "b8456c59-1230-44c7-a4a2-99b085333e84", "9115dd05-fad5-4f9c-acc7-305d08b1b04e" })
        {
            using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["client_id"] = clientId, ["decision"] = "accept" });
            using var posted = await browser.PostAsync(new Uri(TestMdm.BaseUrl, $"/{tenant}/oauth2/authorize"), form);
            Assert.That((int)posted.StatusCode, Is.EqualTo(200));
        }

        using var after = await mdm.GetJsonAsync($"/api/tenants/{tenant}");
        Assert.That(after.RootElement.GetProperty("pinResetServiceConsented").GetBoolean(), Is.True);
        Assert.That(after.RootElement.GetProperty("pinResetClientConsented").GetBoolean(), Is.True);
        var service = mdm.App.Services.GetRequiredService<IPinResetService>();
        Assert.That(service.HasConsent(tenant, PinResetApplication.Service) && service.HasConsent(tenant, PinResetApplication.Client), Is.True);
    }

    [Test]
    public async Task ConsentForAnUnknownApplicationOrTenant_IsRefusedAndChangesNothing()
    {
        await using var mdm = await TestMdm.StartAsync();
        var browser = mdm.Server.CreateClient();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["client_id"] = "00000000-0000-0000-0000-000000000000", ["decision"] = "accept" });
        using var app = await browser.PostAsync(new Uri(TestMdm.BaseUrl, $"/{MockMdmOptions.DefaultTenantId}/oauth2/authorize"), form);
        Assert.That((int)app.StatusCode, Is.EqualTo(400));
        using var form2 = new FormUrlEncodedContent(new Dictionary<string, string> { ["client_id"] = "b8456c59-1230-44c7-a4a2-99b085333e84", ["decision"] = "accept" });
        using var tenant = await browser.PostAsync(new Uri(TestMdm.BaseUrl, "/11111111-2222-3333-4444-555555555555/oauth2/authorize"), form2);
        Assert.That((int)tenant.StatusCode, Is.EqualTo(404));
        using var after = await mdm.GetJsonAsync($"/api/tenants/{MockMdmOptions.DefaultTenantId}");
        Assert.That(after.RootElement.GetProperty("pinResetServiceConsented").GetBoolean(), Is.False);
    }

    [Test]
    public async Task ATenantWithDomains_TakesItsUsersAtEnrollment()
    {
        await using var mdm = await TestMdm.StartAsync();
        using var created = await mdm.SendJsonAsync(HttpMethod.Post, "/api/tenants",
            """{"id":"AAAAAAAA-1111-4222-8333-444444444444","displayName":"Fabrikam","domains":["fabrikam.com"]}""");
        Assert.That((int)created.StatusCode, Is.EqualTo(201));
        using var again = await mdm.SendJsonAsync(HttpMethod.Post, "/api/tenants",
            """{"id":"aaaaaaaa-1111-4222-8333-444444444444","displayName":"Fabrikam"}""");
        Assert.That((int)again.StatusCode, Is.EqualTo(409));

        await mdm.EnrollAsync(upn: "bob@fabrikam.com");
        using var devices = await mdm.GetJsonAsync("/api/deviceManagement/managedDevices");
        Assert.That(devices.RootElement.GetProperty("value")[0].GetProperty("azureADTenantId").GetString(),
            Is.EqualTo("aaaaaaaa-1111-4222-8333-444444444444"));
    }

    [Test]
    public async Task A_domain_belongs_to_one_tenant()
    {
        await using var mdm = await TestMdm.StartAsync();
        using var first = await mdm.SendJsonAsync(HttpMethod.Post, "/api/tenants",
            """{"id":"aaaaaaaa-1111-4222-8333-444444444444","displayName":"Fabrikam","domains":["fabrikam.com"]}""");
        Assert.That((int)first.StatusCode, Is.EqualTo(201));

        using var second = await mdm.SendJsonAsync(HttpMethod.Post, "/api/tenants",
            """{"id":"bbbbbbbb-1111-4222-8333-444444444444","displayName":"Other","domains":["other.example","FABRIKAM.com"]}""");

        Assert.That((int)second.StatusCode, Is.EqualTo(409));
        Assert.That(await second.Content.ReadAsStringAsync(),
            Does.Contain("domain 'FABRIKAM.com' already belongs to tenant 'aaaaaaaa-1111-4222-8333-444444444444' (Fabrikam)"));
        using var missing = await mdm.SendJsonAsync(HttpMethod.Get, "/api/tenants/bbbbbbbb-1111-4222-8333-444444444444", null);
        Assert.That((int)missing.StatusCode, Is.EqualTo(404), "nothing of the refused tenant is stored");
    }

    [TestCase("""{"id":"not-a-guid","displayName":"X"}""", "GUID")]
    [TestCase("""{"id":"aaaaaaaa-1111-4222-8333-444444444444"}""", "displayName")]
    [TestCase("""{"id":""", "not valid JSON")]
    [TestCase("""[]""", "JSON object")]
    public async Task BadTenantInput_Is400AndCreatesNothing(string body, string message)
    {
        await using var mdm = await TestMdm.StartAsync();
        using var response = await mdm.SendJsonAsync(HttpMethod.Post, "/api/tenants", body);
        Assert.That((int)response.StatusCode, Is.EqualTo(400));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain(message));
        using var tenants = await mdm.GetJsonAsync("/api/tenants");
        Assert.That(tenants.RootElement.GetProperty("value").GetArrayLength(), Is.EqualTo(1));
    }
}

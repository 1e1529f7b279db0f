using System.Text.Json;
using MockMdm.Tests.Support;

namespace MockMdm.Tests.Api;

/// <summary>The Graph-shaped admin API: API key, managed devices, actions, and bad input that changes nothing.</summary>
public class ManagedDevicesApiTests
{
    [TestCase("GET", "/api/deviceManagement/managedDevices")]
    [TestCase("GET", "/api/deviceManagement/managedDevices/x")]
    [TestCase("GET", "/api/deviceManagement/managedDevices/x/deviceActionResults")]
    [TestCase("GET", "/api/deviceManagement/managedDevices/x/commands")]
    [TestCase("POST", "/api/deviceManagement/managedDevices/x/resetPasscode")]
    [TestCase("POST", "/api/deviceManagement/managedDevices/x/remoteLock")]
    [TestCase("GET", "/api/deviceManagement/deviceConfigurations")]
    [TestCase("POST", "/api/deviceManagement/deviceConfigurations")]
    [TestCase("GET", "/api/deviceManagement/deviceConfigurations/x")]
    [TestCase("PATCH", "/api/deviceManagement/deviceConfigurations/x")]
    [TestCase("DELETE", "/api/deviceManagement/deviceConfigurations/x")]
    [TestCase("POST", "/api/deviceManagement/deviceConfigurations/x/assign")]
    [TestCase("GET", "/api/deviceManagement/deviceConfigurations/x/assignments")]
    [TestCase("GET", "/api/deviceManagement/deviceConfigurations/x/deviceStatuses")]
    [TestCase("GET", "/api/deviceManagement/deviceConfigurations/x/deviceStatusOverview")]
    [TestCase("GET", "/api/groups")]
    [TestCase("POST", "/api/groups")]
    [TestCase("GET", "/api/groups/x")]
    [TestCase("PUT", "/api/groups/x/members")]
    [TestCase("GET", "/api/tenants")]
    [TestCase("POST", "/api/tenants")]
    [TestCase("GET", "/api/tenants/x")]
    public async Task EveryCall_WithoutTheApiKey_Is401(string method, string path)
    {
        await using var mdm = await TestMdm.StartAsync();
        var anonymous = mdm.Server.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(TestMdm.BaseUrl, path));
        using var response = await anonymous.SendAsync(request);
        Assert.That((int)response.StatusCode, Is.EqualTo(401));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("api-key"));

        using var wrong = new HttpRequestMessage(new HttpMethod(method), new Uri(TestMdm.BaseUrl, path));
        wrong.Headers.Add("api-key", "nope");
        using var refused = await anonymous.SendAsync(wrong);
        Assert.That((int)refused.StatusCode, Is.EqualTo(401));
    }

    [Test]
    public async Task TheKeyMayAlsoComeAsABearerToken()
    {
        await using var mdm = await TestMdm.StartAsync();
        var client = mdm.Server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TestMdm.ApiKey);
        using var response = await client.GetAsync(new Uri(TestMdm.BaseUrl, "/api/deviceManagement/managedDevices"));
        Assert.That((int)response.StatusCode, Is.EqualTo(200));
    }

    [TestCase("resetPasscode")]
    [TestCase("remoteLock")]
    [TestCase("deviceActionResults")]
    [TestCase("commands")]
    public async Task AnUnknownDevice_Is404WithAMessage(string what)
    {
        await using var mdm = await TestMdm.StartAsync();
        var method = what is "resetPasscode" or "remoteLock" ? HttpMethod.Post : HttpMethod.Get;
        using var response = await mdm.SendJsonAsync(method, $"/api/deviceManagement/managedDevices/nope/{what}", null);
        Assert.That((int)response.StatusCode, Is.EqualTo(404));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("managed device 'nope' does not exist"));
    }

    [Test]
    public async Task ResetPasscodeOnADesktop_Is400WithTheReason_AndQueuesNothing()
    {
        await using var mdm = await TestMdm.StartAsync();
        var (_, id) = await Fixtures.EnrolledAndSyncedAsync(mdm, deviceType: "CIMClient_Windows");

        using var response = await mdm.SendJsonAsync(HttpMethod.Post, $"/api/deviceManagement/managedDevices/{id}/resetPasscode", null);

        Assert.That((int)response.StatusCode, Is.EqualTo(400));
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.That(error.RootElement.GetProperty("error").GetProperty("code").GetString(), Is.EqualTo("NotSupported"));
        Assert.That(error.RootElement.GetProperty("error").GetProperty("message").GetString(), Does.Contain("only on Windows 10 Mobile").And.Contain("CIMClient_Windows"));
        using var actions = await mdm.GetJsonAsync($"/api/deviceManagement/managedDevices/{id}/deviceActionResults");
        Assert.That(actions.RootElement.GetProperty("value").GetArrayLength(), Is.Zero);
        using var commands = await mdm.GetJsonAsync($"/api/deviceManagement/managedDevices/{id}/commands");
        Assert.That(commands.RootElement.GetProperty("value").EnumerateArray().All(c => c.GetProperty("origin").GetString() == "inventory"), Is.True);
    }

    [Test]
    public async Task ManagedDevice_ListsItsActionResults_AndQueuedActionsShowInTheQueue()
    {
        await using var mdm = await TestMdm.StartAsync();
        var (_, id) = await Fixtures.EnrolledAndSyncedAsync(mdm);
        using var response = await mdm.SendJsonAsync(HttpMethod.Post, $"/api/deviceManagement/managedDevices/{id}/resetPasscode", null);
        var actionId = response.Headers.GetValues("X-MockMdm-ActionId").Single();

        using var device = await mdm.GetJsonAsync($"/api/deviceManagement/managedDevices/{id}");
        var result = device.RootElement.GetProperty("deviceActionResults")[0];
        Assert.That(result.GetProperty("id").GetString(), Is.EqualTo(actionId));
        Assert.That(result.GetProperty("actionName").GetString(), Is.EqualTo("resetPasscode"));
        Assert.That(result.GetProperty("method").GetString(), Is.EqualTo("LockAndRecoverPIN"));
        Assert.That(result.GetProperty("startDateTime").GetDateTimeOffset(), Is.EqualTo(TestMdm.Start));
        using var commands = await mdm.GetJsonAsync($"/api/deviceManagement/managedDevices/{id}/commands");
        var queued = commands.RootElement.GetProperty("value").EnumerateArray().Last();
        Assert.That(queued.GetProperty("state").GetString(), Is.EqualTo("Queued"));
        Assert.That(queued.GetProperty("originId").GetString(), Is.EqualTo(actionId));
        Assert.That(queued.GetProperty("syncml").GetString(), Does.Contain("./Vendor/MSFT/RemoteLock/LockAndRecoverPIN"));
    }

    [Test]
    public async Task HelpPages_ExplainKnownCodes_AndRefuseNonsense()
    {
        await using var mdm = await TestMdm.StartAsync();
        var client = mdm.Server.CreateClient();
        using var known = await client.GetAsync(new Uri(TestMdm.BaseUrl, "/help/errors/0x87D10195"));
        Assert.That(await known.Content.ReadAsStringAsync(), Does.Contain("405").And.Contain("no PIN"));
        using var byDecimal = await client.GetAsync(new Uri(TestMdm.BaseUrl, "/help/errors/-2016281112"));
        Assert.That(await byDecimal.Content.ReadAsStringAsync(), Does.Contain("empty NewPINValue"));
        using var nonsense = await client.GetAsync(new Uri(TestMdm.BaseUrl, "/help/errors/banana"));
        Assert.That((int)nonsense.StatusCode, Is.EqualTo(404));
    }
}

using System.Text.Json;
using MockMdm.Tests.Support;

namespace MockMdm.Tests.Profiles;

/// <summary>Custom OMA-URI profiles: delivery (Add, 418 then Replace), per-device status, not applicable, warnings, bad input.</summary>
public class ConfigurationProfileTests
{
    private const string PinRecoveryUri = "./Device/Vendor/MSFT/PassportForWork/" + MockMdmOptions.DefaultTenantId + "/Policies/EnablePinRecovery";

    private static string Profile(string uri = PinRecoveryUri, string type = "omaSettingBoolean", string value = "true", string extra = "") => $$"""
        {"@odata.type":"#microsoft.graph.windows10CustomConfiguration","displayName":"PIN recovery","supportedDeviceTypes":["WindowsPhone"]{{extra}},
         "omaSettings":[{"@odata.type":"#microsoft.graph.{{type}}","displayName":"EnablePinRecovery","omaUri":"{{uri}}","value":{{value}}}]}
        """;

    private static async Task<string> CreateAsync(TestMdm mdm, string body)
    {
        using var response = await mdm.SendJsonAsync(HttpMethod.Post, "/api/deviceManagement/deviceConfigurations", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(201), text);
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.GetProperty("id").GetString()!;
    }

    private static async Task<string> GroupAsync(TestMdm mdm, string type, params string[] members)
    {
        using var response = await mdm.SendJsonAsync(HttpMethod.Post, "/api/groups",
            JsonSerializer.Serialize(new { displayName = "g", groupType = type, members }));
        Assert.That((int)response.StatusCode, Is.EqualTo(201));
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("id").GetString()!;
    }

    private static async Task AssignAsync(TestMdm mdm, string configId, string groupId)
    {
        using var response = await mdm.SendJsonAsync(HttpMethod.Post, $"/api/deviceManagement/deviceConfigurations/{configId}/assign",
            $$$"""{"assignments":[{"target":{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":"{{{groupId}}}"}}]}""");
        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
    }

    private static async Task<JsonElement> OverviewAsync(TestMdm mdm, string configId)
    {
        using var doc = await mdm.GetJsonAsync($"/api/deviceManagement/deviceConfigurations/{configId}/deviceStatusOverview");
        return doc.RootElement.Clone();
    }

    [Test]
    public async Task AUserGroupAssignment_DeliversToThePhone_ReSendsA418AddAsReplace_AndCountsTheDesktopAsNotApplicable()
    {
        await using var mdm = await TestMdm.StartAsync();
        var (phone, phoneId) = await Fixtures.EnrolledAndSyncedAsync(mdm);
        var (_, desktopId) = await Fixtures.EnrolledAndSyncedAsync(mdm, deviceType: "CIMClient_Windows",
            deviceId: "2F0B3A1C-0002-4000-8000-000000000002", devId: "DEV-0002");
        var config = await CreateAsync(mdm, Profile());
        await AssignAsync(mdm, config, await GroupAsync(mdm, "user", "alice@contoso.com"));

        using (var statuses = await mdm.GetJsonAsync($"/api/deviceManagement/deviceConfigurations/{config}/deviceStatuses"))
        {
            var byDevice = statuses.RootElement.GetProperty("value").EnumerateArray()
                .ToDictionary(s => s.GetProperty("deviceId").GetString()!, s => s.GetProperty("status").GetString());
            Assert.That(byDevice, Is.EqualTo(new Dictionary<string, string?> { [phoneId] = "pending", [desktopId] = "notApplicable" }));
        }

        var overview = await OverviewAsync(mdm, config);
        Assert.That(overview.GetProperty("successCount").GetInt32(), Is.Zero);
        Assert.That(overview.GetProperty("notApplicableCount").GetInt32(), Is.EqualTo(1));
        Assert.That(overview.GetProperty("consoleSuccessCount").GetInt32(), Is.EqualTo(1), "the console counted the not-applicable desktop as a success");

        phone.SessionId = "P2";
        var reply = await phone.StartSessionAsync();
        Assert.That(phone.LastReply, Does.Contain(
            $"<Add><CmdID>5</CmdID><Item><Target><LocURI>{PinRecoveryUri}</LocURI></Target><Meta><Format xmlns=\"syncml:metinf\">bool</Format></Meta><Data>true</Data></Item></Add><Final/>"));
        var next = await phone.SendBodyAsync(DeviceAnswers.For(reply, statusFor: _ => 418));
        Assert.That(phone.LastReply, Does.Contain(
            $"<Replace><CmdID>2</CmdID><Item><Target><LocURI>{PinRecoveryUri}</LocURI></Target><Meta><Format xmlns=\"syncml:metinf\">bool</Format></Meta><Data>true</Data></Item></Replace><Final/>"),
            "418 on the Add: the same item goes again as Replace");
        Assert.That((await OverviewAsync(mdm, config)).GetProperty("pendingCount").GetInt32(), Is.EqualTo(1));

        await phone.SendBodyAsync(DeviceAnswers.For(next));

        overview = await OverviewAsync(mdm, config);
        Assert.That(overview.GetProperty("successCount").GetInt32(), Is.EqualTo(1));
        Assert.That(overview.GetProperty("pendingCount").GetInt32(), Is.Zero);
        Assert.That(overview.GetProperty("consoleSuccessCount").GetInt32(), Is.EqualTo(2));
    }

    [Test]
    public async Task ADeviceGroupAssignment_FailsWithTheDevicesStatusCode()
    {
        await using var mdm = await TestMdm.StartAsync();
        var (phone, phoneId) = await Fixtures.EnrolledAndSyncedAsync(mdm);
        var config = await CreateAsync(mdm, Profile());
        await AssignAsync(mdm, config, await GroupAsync(mdm, "device", phoneId));
        phone.SessionId = "P2";
        var reply = await phone.StartSessionAsync();

        await phone.SendBodyAsync(DeviceAnswers.For(reply, statusFor: _ => 404));

        using var statuses = await mdm.GetJsonAsync($"/api/deviceManagement/deviceConfigurations/{config}/deviceStatuses");
        var status = statuses.RootElement.GetProperty("value")[0];
        Assert.That(status.GetProperty("status").GetString(), Is.EqualTo("failed"));
        Assert.That(status.GetProperty("deviceStatusCode").GetInt32(), Is.EqualTo(404));
        Assert.That(status.GetProperty("errorCode").GetInt32(), Is.EqualTo(unchecked((int)0x87D10194)));
        Assert.That(status.GetProperty("assignedThroughUserGroup").GetBoolean(), Is.False);
    }

    [TestCase("./Device/Vendor/MSFT/PassportForWork/Policies/EnablePinRecovery", "omaSettingBoolean", "true", "lacks the tenant ID segment")]
    [TestCase(PinRecoveryUri, "omaSettingString", "\"True\"", "a Boolean typed as String")]
    public async Task SuspiciousSettings_AreAcceptedWithAWarning(string uri, string type, string value, string warning)
    {
        await using var mdm = await TestMdm.StartAsync();
        var id = await CreateAsync(mdm, Profile(uri, type, value));
        using var config = await mdm.GetJsonAsync($"/api/deviceManagement/deviceConfigurations/{id}");
        Assert.That(config.RootElement.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()), Has.One.Contains(warning));
    }

    [TestCase("{\"displayName\":", "not valid JSON")]
    [TestCase("""{"omaSettings":[]}""", "'displayName' is required")]
    [TestCase("""{"displayName":"x","omaSettings":[{"@odata.type":"#microsoft.graph.omaSettingBoolean","displayName":"a","omaUri":"Device/Vendor/MSFT/X","value":true}]}""", "must start with")]
    [TestCase("""{"displayName":"x","omaSettings":[{"@odata.type":"#microsoft.graph.omaSettingBoolean","displayName":"a","omaUri":"./Device//X","value":true}]}""", "empty segment")]
    [TestCase("""{"displayName":"x","omaSettings":[{"@odata.type":"#microsoft.graph.omaSettingBoolean","displayName":"a","omaUri":"./Device/X/","value":true}]}""", "must not end with")]
    [TestCase("""{"displayName":"x","omaSettings":[{"@odata.type":"#microsoft.graph.omaSettingInteger","displayName":"a","omaUri":"./Device/X","value":"seven"}]}""", "32-bit integer")]
    [TestCase("""{"displayName":"x","omaSettings":[{"@odata.type":"#microsoft.graph.omaSettingBoolean","displayName":"a","omaUri":"./Device/X","value":"yes"}]}""", "true or false")]
    [TestCase("""{"displayName":"x","omaSettings":[{"@odata.type":"#microsoft.graph.omaSettingFloat","displayName":"a","omaUri":"./Device/X","value":1}]}""", "omaSettings[0]: '@odata.type' must be")]
    [TestCase("""{"@odata.type":"#microsoft.graph.iosCustomConfiguration","displayName":"x"}""", "windows10CustomConfiguration")]
    public async Task BadConfigurations_Are400WithTheReason_AndNothingIsCreated(string body, string message)
    {
        await using var mdm = await TestMdm.StartAsync();
        using var response = await mdm.SendJsonAsync(HttpMethod.Post, "/api/deviceManagement/deviceConfigurations", body);
        Assert.That((int)response.StatusCode, Is.EqualTo(400));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain(message));
        using var list = await mdm.GetJsonAsync("/api/deviceManagement/deviceConfigurations");
        Assert.That(list.RootElement.GetProperty("value").GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task AssigningToAnUnknownGroup_Is400_AndLeavesTheAssignmentsAsTheyWere()
    {
        await using var mdm = await TestMdm.StartAsync();
        var id = await CreateAsync(mdm, Profile());
        using var response = await mdm.SendJsonAsync(HttpMethod.Post, $"/api/deviceManagement/deviceConfigurations/{id}/assign",
            """{"assignments":[{"target":{"@odata.type":"#microsoft.graph.allDevicesAssignmentTarget"}},{"target":{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":"ghost"}}]}""");
        Assert.That((int)response.StatusCode, Is.EqualTo(400));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("assignments[1].target.groupId 'ghost'"));
        using var assignments = await mdm.GetJsonAsync($"/api/deviceManagement/deviceConfigurations/{id}/assignments");
        Assert.That(assignments.RootElement.GetProperty("value").GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task UnknownConfigurations_Are404()
    {
        await using var mdm = await TestMdm.StartAsync();
        foreach (var (method, path, body) in new[]
        {
            (HttpMethod.Get, "ghost", (string?)null), (HttpMethod.Patch, "ghost", "{}"), (HttpMethod.Delete, "ghost", null),
            (HttpMethod.Post, "ghost/assign", """{"assignments":[]}"""), (HttpMethod.Get, "ghost/assignments", null),
            (HttpMethod.Get, "ghost/deviceStatuses", null), (HttpMethod.Get, "ghost/deviceStatusOverview", null),
        })
        {
            using var response = await mdm.SendJsonAsync(method, "/api/deviceManagement/deviceConfigurations/" + path, body);
            Assert.That((int)response.StatusCode, Is.EqualTo(404), path);
            Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("device configuration 'ghost' does not exist"));
        }
    }

    [Test]
    public async Task PatchingSettings_RaisesTheVersionAndDeliversAgain_DeleteRemovesStatuses()
    {
        await using var mdm = await TestMdm.StartAsync();
        var (_, phoneId) = await Fixtures.EnrolledAndSyncedAsync(mdm);
        var id = await CreateAsync(mdm, Profile());
        using (var all = await mdm.SendJsonAsync(HttpMethod.Post, $"/api/deviceManagement/deviceConfigurations/{id}/assign",
                   """{"assignments":[{"target":{"@odata.type":"#microsoft.graph.allDevicesAssignmentTarget"}}]}"""))
        {
            Assert.That((int)all.StatusCode, Is.EqualTo(200));
        }

        using (var patched = await mdm.SendJsonAsync(HttpMethod.Patch, $"/api/deviceManagement/deviceConfigurations/{id}",
                   Profile(value: "false").Replace("\"displayName\":\"PIN recovery\"", "\"displayName\":\"PIN recovery v2\"", StringComparison.Ordinal)))
        {
            using var doc = JsonDocument.Parse(await patched.Content.ReadAsStringAsync());
            Assert.That(doc.RootElement.GetProperty("version").GetInt32(), Is.EqualTo(2));
            Assert.That(doc.RootElement.GetProperty("displayName").GetString(), Is.EqualTo("PIN recovery v2"));
        }

        using (var commands = await mdm.GetJsonAsync($"/api/deviceManagement/managedDevices/{phoneId}/commands"))
        {
            Assert.That(commands.RootElement.GetProperty("value").EnumerateArray().Where(c => c.GetProperty("origin").GetString() == "profile").Select(c => c.GetProperty("syncml").GetString()), Is.EqualTo(new[]
            {
                $"<Add><Item><Target><LocURI>{PinRecoveryUri}</LocURI></Target><Meta><Format xmlns=\"syncml:metinf\">bool</Format></Meta><Data>true</Data></Item></Add>",
                $"<Add><Item><Target><LocURI>{PinRecoveryUri}</LocURI></Target><Meta><Format xmlns=\"syncml:metinf\">bool</Format></Meta><Data>false</Data></Item></Add>",
            }), "version 1 was delivered with true, the patch delivers false again");
        }

        Assert.That(mdm.Store.Read(v => v.ListByOwner<MockMdm.Profiles.ProfileDeviceStatusRecord>(id)).Select(st => (st.DeviceId, st.Version)), Is.EqualTo(new[] { (phoneId, 2) }));
        using var deleted = await mdm.SendJsonAsync(HttpMethod.Delete, $"/api/deviceManagement/deviceConfigurations/{id}", null);
        Assert.That((int)deleted.StatusCode, Is.EqualTo(204));
        using var list = await mdm.GetJsonAsync("/api/deviceManagement/deviceConfigurations");
        Assert.That(list.RootElement.GetProperty("value").GetArrayLength(), Is.Zero);
        Assert.That(mdm.Store.Read(v => v.ListByOwner<MockMdm.Profiles.ProfileDeviceStatusRecord>(id)), Is.Empty, "the phone's status for the deleted configuration is gone");
    }

    [Test]
    public async Task Groups_RefuseBadInput_AndMembershipChangesReachAssignedDevices()
    {
        await using var mdm = await TestMdm.StartAsync();
        using (var bad = await mdm.SendJsonAsync(HttpMethod.Post, "/api/groups", """{"displayName":"g","groupType":"robots"}"""))
        {
            Assert.That((int)bad.StatusCode, Is.EqualTo(400));
            Assert.That(await bad.Content.ReadAsStringAsync(), Does.Contain("not 'robots'"));
        }

        var (_, phoneId) = await Fixtures.EnrolledAndSyncedAsync(mdm);
        var group = await GroupAsync(mdm, "user");
        var config = await CreateAsync(mdm, Profile());
        await AssignAsync(mdm, config, group);
        Assert.That((await OverviewAsync(mdm, config)).GetProperty("pendingCount").GetInt32(), Is.Zero);

        using var put = await mdm.SendJsonAsync(HttpMethod.Put, $"/api/groups/{group}/members", """{"members":["ALICE@contoso.com"]}""");
        Assert.That((int)put.StatusCode, Is.EqualTo(200));
        Assert.That((await OverviewAsync(mdm, config)).GetProperty("pendingCount").GetInt32(), Is.EqualTo(1));
        using var missing = await mdm.SendJsonAsync(HttpMethod.Put, "/api/groups/ghost/members", """{"members":[]}""");
        Assert.That((int)missing.StatusCode, Is.EqualTo(404));
        using var noMembers = await mdm.SendJsonAsync(HttpMethod.Put, $"/api/groups/{group}/members", "{}");
        Assert.That((int)noMembers.StatusCode, Is.EqualTo(400));
        using var g = await mdm.GetJsonAsync($"/api/groups/{group}");
        Assert.That(g.RootElement.GetProperty("members")[0].GetString(), Is.EqualTo("ALICE@contoso.com"));
        _ = phoneId;
    }
}

using System.Text.Json;
using MockMdm.Tests.Support;

namespace MockMdm.Tests.OmaDm;

/// <summary>Scripted devices drive OMA-DM sessions; the exact SyncML the server sends is asserted (docs/reference/omadm.md §4, §13).</summary>
public class DmSessionTests
{
    internal static string Hdr(ScriptedDevice device, string msgId) =>
        $"<SyncML xmlns=\"SYNCML:SYNCML1.2\"><SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto><SessionID>{device.SessionId}</SessionID>" +
        $"<MsgID>{msgId}</MsgID><Target><LocURI>{device.DevId}</LocURI></Target><Source><LocURI>{device.Enrollment.ManagementServerUrl}</LocURI></Source></SyncHdr>";

    internal static string Status(int cmdId, string msgRef, string cmdRef, string cmd, int code = 200) =>
        $"<Status><CmdID>{cmdId}</CmdID><MsgRef>{msgRef}</MsgRef><CmdRef>{cmdRef}</CmdRef><Cmd>{cmd}</Cmd><Data>{code}</Data></Status>";

    [Test]
    public async Task Package1_IsAnsweredWithStatusesInOrder_ThenTheEnrollmentInventoryAndPushRegistration()
    {
        await using var mdm = await TestMdm.StartAsync();
        var device = new ScriptedDevice(mdm, await mdm.EnrollAsync());

        await device.StartSessionAsync();

        Assert.That(device.LastReply, Is.EqualTo(
            Hdr(device, "1") + "<SyncBody>" +
            Status(1, "1", "0", "SyncHdr") + Status(2, "1", "1", "Alert") + Status(3, "1", "2", "Alert") + Status(4, "1", "3", "Replace") +
            "<Get><CmdID>5</CmdID>" +
            "<Item><Target><LocURI>./DevDetail/SwV</LocURI></Target></Item><Item><Target><LocURI>./DevDetail/OEM</LocURI></Target></Item>" +
            "<Item><Target><LocURI>./DevDetail/DevTyp</LocURI></Target></Item><Item><Target><LocURI>./DevDetail/FwV</LocURI></Target></Item>" +
            "<Item><Target><LocURI>./DevDetail/HwV</LocURI></Target></Item><Item><Target><LocURI>./DevDetail/Ext/Microsoft/OSPlatform</LocURI></Target></Item>" +
            "<Item><Target><LocURI>./DevDetail/Ext/Microsoft/DeviceName</LocURI></Target></Item></Get>" +
            "<Sequence><CmdID>6</CmdID><Replace><CmdID>7</CmdID><Item><Target><LocURI>./Vendor/MSFT/DMClient/Provider/MockMdm/Push/PFN</LocURI></Target>" +
            "<Meta><Format xmlns=\"syncml:metinf\">chr</Format></Meta><Data>MockMdm.Push_8wekyb3d8bbwe</Data></Item></Replace>" +
            "<Get><CmdID>8</CmdID><Item><Target><LocURI>./Vendor/MSFT/DMClient/Provider/MockMdm/Push/ChannelURI</LocURI></Target></Item></Get></Sequence>" +
            "<Final/></SyncBody></SyncML>"));
    }

    [Test]
    public async Task DeviceAnswers_AreStoredOnTheirCommands_AndAStatusOnlyReplyEndsTheSession()
    {
        await using var mdm = await TestMdm.StartAsync();
        var (device, id) = await Fixtures.EnrolledAndSyncedAsync(mdm);

        Assert.That(device.LastReply, Is.EqualTo(Hdr(device, "2") + "<SyncBody>" + Status(1, "2", "0", "SyncHdr") + "<Final/></SyncBody></SyncML>"));
        using var commands = await mdm.GetJsonAsync($"/api/deviceManagement/managedDevices/{id}/commands");
        var list = commands.RootElement.GetProperty("value").EnumerateArray().ToList();
        Assert.That(list.Select(c => c.GetProperty("state").GetString()), Is.EqualTo(new[] { "Completed", "Completed" }));
        Assert.That(list[1].GetProperty("statuses").EnumerateArray().Select(s => s.GetProperty("cmd").GetString()),
            Is.EqualTo(new[] { "Sequence", "Replace", "Get" }));
        Assert.That(list[1].GetProperty("results")[0].GetString(), Does.Contain(Fixtures.ChannelUri));
        using var deviceJson = await mdm.GetJsonAsync($"/api/deviceManagement/managedDevices/{id}");
        var d = deviceJson.RootElement;
        Assert.That(d.GetProperty("osVersion").GetString(), Is.EqualTo("10.0.15063.297"));
        Assert.That(d.GetProperty("manufacturer").GetString(), Is.EqualTo("Contoso Mobile"));
        Assert.That(d.GetProperty("model").GetString(), Is.EqualTo("Lumia 950"));
        Assert.That(d.GetProperty("devId").GetString(), Is.EqualTo("DEV-0001"));
        Assert.That(d.GetProperty("pushChannelUri").GetString(), Is.EqualTo(Fixtures.ChannelUri));
        Assert.That(d.GetProperty("inventory").GetProperty("./DevDetail/Ext/Microsoft/OSPlatform").GetString(), Is.EqualTo("Windows 10 Mobile"));
    }

    [Test]
    public async Task NewPasscode_OnAnAzureAdJoinedPhone_SendsLockAndRecoverPINAndTheNewPINValueGetInOneSequence()
    {
        await using var mdm = await TestMdm.StartAsync();
        var (device, id) = await Fixtures.EnrolledAndSyncedAsync(mdm, azureAdJoined: true);

        using var accepted = await mdm.SendJsonAsync(HttpMethod.Post, $"/api/deviceManagement/managedDevices/{id}/resetPasscode", null);
        Assert.That((int)accepted.StatusCode, Is.EqualTo(204));
        Assert.That(mdm.Pushes.Requests, Is.EqualTo(new[] { new Uri(Fixtures.ChannelUri) }), "the server pushes to the registered channel");
        var pending = await Fixtures.LastActionAsync(mdm, id);
        Assert.That(pending.GetProperty("actionState").GetString(), Is.EqualTo("pending"));
        Assert.That(pending.GetProperty("displayState").GetString(), Is.EqualTo("New Passcode Pending"));

        device.SessionId = "A2";
        var reply = await device.StartSessionAsync(alert: "1200");
        Assert.That(device.LastReply, Is.EqualTo(
            Hdr(device, "1") + "<SyncBody>" +
            Status(1, "1", "0", "SyncHdr") + Status(2, "1", "1", "Alert") + Status(3, "1", "2", "Alert") + Status(4, "1", "3", "Replace") +
            "<Sequence><CmdID>5</CmdID>" +
            "<Exec><CmdID>6</CmdID><Item><Target><LocURI>./Vendor/MSFT/RemoteLock/LockAndRecoverPIN</LocURI></Target></Item></Exec>" +
            "<Get><CmdID>7</CmdID><Item><Target><LocURI>./Vendor/MSFT/RemoteLock/NewPINValue</LocURI></Target></Item></Get>" +
            "</Sequence><Final/></SyncBody></SyncML>"));

        await device.SendBodyAsync(DeviceAnswers.For(reply, _ => "482913"));
        Assert.That(device.LastReply, Is.EqualTo(Hdr(device, "2") + "<SyncBody>" + Status(1, "2", "0", "SyncHdr") + "<Final/></SyncBody></SyncML>"),
            "the server acknowledges with the SyncHdr status only and the session ends");

        var done = await Fixtures.LastActionAsync(mdm, id);
        Assert.That(done.GetProperty("@odata.type").GetString(), Is.EqualTo("#microsoft.graph.resetPasscodeActionResult"));
        Assert.That(done.GetProperty("actionState").GetString(), Is.EqualTo("done"));
        Assert.That(done.GetProperty("passcode").GetString(), Is.EqualTo("482913"));
        Assert.That(done.GetProperty("errorCode").GetInt32(), Is.Zero);

        mdm.Clock.Advance(TimeSpan.FromDays(7) - TimeSpan.FromSeconds(1));
        Assert.That((await Fixtures.LastActionAsync(mdm, id)).GetProperty("passcode").GetString(), Is.EqualTo("482913"));
        mdm.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.That((await Fixtures.LastActionAsync(mdm, id)).GetProperty("passcode").ValueKind, Is.EqualTo(JsonValueKind.Null),
            "the passcode is hidden after seven days");
    }

    [Test]
    public async Task ResetPasscode_OnAWorkplaceJoinedPhone_UsesLockAndResetPIN()
    {
        await using var mdm = await TestMdm.StartAsync();
        var (device, id) = await Fixtures.EnrolledAndSyncedAsync(mdm, azureAdJoined: false);

        using var accepted = await mdm.SendJsonAsync(HttpMethod.Post, $"/api/deviceManagement/managedDevices/{id}/resetPasscode", null);
        Assert.That((int)accepted.StatusCode, Is.EqualTo(204));
        Assert.That((await Fixtures.LastActionAsync(mdm, id)).GetProperty("displayState").GetString(), Is.EqualTo("Reset Passcode Pending"));
        device.SessionId = "A2";
        await device.StartSessionAsync();
        Assert.That(device.LastReply, Does.Contain(
            "<Sequence><CmdID>5</CmdID><Exec><CmdID>6</CmdID><Item><Target><LocURI>./Vendor/MSFT/RemoteLock/LockAndResetPIN</LocURI></Target></Item></Exec>" +
            "<Get><CmdID>7</CmdID><Item><Target><LocURI>./Vendor/MSFT/RemoteLock/NewPINValue</LocURI></Target></Item></Get></Sequence>"));
    }

    [Test]
    public async Task AFailedExec_FailsTheActionWithTheSyncMLErrorCodeAndALinkToItsExplanation()
    {
        await using var mdm = await TestMdm.StartAsync();
        var (device, id) = await Fixtures.EnrolledAndSyncedAsync(mdm);
        (await mdm.SendJsonAsync(HttpMethod.Post, $"/api/deviceManagement/managedDevices/{id}/resetPasscode", null)).Dispose();
        device.SessionId = "A2";
        var reply = await device.StartSessionAsync();

        await device.SendBodyAsync(DeviceAnswers.For(reply, _ => "", uri => uri.EndsWith("LockAndRecoverPIN", StringComparison.Ordinal) ? 500 : 200));

        var failed = await Fixtures.LastActionAsync(mdm, id);
        Assert.That(failed.GetProperty("actionState").GetString(), Is.EqualTo("failed"));
        Assert.That(failed.GetProperty("errorCode").GetInt32(), Is.EqualTo(unchecked((int)0x87D101F4)));
        Assert.That(failed.GetProperty("passcode").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(failed.GetProperty("reason").GetString(), Does.Contain("500").And.Contain("LockAndRecoverPIN"));
        var link = failed.GetProperty("errorDetailsUrl").GetString()!;
        Assert.That(link, Is.EqualTo("/help/errors/0x87D101F4"));
        using var page = await mdm.Api.GetAsync(new Uri(TestMdm.BaseUrl, link));
        var html = await page.Content.ReadAsStringAsync();
        Assert.That((int)page.StatusCode, Is.EqualTo(200));
        Assert.That(html, Does.Contain("6-character").And.Contain("MinimumPINLength").And.Contain("InvalidPinTooFewCharacters"));
    }

    [Test]
    public async Task AnEmptyNewPINValue_FailsTheAction()
    {
        await using var mdm = await TestMdm.StartAsync();
        var (device, id) = await Fixtures.EnrolledAndSyncedAsync(mdm);
        (await mdm.SendJsonAsync(HttpMethod.Post, $"/api/deviceManagement/managedDevices/{id}/resetPasscode", null)).Dispose();
        device.SessionId = "A2";
        var reply = await device.StartSessionAsync();

        await device.SendBodyAsync(DeviceAnswers.For(reply, _ => ""));

        var failed = await Fixtures.LastActionAsync(mdm, id);
        Assert.That(failed.GetProperty("actionState").GetString(), Is.EqualTo("failed"));
        Assert.That(failed.GetProperty("errorCode").GetInt32(), Is.EqualTo(unchecked((int)0x87D1FDE8)));
    }

    [Test]
    public async Task RemoteLock_SendsExecLock_AndA405FailsIt()
    {
        await using var mdm = await TestMdm.StartAsync();
        var (device, id) = await Fixtures.EnrolledAndSyncedAsync(mdm);
        using var accepted = await mdm.SendJsonAsync(HttpMethod.Post, $"/api/deviceManagement/managedDevices/{id}/remoteLock", null);
        Assert.That((int)accepted.StatusCode, Is.EqualTo(204));
        device.SessionId = "A2";
        var reply = await device.StartSessionAsync();
        Assert.That(device.LastReply, Does.Contain("<Exec><CmdID>5</CmdID><Item><Target><LocURI>./Vendor/MSFT/RemoteLock/Lock</LocURI></Target></Item></Exec><Final/>"));

        await device.SendBodyAsync(DeviceAnswers.For(reply, statusFor: _ => 405));

        var failed = await Fixtures.LastActionAsync(mdm, id);
        Assert.That(failed.GetProperty("actionName").GetString(), Is.EqualTo("remoteLock"));
        Assert.That(failed.GetProperty("actionState").GetString(), Is.EqualTo("failed"));
        Assert.That(failed.GetProperty("errorCode").GetInt32(), Is.EqualTo(unchecked((int)0x87D10195)));
    }

    [Test]
    public async Task CommandsLeftWithoutStatusByABrokenSession_AreSentAgainInTheNextSession()
    {
        await using var mdm = await TestMdm.StartAsync();
        var enrollment = await mdm.EnrollAsync();
        var device = new ScriptedDevice(mdm, enrollment) { SessionId = "B1" };
        var first = await device.StartSessionAsync();
        Assert.That(first.SyncBody.Commands.Count(c => c is DeviceAgent.SyncML.Get or DeviceAgent.SyncML.Sequence), Is.EqualTo(2));

        device.SessionId = "B2";
        var again = await device.StartSessionAsync();

        Assert.That(again.SyncBody.Commands.Count(c => c is DeviceAgent.SyncML.Get or DeviceAgent.SyncML.Sequence), Is.EqualTo(2));
        using var commands = await mdm.GetJsonAsync($"/api/deviceManagement/managedDevices/{await mdm.LastDeviceIdAsync()}/commands");
        Assert.That(commands.RootElement.GetProperty("value").EnumerateArray().Select(c => c.GetProperty("attempts").GetInt32()),
            Is.EqualTo(new[] { 2, 2 }));
    }

    [Test]
    public async Task AnUnknownElementFromTheDevice_IsAnsweredWithStatus400()
    {
        await using var mdm = await TestMdm.StartAsync();
        var (device, _) = await Fixtures.EnrolledAndSyncedAsync(mdm);
        device.SessionId = "C1";
        device.ResetMessages();
        await device.SendBodyAsync("<Alert><CmdID>1</CmdID><Data>1201</Data></Alert><Frobnicate><CmdID>2</CmdID></Frobnicate>");
        Assert.That(device.LastReply, Does.Contain(Status(2, "1", "1", "Alert") + Status(3, "1", "2", "Frobnicate", 400)));
    }

    [Test]
    public async Task MalformedSyncML_IsRefusedWith400AndThePosition_AndAnUnknownTokenWith403()
    {
        await using var mdm = await TestMdm.StartAsync();
        var (device, _) = await Fixtures.EnrolledAndSyncedAsync(mdm);

        var (status, body) = await device.PostAsync("<SyncML xmlns=\"SYNCML:SYNCML1.2\"><SyncHdr>");
        Assert.That(status, Is.EqualTo(400));
        Assert.That(body, Does.StartWith("malformed SyncML at 1:"));

        var stranger = new ScriptedDevice(mdm, device.Enrollment with
        {
            ManagementServerUrl = new Uri(TestMdm.BaseUrl, "/ManagementServer/MDM.svc?devicetoken=0000"),
        });
        var (forbidden, why) = await stranger.PostAsync(stranger.Message("<Alert><CmdID>1</CmdID><Data>1201</Data></Alert>"));
        Assert.That(forbidden, Is.EqualTo(403));
        Assert.That(why, Does.Contain("not enrolled"));
    }
}

using System.Text;
using MockMdm.Tests.Support;

namespace MockMdm.Tests.Hardening;

/// <summary>Issue 16 smaller defects on the OMA-DM endpoint: reply amplification and DevId takeover.</summary>
public class DmMessageHardeningTests
{
    [Test]
    [CancelAfter(60_000)]
    public async Task AMessageOfManyUnknownElements_IsRefusedCompactly_AndAppliesNothing(CancellationToken cancellationToken)
    {
        await using var mdm = await TestMdm.StartAsync();
        var (device, id) = await Fixtures.EnrolledAndSyncedAsync(mdm);
        device.SessionId = "B1";
        device.ResetMessages();
        var junk = new StringBuilder("<Replace><CmdID>1</CmdID><Item><Source><LocURI>./Vendor/Marker</LocURI></Source><Data>1</Data></Item></Replace>");
        var i = 0;
        while (junk.Length < 1_600_000)
        {
            junk.Append($"<Unknown{i++ % 10}/>");
        }

        var message = device.Message(junk.ToString());
        var (status, body) = await device.PostAsync(message);

        Assert.That(body.Length, Is.LessThan(message.Length / 10), $"a {message.Length}-byte message got a {body.Length}-byte reply");
        Assert.That(status, Is.EqualTo(400), body);
        Assert.That(body, Does.Contain("unknown"));
        using var d = await mdm.GetJsonAsync($"/api/deviceManagement/managedDevices/{id}");
        Assert.That(d.RootElement.GetProperty("inventory").TryGetProperty("./Vendor/Marker", out _), Is.False, "nothing applied");
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task ADeviceCannotTakeAnotherDevicesDevId(CancellationToken cancellationToken)
    {
        await using var mdm = await TestMdm.StartAsync();
        var (_, first) = await Fixtures.EnrolledAndSyncedAsync(mdm, deviceId: "2F0B3A1C-0001-4000-8000-000000000001", devId: "DEV-A");
        var (intruder, second) = await Fixtures.EnrolledAndSyncedAsync(mdm, deviceId: "2F0B3A1C-0001-4000-8000-000000000002", devId: "DEV-B");

        var impostor = new ScriptedDevice(mdm, intruder.Enrollment, "DEV-A") { SessionId = "C1" };
        var (status, body) = await impostor.PostAsync(impostor.Message("<Alert><CmdID>1</CmdID><Data>1201</Data></Alert>"));

        // Its enrolled DevId is DEV-B: the SyncHdr is refused with 403 and the reason (docs/omadm-clients.md "Bookkeeping").
        Assert.That(status, Is.EqualTo(200), body);
        var reply = DeviceAgent.SyncML.SyncMLReader.ReadMessage(System.Text.Encoding.UTF8.GetBytes(body));
        var hdrStatus = reply.SyncBody.Commands.OfType<DeviceAgent.SyncML.Status>().Single(s => s.CmdRef == "0");
        Assert.That(hdrStatus.Data, Is.EqualTo("403"));
        Assert.That(body, Does.Contain("DEV-A"));
        using var a = await mdm.GetJsonAsync($"/api/deviceManagement/managedDevices/{first}");
        using var b = await mdm.GetJsonAsync($"/api/deviceManagement/managedDevices/{second}");
        Assert.That(a.RootElement.GetProperty("devId").GetString(), Is.EqualTo("DEV-A"));
        Assert.That(b.RootElement.GetProperty("devId").GetString(), Is.EqualTo("DEV-B"), "nothing overwritten");
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task A_new_device_cannot_claim_an_enrolled_devices_DevId_in_its_first_session(CancellationToken cancellationToken)
    {
        await using var mdm = await TestMdm.StartAsync();
        var (_, first) = await Fixtures.EnrolledAndSyncedAsync(mdm, deviceId: "2F0B3A1C-0001-4000-8000-000000000001", devId: "DEV-A");
        // Enrolled, never synced: it has no DevId of its own yet, so the enrolled-DevId rule does not apply; the claim does.
        var enrollment = await mdm.EnrollAsync(deviceId: "2F0B3A1C-0001-4000-8000-000000000002");
        var newcomer = new ScriptedDevice(mdm, enrollment, "DEV-A") { SessionId = "B1" };

        var (status, body) = await newcomer.PostAsync(newcomer.Message("<Alert><CmdID>1</CmdID><Data>1201</Data></Alert>"));

        Assert.That(status, Is.EqualTo(400), body);
        Assert.That(body, Does.Contain("DevId 'DEV-A' (SyncHdr Source) belongs to another enrolled device"));
        using var devices = await mdm.GetJsonAsync("/api/deviceManagement/managedDevices");
        var holders = devices.RootElement.GetProperty("value").EnumerateArray().Where(d => d.GetProperty("devId").GetString() == "DEV-A").Select(d => d.GetProperty("id").GetString());
        Assert.That(holders, Is.EqualTo(new[] { first }), "only the first device holds DEV-A");
    }
}

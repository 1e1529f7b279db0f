using System.Diagnostics;
using MockMdm.Tests.Support;

namespace MockMdm.Tests.Hardening;

/// <summary>
/// Issue 16 item 1: a device must not steer the server's outgoing push requests (docs/security.md "Push"). The test
/// server allows only https://push.device.test (TestMdm), the stand-in for the WNS host pattern.
/// </summary>
public class PushChannelTests
{
    private const string PushRoot = "./Vendor/MSFT/DMClient/Provider/MockMdm/Push";

    private static string ReplaceChannel(string uri) =>
        $"<Replace><CmdID>1</CmdID><Item><Source><LocURI>{PushRoot}/ChannelURI</LocURI></Source><Data>{System.Security.SecurityElement.Escape(uri)}</Data></Item></Replace>";

    [TestCase("file:///etc/passwd")]
    [TestCase("ftp://push.device.test/x")]
    [TestCase("mailto:admin@push.device.test")]
    [TestCase("https://127.0.0.1:8080/internal-admin?x=1")]
    [TestCase("http://push.device.test/channel/2")]
    [TestCase("https://push.device.test:8443/channel/2")]
    [TestCase("https://user@push.device.test/channel/2")]
    [TestCase("https://evil.push.device.test.attacker.test/channel/2")]
    [CancelAfter(30_000)]
    public async Task AChannelOutsideThePattern_IsRefusedWhenTheDeviceReplacesIt_AndNeverContacted(string channel, CancellationToken cancellationToken)
    {
        await using var mdm = await TestMdm.StartAsync();
        var (device, id) = await Fixtures.EnrolledAndSyncedAsync(mdm);
        device.SessionId = "B1";
        device.ResetMessages();

        var reply = await device.SendBodyAsync(ReplaceChannel(channel));

        var status = reply.SyncBody.Commands.OfType<DeviceAgent.SyncML.Status>().Single(s => s.Cmd == "Replace");
        Assert.That(status.Data, Is.EqualTo("403"), "the device learns its channel was refused");
        using (var d = await mdm.GetJsonAsync($"/api/deviceManagement/managedDevices/{id}"))
        {
            Assert.That(d.RootElement.GetProperty("pushChannelUri").GetString(), Is.EqualTo(Fixtures.ChannelUri), "nothing was applied");
        }

        mdm.Pushes.Clear();
        using var accepted = await mdm.SendJsonAsync(HttpMethod.Post, $"/api/deviceManagement/managedDevices/{id}/remoteLock", null);
        Assert.That((int)accepted.StatusCode, Is.EqualTo(204));
        Assert.That(mdm.Pushes.Requests, Is.EqualTo(new[] { new Uri(Fixtures.ChannelUri) }), "only the allowed channel is contacted");
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task AChannelOutsideThePattern_ReportedInResults_IsNotRecordedAndNeverContacted(CancellationToken cancellationToken)
    {
        await using var mdm = await TestMdm.StartAsync();
        var enrollment = await mdm.EnrollAsync();
        var device = new ScriptedDevice(mdm, enrollment) { SessionId = "A1" };
        var reply = await device.StartSessionAsync();
        await device.SendBodyAsync(DeviceAnswers.For(reply, uri =>
            uri.EndsWith("/Push/ChannelURI", StringComparison.Ordinal) ? "https://127.0.0.1:9/internal-admin?x=1" : "x"));
        var id = await mdm.LastDeviceIdAsync();

        using (var d = await mdm.GetJsonAsync($"/api/deviceManagement/managedDevices/{id}"))
        {
            Assert.That(d.RootElement.GetProperty("pushChannelUri").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null));
        }

        using var accepted = await mdm.SendJsonAsync(HttpMethod.Post, $"/api/deviceManagement/managedDevices/{id}/remoteLock", null);
        Assert.That((int)accepted.StatusCode, Is.EqualTo(204));
        Assert.That(mdm.Pushes.Requests, Is.Empty);
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task ASlowChannel_DoesNotHoldTheAdminsRequest_AndTheActionIsStoredOnce(CancellationToken cancellationToken)
    {
        await using var mdm = await TestMdm.StartAsync();
        var (_, id) = await Fixtures.EnrolledAndSyncedAsync(mdm);
        mdm.Pushes.Delay = TimeSpan.FromSeconds(20);

        var clock = Stopwatch.StartNew();
        using var accepted = await mdm.SendJsonAsync(HttpMethod.Post, $"/api/deviceManagement/managedDevices/{id}/resetPasscode", null);
        clock.Stop();

        Assert.That((int)accepted.StatusCode, Is.EqualTo(204));
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(3)), "the push wait is bounded (PushTimeout, 1 s in the test server)");
        using var actions = await mdm.GetJsonAsync($"/api/deviceManagement/managedDevices/{id}/deviceActionResults");
        Assert.That(actions.RootElement.GetProperty("value").GetArrayLength(), Is.EqualTo(1));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task APushThatThrows_StillAnswers204_AndTheActionIsStoredOnce(CancellationToken cancellationToken)
    {
        await using var mdm = await TestMdm.StartAsync();
        var (_, id) = await Fixtures.EnrolledAndSyncedAsync(mdm);
        mdm.Pushes.Throw = new NotSupportedException("the handler cannot send this");

        using var accepted = await mdm.SendJsonAsync(HttpMethod.Post, $"/api/deviceManagement/managedDevices/{id}/remoteLock", null);

        Assert.That((int)accepted.StatusCode, Is.EqualTo(204));
        using var actions = await mdm.GetJsonAsync($"/api/deviceManagement/managedDevices/{id}/deviceActionResults");
        Assert.That(actions.RootElement.GetProperty("value").GetArrayLength(), Is.EqualTo(1));
    }
}

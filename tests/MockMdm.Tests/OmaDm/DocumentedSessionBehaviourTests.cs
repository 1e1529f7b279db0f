using DeviceAgent.SyncML;
using MockMdm.Tests.Support;
using static MockMdm.Tests.OmaDm.DmSessionTests;

namespace MockMdm.Tests.OmaDm;

/// <summary>
/// One test per behaviour docs/mock-mdm.md states for OMA-DM sessions and pushes (docs/testing.md: each test names the
/// section it checks in its Description).
/// </summary>
public class DocumentedSessionBehaviourTests
{
    private const string Alert1201 = "<Alert><CmdID>1</CmdID><Data>1201</Data></Alert>";

    [Test]
    [Description("docs/mock-mdm.md \"OMA-DM sessions\": new commands only after statuses")]
    public async Task While_a_sent_command_has_no_status_no_new_command_is_sent()
    {
        await using var mdm = await TestMdm.StartAsync();
        var (device, id) = await Fixtures.EnrolledAndSyncedAsync(mdm);
        (await mdm.SendJsonAsync(HttpMethod.Post, $"/api/deviceManagement/managedDevices/{id}/remoteLock", null)).Dispose();
        device.SessionId = "A2";
        var reply = await device.StartSessionAsync();
        Assert.That(reply.SyncBody.Commands.OfType<Exec>().Single().CmdID, Is.EqualTo("5"));
        (await mdm.SendJsonAsync(HttpMethod.Post, $"/api/deviceManagement/managedDevices/{id}/resetPasscode", null)).Dispose();

        // The device's next message answers the SyncHdr but not the Exec: the queued passcode Sequence must wait.
        await device.SendBodyAsync(Status(1, "1", "0", "SyncHdr"));

        Assert.That(device.LastReply, Is.EqualTo(Hdr(device, "2") + "<SyncBody>" + Status(1, "2", "0", "SyncHdr") + "<Final/></SyncBody></SyncML>"));
    }

    [Test]
    [Description("docs/mock-mdm.md \"OMA-DM sessions\": package continuation")]
    public async Task A_message_without_Final_is_answered_with_statuses_and_Alert_1222_only()
    {
        await using var mdm = await TestMdm.StartAsync();
        var device = new ScriptedDevice(mdm, await mdm.EnrollAsync()) { SessionId = "B1" };

        var (status, body) = await device.PostAsync(device.Message(Alert1201).Replace("<Final/>", "", StringComparison.Ordinal));

        Assert.That(status, Is.EqualTo(200), body);
        Assert.That(body, Is.EqualTo(
            Hdr(device, "1") + "<SyncBody>" + Status(1, "1", "0", "SyncHdr") + Status(2, "1", "1", "Alert") +
            "<Alert><CmdID>3</CmdID><Data>1222</Data></Alert></SyncBody></SyncML>"), "no queued command and no Final before the device's Final");

        var next = await device.SendBodyAsync("");
        Assert.That(next.SyncBody.Commands.Select(c => c.Name), Is.EqualTo(new[] { "Status", "Get", "Sequence" }),
            "the enrollment's queued commands follow once the device's package is complete");
    }

    [Test]
    [Description("docs/mock-mdm.md \"OMA-DM sessions\": Alert 1223 from the device")]
    public async Task Alert_1223_is_answered_with_statuses_and_no_new_commands()
    {
        await using var mdm = await TestMdm.StartAsync();
        var device = new ScriptedDevice(mdm, await mdm.EnrollAsync()) { SessionId = "B1" };

        await device.SendBodyAsync(Alert1201 + "<Alert><CmdID>2</CmdID><Data>1223</Data></Alert>");

        Assert.That(device.LastReply, Is.EqualTo(
            Hdr(device, "1") + "<SyncBody>" + Status(1, "1", "0", "SyncHdr") + Status(2, "1", "1", "Alert") + Status(3, "1", "2", "Alert") +
            "<Final/></SyncBody></SyncML>"), "the enrollment's Get and Sequence stay queued");
    }

    [Test]
    [Description("docs/mock-mdm.md \"OMA-DM sessions\": reply order (at most 20 queued commands per message, in queue order)")]
    public async Task At_most_20_commands_go_in_one_message_and_queued_actions_keep_their_order()
    {
        await using var mdm = await TestMdm.StartAsync();
        var (device, id) = await Fixtures.EnrolledAndSyncedAsync(mdm);
        var requested = new List<string>();
        for (var i = 0; i < 11; i++)
        {
            foreach (var action in new[] { "remoteLock", "resetPasscode" })
            {
                using var accepted = await mdm.SendJsonAsync(HttpMethod.Post, $"/api/deviceManagement/managedDevices/{id}/{action}", null);
                Assert.That((int)accepted.StatusCode, Is.EqualTo(204));
                requested.Add(action == "remoteLock" ? "Exec" : "Sequence");
            }
        }

        device.SessionId = "A2";
        var first = await device.StartSessionAsync();
        var firstCommands = first.SyncBody.Commands.Where(c => c is not DeviceAgent.SyncML.Status).Select(c => c.Name).ToList();
        var second = await device.SendBodyAsync(DeviceAnswers.For(first, _ => "482913"));
        var secondCommands = second.SyncBody.Commands.Where(c => c is not DeviceAgent.SyncML.Status).Select(c => c.Name).ToList();

        Assert.That(firstCommands, Is.EqualTo(requested.Take(20)));
        Assert.That(secondCommands, Is.EqualTo(requested.Skip(20)));
    }

    [Test]
    [Description("docs/mock-mdm.md \"OMA-DM sessions\": one transaction per request; docs/mock-mdm.md \"Store\"")]
    public async Task One_OMA_DM_request_is_one_store_transaction_and_a_failed_one_applies_nothing()
    {
        var store = new CountingStore(TestMdm.SeededStore());
        await using var mdm = await TestMdm.StartAsync(store: store);
        var (device, id) = await Fixtures.EnrolledAndSyncedAsync(mdm);
        (await mdm.SendJsonAsync(HttpMethod.Post, $"/api/deviceManagement/managedDevices/{id}/resetPasscode", null)).Dispose();
        device.SessionId = "A2";
        var reply = await device.StartSessionAsync();
        var answer = device.Message(DeviceAnswers.For(reply, _ => "482913"));

        store.FailNextWrite = true;
        var before = store.Writes;
        // The failed commit answers in the OMA-DM endpoint's error shape (docs/security.md), and nothing of it is applied.
        var (failedStatus, failedBody) = await device.PostAsync(answer);
        Assert.That(failedStatus, Is.EqualTo(500), failedBody);
        Assert.That(store.Writes - before, Is.EqualTo(1));
        var pending = await Fixtures.LastActionAsync(mdm, id);
        Assert.That(pending.GetProperty("actionState").GetString(), Is.EqualTo("pending"), "the device's answer was not half-applied");
        using (var commands = await mdm.GetJsonAsync($"/api/deviceManagement/managedDevices/{id}/commands"))
        {
            var sequence = commands.RootElement.GetProperty("value").EnumerateArray().Last();
            Assert.That(sequence.GetProperty("state").GetString(), Is.EqualTo("Sent"));
            Assert.That(sequence.GetProperty("statuses").GetArrayLength(), Is.Zero);
        }

        before = store.Writes;
        var (status, body) = await device.PostAsync(answer);

        Assert.That(status, Is.EqualTo(200), body);
        Assert.That(store.Writes - before, Is.EqualTo(1));
        var done = await Fixtures.LastActionAsync(mdm, id);
        Assert.That(done.GetProperty("actionState").GetString(), Is.EqualTo("done"));
        Assert.That(done.GetProperty("passcode").GetString(), Is.EqualTo("482913"));
    }

    [Test]
    [Description("docs/mock-mdm.md \"OMA-DM sessions\": push")]
    public async Task A_queued_action_pushes_a_raw_WNS_notification_with_an_empty_body_to_the_channel()
    {
        await using var mdm = await TestMdm.StartAsync();
        var (_, id) = await Fixtures.EnrolledAndSyncedAsync(mdm);

        (await mdm.SendJsonAsync(HttpMethod.Post, $"/api/deviceManagement/managedDevices/{id}/remoteLock", null)).Dispose();

        Assert.That(mdm.Pushes.Requests, Is.EqualTo(new[] { new Uri(Fixtures.ChannelUri) }));
        Assert.That(mdm.Pushes.Shapes, Is.EqualTo(new[] { (HttpMethod.Post, "wns/raw", 0) }));
    }

    [Test]
    [Description("docs/mock-mdm.md \"OMA-DM sessions\": push (a failed push is logged and changes nothing)")]
    public async Task A_failed_push_changes_nothing_and_the_device_gets_the_command_at_its_next_poll()
    {
        await using var mdm = await TestMdm.StartAsync();
        var (device, id) = await Fixtures.EnrolledAndSyncedAsync(mdm);
        mdm.Pushes.Fail = true;

        using var accepted = await mdm.SendJsonAsync(HttpMethod.Post, $"/api/deviceManagement/managedDevices/{id}/remoteLock", null);

        Assert.That((int)accepted.StatusCode, Is.EqualTo(204));
        Assert.That(mdm.Pushes.Requests, Has.Count.EqualTo(1), "the push was tried");
        var pending = await Fixtures.LastActionAsync(mdm, id);
        Assert.That(pending.GetProperty("actionState").GetString(), Is.EqualTo("pending"));
        device.SessionId = "A2";
        await device.StartSessionAsync();
        Assert.That(device.LastReply, Does.Contain("<Exec><CmdID>5</CmdID><Item><Target><LocURI>./Vendor/MSFT/RemoteLock/Lock</LocURI></Target></Item></Exec><Final/>"));
    }
}

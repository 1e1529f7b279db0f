using DeviceAgent.Session;
using DeviceAgent.SyncML;

namespace DeviceAgent.Tests.Session;

internal sealed class DmClientSessionTests : SessionTestBase
{
    [Test]
    public async Task Package1_holds_alert_1201_login_status_and_the_DevInfo_replace()
    {
        Start();
        var pkg1 = await Server.ExpectMessageAsync();
        Acknowledge(pkg1).Final().Send();
        var result = await Server.ExpectEndAsync();

        Assert.Multiple(() =>
        {
            Assert.That(pkg1.Header.SessionID, Is.EqualTo("1"));
            Assert.That(pkg1.Header.MsgID, Is.EqualTo("1"));
            Assert.That(pkg1.Header.Target!.LocURI, Is.EqualTo(Server.ServerUrl));
            Assert.That(pkg1.Header.Source!.LocURI, Is.EqualTo(DevId));
            Assert.That(pkg1.Message.SyncBody.Final, Is.True);
            var alerts = Of<Alert>(pkg1);
            Assert.That(alerts.Select(a => a.Data), Is.EqualTo(new[] { "1201", "1224" }));
            Assert.That(alerts[1].Items[0].Meta!.Type, Is.EqualTo(AlertCodes.LoginStatusType));
            Assert.That(alerts[1].Items[0].Data!.Value, Is.EqualTo("user"));
            var replace = Of<Replace>(pkg1).Single();
            Assert.That(replace.Items.Select(i => i.Source!.LocURI), Is.EqualTo(new[]
            {
                "./DevInfo/DevId", "./DevInfo/Man", "./DevInfo/Mod", "./DevInfo/DmV", "./DevInfo/Lang", "./Vendor/MSFT/DMClient/HWDevID",
            }));
            Assert.That(replace.Items.Select(i => i.Data!.Value), Is.EqualTo(new[] { DevId, "Microsoft", "Lumia 950", "1.3", "en-US", HWDevID }));
            Assert.That(pkg1.Commands.Select(c => c.CmdID), Is.EqualTo(new[] { "1", "2", "3" }));
            Assert.That(result.Outcome, Is.EqualTo(DmSessionState.Completed));
            Assert.That(result.MessagesSent, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task A_server_package_with_commands_gets_statuses_and_results_then_statuses_only_end_the_session()
    {
        Executor.Nodes["./DevDetail/SwV"] = "10.0.15063.1029";
        Start();
        var pkg1 = await Server.ExpectMessageAsync();
        Acknowledge(pkg1).Item<Get>("./DevDetail/SwV").Item<Get>("./DevDetail/Missing").Final().Send();

        var pkg3 = await Server.ExpectMessageAsync();
        AssertHeaderStatusFirst(pkg3, "1");
        Assert.Multiple(() =>
        {
            Assert.That(pkg3.Header.MsgID, Is.EqualTo("2"));
            Assert.That(pkg3.Header.SessionID, Is.EqualTo(pkg1.Header.SessionID));
            Assert.That(pkg3.Commands.Select(c => c.Name), Is.EqualTo(new[] { "Status", "Status", "Results", "Status" }));
            Assert.That(StatusFor(pkg3, "5").Data, Is.EqualTo("200"));
            Assert.That(StatusFor(pkg3, "6").Data, Is.EqualTo("404"));
            var results = Of<Results>(pkg3).Single();
            Assert.That(results.CmdRef, Is.EqualTo("5"));
            Assert.That(results.Items[0].Data!.Value, Is.EqualTo("10.0.15063.1029"));
            Assert.That(pkg3.Message.SyncBody.Final, Is.True);
            Assert.That(pkg3.Commands.Select(c => c.CmdID), Is.EqualTo(new[] { "1", "2", "3", "4" }));
        });

        // This server does not acknowledge Results; a reply with only a SyncHdr status is not sent (docs/reference/omadm.md §4).
        pkg3.Reply().StatusForSyncHdr().StatusForCommands(includeResults: false).Final().Send();
        var result = await Server.ExpectEndAsync();
        Assert.That(result.Outcome, Is.EqualTo(DmSessionState.Completed), result.Reason);
        Assert.That(result.ServerStatuses, Has.Count.EqualTo(5));
    }

    [Test]
    public async Task A_server_that_acknowledges_results_also_ends_the_session()
    {
        Executor.Nodes["./DevInfo/Lang"] = "en-US";
        Start();
        var pkg1 = await Server.ExpectMessageAsync();
        Acknowledge(pkg1).Item<Get>("./DevInfo/Lang").Final().Send();
        var pkg3 = await Server.ExpectMessageAsync();
        pkg3.Reply().StatusForSyncHdr().StatusForCommands(includeResults: true).Final().Send();

        var result = await Server.ExpectEndAsync();
        Assert.That(result.Outcome, Is.EqualTo(DmSessionState.Completed), result.Reason);
    }

    [Test]
    public async Task Add_of_an_existing_node_gets_418_and_a_following_Replace_succeeds()
    {
        const string uri = "./Device/Vendor/MSFT/PassportForWork/TID/Policies/EnablePinRecovery";
        Executor.Nodes[uri] = "false";
        Start();
        var pkg1 = await Server.ExpectMessageAsync();
        Acknowledge(pkg1).Item<Add>(uri, "true", "bool").Final().Send();
        var pkg3 = await Server.ExpectMessageAsync();
        Assert.That(StatusFor(pkg3, "5").Data, Is.EqualTo("418"));
        Assert.That(Executor.Nodes[uri], Is.EqualTo("false"));

        pkg3.Reply().StatusForSyncHdr().Item<Replace>(uri, "true", "bool").Final().Send();
        var pkg5 = await Server.ExpectMessageAsync();
        AssertHeaderStatusFirst(pkg5, "2");
        Assert.That(StatusFor(pkg5, "2").Cmd, Is.EqualTo("Replace"));
        Assert.That(StatusFor(pkg5, "2").Data, Is.EqualTo("200"));
        Assert.That(Executor.Nodes[uri], Is.EqualTo("true"));

        pkg5.Reply().StatusForSyncHdr().Final().Send();
        Assert.That((await Server.ExpectEndAsync()).Outcome, Is.EqualTo(DmSessionState.Completed));
    }

    [TestCase(0, "0")]
    [TestCase(0x0D, "D")]
    [TestCase(0xBEEF, "BEEF")]
    public async Task Client_chosen_SessionIDs_are_short_hex_and_kept_through_the_session(int number, string sessionId)
    {
        Configure(o => o with { FirstSessionNumber = number });
        Start();
        var pkg1 = await Server.ExpectMessageAsync();
        Assert.That(pkg1.Header.SessionID, Is.EqualTo(sessionId));
        Acknowledge(pkg1).Item<Exec>("./Vendor/MSFT/Missing").Final().Send();
        var pkg3 = await Server.ExpectMessageAsync();
        Assert.That(pkg3.Header.SessionID, Is.EqualTo(sessionId));
        pkg3.Reply().StatusForSyncHdr().Final().Send();
        Assert.That((await Server.ExpectEndAsync()).Outcome, Is.EqualTo(DmSessionState.Completed));
    }

    [Test]
    public async Task SessionIDs_count_up_per_session_and_decimal_is_configurable()
    {
        Configure(o => o with { FirstSessionNumber = 9, SessionIdStyle = DmSessionIdStyle.Hex });
        var ids = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            Start();
            var pkg1 = await Server.ExpectMessageAsync();
            ids.Add(pkg1.Header.SessionID!);
            Acknowledge(pkg1).Final().Send();
            await Server.ExpectEndAsync();
        }

        Assert.That(ids, Is.EqualTo(new[] { "9", "A" }));
    }

    [Test]
    public async Task A_server_message_with_another_SessionID_fails_the_session_opaquely()
    {
        Configure(o => o with { FirstSessionNumber = 0x0D });
        Start();
        var pkg1 = await Server.ExpectMessageAsync();
        var reply = Acknowledge(pkg1).Item<Get>("./DevInfo/Lang").Final();
        reply.Message.SyncHdr!.SessionID = "0D";
        reply.Send();

        var result = await Server.ExpectEndAsync();
        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(DmSessionState.Failed));
            Assert.That(result.Reason, Does.Contain("'0D'").And.Contain("'D'"));
            Assert.That(Executor.Executed, Is.Empty, "nothing of a foreign message is applied");
        });
    }

    [Test]
    public async Task A_server_initiated_session_sends_alert_1200_with_the_notification_SessionID()
    {
        Start(DmSessionTrigger.ServerInitiated("5A"));
        var pkg1 = await Server.ExpectMessageAsync();
        Assert.That(pkg1.Header.SessionID, Is.EqualTo("5A"));
        Assert.That(Of<Alert>(pkg1)[0].Data, Is.EqualTo("1200"));
        Acknowledge(pkg1).Final().Send();
        Assert.That((await Server.ExpectEndAsync()).Outcome, Is.EqualTo(DmSessionState.Completed));
    }

    [Test]
    public async Task Generic_alerts_go_in_package_1_and_critical_ones_in_the_MDM_GenericAlert_header()
    {
        var trigger = DmSessionTrigger.ClientInitiated with
        {
            GenericAlerts = [new DmGenericAlert("com.microsoft:mdm.unenrollment.userrequest", "int", "1") { Mark = "critical" }],
        };
        Start(trigger);
        var pkg1 = await Server.ExpectMessageAsync();
        Acknowledge(pkg1).Final().Send();
        await Server.ExpectEndAsync();

        var alerts = Of<Alert>(pkg1);
        Assert.Multiple(() =>
        {
            Assert.That(alerts.Select(a => a.Data), Is.EqualTo(new[] { "1201", "1224", "1226" }));
            Assert.That(alerts[2].Items[0].Meta!.Type, Is.EqualTo("com.microsoft:mdm.unenrollment.userrequest"));
            Assert.That(alerts[2].Items[0].Meta!.Mark, Is.EqualTo("critical"));
            Assert.That(alerts[2].Items[0].Data!.Value, Is.EqualTo("1"));
            Assert.That(pkg1.Commands[^1], Is.TypeOf<Replace>());
            Assert.That(pkg1.Headers[DmHttp.GenericAlertHeader], Is.EqualTo("<com.microsoft:mdm.unenrollment.userrequest>"));
        });
    }

    [Test]
    public async Task Alert_1223_from_the_server_ends_the_session_without_a_reply_or_applying_the_message()
    {
        Start();
        var pkg1 = await Server.ExpectMessageAsync();
        Acknowledge(pkg1).Item<Add>("./Vendor/MSFT/Test/Node", "x").Alert(AlertCodes.SessionAbort).Final().Send();

        var result = await Server.ExpectEndAsync();
        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(DmSessionState.AbortedByServer));
            Assert.That(result.MessagesSent, Is.EqualTo(1));
            Assert.That(Executor.Nodes, Does.Not.ContainKey("./Vendor/MSFT/Test/Node"));
        });
    }

    [Test]
    public async Task A_server_that_never_ends_is_aborted_by_the_client_with_alert_1223()
    {
        Configure(o => o with { Session = DmSessionOptions.Default with { MaxServerMessages = 2 } });
        Start();
        var request = await Server.ExpectMessageAsync();
        for (var i = 0; i < 3; i++)
        {
            request.Reply().StatusForSyncHdr().Item<Exec>("./Vendor/MSFT/Loop").Final().Send();
            request = await Server.ExpectMessageAsync();
        }

        Assert.Multiple(() =>
        {
            Assert.That(Of<Alert>(request).Single().Data, Is.EqualTo("1223"));
            Assert.That(request.Message.SyncBody.Final, Is.True);
        });
        request.Reply().StatusForSyncHdr().StatusForCommands().Final().Send();
        var result = await Server.ExpectEndAsync();
        Assert.That(result.Outcome, Is.EqualTo(DmSessionState.AbortedByClient));
        Assert.That(result.Reason, Does.Contain("more than 2 messages"));
    }

    [Test]
    public async Task Commands_without_CmdID_and_unknown_commands_are_answered_not_dropped()
    {
        Start();
        var pkg1 = await Server.ExpectMessageAsync();
        var reply = Acknowledge(pkg1);
        reply.Message.SyncBody.Commands.Add(new Results { CmdID = null, CmdRef = "1" });
        reply.Add(new UnknownCommand("Frobnicate", "<Frobnicate/>")).Final().Send();
        var pkg3 = await Server.ExpectMessageAsync();

        var statuses = Of<Status>(pkg3);
        Assert.Multiple(() =>
        {
            Assert.That(statuses[1].Cmd, Is.EqualTo("Results"));
            Assert.That(statuses[1].CmdRef, Is.EqualTo(""));
            Assert.That(statuses[1].Data, Is.EqualTo("400"));
            Assert.That(statuses[2].Cmd, Is.EqualTo("Frobnicate"));
            Assert.That(statuses[2].Data, Is.EqualTo("400"));
        });
        pkg3.Reply().StatusForSyncHdr().Final().Send();
        await Server.ExpectEndAsync();
    }
}

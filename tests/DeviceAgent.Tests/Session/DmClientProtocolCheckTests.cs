using DeviceAgent.Session;
using DeviceAgent.SyncML;

namespace DeviceAgent.Tests.Session;

/// <summary>Protocol checks on what servers send (docs/session.md "Protocol checks"): recorded as warnings, or failing the session when configured.</summary>
internal sealed class DmClientProtocolCheckTests : SessionTestBase
{
    [Test]
    public async Task A_well_behaved_server_gets_no_warnings()
    {
        Start();
        var pkg1 = await Server.ExpectMessageAsync();
        Acknowledge(pkg1).Final().Send();

        var result = await Server.ExpectEndAsync();

        Assert.That(result.ProtocolWarnings, Is.Empty);
    }

    [Test]
    public async Task Each_mistake_of_a_server_is_one_warning_that_names_it()
    {
        Start();
        var pkg1 = await Server.ExpectMessageAsync();
        var reply = pkg1.Reply();
        reply.Message.SyncHdr!.VerDTD = "1.1";
        // No SyncHdr status; a status for a command the device never sent; one with the wrong MsgRef; code 0; an unknown code.
        reply.Add(new Status { MsgRef = "1", CmdRef = "42", Cmd = "Replace", Data = "200" })
            .Add(new Status { MsgRef = "7", CmdRef = "1", Cmd = "Alert", Data = "200" })
            .Add(new Status { MsgRef = "1", CmdRef = "2", Cmd = "Alert", Data = "0" })
            .Add(new Status { MsgRef = "1", CmdRef = "3", Cmd = "Get", Data = "299" })
            .Final().Send();

        var result = await Server.ExpectEndAsync();

        var warnings = result.ProtocolWarnings.Select(w => w.Check).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(DmSessionState.Completed), "warnings do not fail the session by default");
            Assert.That(warnings, Is.EquivalentTo(new[] { "version", "synchdr-status", "cmdref", "msgref", "status-code", "cmdref", "status-code" }));
            Assert.That(result.ProtocolWarnings.Single(w => w.Reason.Contains("42")).Reason, Does.Contain("never sent"));
            Assert.That(result.ProtocolWarnings.Single(w => w.Check == "msgref").Reason, Does.Contain("MsgRef 7"));
            Assert.That(result.ProtocolWarnings.Any(w => w.Reason.Contains("0 is not a status code")), Is.True);
            Assert.That(result.ProtocolWarnings.Any(w => w.Reason.Contains("'299'")), Is.True);
            Assert.That(result.ProtocolWarnings.Any(w => w.Reason.Contains("was Replace")), Is.True, "command 3 was the Replace, not a Get");
        });
    }

    [Test]
    public async Task With_FailOnProtocolWarnings_the_first_broken_rule_fails_the_session()
    {
        Configure(o => o with { Session = new DmSessionOptions { FailOnProtocolWarnings = true } });
        Start();
        var pkg1 = await Server.ExpectMessageAsync();
        pkg1.Reply().StatusForCommands().Final().Send();

        var result = await Server.ExpectEndAsync();

        Assert.That(result.Outcome, Is.EqualTo(DmSessionState.Failed));
        Assert.That(result.Reason, Does.Contain("no Status for the SyncHdr"));
    }
}

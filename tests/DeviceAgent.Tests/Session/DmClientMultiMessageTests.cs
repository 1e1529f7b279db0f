using DeviceAgent.Session;
using DeviceAgent.SyncML;

namespace DeviceAgent.Tests.Session;

internal sealed class DmClientMultiMessageTests : SessionTestBase
{
    [Test]
    public async Task A_server_package_over_two_messages_is_answered_with_alert_1222_until_Final()
    {
        Executor.Nodes["./DevDetail/SwV"] = "10.0.15063.1029";
        Start();
        var pkg1 = await Server.ExpectMessageAsync();
        Acknowledge(pkg1).Item<Add>("./Vendor/MSFT/Test/A", "1").Final(false).Send();

        var reply1 = await Server.ExpectMessageAsync();
        AssertHeaderStatusFirst(reply1, "1");
        Assert.Multiple(() =>
        {
            Assert.That(StatusFor(reply1, "5").Data, Is.EqualTo("200"));
            Assert.That(reply1.Commands[^1], Is.TypeOf<Alert>().With.Property(nameof(Alert.Data)).EqualTo("1222"));
            Assert.That(reply1.Message.SyncBody.Final, Is.False, "the client must not close its package before the server does");
        });

        reply1.Reply().StatusForSyncHdr().Item<Get>("./DevDetail/SwV").Final().Send();
        var reply2 = await Server.ExpectMessageAsync();
        AssertHeaderStatusFirst(reply2, "2");
        Assert.Multiple(() =>
        {
            Assert.That(Of<Alert>(reply2), Is.Empty);
            Assert.That(Of<Results>(reply2).Single().Items[0].Data!.Value, Is.EqualTo("10.0.15063.1029"));
            Assert.That(reply2.Message.SyncBody.Final, Is.True);
        });

        reply2.Reply().StatusForSyncHdr().Final().Send();
        Assert.That((await Server.ExpectEndAsync()).Outcome, Is.EqualTo(DmSessionState.Completed));
    }

    [Test]
    public async Task A_server_message_with_only_statuses_and_no_Final_still_asks_for_the_next_message()
    {
        Start();
        var pkg1 = await Server.ExpectMessageAsync();
        Acknowledge(pkg1).Final(false).Send();
        var reply = await Server.ExpectMessageAsync();
        Assert.That(reply.Commands.Select(c => c.Name), Is.EqualTo(new[] { "Status", "Alert" }));
        Assert.That(Of<Alert>(reply).Single().Data, Is.EqualTo("1222"));

        reply.Reply().StatusForSyncHdr().StatusForCommands().Final().Send();
        Assert.That((await Server.ExpectEndAsync()).Outcome, Is.EqualTo(DmSessionState.Completed));
    }

    [Test]
    public async Task A_reply_over_MaxMsgSize_is_split_and_the_rest_sent_when_the_server_asks_with_1222()
    {
        Configure(o => o with { Session = DmSessionOptions.Default with { MaxOutgoingMessageSize = 2048 } });
        for (var i = 0; i < 12; i++)
        {
            Executor.Nodes[$"./Vendor/MSFT/Test/N{i}"] = new string((char)('a' + i), 200);
        }

        Start();
        var pkg1 = await Server.ExpectMessageAsync();
        var package2 = Acknowledge(pkg1);
        for (var i = 0; i < 12; i++)
        {
            package2.Item<Get>($"./Vendor/MSFT/Test/N{i}");
        }

        package2.Final().Send();
        var messages = new List<DmServerRequest>();
        var request = await Server.ExpectMessageAsync();
        messages.Add(request);
        while (!request.Message.SyncBody.Final)
        {
            Assert.That(request.Body, Has.Length.LessThanOrEqualTo(2048));
            Assert.That(Of<Alert>(request).Where(a => a.Data == "1222"), Is.Empty, "the server's package is closed");
            // The "next message" answer: SyncHdr status and Alert 1222, no other commands, no Final (docs/reference/omadm.md §5).
            var nextMessage = request.Reply().StatusForSyncHdr().Alert(AlertCodes.NextMessage);
            nextMessage.Send();
            request = await Server.ExpectMessageAsync();
            messages.Add(request);
            AssertHeaderStatusFirst(request, nextMessage.Message.SyncHdr!.MsgID!);
        }

        // Each server Alert 1222 is answered with a Status, after the statuses owed from earlier (docs/reference/omadm.md §8 order).
        var alertStatuses = messages.SelectMany(m => m.Commands.OfType<Status>()).Where(s => s.Cmd == "Alert").ToList();
        Assert.That(alertStatuses, Has.Count.EqualTo(messages.Count - 1));
        Assert.That(alertStatuses.Select(s => s.Data), Is.All.EqualTo("200"));

        var results = messages.SelectMany(m => m.Commands.OfType<Results>()).ToList();
        var getStatuses = messages.SelectMany(m => m.Commands.OfType<Status>()).Where(s => s.Cmd == "Get").ToList();
        Assert.Multiple(() =>
        {
            Assert.That(messages, Has.Count.GreaterThan(1));
            Assert.That(messages.Select(m => m.Header.MsgID), Is.EqualTo(Enumerable.Range(2, messages.Count).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture))));
            Assert.That(results.Select(r => r.Items[0].Data!.Value[0]), Is.EqualTo("abcdefghijkl".ToCharArray()));
            Assert.That(getStatuses.Select(s => s.CmdRef), Is.EqualTo(Enumerable.Range(5, 12).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture))));
            Assert.That(messages.Take(messages.Count - 1).Select(m => m.Body.Length), Is.All.LessThanOrEqualTo(2048));
        });

        request.Reply().StatusForSyncHdr().Final().Send();
        Assert.That((await Server.ExpectEndAsync()).Outcome, Is.EqualTo(DmSessionState.Completed));
    }
}

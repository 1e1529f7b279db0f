using System.Text;
using DeviceAgent.Session;
using DeviceAgent.SyncML;

namespace DeviceAgent.Tests.Session;

internal sealed class DmClientLargeObjectTests : SessionTestBase
{
    private const string Uri = "./Vendor/MSFT/Test/Large";

    private static Replace Chunk(string data, bool moreData, int? size = null)
    {
        var replace = new Replace();
        replace.Items.Add(new Item
        {
            Target = new LocationElement(Uri),
            Meta = new Meta { Format = "chr", Size = size?.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            Data = new Data(data),
            MoreData = moreData,
        });
        return replace;
    }

    private async Task<DmServerRequest> SendChunksAsync(int declaredSize, params string[] chunks)
    {
        Executor.Nodes[Uri] = "old";
        Start();
        var request = await Server.ExpectMessageAsync();
        for (var i = 0; i < chunks.Length; i++)
        {
            var last = i == chunks.Length - 1;
            var reply = i == 0 ? Acknowledge(request) : request.Reply().StatusForSyncHdr();
            reply.Add(Chunk(chunks[i], moreData: !last, size: i == 0 ? declaredSize : null)).Final(last).Send();
            request = await Server.ExpectMessageAsync();
            if (!last)
            {
                var chunkStatus = request.Commands.OfType<Status>().Single(s => s.Cmd == "Replace");
                Assert.That(chunkStatus.Data, Is.EqualTo("213"), "each non-final chunk is accepted and buffered (docs/reference/omadm.md §6)");
                Assert.That(Of<Alert>(request).Single().Data, Is.EqualTo("1222"));
            }
        }

        return request;
    }

    [Test]
    public async Task A_chunked_Replace_is_reassembled_and_executed_once()
    {
        var last = await SendChunksAsync(12, "hello ", "wor", "ld!");

        Assert.Multiple(() =>
        {
            Assert.That(last.Commands.OfType<Status>().Single(s => s.Cmd == "Replace").Data, Is.EqualTo("200"));
            Assert.That(Executor.Nodes[Uri], Is.EqualTo("hello world!"));
            Assert.That(Executor.Executed, Has.Count.EqualTo(1));
            Assert.That(((Replace)Executor.Executed[0]).Items.Single().MoreData, Is.False);
            Assert.That(last.Message.SyncBody.Final, Is.True);
        });
        last.Reply().StatusForSyncHdr().Final().Send();
        Assert.That((await Server.ExpectEndAsync()).Outcome, Is.EqualTo(DmSessionState.Completed));
    }

    [Test]
    public async Task A_large_object_whose_length_differs_from_Size_gets_424_and_is_not_committed()
    {
        var last = await SendChunksAsync(13, "hello ", "world!");

        Assert.Multiple(() =>
        {
            Assert.That(last.Commands.OfType<Status>().Single(s => s.Cmd == "Replace").Data, Is.EqualTo("424"));
            Assert.That(Executor.Nodes[Uri], Is.EqualTo("old"));
            Assert.That(Executor.Executed, Is.Empty);
        });
    }

    [Test]
    public async Task Size_counts_UTF8_bytes()
    {
        var last = await SendChunksAsync(Encoding.UTF8.GetByteCount("Grüße"), "Grü", "ße");
        Assert.That(last.Commands.OfType<Status>().Single(s => s.Cmd == "Replace").Data, Is.EqualTo("200"));
        Assert.That(Executor.Nodes[Uri], Is.EqualTo("Grüße"));
    }

    [Test]
    public async Task A_new_command_before_the_last_chunk_gets_alert_1225_and_nothing_is_committed()
    {
        Executor.Nodes[Uri] = "old";
        Start();
        var pkg1 = await Server.ExpectMessageAsync();
        Acknowledge(pkg1).Add(Chunk("part", moreData: true, size: 8)).Final(false).Send();
        var reply = await Server.ExpectMessageAsync();
        reply.Reply().StatusForSyncHdr().Item<Add>("./Vendor/MSFT/Test/Other", "x").Final().Send();
        var next = await Server.ExpectMessageAsync();

        var alert = Of<Alert>(next).Single();
        Assert.Multiple(() =>
        {
            Assert.That(alert.Data, Is.EqualTo("1225"));
            Assert.That(alert.Items.Single().Source!.LocURI, Is.EqualTo(Uri));
            Assert.That(next.Commands.IndexOf(alert), Is.LessThan(next.Commands.FindIndex(c => c is Status { Cmd: "Add" })));
            Assert.That(Executor.Nodes[Uri], Is.EqualTo("old"));
            Assert.That(Executor.Nodes["./Vendor/MSFT/Test/Other"], Is.EqualTo("x"));
        });
    }

    [Test]
    public async Task A_first_chunk_without_Size_or_above_the_object_limit_is_refused()
    {
        Configure(o => o with { Session = DmSessionOptions.Default with { MaxIncomingObjectSize = 100 } });
        Start();
        var pkg1 = await Server.ExpectMessageAsync();
        Acknowledge(pkg1).Add(Chunk("a", moreData: true)).Final(false).Send();
        var reply = await Server.ExpectMessageAsync();
        Assert.That(reply.Commands.OfType<Status>().Single(s => s.Cmd == "Replace").Data, Is.EqualTo("400"));

        reply.Reply().StatusForSyncHdr().Add(Chunk("a", moreData: true, size: 101)).Final(false).Send();
        reply = await Server.ExpectMessageAsync();
        Assert.That(reply.Commands.OfType<Status>().Single(s => s.Cmd == "Replace").Data, Is.EqualTo("413"));
    }

    [Test]
    public async Task A_Results_value_too_long_for_one_message_is_uploaded_in_chunks_with_Size_on_the_first()
    {
        Configure(o => o with { Session = DmSessionOptions.Default with { MaxOutgoingMessageSize = 1500 } });
        var value = string.Concat(Enumerable.Range(0, 400).Select(i => (char)('a' + (i % 26)))) + "<&>é" + new string('z', 2000);
        Executor.Nodes["./DevDetail/Ext/DeviceHardwareData"] = value;
        Start();
        var pkg1 = await Server.ExpectMessageAsync();
        Acknowledge(pkg1).Item<Get>("./DevDetail/Ext/DeviceHardwareData").Final().Send();

        var chunks = new List<Item>();
        var request = await Server.ExpectMessageAsync();
        while (true)
        {
            Assert.That(request.Body, Has.Length.LessThanOrEqualTo(1500));
            var ack = request.Reply().StatusForSyncHdr();
            foreach (var results in Of<Results>(request))
            {
                chunks.Add(results.Items.Single());
                ack.Add(new Status { MsgRef = request.Header.MsgID, CmdRef = results.CmdID, Cmd = "Results", Data = results.Items[0].MoreData ? "213" : "200" });
            }

            if (request.Message.SyncBody.Final)
            {
                break;
            }

            ack.Alert(AlertCodes.NextMessage).Send();
            request = await Server.ExpectMessageAsync();
        }

        Assert.Multiple(() =>
        {
            Assert.That(chunks, Has.Count.GreaterThan(1));
            Assert.That(chunks[0].Meta!.Size, Is.EqualTo(Encoding.UTF8.GetByteCount(value).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(chunks.Skip(1).Select(c => c.Meta?.Size), Is.All.Null);
            Assert.That(string.Concat(chunks.Select(c => c.Data!.Value)), Is.EqualTo(value));
            Assert.That(chunks[^1].MoreData, Is.False);
        });
        request.Reply().StatusForSyncHdr().Final().Send();
        Assert.That((await Server.ExpectEndAsync()).Outcome, Is.EqualTo(DmSessionState.Completed));
    }
}

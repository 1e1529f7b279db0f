using System.Net;
using System.Text;
using DeviceAgent.Emulator.Traces;
using DeviceAgent.SyncML;

namespace DeviceAgent.Emulator.Tests.Traces;

public class SyncMLTraceTests
{
    private const string Pkg1 = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<SyncML xmlns=\"SYNCML:SYNCML1.2\"><SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto><SessionID>1</SessionID><MsgID>1</MsgID><Target><LocURI>https://mdm.test/omadm</LocURI></Target><Source><LocURI>dev-1</LocURI></Source></SyncHdr><SyncBody><Alert><CmdID>1</CmdID><Data>1201</Data></Alert><Final/></SyncBody></SyncML>";
    private const string Pkg2 = "<SyncML xmlns=\"SYNCML:SYNCML1.2\"><SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto><SessionID>1</SessionID><MsgID>1</MsgID><Target><LocURI>dev-1</LocURI></Target><Source><LocURI>https://mdm.test/omadm</LocURI></Source></SyncHdr><SyncBody><Status><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>0</CmdRef><Cmd>SyncHdr</Cmd><Data>200</Data></Status><Final/></SyncBody></SyncML>";

    [Test]
    public void Recorded_sessions_read_back_in_order_with_their_session_numbers()
    {
        var recorder = new TraceRecorder();
        recorder.BeginSession();
        recorder.Record(TraceDirection.DeviceToServer, Encoding.UTF8.GetBytes(Pkg1));
        recorder.Record(TraceDirection.ServerToDevice, Encoding.UTF8.GetBytes(Pkg2));
        recorder.EndSession();
        recorder.BeginSession();
        recorder.Record(TraceDirection.DeviceToServer, Encoding.UTF8.GetBytes(Pkg1.Replace("<SessionID>1<", "<SessionID>2<", StringComparison.Ordinal)));
        recorder.EndSession();

        var text = recorder.GetText();
        var messages = SyncMLTrace.Read(text);

        Assert.That(text, Does.StartWith(SyncMLTrace.SessionStartMarker + "\n<SyncML"));
        Assert.That(text, Does.Not.Contain("<?xml"));
        Assert.That(messages.Select(m => m.Session), Is.EqualTo(new[] { 1, 1, 2 }));
        Assert.That(messages[1].Xml, Does.Contain("<Cmd>SyncHdr</Cmd>"));
        Assert.That(messages[2].Xml, Does.Contain("<SessionID>2</SessionID>"));
        Assert.That(recorder.MessageCount, Is.EqualTo(3));
    }

    [Test]
    public void A_stream_saved_by_SyncMLViewer_reads_with_its_markers()
    {
        var stream = $"{SyncMLTrace.SessionStartMarker}\r\n{Pkg2}\r\n\r\n{SyncMLTrace.SessionCompleteMarker}\r\n";
        Assert.That(SyncMLTrace.Read(stream), Has.Count.EqualTo(1));
    }

    [Test]
    public void Something_else_than_SyncML_is_an_error_with_its_position()
    {
        var e = Assert.Throws<InvalidDataException>(() => SyncMLTrace.Read($"{Pkg2}\n<Foo/>"));
        Assert.That(e!.Message, Does.StartWith("2:2: expected <SyncML>"));
        var broken = Assert.Throws<InvalidDataException>(() => SyncMLTrace.Read("<SyncML><SyncHdr></SyncML>"));
        Assert.That(broken!.Message, Does.Contain("not a SyncML stream"));
    }

    [Test]
    public void Document_type_declarations_are_refused()
    {
        Assert.Throws<InvalidDataException>(() => SyncMLTrace.Read("<!DOCTYPE x [<!ENTITY e \"boom\">]><SyncML>&e;</SyncML>"));
    }

    [Test]
    public async Task Tracing_handler_records_syncml_request_and_response_bodies()
    {
        var recorder = new TraceRecorder();
        var inner = new AnswerHandler(Pkg2);
        using var client = new HttpClient(new TracingHandler(recorder) { InnerHandler = inner });
        using var content = new StringContent(Pkg1, Encoding.UTF8, "application/vnd.syncml.dm+xml");

        using var response = await client.PostAsync(new Uri("http://mdm.test/omadm"), content);

        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo(Pkg2), "the response stays readable");
        Assert.That(inner.Received, Is.EqualTo(Pkg1), "the request stays readable");
        Assert.That(SyncMLTrace.Read(recorder.GetText()), Has.Count.EqualTo(2));
    }

    [Test]
    public void Summary_names_direction_ids_and_commands()
    {
        var message = new SyncMLMessage
        {
            SyncHdr = new SyncHdr { SessionID = "1A", MsgID = "2", Target = new LocationElement("dev-1"), Source = new LocationElement("https://mdm.test/omadm") },
        };
        var sequence = new Sequence { CmdID = "3" };
        var exec = new Exec { CmdID = "4" };
        exec.Items.Add(new Item { Target = new LocationElement("./Vendor/MSFT/RemoteLock/LockAndRecoverPIN") });
        var get = new Get { CmdID = "5" };
        get.Items.Add(new Item { Target = new LocationElement("./Vendor/MSFT/RemoteLock/NewPINValue") });
        sequence.Commands.Add(exec);
        sequence.Commands.Add(get);
        message.SyncBody.Commands.Add(new Status { CmdID = "1", CmdRef = "0", Cmd = "SyncHdr", Data = "200" });
        message.SyncBody.Commands.Add(sequence);
        message.SyncBody.Final = true;

        var text = TraceFormatter.Summarize(3, 1, message);

        Assert.That(text, Is.EqualTo(
            "#3  S->D  session 1  SessionID 1A  MsgID 2  Final\n" +
            "    Status SyncHdr 200\n" +
            "    Sequence\n" +
            "        Exec ./Vendor/MSFT/RemoteLock/LockAndRecoverPIN\n" +
            "        Get ./Vendor/MSFT/RemoteLock/NewPINValue\n"));
    }

    private sealed class AnswerHandler(string body) : HttpMessageHandler
    {
        public string? Received { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Received = await request.Content!.ReadAsStringAsync(cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/vnd.syncml.dm+xml") };
        }
    }
}

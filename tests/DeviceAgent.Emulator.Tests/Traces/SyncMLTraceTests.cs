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

        var messages = SyncMLTrace.Read(recorder.GetText());

        Assert.That(messages.Select(m => m.Session), Is.EqualTo(new[] { 1, 1, 2 }));
        Assert.That(messages.Select(m => m.Problem), Is.All.Null);
        Assert.That(messages[1].Xml, Does.Contain("<Cmd>SyncHdr</Cmd>"));
        Assert.That(messages[2].SessionId, Is.EqualTo("2"));
        Assert.That(recorder.MessageCount, Is.EqualTo(3));
    }

    [Test]
    public void A_wbxml_message_is_recorded_as_the_xml_it_stands_for()
    {
        // docs/emulator.md "Encoding": a WBXML session's trace reads as an XML one does.
        var recorder = new TraceRecorder();
        recorder.BeginSession();
        recorder.Record(TraceDirection.ServerToDevice, SyncMLWbxml.ToBytes(SyncMLReader.ReadMessage(Encoding.UTF8.GetBytes(Pkg2))));
        recorder.EndSession();

        var messages = SyncMLTrace.Read(recorder.GetText());
        Assert.That(messages, Has.Count.EqualTo(1));
        Assert.That(messages[0].Problem, Is.Null);
        Assert.That(messages[0].Xml, Does.Contain("<Cmd>SyncHdr</Cmd>"));
    }

    // docs/emulator.md "Traces": the recorder writes what SyncMLViewer (v1.0.4+) writes for the same ETW events.
    [Test]
    [Description("docs/emulator.md \"Traces\": SyncMLViewer's stream format")]
    public void The_recorder_writes_SyncMLViewer_current_markers_and_layout()
    {
        var recorder = new TraceRecorder();
        recorder.BeginSession();
        recorder.Record(TraceDirection.ServerToDevice, Encoding.UTF8.GetBytes(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><SyncML xmlns=\"SYNCML:SYNCML1.2\"><SyncHdr><SessionID>1</SessionID><MsgID>1</MsgID></SyncHdr>"
            + "<SyncBody><Replace><CmdID>2</CmdID><Item><Meta><Format xmlns=\"syncml:metinf\">chr</Format></Meta><Data> </Data></Item></Replace><Final /></SyncBody></SyncML>"));
        recorder.EndSession();

        Assert.That(recorder.GetText(), Is.EqualTo(
            "<!-- OmaDmSessionStart -->\r\n" +
            "\r\n" +
            "<SyncML xmlns=\"SYNCML:SYNCML1.2\">\r\n" +
            "  <SyncHdr>\r\n" +
            "    <SessionID>1</SessionID>\r\n" +
            "    <MsgID>1</MsgID>\r\n" +
            "  </SyncHdr>\r\n" +
            "  <SyncBody>\r\n" +
            "    <Replace>\r\n" +
            "      <CmdID>2</CmdID>\r\n" +
            "      <Item>\r\n" +
            "        <Meta>\r\n" +
            "          <Format xmlns=\"syncml:metinf\">chr</Format>\r\n" +
            "        </Meta>\r\n" +
            "        <Data> </Data>\r\n" +
            "      </Item>\r\n" +
            "    </Replace>\r\n" +
            "    <Final />\r\n" +
            "  </SyncBody>\r\n" +
            "</SyncML>\r\n" +
            "\r\n" +
            "<!-- OmaDmSessionComplete -->\r\n"));
        Assert.That(SyncMLTrace.Read(recorder.GetText()).Single().Xml, Does.Contain("<Data> </Data>"), "a whitespace value survives the re-indent");
    }

    // docs/emulator.md "Traces". Layout as SyncMLViewer v1.0.4+ appends it: the start marker line (after the ETW event
    // name when "Trace events" is on), per message a line break, an optional timestamp comment, the message re-indented
    // by two spaces, a line break; a line break and the complete marker. CR LF throughout (Environment.NewLine on Windows).
    private static readonly string s_currentLayoutWithTimestampsAndEventNames = """
        OmaDmSessionStart <!-- OmaDmSessionStart -->
        OmaDmSyncmlVerboseTrace 
        <!-- 11/29/2026 9:01:12 AM -->
        <SyncML xmlns="SYNCML:SYNCML1.2">
          <SyncHdr>
            <VerDTD>1.2</VerDTD>
            <VerProto>DM/1.2</VerProto>
            <SessionID>2F</SessionID>
            <MsgID>1</MsgID>
            <Target>
              <LocURI>https://mdm.test/omadm</LocURI>
            </Target>
            <Source>
              <LocURI>dev-1</LocURI>
            </Source>
          </SyncHdr>
          <SyncBody>
            <Alert>
              <CmdID>1</CmdID>
              <Data>1201</Data>
            </Alert>
            <Final />
          </SyncBody>
        </SyncML>
        OmaDmSyncmlVerboseTrace 
        <!-- 11/29/2026 9:01:13 AM -->
        <SyncML xmlns="SYNCML:SYNCML1.2">
          <SyncHdr>
            <VerDTD>1.2</VerDTD>
            <VerProto>DM/1.2</VerProto>
            <SessionID>2F</SessionID>
            <MsgID>1</MsgID>
            <Target>
              <LocURI>dev-1</LocURI>
            </Target>
            <Source>
              <LocURI>https://mdm.test/omadm</LocURI>
            </Source>
          </SyncHdr>
          <SyncBody>
            <Status>
              <CmdID>1</CmdID>
              <MsgRef>1</MsgRef>
              <CmdRef>0</CmdRef>
              <Cmd>SyncHdr</Cmd>
              <Data>200</Data>
            </Status>
            <Final />
          </SyncBody>
        </SyncML>
        OmaDmSessionComplete 
        <!-- OmaDmSessionComplete -->
        OmaDmSessionStart <!-- OmaDmSessionStart -->
        OmaDmSyncmlVerboseTrace 
        <!-- 11/29/2026 9:31:12 AM -->
        <SyncML xmlns="SYNCML:SYNCML1.2">
          <SyncHdr>
            <VerDTD>1.2</VerDTD>
            <VerProto>DM/1.2</VerProto>
            <SessionID>2F</SessionID>
            <MsgID>1</MsgID>
            <Target>
              <LocURI>https://mdm.test/omadm</LocURI>
            </Target>
            <Source>
              <LocURI>dev-1</LocURI>
            </Source>
          </SyncHdr>
          <SyncBody>
            <Alert>
              <CmdID>1</CmdID>
              <Data>1201</Data>
            </Alert>
            <Final />
          </SyncBody>
        </SyncML>

        """.ReplaceLineEndings("\r\n");

    [Test]
    [Description("docs/emulator.md \"Traces\": SyncMLViewer's stream format")]
    public void A_SyncMLViewer_file_with_current_markers_timestamps_and_event_names_reads_by_its_markers()
    {
        var messages = SyncMLTrace.Read(s_currentLayoutWithTimestampsAndEventNames);

        Assert.That(messages.Select(m => m.Session), Is.EqualTo(new[] { 1, 1, 2 }), "the markers decide, although all three share SessionID 2F");
        Assert.That(messages.Select(m => m.Problem), Is.All.Null);
        Assert.That(messages.Select(m => m.Line), Is.EqualTo(new[] { 4, 27, 56 }));
        Assert.That(messages[1].Xml, Does.StartWith("<SyncML xmlns=\"SYNCML:SYNCML1.2\">\r\n  <SyncHdr>").And.EndWith("</SyncBody>\r\n</SyncML>"));
    }

    // Before v1.0.4 SyncMLViewer wrote "<!--- ... --->" markers (not well-formed comments) and messages as they came.
    [Test]
    [Description("docs/emulator.md \"Traces\": SyncMLViewer's stream format")]
    public void A_SyncMLViewer_file_with_the_old_markers_reads_by_its_markers()
    {
        var stream = $"<!--- OmaDmSessionStart --->\r\n\r\n{Pkg1[Pkg1.IndexOf("<SyncML", StringComparison.Ordinal)..]}\r\n\r\n{Pkg2}\r\n\r\n<!--- OmaDmSessionComplete --->\r\n"
            + $"<!--- OmaDmSessionStart --->\r\n\r\n{Pkg2}\r\n";

        Assert.That(SyncMLTrace.Read(stream).Select(m => (m.Session, m.Problem)), Is.EqualTo(new[] { (1, (string?)null), (1, null), (2, null) }));
    }

    // The done-when of issue 20: no markers (SyncMLViewer's "Background Logging" file or a capture started mid-way),
    // messages grouped by SessionID, one message cut by ETW at 64 KB in the middle of its data.
    internal static readonly string NoMarkersOneTruncated = """
        <SyncML xmlns="SYNCML:SYNCML1.2">
          <SyncHdr>
            <VerDTD>1.2</VerDTD>
            <VerProto>DM/1.2</VerProto>
            <SessionID>1A</SessionID>
            <MsgID>1</MsgID>
            <Target>
              <LocURI>https://mdm.test/omadm</LocURI>
            </Target>
            <Source>
              <LocURI>dev-1</LocURI>
            </Source>
          </SyncHdr>
          <SyncBody>
            <Alert>
              <CmdID>1</CmdID>
              <Data>1201</Data>
            </Alert>
            <Final />
          </SyncBody>
        </SyncML>

        <SyncML xmlns="SYNCML:SYNCML1.2"><SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto><SessionID>1A</SessionID><MsgID>1</MsgID><Target><LocURI>dev-1</LocURI></Target><Source><LocURI>https://mdm.test/omadm</LocURI></Source></SyncHdr><SyncBody><Add><CmdID>2</CmdID><Item><Target><LocURI>./Vendor/MSFT/Policy/Config/Big</LocURI></Target><Data>&lt;policy&gt;aaaaaaaaaaaaaaaaaaaa

        <SyncML xmlns="SYNCML:SYNCML1.2">
          <SyncHdr>
            <VerDTD>1.2</VerDTD>
            <VerProto>DM/1.2</VerProto>
            <SessionID>1A</SessionID>
            <MsgID>2</MsgID>
            <Target>
              <LocURI>https://mdm.test/omadm</LocURI>
            </Target>
            <Source>
              <LocURI>dev-1</LocURI>
            </Source>
          </SyncHdr>
          <SyncBody>
            <Status>
              <CmdID>1</CmdID>
              <MsgRef>1</MsgRef>
              <CmdRef>0</CmdRef>
              <Cmd>SyncHdr</Cmd>
              <Data>200</Data>
            </Status>
            <Final />
          </SyncBody>
        </SyncML>

        <SyncML xmlns="SYNCML:SYNCML1.2">
          <SyncHdr>
            <VerDTD>1.2</VerDTD>
            <VerProto>DM/1.2</VerProto>
            <SessionID>1B</SessionID>
            <MsgID>1</MsgID>
            <Target>
              <LocURI>https://mdm.test/omadm</LocURI>
            </Target>
            <Source>
              <LocURI>dev-1</LocURI>
            </Source>
          </SyncHdr>
          <SyncBody>
            <Alert>
              <CmdID>1</CmdID>
              <Data>1201</Data>
            </Alert>
            <Final />
          </SyncBody>
        </SyncML>

        """.ReplaceLineEndings("\r\n");

    [Test]
    [Description("docs/emulator.md \"Traces\": SyncMLViewer's stream format")]
    public void Without_markers_messages_group_by_SessionID_and_a_truncated_one_is_kept_as_text()
    {
        var messages = SyncMLTrace.Read(NoMarkersOneTruncated);

        Assert.That(messages.Select(m => m.Session), Is.EqualTo(new[] { 1, 1, 1, 2 }));
        Assert.That(messages.Select(m => m.SessionId), Is.EqualTo(new[] { "1A", "1A", "1A", "1B" }));
        Assert.That(messages[1].Problem, Does.StartWith("cut short: no </SyncML> before the next message"));
        Assert.That(messages[1].Xml, Does.EndWith("&lt;policy&gt;aaaaaaaaaaaaaaaaaaaa"), "the blank line after the cut is not part of it");
        Assert.That(messages[1].Line, Is.EqualTo(23));
        Assert.That(messages.Where((_, i) => i != 1).Select(m => m.Problem), Is.All.Null);
    }

    [Test]
    [Description("docs/emulator.md \"Traces\": SyncMLViewer's stream format")]
    public void Without_markers_a_SessionID_used_again_starts_a_new_session_when_its_MsgIDs_start_again()
    {
        var stream = string.Join("\r\n\r\n", Pkg1[Pkg1.IndexOf("<SyncML", StringComparison.Ordinal)..], Pkg2, Pkg1[Pkg1.IndexOf("<SyncML", StringComparison.Ordinal)..], Pkg2);

        Assert.That(SyncMLTrace.Read(stream).Select(m => m.Session), Is.EqualTo(new[] { 1, 1, 2, 2 }));
    }

    [Test]
    [Description("docs/emulator.md \"Traces\": SyncMLViewer's stream format")]
    public void A_message_with_an_undeclared_prefix_is_kept_as_text_and_the_rest_reads()
    {
        var odd = Pkg2.Replace("<Data>200</Data>", "<Data>200</Data><A:Meta>x</A:Meta>", StringComparison.Ordinal);
        var messages = SyncMLTrace.Read($"<!-- OmaDmSessionStart -->\r\n\r\n{odd}\r\n\r\n{Pkg2}\r\n");

        Assert.That(messages[0].Problem, Does.StartWith("not well-formed XML: 'A' is an undeclared prefix"));
        Assert.That(messages[0].Xml, Is.EqualTo(odd));
        Assert.That(messages[1].Problem, Is.Null);
        Assert.That(messages.Select(m => m.Session), Is.EqualTo(new[] { 1, 1 }));
    }

    [Test]
    public void A_file_without_any_SyncML_message_is_an_error()
    {
        var e = Assert.Throws<InvalidDataException>(() => SyncMLTrace.Read("<!-- OmaDmSessionStart -->\r\n<Foo/>\r\n"));
        Assert.That(e!.Message, Is.EqualTo("1:1: the trace is not a SyncML stream: no <SyncML> message in it"));
    }

    [Test]
    public void A_message_with_a_document_type_declaration_is_kept_as_text_and_not_expanded()
    {
        var messages = SyncMLTrace.Read("<!DOCTYPE x [<!ENTITY e \"boom\">]><SyncML>&e;</SyncML>");

        Assert.That(messages.Single().Problem, Does.StartWith("not well-formed XML"));
        Assert.That(messages.Single().Xml, Is.EqualTo("<SyncML>&e;</SyncML>"));
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
        Assert.That(SyncMLTrace.Read(recorder.GetText()).Select(m => m.Problem), Is.EqualTo(new string?[] { null, null }));
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

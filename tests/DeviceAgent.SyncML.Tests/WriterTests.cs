using System.Buffers;
using System.Text;

namespace DeviceAgent.SyncML.Tests;

/// <summary>The writer's exact output: DTD order, metinf namespace, escaping, CDATA splitting, determinism.</summary>
public class WriterTests
{
    private static SyncMLMessage Sample()
    {
        var message = new SyncMLMessage
        {
            SyncHdr = new SyncHdr
            {
                SessionID = "1", MsgID = "2",
                Target = new LocationElement("B5B954E81FBCB94EB79BD08BE625F4EE"),
                Source = new LocationElement("https://mdm.example/omadm"),
            },
        };
        var replace = new Replace { CmdID = "3" };
        // Children set out of DTD order on purpose: the writer orders them.
        replace.Items.Add(new Item
        {
            Data = "a<b & c>d\r",
            Meta = new Meta { Type = "text/plain", Format = "chr" },
            Target = new LocationElement("./Vendor/MSFT/PassportForWork/x"),
        });
        message.SyncBody.Commands.Add(new Status { CmdID = "1", MsgRef = "1", CmdRef = "0", Cmd = "SyncHdr", Data = "200" });
        message.SyncBody.Commands.Add(replace);
        message.SyncBody.Final = true;
        return message;
    }

    [Test]
    public void Compact_output_is_exact()
    {
        Assert.That(Encoding.UTF8.GetString(SyncMLWriter.ToBytes(Sample())), Is.EqualTo(
            "<SyncML xmlns=\"SYNCML:SYNCML1.2\"><SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto><SessionID>1</SessionID><MsgID>2</MsgID>" +
            "<Target><LocURI>B5B954E81FBCB94EB79BD08BE625F4EE</LocURI></Target><Source><LocURI>https://mdm.example/omadm</LocURI></Source></SyncHdr>" +
            "<SyncBody><Status><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>0</CmdRef><Cmd>SyncHdr</Cmd><Data>200</Data></Status>" +
            "<Replace><CmdID>3</CmdID><Item><Target><LocURI>./Vendor/MSFT/PassportForWork/x</LocURI></Target>" +
            "<Meta><Format xmlns=\"syncml:metinf\">chr</Format><Type xmlns=\"syncml:metinf\">text/plain</Type></Meta>" +
            "<Data>a&lt;b &amp; c&gt;d&#xD;</Data></Item></Replace><Final/></SyncBody></SyncML>"));
    }

    [Test]
    public void Indented_output_puts_elements_on_lines_and_leaves_values_alone()
    {
        string xml = SyncMLWriter.ToXml(Sample(), indented: true);
        Assert.That(xml, Does.StartWith("<SyncML xmlns=\"SYNCML:SYNCML1.2\">\n  <SyncHdr>\n    <VerDTD>1.2</VerDTD>"));
        Assert.That(xml, Does.Contain("\n        <Data>a&lt;b &amp; c&gt;d&#xD;</Data>\n"));
        Assert.That(xml, Does.EndWith("\n    <Final/>\n  </SyncBody>\n</SyncML>"));
    }

    [Test]
    public void Write_into_a_buffer_writer_equals_ToBytes_and_is_deterministic()
    {
        var buffer = new ArrayBufferWriter<byte>(16); // small, so the writer must ask for more space
        SyncMLWriter.Write(Sample(), buffer);
        Assert.That(buffer.WrittenSpan.ToArray(), Is.EqualTo(SyncMLWriter.ToBytes(Sample())));
        byte[] again = SyncMLWriter.ToBytes(Sample());
        Assert.That(SyncMLWriter.ToBytes(Sample()), Is.EqualTo(again));
    }

    [Test]
    public void CData_holding_the_end_marker_and_CR_is_split_and_reads_back()
    {
        var message = new SyncMLMessage();
        var add = new Add { CmdID = "1" };
        add.Items.Add(new Item { Data = new Data("x]]>y\r\nz", DataForm.CData) });
        message.SyncBody.Commands.Add(add);
        string xml = SyncMLWriter.ToXml(message);
        Assert.That(xml, Does.Contain("<Data><![CDATA[x]]]]><![CDATA[>y]]>&#xD;<![CDATA[\nz]]></Data>"));
        var reread = SyncMLReader.ReadMessage(Encoding.UTF8.GetBytes(xml));
        Assert.That(((Add)reread.SyncBody.Commands[0]).Items[0].Data, Is.EqualTo(new Data("x]]>y\r\nz", DataForm.CData)));
    }

    [Test]
    public void Raw_xml_data_and_unknown_elements_are_written_verbatim()
    {
        var message = new SyncMLMessage();
        var exec = new Exec { CmdID = "2" };
        exec.Items.Add(new Item { Data = new Data("<MsiInstallJob id=\"{1}\"><Product/></MsiInstallJob>", DataForm.Xml) });
        exec.Meta = new Meta { Format = "xml" };
        exec.Meta.Unknown.Add("<EMI xmlns=\"syncml:metinf\">e</EMI>");
        message.SyncBody.Commands.Add(exec);
        message.SyncBody.Commands.Add(new UnknownCommand("Map", "<Map><CmdID>9</CmdID></Map>") { CmdID = "9" });
        string xml = SyncMLWriter.ToXml(message);
        Assert.That(xml, Does.Contain("<Meta><Format xmlns=\"syncml:metinf\">xml</Format><EMI xmlns=\"syncml:metinf\">e</EMI></Meta>"));
        Assert.That(xml, Does.Contain("<Data><MsiInstallJob id=\"{1}\"><Product/></MsiInstallJob></Data>"));
        Assert.That(xml, Does.Contain("</Exec><Map><CmdID>9</CmdID></Map></SyncBody>"));
    }

    [Test]
    public void One_command_is_written_without_a_namespace()
    {
        var get = new Get { CmdID = "4" };
        get.Items.Add(new Item { Target = new LocationElement("./DevDetail/SwV") });
        Assert.That(SyncMLWriter.ToXml(get), Is.EqualTo("<Get><CmdID>4</CmdID><Item><Target><LocURI>./DevDetail/SwV</LocURI></Target></Item></Get>"));
    }

    [Test]
    public void Status_children_follow_the_OMA_DTD_order()
    {
        var status = new Status { CmdID = "5", MsgRef = "1", CmdRef = "0", Cmd = "SyncHdr", Data = "401", Chal = new Chal { Meta = new Meta { Type = "syncml:auth-md5", Format = "b64", NextNonce = "bm9uY2U=" } } };
        status.TargetRefs.Add("t");
        status.SourceRefs.Add("s");
        Assert.That(SyncMLWriter.ToXml(status), Is.EqualTo(
            "<Status><CmdID>5</CmdID><MsgRef>1</MsgRef><CmdRef>0</CmdRef><Cmd>SyncHdr</Cmd><TargetRef>t</TargetRef><SourceRef>s</SourceRef>" +
            "<Chal><Meta><Format xmlns=\"syncml:metinf\">b64</Format><Type xmlns=\"syncml:metinf\">syncml:auth-md5</Type>" +
            "<NextNonce xmlns=\"syncml:metinf\">bm9uY2U=</NextNonce></Meta></Chal><Data>401</Data></Status>"));
    }

    [Test]
    public void Characters_XML_cannot_carry_are_refused()
    {
        var alert = new Alert { CmdID = "1", Data = "bad\u0001" };
        Assert.That(() => SyncMLWriter.ToXml(alert), Throws.ArgumentException.With.Message.Contains("U+0001"));
        var lone = new Alert { CmdID = "1", Data = "x\uD800" };
        Assert.That(() => SyncMLWriter.ToXml(lone), Throws.ArgumentException.With.Message.Contains("lone surrogate"));
    }
}

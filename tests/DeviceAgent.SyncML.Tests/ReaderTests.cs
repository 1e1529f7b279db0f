using System.Text;

namespace DeviceAgent.SyncML.Tests;

/// <summary>Reader behaviour on small inputs: document prolog, references, line ends, Data forms, names.</summary>
public class ReaderTests
{
    private static SyncMLMessage Read(string xml) => SyncMLReader.ReadMessage(Encoding.UTF8.GetBytes(xml));

    private static Item FirstItem(SyncMLMessage m) => ((ItemCommand)m.SyncBody.Commands[0]).Items[0];

    private static Data? DataOf(string dataElement) => FirstItem(Read($"<SyncML><SyncBody><Add><Item>{dataElement}</Item></Add></SyncBody></SyncML>")).Data;

    [Test]
    public void Bom_declaration_comments_and_pis_around_the_root_are_accepted()
    {
        byte[] input = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(
            "<?xml version='1.0' encoding='utf-8'?>\r\n<!-- c --><?pi x?><!DOCTYPE SyncML [<!ENTITY e \"]>\">]><SyncML xmlns='SYNCML:SYNCML1.2'><SyncBody><Final/></SyncBody></SyncML><!-- after -->\n")];
        var m = SyncMLReader.ReadMessage(input);
        Assert.That(m.SyncBody.Final, Is.True);
        Assert.That(m.Namespace, Is.EqualTo(SyncMLNames.Namespace12));
    }

    [Test]
    public void Predefined_and_numeric_references_are_decoded()
    {
        Assert.That(DataOf("<Data>&lt;&gt;&amp;&apos;&quot;&#65;&#x42;&#x1F600;</Data>"), Is.EqualTo(new Data("<>&'\"AB😀")));
    }

    [Test]
    public void Line_ends_in_text_are_normalised_but_raw_xml_is_verbatim()
    {
        Assert.That(DataOf("<Data>a\r\nb\rc</Data>"), Is.EqualTo(new Data("a\nb\nc")));
        Assert.That(DataOf("<Data><x>\r\n</x></Data>"), Is.EqualTo(new Data("<x>\r\n</x>", DataForm.Xml)));
    }

    [Test]
    public void Data_forms()
    {
        Assert.That(DataOf("<Data/>"), Is.EqualTo(new Data("")));
        Assert.That(DataOf("<Data>  spaced  </Data>"), Is.EqualTo(new Data("  spaced  ")));
        Assert.That(DataOf("<Data>\n  <![CDATA[{\"a\":\"<b>\"}]]>\n  <!-- c --></Data>"), Is.EqualTo(new Data("{\"a\":\"<b>\"}", DataForm.CData)));
        Assert.That(DataOf("<Data>x<![CDATA[y]]></Data>"), Is.EqualTo(new Data("xy")), "text outside the section makes it text");
        Assert.That(DataOf("<Data>a<!-- c -->b</Data>"), Is.EqualTo(new Data("ab")));
        Assert.That(DataOf("<Data> <Enabled/> </Data>"), Is.EqualTo(new Data(" <Enabled/> ", DataForm.Xml)));
    }

    [Test]
    public void Items_children_in_any_order_and_meta_children_in_any_namespace()
    {
        var item = FirstItem(Read(
            "<SyncML><SyncBody><Replace><Item><Data>1</Data><Meta xmlns:m='syncml:metinf'><m:Format>int</m:Format><Type xmlns=''>text/plain</Type>" +
            "<Mark xmlns='syncml:metinfo'>critical</Mark></Meta><Target><LocURI>\n   ./Device/Vendor/MSFT/x \n</LocURI></Target></Item></Replace></SyncBody></SyncML>"));
        Assert.That((item.Meta!.Format, item.Meta.Type, item.Meta.Mark, item.Target!.LocURI, item.Data!.Value),
            Is.EqualTo(("int", "text/plain", "critical", "./Device/Vendor/MSFT/x", "1")));
    }

    [Test]
    public void Unknown_body_elements_are_kept_with_their_CmdID()
    {
        var m = Read("<SyncML><SyncBody><Map><CmdID>7</CmdID><MapItem>x</MapItem></Map><Get><CmdID>8</CmdID></Get></SyncBody></SyncML>");
        var unknown = (UnknownCommand)m.SyncBody.Commands[0];
        Assert.That((unknown.ElementName, unknown.CmdID, unknown.RawXml), Is.EqualTo(("Map", "7", "<Map><CmdID>7</CmdID><MapItem>x</MapItem></Map>")));
        Assert.That(m.SyncBody.Commands[1], Is.TypeOf<Get>());
    }

    [Test]
    public void Empty_SyncHdr_is_no_header_and_empty_Meta_is_kept()
    {
        var m = Read("<SyncML><SyncHdr/><SyncBody><Alert><CmdID>1</CmdID><Item><Meta></Meta></Item></Alert></SyncBody></SyncML>");
        Assert.That(m.SyncHdr, Is.Null);
        Assert.That(((Alert)m.SyncBody.Commands[0]).Items[0].Meta, Is.Not.Null);
    }

    [Test]
    public void Declared_prefixes_and_foreign_attributes_are_accepted()
    {
        var m = Read("<SyncML xmlns='SYNCML:SYNCML1.2'><SyncBody xmlns:msft='http://schemas.microsoft.com/MobileDevice/MDM'>" +
                     "<Results><CmdID>1</CmdID><Item><Data msft:originalerror='0x86000002'>x</Data></Item></Results></SyncBody></SyncML>");
        Assert.That(((Results)m.SyncBody.Commands[0]).Items[0].Data!.Value, Is.EqualTo("x"));
    }
}

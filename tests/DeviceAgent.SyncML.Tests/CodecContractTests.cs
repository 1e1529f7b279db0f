namespace DeviceAgent.SyncML.Tests;

/// <summary>
/// The codec's small public contracts, exact values each: status and alert names, the error's position text, the
/// reader's option checks and the encoding detection boundary (targets of the mutation-testing pass, docs/testing.md).
/// </summary>
public class CodecContractTests
{
    [TestCase(200, "OK")]
    [TestCase(202, "Accepted for processing")]
    [TestCase(212, "Authentication accepted")]
    [TestCase(213, "Chunked item accepted and buffered")]
    [TestCase(214, "Operation cancelled")]
    [TestCase(215, "Not executed")]
    [TestCase(216, "Atomic roll back OK")]
    [TestCase(400, "Bad request")]
    [TestCase(401, "Invalid credentials")]
    [TestCase(403, "Forbidden")]
    [TestCase(404, "Not found")]
    [TestCase(405, "Command not allowed")]
    [TestCase(406, "Optional feature not supported")]
    [TestCase(407, "Missing credentials")]
    [TestCase(415, "Unsupported media type or format")]
    [TestCase(418, "Already exists")]
    [TestCase(424, "Size mismatch")]
    [TestCase(425, "Permission denied")]
    [TestCase(500, "Command failed")]
    [TestCase(507, "Atomic failed")]
    [TestCase(516, "Atomic roll back failed")]
    [TestCase(517, "Atomic response too large")]
    [TestCase(201, null)]
    [TestCase(0, null)]
    public void Status_codes_are_described_by_their_SyncML_meaning(int code, string? meaning) =>
        Assert.That(StatusCodes.Describe(code), Is.EqualTo(meaning));

    [TestCase(1100, "DISPLAY")]
    [TestCase(1200, "SERVER-INITIATED MGMT")]
    [TestCase(1201, "CLIENT-INITIATED MGMT")]
    [TestCase(1222, "NEXT MESSAGE")]
    [TestCase(1223, "SESSION ABORT")]
    [TestCase(1224, "CLIENT EVENT")]
    [TestCase(1225, "NO END OF DATA")]
    [TestCase(1226, "GENERIC ALERT")]
    [TestCase(1101, null)]
    public void Alert_codes_are_described_by_their_OMA_DM_name(int code, string? name) =>
        Assert.That(AlertCodes.Describe(code), Is.EqualTo(name));

    [Test]
    public void An_XML_error_is_placed_by_line_and_column_and_a_WBXML_error_by_byte()
    {
        var xml = new SyncMLFormatException("bad", 3, 7);
        var wbxml = new SyncMLFormatException("worse", 12);
        var first = new SyncMLFormatException("at start", 0);

        Assert.Multiple(() =>
        {
            Assert.That(xml.Message, Is.EqualTo("3:7 bad"));
            Assert.That((xml.Reason, xml.Line, xml.Column, xml.ByteOffset, xml.Where), Is.EqualTo(("bad", 3, 7, -1, "3:7")));
            Assert.That(wbxml.Message, Is.EqualTo("byte 12: worse"));
            Assert.That((wbxml.Reason, wbxml.Line, wbxml.Column, wbxml.ByteOffset, wbxml.Where), Is.EqualTo(("worse", 0, 0, 12, "byte 12")));
            // Offset 0 is a byte position too (the version byte), not "no offset".
            Assert.That(first.Where, Is.EqualTo("byte 0"));
        });
    }

    [Test]
    public void Reader_limits_must_be_at_least_one()
    {
        byte[] message = "<SyncML><SyncHdr/><SyncBody/></SyncML>"u8.ToArray();
        // Limits exactly at this message's size, depth and element count.
        var exact = new SyncMLReaderOptions { MaxMessageBytes = message.Length, MaxDepth = 2, MaxElements = 3 };

        Assert.Multiple(() =>
        {
            Assert.That(() => SyncMLReader.ReadMessage(message, exact), Throws.Nothing);
            Assert.That(() => SyncMLReader.ReadMessage(message, new SyncMLReaderOptions { MaxMessageBytes = 0 }),
                Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("MaxMessageBytes"));
            Assert.That(() => SyncMLReader.ReadMessage(message, new SyncMLReaderOptions { MaxDepth = 0 }),
                Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("MaxDepth"));
            Assert.That(() => SyncMLReader.ReadFragment(message, new SyncMLReaderOptions { MaxElements = 0 }),
                Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("MaxElements"));
            Assert.That(() => SyncMLWbxml.ToXml([0x02, 0x00], new SyncMLReaderOptions { MaxElements = 0 }),
                Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("MaxElements"));
            Assert.That(() => SyncMLWbxml.ReadMessage([0x02, 0x00], new SyncMLReaderOptions { MaxDepth = 0 }),
                Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("MaxDepth"));
        });
    }

    [Test]
    public void Default_reader_limits_are_4_MiB_depth_64_and_200000_elements()
    {
        Assert.That((SyncMLReaderOptions.Default.MaxMessageBytes, SyncMLReaderOptions.Default.MaxDepth, SyncMLReaderOptions.Default.MaxElements,
            SyncMLReaderOptions.Default.AllowUndeclaredPrefixes), Is.EqualTo((4 * 1024 * 1024, 64, 200_000, false)));
    }

    [TestCase((byte)0x00, SyncMLEncoding.Wbxml)]
    [TestCase((byte)0x03, SyncMLEncoding.Wbxml)]
    [TestCase((byte)0x04, SyncMLEncoding.Xml)]
    [TestCase((byte)'<', SyncMLEncoding.Xml)]
    public void The_first_byte_tells_WBXML_versions_0_to_3_from_XML(byte first, SyncMLEncoding encoding) =>
        Assert.That(SyncMLWbxml.DetectEncoding([first, 0x6A]), Is.EqualTo(encoding));

    [Test]
    public void A_message_written_in_one_encoding_reads_back_through_ReadAnyMessage()
    {
        var message = new SyncMLMessage { SyncHdr = new SyncHdr { SessionID = "5", MsgID = "1" } };
        message.SyncBody.Commands.Add(new Alert { CmdID = "1", Data = "1201" });
        message.SyncBody.Final = true;

        byte[] wbxml = SyncMLWbxml.ToBytes(message, SyncMLEncoding.Wbxml);
        byte[] xml = SyncMLWbxml.ToBytes(message, SyncMLEncoding.Xml);

        Assert.Multiple(() =>
        {
            Assert.That(wbxml[0], Is.EqualTo(0x03), "WBXML 1.3 version byte");
            Assert.That(xml, Is.EqualTo(SyncMLWriter.ToBytes(message)));
            Assert.That(SyncMLEquivalence.AreEqual(message, SyncMLWbxml.ReadAnyMessage(wbxml), out string d1), Is.True, d1);
            Assert.That(SyncMLEquivalence.AreEqual(message, SyncMLWbxml.ReadAnyMessage(xml), out string d2), Is.True, d2);
            Assert.That(SyncMLWbxml.ReadFragment(wbxml).Kind, Is.EqualTo(SyncMLDocumentKind.Message));
        });
    }

    [Test]
    public void A_WBXML_document_of_one_bare_command_is_a_fragment_but_not_a_message()
    {
        // WBXML 1.2, SyncML 1.2 (0x1201 as mb_u_int32 A4 01), UTF-8 (0x6A), no string table; <Add><CmdID>2</CmdID></Add>
        // (Add 0x05 and CmdID 0x0B of code page 0, with content 0x40; STR_I 0x03; END 0x01), written by hand.
        byte[] wbxml = [0x02, 0xA4, 0x01, 0x6A, 0x00, 0x45, 0x4B, 0x03, (byte)'2', 0x00, 0x01, 0x01];

        SyncMLFragment fragment = SyncMLWbxml.ReadFragment(wbxml);

        Assert.That(fragment.Kind, Is.EqualTo(SyncMLDocumentKind.Commands));
        Assert.That(fragment.Message.SyncBody.Commands.Single().CmdID, Is.EqualTo("2"));
        Assert.That(() => SyncMLWbxml.ReadMessage(wbxml), Throws.TypeOf<SyncMLFormatException>().With.Property("ByteOffset").EqualTo(5));
    }

    [Test]
    public void Writing_WBXML_refuses_null_arguments_by_name()
    {
        Assert.That(() => SyncMLWbxml.Write(null!, new System.Buffers.ArrayBufferWriter<byte>()),
            Throws.ArgumentNullException.With.Property("ParamName").EqualTo("message"));
        Assert.That(() => SyncMLWbxml.Write(new SyncMLMessage(), null!),
            Throws.ArgumentNullException.With.Property("ParamName").EqualTo("output"));
    }
}

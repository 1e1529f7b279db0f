using System.Buffers;
using System.Text;

namespace DeviceAgent.SyncML.Tests;

/// <summary>
/// The writer's byte output layer (Writing/XmlOutput): text longer than one transcoding chunk, a surrogate pair across
/// the chunk boundary, lone surrogates and control characters refused with their code point, and output into a buffer
/// writer that hands out no more than it is asked for (targets of the mutation-testing pass, docs/testing.md).
/// </summary>
public class WriterOutputTests
{
    private static Alert AlertWithItemData(Data data)
    {
        var alert = new Alert { CmdID = "1", Data = "1226" };
        alert.Items.Add(new Item { Data = data });
        return alert;
    }

    private static string Expected(string dataXml) =>
        $"<Alert><CmdID>1</CmdID><Data>1226</Data><Item><Data>{dataXml}</Data></Item></Alert>";

    [TestCase(2047, TestName = "A surrogate pair split by the 2048-character chunk boundary is written whole")]
    [TestCase(2046, TestName = "A surrogate pair just before the chunk boundary is written whole")]
    [TestCase(5000, TestName = "Text of several chunks is written whole")]
    public void Long_text_is_transcoded_to_exact_UTF8(int asciiBefore)
    {
        string value = new string('a', asciiBefore) + "\U0001F600é日" + new string('b', 3000) + "<&>";

        string written = SyncMLWriter.ToXml(AlertWithItemData(value));

        string escaped = value.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
        Assert.That(written, Is.EqualTo(Expected(escaped)));
    }

    // Lone surrogates are built in code: an attribute argument is stored as UTF-8, which would replace them with U+FFFD.
    [TestCase("x", 0xD800, "y", TestName = "A lone high surrogate between characters is refused with its code point")]
    [TestCase("", 0xDC00, "", TestName = "A lone low surrogate is refused with its code point")]
    public void A_lone_surrogate_is_refused_with_its_code_point(string before, int surrogate, string after) =>
        Assert.That(() => SyncMLWriter.ToXml(AlertWithItemData(before + (char)surrogate + after)), Throws.ArgumentException.With.Message
            .EqualTo($"the text contains a lone surrogate (U+{surrogate:X4}), which UTF-8 cannot encode"));

    [TestCase("\u0001", "U+0001")]
    [TestCase("ok\u001F", "U+001F")]
    [TestCase("\uFFFE", "U+FFFE")]
    public void A_character_XML_cannot_carry_is_refused_in_text_with_its_code_point(string value, string codePoint) =>
        Assert.That(() => SyncMLWriter.ToXml(AlertWithItemData(value)), Throws.ArgumentException.With.Message
            .StartsWith($"character {codePoint} cannot be represented in XML 1.0"));

    [TestCase("a<b&c>\u0001", "U+0001")]
    [TestCase("]]>\u000B", "U+000B")]
    [TestCase("\r\uFFFF", "U+FFFF")]
    public void A_character_XML_cannot_carry_is_refused_in_CDATA_after_allowed_specials(string value, string codePoint) =>
        Assert.That(() => SyncMLWriter.ToXml(AlertWithItemData(new Data(value, DataForm.CData))), Throws.ArgumentException.With.Message
            .EqualTo($"character {codePoint} cannot be represented in XML 1.0"));

    [Test]
    public void CDATA_keeps_markup_characters_and_splits_only_at_the_end_marker_and_CR()
    {
        string xml = SyncMLWriter.ToXml(AlertWithItemData(new Data("<a>&]]>\rb]]", DataForm.CData)));

        Assert.That(xml, Is.EqualTo(Expected("<![CDATA[<a>&]]]]><![CDATA[>]]>&#xD;<![CDATA[b]]]]>")));
    }

    [Test]
    public void Output_into_a_writer_that_hands_out_exactly_what_is_asked_is_the_same_as_into_an_array()
    {
        var message = new SyncMLMessage { SyncHdr = new SyncHdr { SessionID = "1", MsgID = "1" } };
        message.SyncBody.Commands.Add(AlertWithItemData(new string('x', 9000) + "\U0001F600"));
        message.SyncBody.Commands.Add(AlertWithItemData(new Data(new string('y', 5000), DataForm.CData)));
        message.SyncBody.Final = true;
        var exact = new ExactBufferWriter();

        SyncMLWriter.Write(message, exact, indented: true);

        Assert.That(exact.Written, Is.EqualTo(Encoding.UTF8.GetBytes(SyncMLWriter.ToXml(message, indented: true))));
        Assert.That(exact.SmallestRequest, Is.GreaterThanOrEqualTo(4096), "the writer asks for at least 4 KiB at a time");
    }

    /// <summary>A buffer writer that gives spans of exactly the size asked for, so a write past a reservation fails.</summary>
    private sealed class ExactBufferWriter : IBufferWriter<byte>
    {
        private readonly List<byte> _written = [];
        private byte[] _current = [];

        public byte[] Written => [.. _written];

        public int SmallestRequest { get; private set; } = int.MaxValue;

        public void Advance(int count)
        {
            if (count > _current.Length) throw new InvalidOperationException($"advanced {count} past a span of {_current.Length}");
            _written.AddRange(_current.AsSpan(0, count).ToArray());
            _current = [];
        }

        public Memory<byte> GetMemory(int sizeHint = 0) => GetArray(sizeHint);

        public Span<byte> GetSpan(int sizeHint = 0) => GetArray(sizeHint);

        private byte[] GetArray(int sizeHint)
        {
            SmallestRequest = Math.Min(SmallestRequest, sizeHint);
            _current = new byte[Math.Max(sizeHint, 1)];
            return _current;
        }
    }
}

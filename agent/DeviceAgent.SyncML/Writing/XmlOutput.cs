using System.Buffers;
using System.Text.Unicode;

namespace DeviceAgent.SyncML.Writing;

/// <summary>Writes UTF-8 XML straight into an <see cref="IBufferWriter{T}"/>, escaping as it goes (no intermediate strings).</summary>
internal ref struct XmlOutput
{
    private const int ChunkChars = 2048;

    // Characters that need an escape, plus those XML 1.0 cannot carry at all (checked on the slow path).
    private static readonly SearchValues<char> s_special = SearchValues.Create(
        "<>&\r\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000B\u000C\u000E\u000F" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F\uFFFE\uFFFF");

    private readonly IBufferWriter<byte> _output;
    private readonly bool _indented;
    private Span<byte> _span;
    private int _used;
    private int _level;

    public XmlOutput(IBufferWriter<byte> output, bool indented)
    {
        _output = output;
        _indented = indented;
    }

    public void Flush()
    {
        if (_used > 0) _output.Advance(_used);
        _used = 0;
        _span = default;
    }

    private Span<byte> Reserve(int bytes)
    {
        if (_span.Length - _used < bytes)
        {
            Flush();
            _span = _output.GetSpan(Math.Max(bytes, 4096));
        }

        return _span[_used..];
    }

    public void Raw(ReadOnlySpan<byte> utf8)
    {
        utf8.CopyTo(Reserve(utf8.Length));
        _used += utf8.Length;
    }

    private void Byte(byte b)
    {
        Reserve(1)[0] = b;
        _used++;
    }

    private void NewLine()
    {
        if (!_indented) return;
        Span<byte> span = Reserve(1 + 2 * _level);
        span[0] = (byte)'\n';
        span.Slice(1, 2 * _level).Fill((byte)' ');
        _used += 1 + 2 * _level;
    }

    /// <summary>Writes "&lt;name" on a new (indented) line; the caller ends the tag.</summary>
    public void StartTag(ReadOnlySpan<byte> name, bool firstInDocument = false)
    {
        if (!firstInDocument) NewLine();
        Byte((byte)'<');
        Raw(name);
    }

    public void Open(ReadOnlySpan<byte> name, bool firstInDocument = false)
    {
        StartTag(name, firstInDocument);
        EndStartTag();
    }

    /// <summary>Ends a start tag begun with <see cref="StartTag"/> whose element has child elements.</summary>
    public void EndStartTag()
    {
        Byte((byte)'>');
        _level++;
    }

    public void Close(ReadOnlySpan<byte> name)
    {
        _level--;
        NewLine();
        Raw("</"u8);
        Raw(name);
        Byte((byte)'>');
    }

    public void Empty(ReadOnlySpan<byte> name)
    {
        StartTag(name);
        Raw("/>"u8);
    }

    /// <summary>&lt;name&gt;escaped value&lt;/name&gt;, or nothing when the value is null.</summary>
    public void Element(ReadOnlySpan<byte> name, string? value, ReadOnlySpan<byte> attributes = default)
    {
        if (value is null) return;
        StartTag(name);
        Raw(attributes);
        Byte((byte)'>');
        Text(value);
        Raw("</"u8);
        Raw(name);
        Byte((byte)'>');
    }

    /// <summary>A string kept as raw XML (Meta children and commands the codec does not model), placed on its own line.</summary>
    public void RawXml(string xml)
    {
        NewLine();
        Utf8Text(xml);
    }

    /// <summary>Raw XML inside an element whose tags the caller writes.</summary>
    public void InnerXml(string xml) => Utf8Text(xml);

    /// <summary>Escaped character data: &amp; &lt; &gt; and CR (as &amp;#xD; so it survives line-end normalisation).</summary>
    public void Text(string value)
    {
        ReadOnlySpan<char> rest = value;
        while (!rest.IsEmpty)
        {
            int special = rest.IndexOfAny(s_special);
            ReadOnlySpan<char> run = special < 0 ? rest : rest[..special];
            Transcode(run);
            if (special < 0) return;
            char c = rest[special];
            Raw(c switch
            {
                '<' => "&lt;"u8,
                '>' => "&gt;"u8,
                '&' => "&amp;"u8,
                '\r' => "&#xD;"u8,
                _ => throw new ArgumentException($"character U+{(int)c:X4} cannot be represented in XML 1.0", nameof(value)),
            });
            rest = rest[(special + 1)..];
        }
    }

    /// <summary>A CDATA section; "]]&gt;" and CR, which a section cannot hold, are written between sections.</summary>
    public void CData(string value)
    {
        Raw("<![CDATA["u8);
        ReadOnlySpan<char> rest = value;
        while (true)
        {
            int cr = rest.IndexOf('\r');
            int close = rest.IndexOf("]]>");
            int cut = cr < 0 ? close : close < 0 ? cr : Math.Min(cr, close);
            if (cut < 0)
            {
                CheckCharacters(rest);
                Transcode(rest);
                break;
            }

            CheckCharacters(rest[..cut]);
            Transcode(rest[..cut]);
            if (cut == cr)
            {
                Raw("]]>&#xD;<![CDATA["u8);
                rest = rest[(cut + 1)..];
            }
            else
            {
                Raw("]]]]><![CDATA["u8); // the next section starts with ">"
                rest = rest[(cut + 2)..];
            }
        }

        Raw("]]>"u8);
    }

    private static void CheckCharacters(ReadOnlySpan<char> text)
    {
        int bad = text.IndexOfAny(s_special);
        while (bad >= 0)
        {
            char c = text[bad];
            if (c is not ('<' or '>' or '&' or '\r'))
            {
                throw new ArgumentException($"character U+{(int)c:X4} cannot be represented in XML 1.0");
            }

            text = text[(bad + 1)..];
            bad = text.IndexOfAny(s_special);
        }
    }

    private void Utf8Text(string text) => Transcode(text);

    private void Transcode(ReadOnlySpan<char> chars)
    {
        while (!chars.IsEmpty)
        {
            int take = Math.Min(chars.Length, ChunkChars);
            if (take < chars.Length && char.IsHighSurrogate(chars[take - 1])) take--;
            Span<byte> span = Reserve(take * 3);
            OperationStatus status = Utf8.FromUtf16(chars[..take], span, out int read, out int written, replaceInvalidSequences: false);
            if (status != OperationStatus.Done)
            {
                throw new ArgumentException($"the text contains a lone surrogate (U+{(int)chars[read]:X4}), which UTF-8 cannot encode");
            }

            _used += written;
            chars = chars[take..];
        }
    }
}

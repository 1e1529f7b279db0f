using System.Buffers;
using System.Text;

namespace DeviceAgent.SyncML.Wbxml;

/// <summary>
/// Encodes the XML the codec's writer produces (including raw XML it keeps verbatim: unknown commands and Meta children,
/// Data holding elements) as WBXML 1.2 (docs/syncml.md "WBXML"): tags of the SyncML and MetInf code pages as tokens,
/// other names as LITERAL with the string table, text as inline strings, CDATA as OPAQUE, and a DevInf document that is
/// the whole content of a Data as an opaque DevInf WBXML document. Comments and processing instructions are dropped.
/// Input that is not well-formed (raw XML a caller put into the model) is an <see cref="ArgumentException"/>.
/// </summary>
internal ref struct WbxmlEncoder
{
    private readonly ReadOnlySpan<byte> _x;
    private readonly ArrayBufferWriter<byte> _body;
    private readonly ArrayBufferWriter<byte> _strings;
    private readonly Dictionary<string, int> _stringOffsets;
    private WbxmlDocumentType _type;
    private int _pos;
    private int _page;
    private int _literalReferences;

    private WbxmlEncoder(ReadOnlySpan<byte> xml, int position, WbxmlDocumentType type)
    {
        _x = xml;
        _pos = position;
        _type = type;
        _body = new ArrayBufferWriter<byte>(Math.Max(256, xml.Length / 2));
        _strings = new ArrayBufferWriter<byte>(64);
        _stringOffsets = new Dictionary<string, int>(StringComparer.Ordinal);
    }

    /// <summary>The WBXML form of a SyncML XML document written by SyncMLWriter.</summary>
    public static void Encode(ReadOnlySpan<byte> xml, IBufferWriter<byte> output) => Encode(xml, output, out _);

    /// <summary>
    /// As <see cref="Encode(ReadOnlySpan{byte}, IBufferWriter{byte})"/>, also counting the string-table references written
    /// (LITERAL names): each is a multi-byte offset whose width depends on the rest of the document (SyncMLSizeMeter).
    /// </summary>
    public static void Encode(ReadOnlySpan<byte> xml, IBufferWriter<byte> output, out int literalReferences)
    {
        var encoder = new WbxmlEncoder(xml, 0, WbxmlDocumentType.SyncML12);
        encoder.SkipMisc();
        encoder.Element(parentNamespace: null);
        encoder.SkipMisc();
        if (encoder._pos < xml.Length) throw encoder.Error("content after the root element");
        encoder.WriteDocument(output);
        literalReferences = encoder._literalReferences;
    }

    private readonly ArgumentException Error(string what) =>
        new($"the message cannot be encoded as WBXML: {what} at offset {_pos} of its XML form");

    private readonly void WriteDocument(IBufferWriter<byte> output)
    {
        Span<byte> header = stackalloc byte[16];
        int n = 0;
        header[n++] = 0x03; // WBXML 1.3
        n += MultiByte(header[n..], WbxmlTables.PublicId(_type));
        n += MultiByte(header[n..], WbxmlTables.Utf8Charset);
        n += MultiByte(header[n..], _strings.WrittenCount);
        output.Write(header[..n]);
        output.Write(_strings.WrittenSpan);
        output.Write(_body.WrittenSpan);
    }

    private static int MultiByte(Span<byte> into, int value)
    {
        int length = 1;
        for (int v = value >> 7; v != 0; v >>= 7) length++;
        for (int i = length - 1, v = value; i >= 0; i--, v >>= 7)
        {
            into[i] = (byte)((v & 0x7F) | (i == length - 1 ? 0 : 0x80));
        }

        return length;
    }

    private readonly void Byte(byte b)
    {
        _body.GetSpan(1)[0] = b;
        _body.Advance(1);
    }

    private readonly void MultiByte(int value)
    {
        int n = MultiByte(_body.GetSpan(5), value);
        _body.Advance(n);
    }

    private int StringTableOffset(string value)
    {
        _literalReferences++;
        if (_stringOffsets.TryGetValue(value, out int offset)) return offset;
        offset = _strings.WrittenCount;
        _strings.Write(Encoding.UTF8.GetBytes(value));
        _strings.Write([(byte)0]);
        _stringOffsets.Add(value, offset);
        return offset;
    }

    private readonly bool At(ReadOnlySpan<byte> text) => _x[_pos..].StartsWith(text);

    /// <summary>Skips white space, comments, processing instructions and an XML declaration outside the root.</summary>
    private void SkipMisc()
    {
        while (true)
        {
            while (_pos < _x.Length && _x[_pos] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') _pos++;
            if (!SkipCommentOrPi()) return;
        }
    }

    private bool SkipCommentOrPi()
    {
        if (At("<!--"u8)) return SkipTo("-->"u8);
        if (At("<?"u8)) return SkipTo("?>"u8);
        return false;
    }

    private bool SkipTo(ReadOnlySpan<byte> end)
    {
        int found = _x[_pos..].IndexOf(end);
        if (found < 0) throw Error("an unterminated comment or processing instruction");
        _pos += found + end.Length;
        return true;
    }

    /// <summary>Encodes the element starting at the current '&lt;'; recursion is bounded by the model a caller built.</summary>
    private void Element(string? parentNamespace)
    {
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        if (!At("<"u8)) throw Error("expected an element");
        _pos++;
        string name = Name();
        var attributes = new List<(string Name, string Value)>();
        string? declared = null;
        while (true)
        {
            SkipSpace();
            if (_pos >= _x.Length) throw Error($"the input ends in the start tag of <{name}>");
            if (_x[_pos] is (byte)'>' or (byte)'/') break;
            string attribute = Name();
            SkipSpace();
            if (!At("="u8)) throw Error($"expected '=' after attribute '{attribute}'");
            _pos++;
            SkipSpace();
            if (_pos >= _x.Length || _x[_pos] is not ((byte)'"' or (byte)'\'')) throw Error($"expected a quoted value for '{attribute}'");
            byte quote = _x[_pos++];
            int end = _x[_pos..].IndexOf(quote);
            if (end < 0) throw Error($"unterminated value of '{attribute}'");
            string value = Decode(_x.Slice(_pos, end));
            _pos += end + 1;
            if (attribute == "xmlns") declared = value;
            else attributes.Add((attribute, value));
        }

        bool empty = At("/>"u8);
        _pos += empty ? 2 : 1;
        if (parentNamespace is null)
        {
            // The root: its namespace picks the document type (SyncML 1.1 or 1.2; DevInf when nested).
            if (!WbxmlTables.IsDevInf(_type))
            {
                _type = string.Equals(declared, SyncMLNames.Namespace11, StringComparison.OrdinalIgnoreCase)
                    ? WbxmlDocumentType.SyncML11 : WbxmlDocumentType.SyncML12;
            }
        }

        string ns = declared ?? parentNamespace ?? "";
        int page = WbxmlTables.IsDevInf(_type) ? (ns == WbxmlTables.DevInfNamespace ? 0 : -1)
            : ns == SyncMLNames.MetInfNamespace ? WbxmlTables.MetInfPage
            : ns.Length == 0 || ns.StartsWith("SYNCML:SYNCML1.", StringComparison.OrdinalIgnoreCase) ? 0 : -1;
        byte token = page >= 0 && !name.Contains(':') ? WbxmlTables.Token(_type, page, name) : (byte)0;
        if (token == 0 && declared is not null) attributes.Insert(0, ("xmlns", declared));

        byte flags = (byte)((empty ? 0 : WbxmlTables.HasContent) | (attributes.Count > 0 ? WbxmlTables.HasAttributes : 0));
        if (token != 0)
        {
            if (page != _page)
            {
                Byte(WbxmlTables.SwitchPage);
                Byte((byte)page);
                _page = page;
            }

            Byte((byte)(token | flags));
        }
        else
        {
            Byte((byte)(WbxmlTables.Literal | flags));
            MultiByte(StringTableOffset(name));
        }

        if (attributes.Count > 0)
        {
            foreach (var (attribute, value) in attributes)
            {
                Byte(WbxmlTables.Literal);
                MultiByte(StringTableOffset(attribute));
                InlineString(value);
            }

            Byte(WbxmlTables.End);
        }

        if (empty) return;
        bool isData = token != 0 && page == 0 && !WbxmlTables.IsDevInf(_type) && name == "Data";
        if (isData && TryDevInf(ns)) return;
        Content(name, ns);
        Byte(WbxmlTables.End);
    }

    /// <summary>Text, CDATA, comments, processing instructions and child elements up to the end tag of <paramref name="name"/>.</summary>
    private void Content(string name, string ns)
    {
        while (true)
        {
            if (_pos >= _x.Length) throw Error($"the input ends inside <{name}>");
            if (At("</"u8))
            {
                _pos += 2;
                string end = Name();
                SkipSpace();
                if (end != name || !At(">"u8)) throw Error($"expected </{name}>");
                _pos++;
                return;
            }

            if (At("<![CDATA["u8))
            {
                _pos += 9;
                int close = _x[_pos..].IndexOf("]]>"u8);
                if (close < 0) throw Error("an unterminated CDATA section");
                Byte(WbxmlTables.Opaque);
                MultiByte(close);
                _body.Write(_x.Slice(_pos, close));
                _pos += close + 3;
            }
            else if (SkipCommentOrPi())
            {
            }
            else if (At("<"u8))
            {
                Element(ns);
            }
            else
            {
                int lt = _x[_pos..].IndexOf((byte)'<');
                if (lt < 0) lt = _x.Length - _pos;
                InlineString(Decode(_x.Slice(_pos, lt)));
                _pos += lt;
            }
        }
    }

    /// <summary>
    /// A Data whose whole content is one &lt;DevInf xmlns="syncml:devinf"&gt; element goes as an opaque DevInf WBXML
    /// document (DevInf has its own public identifier, OMA SyncML DevInf 1.2). Anything else is left to <see cref="Content"/>.
    /// </summary>
    private bool TryDevInf(string ns)
    {
        if (!At("<DevInf"u8)) return false;
        var inner = new WbxmlEncoder(_x, _pos, WbxmlDocumentType.DevInf12);
        string start = Encoding.UTF8.GetString(_x.Slice(_pos, Math.Min(_x.Length - _pos, 64)));
        if (!start.StartsWith("<DevInf xmlns=\"syncml:devinf\"", StringComparison.Ordinal)) return false;
        inner.Element(ns);
        if (!inner.At("</Data>"u8)) return false;
        var document = new ArrayBufferWriter<byte>();
        inner.WriteDocument(document);
        Byte(WbxmlTables.Opaque);
        MultiByte(document.WrittenCount);
        _body.Write(document.WrittenSpan);
        _pos = inner._pos + "</Data>"u8.Length;
        Byte(WbxmlTables.End);
        return true;
    }

    private readonly void InlineString(string value)
    {
        Byte(WbxmlTables.StrI);
        _body.Write(Encoding.UTF8.GetBytes(value));
        Byte(0);
    }

    private void SkipSpace()
    {
        while (_pos < _x.Length && _x[_pos] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') _pos++;
    }

    private string Name()
    {
        int start = _pos;
        while (_pos < _x.Length && _x[_pos] is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)'>' or (byte)'/' or (byte)'=' or (byte)'<'))
        {
            _pos++;
        }

        if (_pos == start) throw Error("expected a name");
        return Encoding.UTF8.GetString(_x[start.._pos]);
    }

    /// <summary>Character data with its references resolved (the predefined entities and numeric character references).</summary>
    private readonly string Decode(ReadOnlySpan<byte> raw)
    {
        if (raw.IndexOfAny((byte)'&', (byte)'\r') < 0) return Encoding.UTF8.GetString(raw);
        if (raw.IndexOf((byte)'&') < 0) return Literal(raw);
        var text = new StringBuilder(raw.Length);
        while (!raw.IsEmpty)
        {
            int amp = raw.IndexOf((byte)'&');
            if (amp < 0)
            {
                text.Append(Literal(raw));
                break;
            }

            text.Append(Literal(raw[..amp]));
            int semi = raw[amp..].IndexOf((byte)';');
            if (semi < 0) throw Error("a reference without ';'");
            string reference = Encoding.ASCII.GetString(raw.Slice(amp + 1, semi - 1));
            switch (reference)
            {
                case "lt": text.Append('<'); break;
                case "gt": text.Append('>'); break;
                case "amp": text.Append('&'); break;
                case "quot": text.Append('"'); break;
                case "apos": text.Append('\''); break;
                default:
                    bool hex = reference.StartsWith("#x", StringComparison.Ordinal);
                    if (!reference.StartsWith('#')
                        || !int.TryParse(reference.AsSpan(hex ? 2 : 1), hex ? System.Globalization.NumberStyles.AllowHexSpecifier : System.Globalization.NumberStyles.None, null, out int code)
                        || !Rune.IsValid(code))
                    {
                        throw Error($"the reference '&{reference};'");
                    }

                    text.Append(char.ConvertFromUtf32(code));
                    break;
            }

            raw = raw[(amp + semi + 1)..];
        }

        return text.ToString();
    }

    /// <summary>Literal text with line ends normalised as an XML reader does (CR LF and lone CR become LF; XML 1.0 section 2.11).</summary>
    private static string Literal(ReadOnlySpan<byte> raw)
    {
        string text = Encoding.UTF8.GetString(raw);
        return text.Contains('\r') ? text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n') : text;
    }
}

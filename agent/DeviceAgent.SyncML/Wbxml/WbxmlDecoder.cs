using System.Buffers;
using System.Text;

namespace DeviceAgent.SyncML.Wbxml;

/// <summary>
/// Decodes WBXML into the XML the codec's XML reader reads, so both encodings produce one model by one set of rules
/// (docs/syncml.md "WBXML"). Every structural error is reported at its byte offset; the decoder also keeps a map from
/// positions in the XML it wrote back to the WBXML tokens that produced them, so errors the XML layer finds later
/// (a missing SyncBody, say) are reported at a byte offset of the WBXML too.
/// </summary>
internal sealed class WbxmlDecoder
{
    // Bytes that must be escaped when decoded character data becomes XML text or an attribute value.
    private static readonly System.Buffers.SearchValues<byte> s_textSpecial = System.Buffers.SearchValues.Create("<>&\r"u8);
    private static readonly System.Buffers.SearchValues<byte> s_attributeSpecial = System.Buffers.SearchValues.Create("<>&\r\"\n\t"u8);

    private readonly SyncMLReaderOptions _options;
    private readonly ArrayBufferWriter<byte> _xml;
    private readonly List<int> _xmlOffsets = [];
    private readonly List<int> _wbxmlOffsets = [];
    private int _elements;

    private WbxmlDecoder(SyncMLReaderOptions options, int capacity)
    {
        _options = options;
        _xml = new ArrayBufferWriter<byte>(Math.Max(256, capacity));
    }

    /// <summary>The XML form of a WBXML SyncML document; throws <see cref="SyncMLFormatException"/> with a byte offset.</summary>
    public static WbxmlDecoder Decode(ReadOnlySpan<byte> wbxml, SyncMLReaderOptions options)
    {
        if (wbxml.Length > options.MaxMessageBytes)
        {
            throw new SyncMLFormatException(
                $"the message is {wbxml.Length} bytes; the limit is {options.MaxMessageBytes} (SyncMLReaderOptions.MaxMessageBytes)", 0);
        }

        var decoder = new WbxmlDecoder(options, wbxml.Length * 3);
        var document = new Document(decoder, wbxml, baseOffset: 0, depthBase: 0, nested: false);
        document.Decode();
        return decoder;
    }

    /// <summary>The decoded XML (UTF-8).</summary>
    public ReadOnlySpan<byte> Xml => _xml.WrittenSpan;

    /// <summary>The WBXML offset of the token that wrote the XML at a 1-based line and column (an XML reader error's position).</summary>
    public int WbxmlOffset(int line, int column)
    {
        ReadOnlySpan<byte> xml = Xml;
        int offset = 0, l = 1, c = 1;
        while (offset < xml.Length && (l < line || (l == line && c < column)))
        {
            byte b = xml[offset++];
            if (b == (byte)'\n')
            {
                l++;
                c = 1;
            }
            else if ((b & 0xC0) != 0x80)
            {
                c++;
            }
        }

        int index = _xmlOffsets.BinarySearch(offset);
        if (index < 0) index = ~index - 1;
        return index < 0 ? 0 : _wbxmlOffsets[index];
    }

    private void Mark(int wbxmlOffset)
    {
        int xml = _xml.WrittenCount;
        if (_xmlOffsets.Count > 0 && _xmlOffsets[^1] == xml)
        {
            _wbxmlOffsets[^1] = wbxmlOffset;
            return;
        }

        _xmlOffsets.Add(xml);
        _wbxmlOffsets.Add(wbxmlOffset);
    }

    private void Raw(ReadOnlySpan<byte> utf8) => _xml.Write(utf8);

    private void RawByte(byte b)
    {
        _xml.GetSpan(1)[0] = b;
        _xml.Advance(1);
    }

    /// <summary>Character data (already checked to be XML characters), escaped; quotes too inside attribute values.</summary>
    private void Escaped(ReadOnlySpan<byte> text, bool attribute)
    {
        while (!text.IsEmpty)
        {
            int special = attribute ? text.IndexOfAny(s_attributeSpecial) : text.IndexOfAny(s_textSpecial);
            if (special < 0)
            {
                Raw(text);
                return;
            }

            Raw(text[..special]);
            Raw(text[special] switch
            {
                (byte)'<' => "&lt;"u8,
                (byte)'>' => "&gt;"u8,
                (byte)'&' => "&amp;"u8,
                (byte)'\r' => "&#xD;"u8,
                (byte)'"' => "&quot;"u8,
                (byte)'\n' => "&#xA;"u8,
                _ => "&#x9;"u8,
            });
            text = text[(special + 1)..];
        }
    }

    /// <summary>Opaque data as CDATA: "]]&gt;" and CR, which a section cannot hold, go between sections (as the XML writer does).</summary>
    private void CData(ReadOnlySpan<byte> text)
    {
        Raw("<![CDATA["u8);
        while (true)
        {
            int cr = text.IndexOf((byte)'\r');
            int close = text.IndexOf("]]>"u8);
            int cut = cr < 0 ? close : close < 0 ? cr : Math.Min(cr, close);
            if (cut < 0) break;
            Raw(text[..cut]);
            if (cut == cr)
            {
                Raw("]]>&#xD;<![CDATA["u8);
                text = text[(cut + 1)..];
            }
            else
            {
                Raw("]]]]><![CDATA["u8);
                text = text[(cut + 2)..];
            }
        }

        Raw(text);
        Raw("]]>"u8);
    }

    /// <summary>One WBXML document: the SyncML message, or a DevInf document carried as opaque data inside it.</summary>
    private ref struct Document
    {
        private readonly WbxmlDecoder _d;
        private readonly ReadOnlySpan<byte> _s;
        private readonly int _base;
        private readonly int _depthBase;
        private readonly bool _nested;
        private ReadOnlySpan<byte> _strings;
        private int _stringsOffset;
        private int _pos;
        private WbxmlDocumentType _type;
        private int _page;

        public Document(WbxmlDecoder decoder, ReadOnlySpan<byte> wbxml, int baseOffset, int depthBase, bool nested)
        {
            _d = decoder;
            _s = wbxml;
            _base = baseOffset;
            _depthBase = depthBase;
            _nested = nested;
        }

        private readonly SyncMLFormatException Error(string reason, int offset) => new(reason, _base + offset);

        private readonly string Hex(int offset) => $"0x{_s[offset]:X2}";

        public void Decode()
        {
            ReadHeader();
            byte[]?[][] pages = WbxmlTables.Pages(_type);
            string rootNamespace = _type switch
            {
                WbxmlDocumentType.SyncML11 => SyncMLNames.Namespace11,
                WbxmlDocumentType.SyncML12 => SyncMLNames.Namespace12,
                _ => WbxmlTables.DevInfNamespace,
            };

            // Open elements: name, namespace (-1 root namespace, 1 MetInf, as page numbers), start offset, whether Data.
            var open = new List<(byte[] Name, int Namespace, int Offset, bool IsData)>();
            bool rootDone = false;
            while (true)
            {
                if (_pos >= _s.Length)
                {
                    if (rootDone) return;
                    if (open.Count == 0) throw Error("the input ends before the root element (truncated message?)", _pos);
                    var (name, _, start, _) = open[^1];
                    throw Error($"the input ends inside <{Encoding.UTF8.GetString(name)}> opened at byte {_base + start} (truncated message?)", _pos);
                }

                int at = _pos;
                byte token = _s[_pos++];
                if (rootDone)
                {
                    throw Error($"{Describe(token)} follows the end of the root element; a message has one root", at);
                }

                switch (token)
                {
                    case WbxmlTables.SwitchPage:
                    {
                        if (_pos >= _s.Length) throw Error("the input ends after SWITCH_PAGE (truncated message?)", _pos);
                        int page = _s[_pos++];
                        if (page >= pages.Length)
                        {
                            WbxmlDocumentType type = _type;
                            throw Error(
                                $"code page {page} does not exist in {DocumentName()} (it has {string.Join(", ", Enumerable.Range(0, pages.Length).Select(p => $"{p} {WbxmlTables.PageName(type, p)}"))})",
                                at + 1);
                        }

                        _page = page;
                        break;
                    }

                    case WbxmlTables.End:
                    {
                        if (open.Count == 0) throw Error("END with no open element", at);
                        _d.Mark(_base + at);
                        _d.Raw("</"u8);
                        _d.Raw(open[^1].Name);
                        _d.RawByte((byte)'>');
                        open.RemoveAt(open.Count - 1);
                        break;
                    }

                    case WbxmlTables.StrI:
                    case WbxmlTables.StrT:
                    case WbxmlTables.Entity:
                    case WbxmlTables.Opaque:
                    {
                        if (open.Count == 0) throw Error($"{Describe(token)} outside the root element; only elements may be there", at);
                        _d.Mark(_base + at);
                        if (token == WbxmlTables.Opaque) ReadOpaque(at, open[^1].IsData, open.Count);
                        else WriteText(token, at, attribute: false);
                        break;
                    }

                    case WbxmlTables.Literal:
                    case WbxmlTables.LiteralC:
                    case WbxmlTables.LiteralA:
                    case WbxmlTables.LiteralAC:
                    {
                        int nameAt = _pos;
                        ReadOnlySpan<byte> name = TableString(ReadMultiByte("a literal tag name"), nameAt);
                        CheckName(name, nameAt);
                        int ns = open.Count == 0 ? -1 : open[^1].Namespace;
                        StartElement(at, name.ToArray(), ns, writeNamespace: open.Count == 0 ? rootNamespace : null, token, open);
                        break;
                    }

                    default:
                    {
                        if (token is (>= WbxmlTables.ExtI0 and <= WbxmlTables.Pi) or (>= WbxmlTables.ExtT0 and <= WbxmlTables.ExtT2)
                            or (>= WbxmlTables.Ext0 and <= WbxmlTables.Ext2))
                        {
                            throw Error($"{Describe(token)} is not used by {DocumentName()}", at);
                        }

                        int id = token & 0x3F;
                        byte[]?[] page = pages[_page];
                        byte[]? name = id - 5 < page.Length ? page[id - 5] : null;
                        if (name is null)
                        {
                            throw Error($"unknown tag token {Hex(at)} on code page {_page} ({WbxmlTables.PageName(_type, _page)})", at);
                        }

                        int ns = _page == WbxmlTables.MetInfPage ? WbxmlTables.MetInfPage : -1;
                        bool changes = open.Count == 0 || open[^1].Namespace != ns;
                        string? declare = !changes ? null : ns == WbxmlTables.MetInfPage ? SyncMLNames.MetInfNamespace : rootNamespace;
                        StartElement(at, name, ns, declare, token, open);
                        break;
                    }
                }

                rootDone = open.Count == 0;
                if (_d._xml.WrittenCount > _d._options.MaxMessageBytes)
                {
                    throw Error(
                        $"the message decodes to more than {_d._options.MaxMessageBytes} bytes of XML (SyncMLReaderOptions.MaxMessageBytes)", at);
                }
            }
        }

        private readonly string DocumentName() => WbxmlTables.IsDevInf(_type) ? "DevInf" : "SyncML";

        private static string Describe(byte token) => token switch
        {
            WbxmlTables.SwitchPage => "SWITCH_PAGE",
            WbxmlTables.End => "END",
            WbxmlTables.Entity => "ENTITY",
            WbxmlTables.StrI => "STR_I (inline string)",
            WbxmlTables.StrT => "STR_T (string-table reference)",
            WbxmlTables.Opaque => "OPAQUE",
            WbxmlTables.Pi => "PI (processing instruction)",
            >= WbxmlTables.ExtI0 and <= WbxmlTables.ExtI2 => $"EXT_I_{token - WbxmlTables.ExtI0}",
            >= WbxmlTables.ExtT0 and <= WbxmlTables.ExtT2 => $"EXT_T_{token - WbxmlTables.ExtT0}",
            >= WbxmlTables.Ext0 and <= WbxmlTables.Ext2 => $"EXT_{token - WbxmlTables.Ext0}",
            _ => $"a tag (token 0x{token:X2})",
        };

        private void StartElement(int at, byte[] name, int ns, string? writeNamespace, byte token, List<(byte[], int, int, bool)> open)
        {
            int depth = _depthBase + open.Count + 1;
            if (depth > _d._options.MaxDepth)
            {
                throw Error($"elements are nested more than {_d._options.MaxDepth} deep (SyncMLReaderOptions.MaxDepth)", at);
            }

            if (++_d._elements > _d._options.MaxElements)
            {
                throw Error($"more than {_d._options.MaxElements} elements (SyncMLReaderOptions.MaxElements)", at);
            }

            _d.Mark(_base + at);
            _d.RawByte((byte)'<');
            _d.Raw(name);
            if (writeNamespace is not null)
            {
                _d.Raw(" xmlns=\""u8);
                _d.Raw(Encoding.ASCII.GetBytes(writeNamespace));
                _d.RawByte((byte)'"');
            }

            if ((token & WbxmlTables.HasAttributes) != 0) ReadAttributes(name);
            bool hasContent = (token & WbxmlTables.HasContent) != 0;
            if (!hasContent)
            {
                _d.Raw("/>"u8);
                return;
            }

            _d.RawByte((byte)'>');
            bool isData = !WbxmlTables.IsDevInf(_type) && ns == -1 && name.AsSpan().SequenceEqual("Data"u8);
            open.Add((name, ns, at, isData));
        }

        /// <summary>Attributes: LITERAL name, then value tokens, until END. SyncML and DevInf define no attribute tokens.</summary>
        private void ReadAttributes(byte[] element)
        {
            while (true)
            {
                if (_pos >= _s.Length) throw Error($"the input ends inside the attributes of <{Encoding.UTF8.GetString(element)}> (truncated message?)", _pos);
                int at = _pos;
                byte token = _s[_pos++];
                if (token == WbxmlTables.End) return;
                if (token != WbxmlTables.Literal)
                {
                    throw Error($"unknown attribute token 0x{token:X2} on <{Encoding.UTF8.GetString(element)}>; {DocumentName()} defines no attribute tokens, only LITERAL names", at);
                }

                int nameAt = _pos;
                ReadOnlySpan<byte> name = TableString(ReadMultiByte("an attribute name"), nameAt);
                CheckName(name, nameAt);
                _d.Mark(_base + at);
                _d.RawByte((byte)' ');
                _d.Raw(name);
                _d.Raw("=\""u8);
                while (_pos < _s.Length && _s[_pos] is WbxmlTables.StrI or WbxmlTables.StrT or WbxmlTables.Entity)
                {
                    int valueAt = _pos++;
                    WriteText(_s[valueAt], valueAt, attribute: true);
                }

                _d.RawByte((byte)'"');
            }
        }

        /// <summary>STR_I, STR_T or ENTITY (the token at <paramref name="at"/>, already consumed) as escaped character data.</summary>
        private void WriteText(byte token, int at, bool attribute)
        {
            ReadOnlySpan<byte> text;
            int textAt;
            if (token == WbxmlTables.StrI)
            {
                textAt = _pos;
                int nul = _s[_pos..].IndexOf((byte)0);
                if (nul < 0) throw Error("an inline string (STR_I) has no terminating NUL (truncated message?)", _s.Length);
                text = _s.Slice(_pos, nul);
                _pos += nul + 1;
            }
            else if (token == WbxmlTables.StrT)
            {
                textAt = _pos;
                int index = ReadMultiByte("a string-table offset");
                text = TableString(index, textAt);
                textAt = _stringsOffset + index;
            }
            else
            {
                textAt = _pos;
                int code = ReadMultiByte("an ENTITY character code");
                if (!IsXmlChar(code)) throw Error($"ENTITY U+{code:X4} is not a character XML can hold", textAt);
                Span<byte> utf8 = stackalloc byte[4];
                int length = new Rune(code).EncodeToUtf8(utf8);
                _d.Escaped(utf8[..length], attribute);
                return;
            }

            CheckText(text, textAt);
            _d.Escaped(text, attribute);
        }

        /// <summary>
        /// OPAQUE: inside Data, a DevInf WBXML document (as SyncML DS and libwbxml carry device information) is decoded in
        /// place; other opaque data must be UTF-8 text and becomes a CDATA section (libdmclient sends Data this way).
        /// </summary>
        private void ReadOpaque(int at, bool inData, int openCount)
        {
            int length = ReadMultiByte("an OPAQUE length");
            int dataAt = _pos;
            if (length > _s.Length - _pos)
            {
                throw Error($"OPAQUE of {length} bytes runs past the end of the input ({_s.Length - _pos} bytes left; truncated message?)", at);
            }

            ReadOnlySpan<byte> data = _s.Slice(dataAt, length);
            _pos += length;
            if (inData && !_nested && IsDevInfDocument(data))
            {
                var inner = new Document(_d, data, _base + dataAt, _depthBase + openCount, nested: true);
                inner.Decode();
                return;
            }

            CheckText(data, dataAt, "opaque data is not UTF-8 text; the codec holds Data as text (docs/syncml.md \"WBXML\")");
            _d.CData(data);
        }

        private static bool IsDevInfDocument(ReadOnlySpan<byte> data)
        {
            if (data.Length < 2 || data[0] is < 1 or > 3) return false;
            int id = 0;
            for (int i = 1; i < Math.Min(data.Length, 4); i++)
            {
                id = (id << 7) | (data[i] & 0x7F);
                if ((data[i] & 0x80) == 0) return id is WbxmlTables.DevInf11PublicId or WbxmlTables.DevInf12PublicId;
            }

            return false;
        }

        private void ReadHeader()
        {
            if (_s.IsEmpty) throw Error("the input is empty", 0);
            byte version = _s[_pos++];
            if (version is < 1 or > 3)
            {
                throw Error($"WBXML version 0x{version:X2} is not supported (1.1, 1.2 and 1.3 are: 0x01..0x03)", 0);
            }

            int publicIdAt = _pos;
            int publicId = ReadMultiByte("the public identifier");
            int literalIdAt = _pos;
            int literalId = publicId == 0 ? ReadMultiByte("the public identifier's string-table offset") : -1;
            int charsetAt = _pos;
            int charset = ReadMultiByte("the character set");
            if (charset is not (WbxmlTables.Utf8Charset or 0))
            {
                throw Error($"character set {charset} (IANA MIBenum) is not supported; SyncML WBXML is read as UTF-8 (106)", charsetAt);
            }

            int lengthAt = _pos;
            int tableLength = ReadMultiByte("the string-table length");
            if (tableLength > _s.Length - _pos)
            {
                throw Error($"the string table of {tableLength} bytes runs past the end of the input ({_s.Length - _pos} bytes left; truncated message?)", lengthAt);
            }

            _stringsOffset = _pos;
            _strings = _s.Slice(_pos, tableLength);
            _pos += tableLength;

            bool known = publicId == 0
                ? WbxmlTables.TryGetDocumentType(TableString(literalId, literalIdAt), out _type)
                : WbxmlTables.TryGetDocumentType(publicId, out _type);
            string shown = publicId == 0 ? $"'{Encoding.ASCII.GetString(TableString(literalId, literalIdAt))}'" : $"0x{publicId:X}";
            if (!known)
            {
                throw Error($"public identifier {shown} is not SyncML 1.1/1.2 (0x0FD3, 0x1201) or DevInf 1.1/1.2 (0x0FD4, 0x1203)", publicIdAt);
            }

            if (WbxmlTables.IsDevInf(_type) != _nested)
            {
                throw Error(
                    _nested ? $"opaque data in Data holds public identifier {shown}; only DevInf documents are decoded there"
                            : $"public identifier {shown} is a DevInf document, not a SyncML message",
                    publicIdAt);
            }
        }

        /// <summary>A WBXML mb_u_int32: up to five bytes of 7 bits, most significant first.</summary>
        private int ReadMultiByte(string what)
        {
            int start = _pos;
            long value = 0;
            while (true)
            {
                if (_pos >= _s.Length) throw Error($"the input ends inside {what} (truncated message?)", _pos);
                byte b = _s[_pos++];
                value = (value << 7) | (uint)(b & 0x7F);
                if (value > int.MaxValue) throw Error($"{what} is larger than {int.MaxValue}", start);
                if ((b & 0x80) == 0) return (int)value;
                if (_pos - start == 5) throw Error($"{what} is longer than the 5 bytes of a WBXML mb_u_int32", start);
            }
        }

        /// <summary>The NUL-terminated string at <paramref name="index"/> of the string table (the reference is at <paramref name="at"/>).</summary>
        private readonly ReadOnlySpan<byte> TableString(int index, int at)
        {
            if (index >= _strings.Length)
            {
                throw Error($"string-table offset {index} is outside the string table ({_strings.Length} bytes)", at);
            }

            int nul = _strings[index..].IndexOf((byte)0);
            if (nul < 0) throw Error($"the string at string-table offset {index} has no terminating NUL", at);
            return _strings.Slice(index, nul);
        }

        private readonly void CheckName(ReadOnlySpan<byte> name, int at)
        {
            bool valid = !name.IsEmpty && IsNameStart(name[0]) && name.Count((byte)':') <= 1 && name[0] != ':' && name[^1] != ':';
            for (int i = 1; valid && i < name.Length; i++)
            {
                valid = IsNameStart(name[i]) || name[i] is (byte)'-' or (byte)'.' or (>= (byte)'0' and <= (byte)'9');
            }

            if (!valid || !System.Text.Unicode.Utf8.IsValid(name))
            {
                throw Error($"'{Encoding.UTF8.GetString(name)}' is not a valid XML name", at);
            }

            static bool IsNameStart(byte b) => b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (byte)'_' or (byte)':' or >= 0x80;
        }

        /// <summary>Text must be UTF-8 of characters XML can hold; the error names the first offending byte.</summary>
        private readonly void CheckText(ReadOnlySpan<byte> text, int at, string? notUtf8 = null)
        {
            if (text.IndexOfAnyExceptInRange((byte)0x20, (byte)0x7E) < 0) return;
            for (int i = 0; i < text.Length;)
            {
                OperationStatus status = Rune.DecodeFromUtf8(text[i..], out Rune rune, out int consumed);
                if (status != OperationStatus.Done) throw Error(notUtf8 ?? "the text is not valid UTF-8", at + i);
                if (!IsXmlChar(rune.Value))
                {
                    throw Error(notUtf8 ?? $"character U+{rune.Value:X4} is not allowed in XML", at + i);
                }

                i += consumed;
            }
        }

        private static bool IsXmlChar(int cp) =>
            cp is 0x9 or 0xA or 0xD or (>= 0x20 and <= 0xD7FF) or (>= 0xE000 and <= 0xFFFD) or (>= 0x10000 and <= 0x10FFFF);
    }
}

using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;

namespace DeviceAgent.SyncML.Reading;

/// <summary>
/// A single-pass, non-recursive XML reader over UTF-8 bytes, just large enough for SyncML (docs/syncml.md).
/// This part is the lexical layer: tags, text, references, comments, CDATA, DOCTYPE skipping, limits and errors.
/// </summary>
internal ref partial struct SyncMLParser
{
    private const int MaxAttributes = 32;

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    private static readonly SearchValues<byte> s_forbiddenControlBytesOrEF = SearchValues.Create(
        [0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x0B, 0x0C, 0x0E, 0x0F,
         0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x1D, 0x1E, 0x1F, 0xEF]);

    private static readonly SearchValues<byte> s_ltOrAmp = SearchValues.Create("<&"u8);
    private static readonly SearchValues<byte> s_ampOrCr = SearchValues.Create("&\r"u8);
    private static readonly SearchValues<byte> s_cr = SearchValues.Create("\r"u8);

    // What ends a plain xmlns="..." value (a quote), or sends it to the general attribute path.
    private static readonly SearchValues<byte> s_attributeValueEnd = SearchValues.Create("\"<&"u8);

    // What ends a plain value: markup, a reference, or a CR to normalise.
    private static readonly SearchValues<byte> s_textSpecial = SearchValues.Create("<&\r"u8);

    // Name bytes: 1 = may start a name, 2 = may continue one. Bytes >= 0x80 (non-ASCII letters) are accepted as both.
    private static readonly byte[] s_nameTable = BuildNameTable();

    private readonly ReadOnlySpan<byte> _s;
    private readonly SyncMLReaderOptions _options;

    // The per-element limits, copied out of the options (checked on every start tag).
    private readonly int _maxElements;
    private readonly int _maxDepth;
    private int _pos;
    private int _depth;
    private int _elements;

    // In-scope prefix declarations as triples (prefix start, prefix length, depth).
    private int[]? _nsDecls;
    private int _nsCount;

    // Decoded text of the value being read (only used when a value has references, CDATA or CR).
    private char[]? _chars;
    private int _charCount;

    private StartTag[]? _skipStack;
    private int[]? _attributes;

    // Atomic and Sequence elements being read, outermost first, with the list position of their commands (ParseCommands).
    private (StartTag Tag, ContainerCommand? Container, int Start)[]? _openContainers;

    // Commands read but not yet moved into their list (see ParseCommands).
    private SyncMLCommand[]? _pending;
    private int _pendingCount;

    public SyncMLParser(ReadOnlySpan<byte> utf8, SyncMLReaderOptions options)
    {
        _s = utf8;
        _options = options;
        _maxElements = options.MaxElements;
        _maxDepth = options.MaxDepth;
    }

    public void Dispose()
    {
        ReturnPending();
        if (_openContainers is not null)
        {
            ArrayPool<(StartTag, ContainerCommand?, int)>.Shared.Return(_openContainers, clearArray: true);
            _openContainers = null;
        }

        if (_attributes is not null)
        {
            ArrayPool<int>.Shared.Return(_attributes);
            _attributes = null;
        }

        if (_chars is not null)
        {
            ArrayPool<char>.Shared.Return(_chars);
            _chars = null;
        }
    }

    private void ReturnPending()
    {
        if (_pending is null) return;
        _pending.AsSpan(0, _pendingCount).Clear();
        ArrayPool<SyncMLCommand>.Shared.Return(_pending);
        _pending = null;
    }

    private static byte[] BuildNameTable()
    {
        var t = new byte[256];
        for (int c = 'A'; c <= 'Z'; c++) t[c] = 3;
        for (int c = 'a'; c <= 'z'; c++) t[c] = 3;
        for (int c = 0x80; c <= 0xFF; c++) t[c] = 3;
        t['_'] = 3;
        t[':'] = 3;
        for (int c = '0'; c <= '9'; c++) t[c] = 2;
        t['-'] = 2;
        t['.'] = 2;
        return t;
    }

    private static bool IsWhitespace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r';

    private static bool IsXmlChar(int cp) =>
        cp is 0x9 or 0xA or 0xD or (>= 0x20 and <= 0xD7FF) or (>= 0xE000 and <= 0xFFFD) or (>= 0x10000 and <= 0x10FFFF);

    // ---- errors ----

    private readonly SyncMLFormatException Error(string reason, int offset)
    {
        var (line, column) = Position(offset);
        return new SyncMLFormatException(reason, line, column);
    }

    private readonly (int Line, int Column) Position(int offset)
    {
        offset = Math.Clamp(offset, 0, _s.Length);
        ReadOnlySpan<byte> before = _s[..offset];
        int line = 1 + before.Count((byte)'\n');
        int lineStart = before.LastIndexOf((byte)'\n') + 1;
        int column = 1;
        foreach (byte b in before[lineStart..])
        {
            if ((b & 0xC0) != 0x80) column++; // count characters, not UTF-8 continuation bytes
        }

        return (line, column);
    }

    private readonly string Where(int offset)
    {
        var (line, column) = Position(offset);
        return $"{line}:{column}";
    }

    private readonly string NameOf(in StartTag tag) => Encoding.UTF8.GetString(_s.Slice(tag.NameStart, tag.NameLength));

    private readonly SyncMLFormatException EndOfInput(in StartTag open) =>
        Error($"the input ends inside <{NameOf(open)}> opened at {Where(open.Start)} (truncated message?)", _s.Length);

    // ---- whole-input checks ----

    private readonly void ValidateInput()
    {
        if (_s.Length > _options.MaxMessageBytes)
        {
            throw new SyncMLFormatException(
                $"the message is {_s.Length} bytes; the limit is {_options.MaxMessageBytes} (SyncMLReaderOptions.MaxMessageBytes)", 1, 1);
        }

        if (_s.Length >= 2 && ((_s[0] == 0xFE && _s[1] == 0xFF) || (_s[0] == 0xFF && _s[1] == 0xFE)))
        {
            throw Error("the input starts with a UTF-16 byte order mark; SyncML is read as UTF-8 only", 0);
        }

        // Compact messages as Windows and servers send them are printable ASCII throughout: one vectorised pass then
        // covers UTF-8 validity and the character checks below.
        if (_s.IndexOfAnyExceptInRange((byte)0x20, (byte)0x7E) < 0) return;

        if (!Utf8.IsValid(_s))
        {
            throw Error("the input is not valid UTF-8", FirstInvalidUtf8(_s));
        }

        // One pass for both character checks: forbidden control bytes, and 0xEF, which leads U+FFFE and U+FFFF (valid
        // UTF-8 but not XML characters) and is rare in real messages.
        for (int offset = 0; ;)
        {
            int i = _s[offset..].IndexOfAny(s_forbiddenControlBytesOrEF);
            if (i < 0) break;
            i += offset;
            if (_s[i] != 0xEF)
            {
                throw Error($"control character U+{_s[i]:X4} is not allowed in XML", i);
            }

            if (i + 2 < _s.Length && _s[i + 1] == 0xBF && _s[i + 2] is 0xBE or 0xBF)
            {
                throw Error("character U+FFFE or U+FFFF is not allowed in XML", i);
            }

            offset = i + 1;
        }
    }

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> s)
    {
        int i = 0;
        while (i < s.Length)
        {
            if (Rune.DecodeFromUtf8(s[i..], out _, out int consumed) != OperationStatus.Done)
            {
                return i;
            }

            i += consumed;
        }

        return s.Length;
    }

    // ---- small scanning helpers ----

    // The scanning loops work on locals and store _pos once: fields of a ref struct are reached through 'this' and
    // are not kept in registers, so "_pos++" in a loop is a load and a store per byte.
    private void SkipWhitespace()
    {
        ReadOnlySpan<byte> s = _s;
        int p = _pos;
        while ((uint)p < (uint)s.Length && IsWhitespace(s[p])) p++;
        _pos = p;
    }

    private readonly bool At(ReadOnlySpan<byte> literal) => _s[_pos..].StartsWith(literal);

    /// <summary>Scans a (qualified) name at _pos; returns its length (0 when no name starts here) and the colon offset or -1.</summary>
    private int ScanName(out int colon)
    {
        colon = -1;
        ReadOnlySpan<byte> s = _s;
        ReadOnlySpan<byte> table = s_nameTable;
        int start = _pos;
        int p = start;
        if ((uint)p >= (uint)s.Length || (table[s[p]] & 1) == 0) return 0;
        p++;
        while ((uint)p < (uint)s.Length)
        {
            byte b = s[p];
            if (table[b] == 0) break;
            if (b == (byte)':')
            {
                if (colon >= 0)
                {
                    _pos = p;
                    throw Error("a name may contain at most one ':'", p);
                }

                colon = p;
            }

            p++;
        }

        _pos = p;
        if (colon == start || colon == p - 1)
        {
            throw Error($"'{Encoding.UTF8.GetString(s[start..p])}' is not a valid qualified name", start);
        }

        return p - start;
    }

    // ---- markup ----

    private void SkipComment()
    {
        int open = _pos;
        _pos += 4; // <!--
        int dashes = _s[_pos..].IndexOf("--"u8);
        if (dashes < 0) throw Error($"unterminated comment opened at {Where(open)}", _s.Length);
        _pos += dashes;
        if (_pos + 2 >= _s.Length || _s[_pos + 2] != (byte)'>')
        {
            throw Error("'--' is not allowed inside a comment", _pos);
        }

        _pos += 3;
    }

    private void SkipProcessingInstruction(bool declarationAllowed)
    {
        int open = _pos;
        _pos += 2;
        int length = ScanName(out _);
        if (length == 0) throw Error("a processing instruction needs a target name after '<?'", _pos);
        bool isXml = length == 3 && Ascii.EqualsIgnoreCase(_s.Slice(_pos - 3, 3), "xml"u8);
        if (isXml && !declarationAllowed)
        {
            throw Error("the XML declaration is only allowed at the start of the document", open);
        }

        int end = _s[_pos..].IndexOf("?>"u8);
        if (end < 0) throw Error($"unterminated processing instruction opened at {Where(open)}", _s.Length);
        _pos += end + 2;
    }

    /// <summary>Skips a DOCTYPE and its internal subset; nothing in it is expanded or fetched (docs/syncml.md).</summary>
    private void SkipDoctype()
    {
        int open = _pos;
        _pos += 9; // <!DOCTYPE
        int brackets = 0;
        while (_pos < _s.Length)
        {
            byte b = _s[_pos];
            if (b is (byte)'"' or (byte)'\'')
            {
                int close = _s[(_pos + 1)..].IndexOf(b);
                if (close < 0) break;
                _pos += close + 2;
                continue;
            }

            if (brackets > 0 && At("<!--"u8))
            {
                SkipComment();
                continue;
            }

            if (b == (byte)'[') brackets++;
            else if (b == (byte)']') brackets--;
            else if (b == (byte)'>' && brackets <= 0)
            {
                _pos++;
                return;
            }

            _pos++;
        }

        throw Error($"unterminated DOCTYPE opened at {Where(open)}", _s.Length);
    }

    /// <summary>Skips white space, comments, processing instructions and (when allowed) one DOCTYPE outside the root element.</summary>
    private void SkipMisc(bool doctypeAllowed)
    {
        while (true)
        {
            SkipWhitespace();
            if (_pos >= _s.Length) return;
            if (_s[_pos] != (byte)'<')
            {
                throw Error("text is not allowed outside the root element", _pos);
            }

            if (At("<!--"u8)) SkipComment();
            else if (At("<?"u8)) SkipProcessingInstruction(declarationAllowed: false);
            else if (At("<!DOCTYPE"u8))
            {
                if (!doctypeAllowed) throw Error("a DOCTYPE is only allowed before the root element", _pos);
                doctypeAllowed = false;
                SkipDoctype();
            }
            else return;
        }
    }

    private void SkipProlog()
    {
        if (_s.StartsWith(Utf8Bom)) _pos = 3;

        // Leading white space before the declaration is tolerated (it occurs in logged traffic; docs/syncml.md).
        SkipWhitespace();
        if (At("<?xml"u8) && _pos + 5 < _s.Length && (IsWhitespace(_s[_pos + 5]) || _s[_pos + 5] == (byte)'?'))
        {
            SkipProcessingInstruction(declarationAllowed: true);
        }

        SkipMisc(doctypeAllowed: true);
    }

    /// <summary>Reads the start tag at _pos ('&lt;' then a name), enforcing depth, element count and namespace prefixes.</summary>
    /// <remarks>
    /// The tag is written in place, never returned by value: copying the freshly written struct as one block stalls the
    /// CPU's store forwarding, which profiling showed as the single hottest instruction of the reader.
    /// </remarks>
    private void ReadStartTag(out StartTag tag)
    {
        tag = default;
        tag.Start = _pos;
        tag.NameStart = _pos + 1;
        tag.DefaultNsStart = -1;
        if (!TryReadKnownTag(ref tag)) ReadTagName(ref tag);
    }

    /// <summary>
    /// The fast path for almost every tag Windows and servers send: a modelled element name in exact case, directly
    /// followed by '&gt;'. The name is found and identified as 64-bit words; a known name is valid by construction.
    /// </summary>
    private bool TryReadKnownTag(ref StartTag tag)
    {
        ReadOnlySpan<byte> s = _s;
        int start = tag.NameStart;
        if (!Words.CanLoad(s, start, 16)) return false;
        ulong lo = Words.Load(s, start);
        int length = NameEnd(lo);
        ulong hi = 0;
        if (length == 8)
        {
            hi = Words.Load(s, start + 8);
            length = 8 + NameEnd(hi);
            if (length == 16) return false;
            hi &= Words.Mask(length - 8);
        }
        else
        {
            lo &= Words.Mask(length);
        }

        if (length == 0 || !ElementNames.TryIdentifyExact(lo, hi, out tag.Id)) return false;
        int end = start + length;
        if (s[end] == (byte)' ' && !TryReadDefaultNamespace(ref tag, end)) return false;
        tag.NameLength = length;
        tag.LocalStart = start;
        EnterElement(tag.Start);
        tag.Depth = _depth;
        _pos = tag.ContentStart = tag.DefaultNsStart < 0 ? end + 1 : tag.DefaultNsStart + tag.DefaultNsLength + 2;
        return true;
    }

    /// <summary>The index of the first '&gt;' or space in a word of a tag (8 when there is none).</summary>
    private static int NameEnd(ulong word) => Words.FirstMarked(Words.Matches(word, (byte)'>') | Words.Matches(word, (byte)' '));

    private static readonly ulong s_xmlnsAttribute = BitConverter.ToUInt64(" xmlns=\""u8);
    private static readonly ulong s_metinf0 = BitConverter.ToUInt64("syncml:m"u8);
    private static readonly ulong s_metinf1 = BitConverter.ToUInt64("etinf\">\0"u8);

    /// <summary>
    /// The one attribute Windows writes, on every Meta child: exactly ' xmlns="value"' then '&gt;', with a value free of
    /// references and '&lt;'. Anything else returns false for the general path.
    /// </summary>
    private readonly bool TryReadDefaultNamespace(ref StartTag tag, int nameEnd)
    {
        int valueStart = nameEnd + 8;
        if (!Words.CanLoad(_s, nameEnd, 8) || Words.Load(_s, nameEnd) != s_xmlnsAttribute || valueStart >= _s.Length) return false;

        // The value itself is almost always syncml:metinf: compared as two words, '">' included.
        if (Words.CanLoad(_s, valueStart, 16) && Words.Load(_s, valueStart) == s_metinf0 && (Words.Load(_s, valueStart + 8) & Words.Mask(7)) == s_metinf1)
        {
            tag.DefaultNsStart = valueStart;
            tag.DefaultNsLength = 13;
            return true;
        }

        int close = _s[valueStart..].IndexOfAny(s_attributeValueEnd);
        if (close < 0 || _s[valueStart + close] != (byte)'"' || valueStart + close + 1 >= _s.Length || _s[valueStart + close + 1] != (byte)'>')
        {
            return false;
        }

        tag.DefaultNsStart = valueStart;
        tag.DefaultNsLength = close;
        return true;
    }

    /// <summary>Counts an element and its depth against the limits.</summary>
    private void EnterElement(int start)
    {
        if (++_elements > _maxElements) throw TooManyElements(start);
        if (++_depth > _maxDepth) throw TooDeep(start);
    }

    /// <summary>The general path of a start tag: any name, attributes, prefixes and '/&gt;'.</summary>
    private void ReadTagName(ref StartTag tag)
    {
        _pos = tag.NameStart;
        tag.NameLength = ScanName(out int colon);
        if (tag.NameLength == 0) throw Error("expected an element name after '<'", _pos);
        tag.LocalStart = colon < 0 ? tag.NameStart : colon + 1;
        tag.Id = ElementNames.Identify(_s, tag.LocalStart, tag.LocalLength);
        EnterElement(tag.Start);
        tag.Depth = _depth;

        ReadOnlySpan<byte> s = _s;
        int p = _pos;
        if (colon < 0 && (uint)p < (uint)s.Length)
        {
            if (s[p] == (byte)'>')
            {
                _pos = tag.ContentStart = p + 1;
                return;
            }

            if (s[p] == (byte)'/' && (uint)(p + 1) < (uint)s.Length && s[p + 1] == (byte)'>')
            {
                _pos = tag.ContentStart = p + 2;
                tag.IsEmpty = true;
                CloseElement(tag.Depth);
                return;
            }
        }

        ReadAttributes(ref tag, colon);
    }

    private readonly SyncMLFormatException TooManyElements(int offset) =>
        Error($"more than {_options.MaxElements} elements (SyncMLReaderOptions.MaxElements)", offset);

    private readonly SyncMLFormatException TooDeep(int offset) =>
        Error($"elements are nested more than {_options.MaxDepth} deep (SyncMLReaderOptions.MaxDepth)", offset);

    /// <summary>The rest of a start tag after its name: attributes (namespace declarations and prefixes checked) and the close.</summary>
    private void ReadAttributes(ref StartTag tag, int colon)
    {
        // Attribute names as (start, length, colon) so duplicates and prefixes are checked after all declarations are known.
        // Rented once per parse on the first attribute; most tags have none.
        int[]? attributes = null;
        int count = 0;
        while (true)
        {
            int before = _pos;
            SkipWhitespace();
            if (_pos >= _s.Length) throw Error($"the input ends inside the start tag of <{NameOf(tag)}>", _s.Length);
            byte b = _s[_pos];
            if (b == (byte)'>')
            {
                _pos++;
                break;
            }

            if (b == (byte)'/')
            {
                if (_pos + 1 >= _s.Length || _s[_pos + 1] != (byte)'>') throw Error("expected '>' after '/' in a start tag", _pos + 1);
                _pos += 2;
                tag.IsEmpty = true;
                break;
            }

            if (_pos == before) throw Error($"expected white space, '>' or '/>' in the start tag of <{NameOf(tag)}>", _pos);
            int nameStart = _pos;
            int nameLength = ScanName(out int attrColon);
            if (nameLength == 0) throw Error($"expected an attribute name in the start tag of <{NameOf(tag)}>", _pos);
            if (count == MaxAttributes) throw Error($"more than {MaxAttributes} attributes on <{NameOf(tag)}>", nameStart);
            ReadOnlySpan<byte> name = _s.Slice(nameStart, nameLength);
            for (int i = 0; i < count; i++)
            {
                if (_s.Slice(attributes![i * 3], attributes[i * 3 + 1]).SequenceEqual(name))
                {
                    throw Error($"duplicate attribute '{Encoding.UTF8.GetString(name)}'", nameStart);
                }
            }

            attributes ??= _attributes ??= ArrayPool<int>.Shared.Rent(MaxAttributes * 3);
            attributes[count * 3] = nameStart;
            attributes[count * 3 + 1] = nameLength;
            attributes[count * 3 + 2] = attrColon;
            count++;

            SkipWhitespace();
            if (_pos >= _s.Length || _s[_pos] != (byte)'=') throw Error($"expected '=' after attribute '{Encoding.UTF8.GetString(name)}'", _pos);
            _pos++;
            SkipWhitespace();
            if (_pos >= _s.Length || _s[_pos] is not ((byte)'"' or (byte)'\''))
            {
                throw Error($"the value of attribute '{Encoding.UTF8.GetString(name)}' must be in quotes", _pos);
            }

            byte quote = _s[_pos++];
            int valueStart = _pos;
            int close = _s[_pos..].IndexOf(quote);
            if (close < 0) throw Error($"unterminated value of attribute '{Encoding.UTF8.GetString(name)}'", valueStart - 1);
            ReadOnlySpan<byte> value = _s.Slice(valueStart, close);
            int lt = value.IndexOf((byte)'<');
            if (lt >= 0) throw Error("'<' is not allowed in an attribute value", valueStart + lt);
            for (int amp = value.IndexOf((byte)'&'); amp >= 0;)
            {
                int next = ParseReference(valueStart + amp, out _) - valueStart;
                int more = value[next..].IndexOf((byte)'&');
                amp = more < 0 ? -1 : next + more;
            }

            _pos = valueStart + close + 1;

            if (attrColon < 0 && name.SequenceEqual("xmlns"u8))
            {
                tag.DefaultNsStart = valueStart;
                tag.DefaultNsLength = close;
            }
            else if (attrColon >= 0 && _s[nameStart..attrColon].SequenceEqual("xmlns"u8))
            {
                DeclarePrefix(attrColon + 1, nameStart + nameLength - attrColon - 1, tag.Depth);
            }
        }

        tag.ContentStart = _pos;
        if (colon >= 0) CheckPrefix(tag.NameStart, colon - tag.NameStart, tag.Start, element: true);
        for (int i = 0; i < count; i++)
        {
            int attrColon = attributes![i * 3 + 2];
            if (attrColon >= 0)
            {
                int start = attributes[i * 3];
                if (!_s[start..attrColon].SequenceEqual("xmlns"u8)) CheckPrefix(start, attrColon - start, start, element: false);
            }
        }

        if (tag.IsEmpty) CloseElement(tag.Depth);
    }

    private void DeclarePrefix(int start, int length, int depth)
    {
        _nsDecls ??= new int[24];
        if (_nsCount * 3 == _nsDecls.Length) Array.Resize(ref _nsDecls, _nsDecls.Length * 2);
        _nsDecls[_nsCount * 3] = start;
        _nsDecls[_nsCount * 3 + 1] = length;
        _nsDecls[_nsCount * 3 + 2] = depth;
        _nsCount++;
    }

    private readonly void CheckPrefix(int start, int length, int reportAt, bool element)
    {
        ReadOnlySpan<byte> prefix = _s.Slice(start, length);
        if (prefix.SequenceEqual("xml"u8)) return;
        if (prefix.SequenceEqual("xmlns"u8)) throw Error("the prefix 'xmlns' is reserved and cannot name an element", reportAt);
        for (int i = _nsCount - 1; i >= 0; i--)
        {
            if (_s.Slice(_nsDecls![i * 3], _nsDecls[i * 3 + 1]).SequenceEqual(prefix)) return;
        }

        if (_options.AllowUndeclaredPrefixes) return;
        throw Error(
            $"namespace prefix '{Encoding.UTF8.GetString(prefix)}' is not declared on this {(element ? "element" : "attribute")} or an ancestor " +
            "(add xmlns:" + Encoding.UTF8.GetString(prefix) + "=\"...\" or set SyncMLReaderOptions.AllowUndeclaredPrefixes)",
            reportAt);
    }

    private void CloseElement(int depth)
    {
        if (_nsCount > 0) PopNamespaces(depth);
        _depth--;
    }

    private void PopNamespaces(int depth)
    {
        while (_nsCount > 0 && _nsDecls![(_nsCount - 1) * 3 + 2] >= depth) _nsCount--;
    }

    /// <summary>Reads the end tag at _pos ("&lt;/") and checks that it closes <paramref name="open"/>.</summary>
    private void ReadEndTag(in StartTag open)
    {
        int start = _pos;
        int nameStart = start + 2;

        // Fast path: the bytes after "</" are the open tag's name followed by '>' (a byte that cannot continue a name).
        int close = nameStart + open.NameLength;
        if (close < _s.Length && _s[close] == (byte)'>' && Words.Equal(_s, nameStart, open.NameStart, open.NameLength))
        {
            _pos = close + 1;
            CloseElement(open.Depth);
            return;
        }

        _pos = nameStart;
        int length = ScanName(out _);
        ReadOnlySpan<byte> name = _s.Slice(nameStart, length);
        if (!name.SequenceEqual(_s.Slice(open.NameStart, open.NameLength)))
        {
            throw Error(
                length == 0
                    ? $"expected the end tag </{NameOf(open)}> (opened at {Where(open.Start)})"
                    : $"end tag </{Encoding.UTF8.GetString(name)}> does not match <{NameOf(open)}> opened at {Where(open.Start)}",
                start);
        }

        SkipWhitespace();
        if (_pos >= _s.Length || _s[_pos] != (byte)'>') throw Error($"expected '>' to close the end tag </{NameOf(open)}>", _pos);
        _pos++;
        CloseElement(open.Depth);
    }

    /// <summary>
    /// Moves to the next child element of <paramref name="parent"/> (element-only content: white space, comments and
    /// processing instructions between children). Returns false after consuming the parent's end tag.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool NextChild(in StartTag parent, out StartTag child)
    {
        if (parent.IsEmpty)
        {
            child = default;
            return false;
        }

        while (true)
        {
            // Compact messages (as Windows sends them) have the next tag right here: skip the search call.
            int lt = _pos < _s.Length && _s[_pos] == (byte)'<' ? 0 : _s[_pos..].IndexOf((byte)'<');
            if (lt < 0) throw EndOfInput(parent);
            if (lt > 0)
            {
                int text = _s.Slice(_pos, lt).IndexOfAnyExcept(" \t\r\n"u8);
                if (text >= 0)
                {
                    throw Error($"text is not allowed directly inside <{NameOf(parent)}>, which holds elements only", _pos + text);
                }

                _pos += lt;
            }

            if (_pos + 1 >= _s.Length) throw EndOfInput(parent);
            byte next = _s[_pos + 1];
            if (next == (byte)'/')
            {
                ReadEndTag(parent);
                child = default;
                return false;
            }

            if (next == (byte)'!')
            {
                if (At("<!--"u8))
                {
                    SkipComment();
                    continue;
                }

                if (At("<![CDATA["u8))
                {
                    throw Error($"CDATA is not allowed directly inside <{NameOf(parent)}>, which holds elements only", _pos);
                }

                throw Error("unexpected '<!' markup inside an element", _pos);
            }

            if (next == (byte)'?')
            {
                SkipProcessingInstruction(declarationAllowed: false);
                continue;
            }

            ReadStartTag(out child);
            return true;
        }
    }

    // ---- references and text ----

    // "&lt;", "&gt;" and "&amp;" as little-endian words.
    private const ulong LtWord = 0x3B746C26;
    private const ulong GtWord = 0x3B746726;
    private const ulong AmpWord = 0x3B706D6126;

    /// <summary>Parses the reference starting at the '&amp;' at <paramref name="amp"/>; returns the offset after its ';'.</summary>
    private readonly int ParseReference(int amp, out int codePoint)
    {
        int p = amp + 1;
        if (p < _s.Length && _s[p] == (byte)'#')
        {
            p++;
            bool hex = p < _s.Length && _s[p] == (byte)'x';
            if (hex) p++;
            int digitsStart = p;
            long value = 0;
            while (p < _s.Length && p - digitsStart < 9)
            {
                byte d = _s[p];
                int digit = d is >= (byte)'0' and <= (byte)'9' ? d - '0'
                    : hex && d is >= (byte)'a' and <= (byte)'f' ? d - 'a' + 10
                    : hex && d is >= (byte)'A' and <= (byte)'F' ? d - 'A' + 10
                    : -1;
                if (digit < 0) break;
                value = value * (hex ? 16 : 10) + digit;
                p++;
            }

            if (p == digitsStart || p >= _s.Length || _s[p] != (byte)';')
            {
                throw Error("malformed character reference (expected &#123; or &#x7B;)", amp);
            }

            if (value > 0x10FFFF || !IsXmlChar((int)value))
            {
                throw Error($"character reference {Encoding.UTF8.GetString(_s[amp..(p + 1)])} is not a legal XML character", amp);
            }

            codePoint = (int)value;
            return p + 1;
        }

        int nameStart = p;
        while (p < _s.Length && p - nameStart < 64 && s_nameTable[_s[p]] != 0) p++;
        ReadOnlySpan<byte> name = _s[nameStart..p];
        if (name.Length == 0 || p >= _s.Length || _s[p] != (byte)';')
        {
            throw Error("'&' must start an entity or character reference; write &amp; for a literal '&'", amp);
        }

        codePoint = name switch
        {
            _ when name.SequenceEqual("lt"u8) => '<',
            _ when name.SequenceEqual("gt"u8) => '>',
            _ when name.SequenceEqual("amp"u8) => '&',
            _ when name.SequenceEqual("apos"u8) => '\'',
            _ when name.SequenceEqual("quot"u8) => '"',
            _ => throw Error(
                $"undefined entity &{Encoding.UTF8.GetString(name)}; (only &lt; &gt; &amp; &apos; &quot; and character references are allowed; DTD entities are never expanded)",
                amp),
        };
        return p + 1;
    }

    private void EnsureChars(int additional)
    {
        int needed = _charCount + additional;
        if (_chars is null)
        {
            _chars = ArrayPool<char>.Shared.Rent(Math.Max(256, needed));
        }
        else if (needed > _chars.Length)
        {
            char[] bigger = ArrayPool<char>.Shared.Rent(Math.Max(needed, _chars.Length * 2));
            _chars.AsSpan(0, _charCount).CopyTo(bigger);
            ArrayPool<char>.Shared.Return(_chars);
            _chars = bigger;
        }
    }

    /// <summary>
    /// Appends the character data in [_pos, end) (no '&lt;' inside), normalising CR LF and lone CR to LF (XML 1.0
    /// section 2.11) and, when <paramref name="references"/> is set, expanding references. Every byte sequence decodes to
    /// at most as many UTF-16 chars as it has bytes, so one EnsureChars covers the whole run.
    /// </summary>
    /// <remarks>Not inlined: inside the large parse methods its loop variables were spilled to the stack.</remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void AppendCharacterData(int end, bool references)
    {
        EnsureChars(end - _pos);
        ReadOnlySpan<byte> s = _s;
        Span<char> chars = _chars;
        int n = _charCount;
        int p = _pos;
        while (p < end)
        {
            // Plain ASCII, 8 bytes at a time, up to the next reference, CR or non-ASCII byte. Widening all 8 is safe:
            // chars written never outrun bytes read, so the buffer has room, and chars past n are overwritten later.
            while (p + 8 <= end)
            {
                ulong word = Words.Load(s, p);
                ulong stop = Words.NonAscii(word) | Words.Matches(word, (byte)'\r') | (references ? Words.Matches(word, (byte)'&') : 0);
                Words.Widen(word, chars, n);
                int plain = Words.FirstMarked(stop);
                p += plain;
                n += plain;
                if (plain == 8) continue;

                // &lt; &gt; &amp; are most of the references in real payloads (escaped XML in Data): matched as one word
                // here without leaving the loop. A word can be loaded: the reference ends before the '<' that ends the run.
                if (!references || s[p] != (byte)'&' || !Words.CanLoad(s, p, 8)) break;
                ulong reference = Words.Load(s, p);
                if ((reference & 0xFFFFFFFF) == LtWord) chars[n++] = '<';
                else if ((reference & 0xFFFFFFFF) == GtWord) chars[n++] = '>';
                else if ((reference & 0xFFFFFFFFFF) == AmpWord) chars[n++] = '&';
                else break;
                p += chars[n - 1] == '&' ? 5 : 4;
            }

            if (p >= end) break;
            byte b = s[p];
            if (b == (byte)'&' && references)
            {
                p = ParseReference(p, out int codePoint);
                n += new Rune(codePoint).EncodeToUtf16(chars[n..]);
            }
            else if (b == (byte)'\r')
            {
                chars[n++] = '\n';
                p++;
                if (p < end && s[p] == (byte)'\n') p++;
            }
            else if (b < 0x80)
            {
                // One of the last bytes before the end, fewer than a word.
                chars[n++] = (char)b;
                p++;
            }
            else
            {
                // Non-ASCII: the transcoder, up to the next reference or CR (or the end).
                int runEnd = s[p..end].IndexOfAny(references ? s_ampOrCr : s_cr);
                runEnd = runEnd < 0 ? end : p + runEnd;
                Utf8.ToUtf16(s[p..runEnd], chars[n..], out _, out int written);
                n += written;
                p = runEnd;
            }
        }

        _charCount = n;
        _pos = end;
    }

    /// <summary>
    /// Decodes the text content of <paramref name="element"/> into the char buffer (starting empty). Returns true at the
    /// element's end tag (consumed); returns false with _pos on a child start tag when <paramref name="elementsAllowed"/>.
    /// </summary>
    private bool AccumulateText(in StartTag element, bool elementsAllowed, ref int cdataFirst, ref int cdataEnd)
    {
        while (true)
        {
            int lt = _s[_pos..].IndexOf((byte)'<');
            if (lt < 0) throw EndOfInput(element);
            if (lt > 0) AppendCharacterData(_pos + lt, references: true);
            if (_pos + 1 >= _s.Length) throw EndOfInput(element);
            byte next = _s[_pos + 1];
            if (next == (byte)'/')
            {
                ReadEndTag(element);
                return true;
            }

            if (next == (byte)'?')
            {
                SkipProcessingInstruction(declarationAllowed: false);
            }
            else if (At("<!--"u8))
            {
                SkipComment();
            }
            else if (At("<![CDATA["u8))
            {
                int open = _pos;
                int end = _s[(_pos + 9)..].IndexOf("]]>"u8);
                if (end < 0) throw Error($"unterminated CDATA section opened at {Where(open)}", _s.Length);
                if (cdataFirst < 0) cdataFirst = _charCount;
                _pos += 9;
                AppendCharacterData(_pos + end, references: false);
                cdataEnd = _charCount;
                _pos += 3;
            }
            else if (next == (byte)'!')
            {
                throw Error("unexpected '<!' markup inside an element", _pos);
            }
            else if (elementsAllowed)
            {
                return false;
            }
            else
            {
                int childStart = _pos;
                _pos++;
                int length = ScanName(out _);
                throw Error(
                    $"element <{Encoding.UTF8.GetString(_s.Slice(childStart + 1, length))}> is not allowed inside <{NameOf(element)}>, which holds text only",
                    childStart);
            }
        }
    }

    /// <summary>Reads a text-only element and trims surrounding XML white space (docs/syncml.md: LocURI and all simple values).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private string ReadSimple(in StartTag element)
    {
        if (element.IsEmpty) return "";
        if (TryReadPlainText(element, out ReadOnlySpan<byte> value, out ulong word))
        {
            if (!value.IsEmpty && (IsWhitespace(value[0]) || IsWhitespace(value[^1])))
            {
                value = value.Trim(" \t\n"u8);
                word = 0;
            }

            return TokenCache.Get(value, word);
        }

        _charCount = 0;
        int first = -1, end = -1;
        AccumulateText(element, elementsAllowed: false, ref first, ref end);
        return new string(_chars.AsSpan(0, _charCount).Trim(" \t\r\n"));
    }

    /// <summary>
    /// The offset of the first '&lt;', '&amp;' or CR in the 8 bytes at <paramref name="start"/> (status codes, CmdIDs,
    /// formats are that short), or -1 to search further. One word test instead of a search call per value.
    /// </summary>
    private readonly int ShortValueLength(int start)
    {
        if (!Words.CanLoad(_s, start, 8)) return -1;
        ulong word = Words.Load(_s, start);
        int first = Words.FirstMarked(Words.Matches(word, (byte)'<') | Words.Matches(word, (byte)'&') | Words.Matches(word, (byte)'\r'));
        return first < 8 ? first : -1;
    }

    /// <summary>
    /// The common case of a value: text without references, CR or markup, directly followed by the element's end tag
    /// (consumed). Returns false, consuming nothing, for anything else; the general path then handles it.
    /// </summary>
    private bool TryReadPlainText(in StartTag element, out ReadOnlySpan<byte> value, out ulong word)
    {
        int start = element.ContentStart;
        int special = ShortValueLength(start);
        if (special < 0) special = _s[start..].IndexOfAny(s_textSpecial);
        int end = start + special;
        int close = end + 2 + element.NameLength;
        if (special >= 0 && close < _s.Length && _s[end] == (byte)'<' && _s[end + 1] == (byte)'/' && _s[close] == (byte)'>' &&
            Words.Equal(_s, end + 2, element.NameStart, element.NameLength))
        {
            value = _s.Slice(start, special);
            word = special < 8 && Words.CanLoad(_s, start, 8) ? Words.Load(_s, start) & Words.Mask(special) : 0;
            _pos = close + 1;
            CloseElement(element.Depth);
            return true;
        }

        value = default;
        word = 0;
        return false;
    }

    /// <summary>
    /// Skips the rest of <paramref name="element"/>'s content (any markup; depth and element limits still apply) and
    /// returns the offset of its end tag. With <paramref name="cmdId"/> the text of a direct CmdID child is captured.
    /// </summary>
    private int SkipContent(in StartTag element, bool captureCmdId, out string? cmdId)
    {
        cmdId = null;
        if (element.IsEmpty) return _pos;
        _skipStack ??= new StartTag[16];
        int open = 0;
        while (true)
        {
            int i = _s[_pos..].IndexOfAny(s_ltOrAmp);
            if (i < 0) throw EndOfInput(open == 0 ? element : _skipStack[open - 1]);
            _pos += i;
            if (_s[_pos] == (byte)'&')
            {
                _pos = ParseReference(_pos, out _);
                continue;
            }

            if (_pos + 1 >= _s.Length) throw EndOfInput(open == 0 ? element : _skipStack[open - 1]);
            byte next = _s[_pos + 1];
            if (next == (byte)'/')
            {
                if (open == 0)
                {
                    int endTag = _pos;
                    ReadEndTag(element);
                    return endTag;
                }

                ReadEndTag(_skipStack[--open]);
            }
            else if (next == (byte)'?')
            {
                SkipProcessingInstruction(declarationAllowed: false);
            }
            else if (At("<!--"u8))
            {
                SkipComment();
            }
            else if (At("<![CDATA["u8))
            {
                int start = _pos;
                int end = _s[(_pos + 9)..].IndexOf("]]>"u8);
                if (end < 0) throw Error($"unterminated CDATA section opened at {Where(start)}", _s.Length);
                _pos += 9 + end + 3;
            }
            else if (next == (byte)'!')
            {
                throw Error("unexpected '<!' markup inside an element", _pos);
            }
            else
            {
                ReadStartTag(out StartTag child);
                if (captureCmdId && open == 0 && cmdId is null && Identify(child) == El.CmdID)
                {
                    cmdId = ReadSimple(child);
                    continue;
                }

                if (child.IsEmpty) continue;
                if (open == _skipStack.Length) Array.Resize(ref _skipStack, open * 2);
                _skipStack[open++] = child;
            }
        }
    }

    private void SkipElement(in StartTag element) => SkipContent(element, captureCmdId: false, out _);

    /// <summary>The whole element, start tag to end tag, exactly as it appeared.</summary>
    private string ReadRaw(in StartTag element)
    {
        SkipElement(element);
        return Encoding.UTF8.GetString(_s[element.Start.._pos]);
    }
}

using System.Text;

namespace DeviceAgent.Dm;

/// <summary>Why a LocURI was refused.</summary>
public enum DmUriError
{
    /// <summary>The LocURI is acceptable.</summary>
    None,

    /// <summary>Syntax the protocol forbids (docs/reference/omadm.md §8, §10): answered 400.</summary>
    Invalid,

    /// <summary>A property or list query ("?list=", "?prop="): answered 406 (optional feature not supported).</summary>
    Query,
}

/// <summary>
/// LocURI rules of docs/reference/omadm.md §8 and 1.10: relative to "." ("./X" or "X"), no leading or trailing '/', no empty
/// segment, "." only as the first segment, no "..", no node named "*", and %XX escapes are UTF-8 bytes. A URI that
/// starts with ./Vendor (any case) is device-targeted and is rewritten to ./Device/Vendor.
/// </summary>
public static class DmUri
{
    private static readonly UTF8Encoding s_strictUtf8 = new(false, true);

    /// <summary>Splits and decodes <paramref name="locUri"/> into the segments below "."; on failure says why.</summary>
    public static bool TryParse(string? locUri, out string[] segments, out string? error) =>
        TryParse(locUri, out segments, out error, out _);

    /// <summary>As <see cref="TryParse(string?, out string[], out string?)"/>, also telling which kind of failure it was.</summary>
    public static bool TryParse(string? locUri, out string[] segments, out string? error, out DmUriError kind)
    {
        segments = [];
        kind = DmUriError.Invalid;
        if (string.IsNullOrEmpty(locUri))
        {
            error = "the LocURI is empty";
            return false;
        }

        if (locUri.Contains('?', StringComparison.Ordinal))
        {
            kind = DmUriError.Query;
            error = "URI queries (?list=, ?prop=) are not supported";
            return false;
        }

        if (locUri[0] == '/')
        {
            error = "a LocURI must not start with '/'";
            return false;
        }

        if (locUri[^1] == '/')
        {
            error = "a LocURI must not end with '/'";
            return false;
        }

        var text = locUri.AsSpan();
        if (text.SequenceEqual("."))
        {
            kind = DmUriError.None;
            error = null;
            return true;
        }

        if (text.StartsWith("./"))
        {
            text = text[2..];
        }

        var count = text.Count('/') + 1;
        var vendorAlias = StartsWithSegment(text, "Vendor");
        var result = new string[count + (vendorAlias ? 1 : 0)];
        var index = 0;
        if (vendorAlias)
        {
            result[index++] = "Device";
        }

        foreach (var range in text.Split('/'))
        {
            var raw = text[range];
            if (raw.IsEmpty)
            {
                error = $"'{locUri}' has an empty segment";
                return false;
            }

            if (raw.SequenceEqual(".") || raw.SequenceEqual(".."))
            {
                error = $"'{locUri}': '{raw}' is only valid as the first segment";
                return false;
            }

            string? name = raw.Contains('%') ? Decode(raw) : raw.ToString();
            if (name is null)
            {
                error = $"'{locUri}': segment '{raw}' has a bad %XX escape or is not UTF-8";
                return false;
            }

            if (name.Length == 0 || name == "*" || name.Contains('/', StringComparison.Ordinal))
            {
                error = $"'{locUri}': '{name}' is not a valid node name";
                return false;
            }

            result[index++] = name;
        }

        segments = result;
        kind = DmUriError.None;
        error = null;
        return true;
    }

    /// <summary>Percent-encodes a node name for a child list or a URI (UTF-8 bytes, RFC 3986 unreserved kept).</summary>
    public static string EncodeSegment(string name) => Uri.EscapeDataString(name);

    private static bool StartsWithSegment(ReadOnlySpan<char> text, string segment) =>
        text.StartsWith(segment, StringComparison.OrdinalIgnoreCase) && (text.Length == segment.Length || text[segment.Length] == '/');

    private static string? Decode(ReadOnlySpan<char> raw)
    {
        // At most 3 UTF-8 bytes per UTF-16 code unit.
        var bytes = new byte[raw.Length * 3];
        var length = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (c == '%')
            {
                if (i + 2 >= raw.Length || !IsHex(raw[i + 1]) || !IsHex(raw[i + 2]))
                {
                    return null;
                }

                bytes[length++] = (byte)((HexValue(raw[i + 1]) << 4) | HexValue(raw[i + 2]));
                i += 2;
            }
            else if (c < 0x80)
            {
                bytes[length++] = (byte)c;
            }
            else
            {
                // A raw non-ASCII character next to escapes: keep it as its UTF-8 bytes.
                var width = char.IsHighSurrogate(c) && i + 1 < raw.Length ? 2 : 1;
                length += Encoding.UTF8.GetBytes(raw.Slice(i, width), bytes.AsSpan(length));
                i += width - 1;
            }
        }

        try
        {
            return s_strictUtf8.GetString(bytes, 0, length);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

using System.Diagnostics.CodeAnalysis;
using System.Net.Http.Headers;

namespace DeviceAgent.SyncML;

/// <summary>
/// The HTTP media types of SyncML DM messages and the encoding each stands for (docs/syncml.md "Content types"): the
/// OMA DM 1.2 types Windows uses (MS-MDM 2.1; w7 APPLICATION CSP page, DEFAULTENCODING) and the SyncML 1.1 types older
/// clients still send. Both ends of this project read them here.
/// </summary>
public static class SyncMLMediaTypes
{
    /// <summary>XML SyncML DM (OMA DM 1.2).</summary>
    public const string DmXml = "application/vnd.syncml.dm+xml";

    /// <summary>WBXML SyncML DM (OMA DM 1.2).</summary>
    public const string DmWbxml = "application/vnd.syncml.dm+wbxml";

    /// <summary>XML SyncML, the SyncML 1.1 name some clients still send.</summary>
    public const string SyncMLXml = "application/vnd.syncml+xml";

    /// <summary>WBXML SyncML, the SyncML 1.1 name some clients still send.</summary>
    public const string SyncMLWbxml = "application/vnd.syncml+wbxml";

    private static readonly Dictionary<string, SyncMLEncoding> s_encodings = new(StringComparer.OrdinalIgnoreCase)
    {
        [DmXml] = SyncMLEncoding.Xml,
        [DmWbxml] = SyncMLEncoding.Wbxml,
        [SyncMLXml] = SyncMLEncoding.Xml,
        [SyncMLWbxml] = SyncMLEncoding.Wbxml,
    };

    /// <summary>Every media type above, in the order a message naming them lists them.</summary>
    public static IReadOnlyCollection<string> All => s_encodings.Keys;

    /// <summary>The OMA DM 1.2 media type of <paramref name="encoding"/>.</summary>
    public static string For(SyncMLEncoding encoding) => encoding == SyncMLEncoding.Wbxml ? DmWbxml : DmXml;

    /// <summary>
    /// The encoding a Content-Type value names (parameters such as charset and the case are ignored) and its bare media
    /// type in lower case; false for a missing, malformed or other type.
    /// </summary>
    public static bool TryParse(string? contentType, out SyncMLEncoding encoding, [NotNullWhen(true)] out string? mediaType)
    {
        mediaType = null;
        encoding = SyncMLEncoding.Xml;
        if (!MediaTypeHeaderValue.TryParse(contentType, out var parsed) || parsed.MediaType is null
            || !s_encodings.TryGetValue(parsed.MediaType, out encoding))
        {
            return false;
        }

        mediaType = parsed.MediaType.ToLowerInvariant();
        return true;
    }

    /// <summary>
    /// The encoding of a w7 DEFAULTENCODING value (w7 APPLICATION CSP page: application/vnd.syncml.dm+xml, the default,
    /// or application/vnd.syncml.dm+wbxml); false for any other value.
    /// </summary>
    public static bool TryParseDefaultEncoding(string? value, out SyncMLEncoding encoding)
    {
        encoding = SyncMLEncoding.Xml;
        if (string.Equals(value?.Trim(), DmXml, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (string.Equals(value?.Trim(), DmWbxml, StringComparison.OrdinalIgnoreCase))
        {
            encoding = SyncMLEncoding.Wbxml;
            return true;
        }

        return false;
    }
}

using DeviceAgent.SyncML;

namespace MockMdm.OmaDm;

/// <summary>The server's one door to the SyncML codec (DeviceAgent.SyncML), so wire choices stay in one place.</summary>
internal static class SyncMLWire
{
    /// <summary>
    /// The encoding of a request's Content-Type (parameters such as charset ignored) and the media type to answer with
    /// (the one the client used): the OMA DM 1.2 types Windows sends and the SyncML 1.1 types older clients (libdmclient)
    /// still send (SyncMLMediaTypes; docs/syncml.md "Content types"); false for a missing or other type.
    /// </summary>
    public static bool TryNegotiate(string? contentType, out SyncMLEncoding encoding, out string replyMediaType)
    {
        var known = SyncMLMediaTypes.TryParse(contentType, out encoding, out var mediaType);
        replyMediaType = mediaType ?? "";
        return known;
    }

    /// <summary>The sentence a 415 answer carries.</summary>
    public static string UnsupportedMediaType(string? contentType) =>
        $"Content-Type '{contentType}' is not a SyncML DM type; send {string.Join(", ", SyncMLMediaTypes.All)}.";

    /// <summary>Reads a whole message; <see cref="SyncMLFormatException"/> for malformed or over-limit input.</summary>
    public static SyncMLMessage Read(byte[] bytes, SyncMLEncoding encoding = SyncMLEncoding.Xml) =>
        encoding == SyncMLEncoding.Wbxml ? SyncMLWbxml.ReadMessage(bytes) : SyncMLReader.ReadMessage(bytes);

    public static byte[] ToBytes(SyncMLMessage message, SyncMLEncoding encoding = SyncMLEncoding.Xml) => SyncMLWbxml.ToBytes(message, encoding);

    /// <summary>One command as XML text, the form the queue stores.</summary>
    public static string ToXml(SyncMLCommand command) => SyncMLWriter.ToXml(command);

    /// <summary>Reads back one stored command.</summary>
    public static SyncMLCommand ReadCommand(string xml)
    {
        var fragment = SyncMLReader.ReadFragment(System.Text.Encoding.UTF8.GetBytes(xml));
        return fragment.Message.SyncBody.Commands is [var single]
            ? single
            : throw new InvalidDataException("a stored command must hold exactly one command element");
    }
}

using System.Buffers;
using DeviceAgent.SyncML.Wbxml;

namespace DeviceAgent.SyncML;

/// <summary>How a SyncML message is encoded on the wire.</summary>
public enum SyncMLEncoding
{
    /// <summary>XML text (UTF-8), application/vnd.syncml.dm+xml.</summary>
    Xml,

    /// <summary>WBXML 1.2/1.3 binary XML, application/vnd.syncml.dm+wbxml.</summary>
    Wbxml,
}

/// <summary>
/// SyncML DM in WBXML (OMA SyncML Representation Protocol 1.2 WBXML section; W3C NOTE-wbxml 1.2/1.3): the same model,
/// options and limits as <see cref="SyncMLReader"/> and <see cref="SyncMLWriter"/>; errors carry a byte offset
/// (<see cref="SyncMLFormatException.ByteOffset"/>). Choices are in docs/syncml.md "WBXML".
/// </summary>
public static class SyncMLWbxml
{
    /// <summary>
    /// The encoding of a message, from its first byte: a WBXML document starts with its version byte (0x00..0x03, none of
    /// which can start XML), anything else is read as XML.
    /// </summary>
    public static SyncMLEncoding DetectEncoding(ReadOnlySpan<byte> message) =>
        !message.IsEmpty && message[0] <= 0x03 ? SyncMLEncoding.Wbxml : SyncMLEncoding.Xml;

    /// <summary>Reads a whole &lt;SyncML&gt; message from WBXML; anything else throws <see cref="SyncMLFormatException"/> with a byte offset.</summary>
    public static SyncMLMessage ReadMessage(ReadOnlySpan<byte> wbxml, SyncMLReaderOptions? options = null) =>
        Read(wbxml, options, messageOnly: true).Message;

    /// <summary>Reads a message, a bare SyncBody, or top-level commands from WBXML (as <see cref="SyncMLReader.ReadFragment"/>).</summary>
    public static SyncMLFragment ReadFragment(ReadOnlySpan<byte> wbxml, SyncMLReaderOptions? options = null) =>
        Read(wbxml, options, messageOnly: false);

    /// <summary>Reads a message in either encoding, detected by <see cref="DetectEncoding"/>.</summary>
    public static SyncMLMessage ReadAnyMessage(ReadOnlySpan<byte> message, SyncMLReaderOptions? options = null) =>
        DetectEncoding(message) == SyncMLEncoding.Wbxml ? ReadMessage(message, options) : SyncMLReader.ReadMessage(message, options);

    /// <summary>The XML that a WBXML document stands for, as the codec reads it (for display and diagnosis).</summary>
    public static byte[] ToXml(ReadOnlySpan<byte> wbxml, SyncMLReaderOptions? options = null)
    {
        options ??= SyncMLReaderOptions.Default;
        options.Validate();
        return WbxmlDecoder.Decode(wbxml, options).Xml.ToArray();
    }

    /// <summary>The message as WBXML 1.3 bytes (SyncML 1.2 public identifier 0x1201, UTF-8).</summary>
    public static byte[] ToBytes(SyncMLMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>(2048);
        Write(message, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes the message as WBXML into <paramref name="output"/>.</summary>
    public static void Write(SyncMLMessage message, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(output);
        var xml = new ArrayBufferWriter<byte>(4096);
        SyncMLWriter.Write(message, xml);
        WbxmlEncoder.Encode(xml.WrittenSpan, output);
    }

    /// <summary>Writes the message in the given encoding.</summary>
    public static byte[] ToBytes(SyncMLMessage message, SyncMLEncoding encoding) =>
        encoding == SyncMLEncoding.Wbxml ? ToBytes(message) : SyncMLWriter.ToBytes(message);

    private static SyncMLFragment Read(ReadOnlySpan<byte> wbxml, SyncMLReaderOptions? options, bool messageOnly)
    {
        options ??= SyncMLReaderOptions.Default;
        options.Validate();
        WbxmlDecoder decoded = WbxmlDecoder.Decode(wbxml, options);
        try
        {
            return messageOnly
                ? new SyncMLFragment(SyncMLDocumentKind.Message, SyncMLReader.ReadMessage(decoded.Xml, options))
                : SyncMLReader.ReadFragment(decoded.Xml, options);
        }
        catch (SyncMLFormatException e)
        {
            // The XML layer found the problem (e.g. no SyncBody): report it at the WBXML token that wrote that XML.
            throw new SyncMLFormatException(e.Reason, decoded.WbxmlOffset(e.Line, e.Column));
        }
    }
}

using System.Text;
using System.Xml;

namespace DeviceAgent.Emulator.Traces;

/// <summary>Who sent a traced message.</summary>
public enum TraceDirection
{
    /// <summary>Device to server (an HTTP request body).</summary>
    DeviceToServer,

    /// <summary>Server to device (an HTTP response body).</summary>
    ServerToDevice,
}

/// <summary>One SyncML document of a trace, as text, with the session it belongs to (1-based, in trace order).</summary>
public sealed record TracedMessage(int Session, string Xml);

/// <summary>
/// SyncMLViewer's stream format (okieselbach/SyncMLViewer, "Save SyncML stream"): SyncML documents one after another, a
/// blank line between them, each session opened by the comment <c>&lt;!--- OmaDmSessionStart ---&gt;</c> and closed by
/// <c>&lt;!--- OmaDmSessionComplete ---&gt;</c>. The file is not one XML document; it is read as an XML fragment.
/// </summary>
public static class SyncMLTrace
{
    public const string SessionStartMarker = "<!--- OmaDmSessionStart --->";
    public const string SessionCompleteMarker = "<!--- OmaDmSessionComplete --->";

    /// <summary>Largest trace file <see cref="Read"/> accepts.</summary>
    public const long MaxTraceBytes = 256L * 1024 * 1024;

    /// <summary>
    /// The document as it goes into a stream: the XML declaration and BOM removed (a declaration cannot follow other
    /// content), everything else verbatim so the trace keeps exactly what went over the wire.
    /// </summary>
    public static string ToStreamText(ReadOnlySpan<byte> body)
    {
        var text = Encoding.UTF8.GetString(body).TrimStart('\uFEFF');
        var trimmed = text.TrimStart();
        if (trimmed.StartsWith("<?xml", StringComparison.Ordinal))
        {
            var end = trimmed.IndexOf("?>", StringComparison.Ordinal);
            text = end < 0 ? trimmed : trimmed[(end + 2)..];
        }

        return text.Trim();
    }

    /// <summary>Reads a stream file back into its documents. Session numbers follow the start markers; messages before any marker are session 1.</summary>
    public static IReadOnlyList<TracedMessage> Read(string stream)
    {
        ArgumentNullException.ThrowIfNull(stream);

        // SyncMLViewer's markers end in "--->", which XML forbids inside a comment; rewrite them as well-formed comments
        // of the same length so that line and column numbers in errors stay right.
        stream = stream.Replace(SessionStartMarker, "<!--  OmaDmSessionStart  -->", StringComparison.Ordinal)
            .Replace(SessionCompleteMarker, "<!--  OmaDmSessionComplete  -->", StringComparison.Ordinal);
        var settings = new XmlReaderSettings
        {
            ConformanceLevel = ConformanceLevel.Fragment,
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreWhitespace = true,
            MaxCharactersInDocument = MaxTraceBytes,
        };
        var messages = new List<TracedMessage>();
        var session = 0;
        var sawMarker = false;
        using var xml = XmlReader.Create(new StringReader(stream), settings);
        try
        {
            xml.Read();
            while (!xml.EOF)
            {
                switch (xml.NodeType)
                {
                    case XmlNodeType.Comment when xml.Value.Trim() is "OmaDmSessionStart":
                        session++;
                        sawMarker = true;
                        xml.Read();
                        break;
                    case XmlNodeType.Element when xml.LocalName == "SyncML":
                        if (!sawMarker)
                        {
                            session = Math.Max(session, 1);
                        }

                        messages.Add(new TracedMessage(session, xml.ReadOuterXml()));
                        break;
                    case XmlNodeType.Element:
                        throw new InvalidDataException($"{Where(xml)}: expected <SyncML>, found <{xml.Name}>");
                    default:
                        xml.Read();
                        break;
                }
            }
        }
        catch (XmlException e)
        {
            throw new InvalidDataException($"{e.LineNumber}:{e.LinePosition}: the trace is not a SyncML stream: {e.Message}", e);
        }

        return messages;
    }

    private static string Where(XmlReader reader) => reader is IXmlLineInfo info ? $"{info.LineNumber}:{info.LinePosition}" : "?";
}

using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace DeviceAgent.Emulator.Traces;

/// <summary>Who sent a traced message.</summary>
public enum TraceDirection
{
    /// <summary>Device to server (an HTTP request body).</summary>
    DeviceToServer,

    /// <summary>Server to device (an HTTP response body).</summary>
    ServerToDevice,
}

/// <summary>
/// One SyncML message of a trace, as text, with the session it belongs to (1-based, in trace order) and the line of
/// the file it starts on. <paramref name="Problem"/> is set when the message is kept as text only (cut short, not
/// well-formed, an undeclared prefix, a DTD): the rest of the trace still reads.
/// </summary>
public sealed record TracedMessage(int Session, string Xml, int Line = 1, string? Problem = null)
{
    /// <summary>SyncHdr SessionID, found by text so that a broken message still has it; null when absent.</summary>
    public string? SessionId => SyncMLTrace.HeaderValue(Xml, "SessionID");

    /// <summary>SyncHdr MsgID, found by text; null when absent.</summary>
    public string? MsgId => SyncMLTrace.HeaderValue(Xml, "MsgID");
}

/// <summary>
/// SyncMLViewer's stream format (okieselbach/SyncMLViewer, "Save SyncML stream"; docs/emulator.md "Traces"): messages
/// one after another, each indented and preceded by a blank line, a session between <c>&lt;!-- OmaDmSessionStart --&gt;</c>
/// and <c>&lt;!-- OmaDmSessionComplete --&gt;</c> (SyncMLViewer v1.0.4 and later; older versions wrote
/// <c>&lt;!--- … ---&gt;</c>). The file is not one XML document: between messages there may be timestamp comments and
/// ETW event names, and a message may be cut short (ETW drops event data beyond 64 KB) or not well-formed, which
/// SyncMLViewer keeps as it came. So the file is scanned as text and each message is checked on its own.
/// </summary>
public static partial class SyncMLTrace
{
    public const string SessionStartMarker = "<!-- OmaDmSessionStart -->";
    public const string SessionCompleteMarker = "<!-- OmaDmSessionComplete -->";

    /// <summary>The markers SyncMLViewer wrote before v1.0.4 (not well-formed XML comments); still read.</summary>
    public const string LegacySessionStartMarker = "<!--- OmaDmSessionStart --->";
    public const string LegacySessionCompleteMarker = "<!--- OmaDmSessionComplete --->";

    /// <summary>SyncMLViewer runs on Windows and writes Environment.NewLine there; the recorder writes the same.</summary>
    public const string NewLine = "\r\n";

    /// <summary>Largest trace file <see cref="Read"/> accepts.</summary>
    public const long MaxTraceBytes = 256L * 1024 * 1024;

    /// <summary>
    /// The document without its XML declaration and BOM (a declaration cannot follow other content), otherwise as it
    /// went over the wire.
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

    /// <summary>
    /// The message as SyncMLViewer lays it out: re-indented by two spaces with CR LF line ends. Text values are kept
    /// (whitespace-only values too); a message that is not well-formed is kept as it is, as SyncMLViewer does.
    /// </summary>
    public static string Layout(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        try
        {
            using var reader = XmlReader.Create(new StringReader(message), ReaderSettings());
            var element = XElement.Load(reader, LoadOptions.PreserveWhitespace);
            var sb = new StringBuilder();
            var settings = new XmlWriterSettings { OmitXmlDeclaration = true, Indent = true, IndentChars = "  ", NewLineChars = NewLine };
            using (var writer = XmlWriter.Create(sb, settings))
            {
                element.WriteTo(writer);
            }

            return sb.ToString();
        }
        catch (XmlException)
        {
            return message;
        }
    }

    /// <summary>
    /// Reads a stream file back into its messages. Sessions follow the markers when the file has any; without
    /// markers a new session starts when the SessionID changes or a (SessionID, MsgID) pair comes a third time
    /// (a request and its response share one). Only a file with no SyncML message at all is an error.
    /// </summary>
    public static IReadOnlyList<TracedMessage> Read(string stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var tokens = TokenPattern().Matches(stream);
        var opens = tokens.Count(t => t.Groups["open"].Success);
        if (opens == 0)
        {
            throw new InvalidDataException("1:1: the trace is not a SyncML stream: no <SyncML> message in it");
        }

        var byMarkers = tokens.Any(t => !t.Groups["open"].Success);
        var messages = new List<TracedMessage>();
        var session = 0;
        var newSessionPending = false;
        var pairsInSession = new Dictionary<(string?, string?), int>();
        string? lastSessionId = null;
        var lines = new LineCounter(stream);
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (!token.Groups["open"].Success)
            {
                newSessionPending = true;
                continue;
            }

            var limit = i + 1 < tokens.Count ? tokens[i + 1].Index : stream.Length;
            var close = ClosePattern().Match(stream, token.Index, limit - token.Index);
            string text;
            string? problem;
            if (close.Success)
            {
                text = stream[token.Index..(close.Index + close.Length)];
                problem = WellFormednessProblem(text);
            }
            else
            {
                text = TrimTrailingNoise(stream[token.Index..limit]);
                problem = $"cut short: no </SyncML> before {(i + 1 < tokens.Count ? "the next message or marker" : "the end of the file")} "
                    + "(ETW drops event data beyond 64 KB)";
            }

            var message = new TracedMessage(0, text, lines.LineAt(token.Index), problem);
            var pair = (message.SessionId, message.MsgId);
            bool startsSession = byMarkers
                ? newSessionPending || session == 0
                : session == 0
                  || (message.SessionId is not null && message.SessionId != lastSessionId)
                  || (message.SessionId is not null && pairsInSession.GetValueOrDefault(pair) >= 2);
            if (startsSession)
            {
                session++;
                newSessionPending = false;
                pairsInSession.Clear();
            }

            if (message.SessionId is not null)
            {
                lastSessionId = message.SessionId;
            }

            pairsInSession[pair] = pairsInSession.GetValueOrDefault(pair) + 1;
            messages.Add(message with { Session = session });
        }

        return messages;
    }

    /// <summary>The text of the first &lt;name&gt; element in a message (SyncHdr comes first), trimmed; null when absent.</summary>
    internal static string? HeaderValue(string message, string name)
    {
        var match = Regex.Match(message, $"<{name}>\\s*([^<]*?)\\s*</{name}>", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        return match.Success ? match.Groups[1].Value : null;
    }

    private static string? WellFormednessProblem(string message)
    {
        try
        {
            using var reader = XmlReader.Create(new StringReader(message), ReaderSettings());
            while (reader.Read())
            {
            }

            return null;
        }
        catch (XmlException e)
        {
            return $"not well-formed XML: {e.Message}";
        }
    }

    private static XmlReaderSettings ReaderSettings() => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = MaxTraceBytes,
    };

    /// <summary>
    /// A cut message runs to the next message; what SyncMLViewer wrote after it (a timestamp comment, ETW event names,
    /// blank lines) is not part of it.
    /// </summary>
    private static string TrimTrailingNoise(string text)
    {
        text = text.TrimEnd();
        while (true)
        {
            var lastBreak = text.LastIndexOf('\n');
            if (lastBreak < 0)
            {
                return text;
            }

            var lastLine = text[(lastBreak + 1)..];
            if (!NoiseLinePattern().IsMatch(lastLine))
            {
                return text;
            }

            text = text[..lastBreak].TrimEnd();
        }
    }

    /// <summary>Session markers (current and legacy, by their words) and message starts.</summary>
    [GeneratedRegex(@"(?<start><!--+\s*OmaDmSessionStart\s*-*-->)|(?<complete><!--+\s*OmaDmSessionComplete\s*-*-->)|(?<open><SyncML(?=[\s>/]))", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TokenPattern();

    [GeneratedRegex(@"</SyncML\s*>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ClosePattern();

    /// <summary>A timestamp comment or a line of ETW event names ("OmaDmSyncmlVerboseTrace OmaDmSessionComplete ").</summary>
    [GeneratedRegex(@"^\s*(<!--[^>]*-->|[A-Za-z][A-Za-z0-9_]*(\s+[A-Za-z][A-Za-z0-9_]*)*)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex NoiseLinePattern();

    /// <summary>1-based line numbers of offsets asked in increasing order.</summary>
    private sealed class LineCounter(string text)
    {
        private int _offset;
        private int _line = 1;

        public int LineAt(int offset)
        {
            for (; _offset < offset; _offset++)
            {
                if (text[_offset] == '\n')
                {
                    _line++;
                }
            }

            return _line;
        }
    }
}

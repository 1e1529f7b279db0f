using System.Text;

namespace DeviceAgent.Emulator.Traces;

/// <summary>
/// Records every SyncML exchange of one device, in order, in SyncMLViewer's stream format (<see cref="SyncMLTrace"/>):
/// the start marker on its own line, each message preceded by a blank line and ended by a line break, and the complete
/// marker after a blank line, the way SyncMLViewer appends them as ETW events arrive (docs/emulator.md "Traces").
/// Thread-safe: a device runs one session at a time, but a fleet may read a trace while its device is mid-session.
/// </summary>
public sealed class TraceRecorder
{
    private readonly Lock _gate = new();
    private readonly StringBuilder _stream = new();
    private bool _inSession;

    /// <summary>Messages recorded so far.</summary>
    public int MessageCount { get; private set; }

    /// <summary>Raised after each recorded message with its direction and the text written.</summary>
    public event Action<TraceDirection, string>? MessageRecorded;

    public void BeginSession()
    {
        lock (_gate)
        {
            if (_inSession)
            {
                AppendComplete();
            }

            _stream.Append(SyncMLTrace.SessionStartMarker).Append(SyncMLTrace.NewLine);
            _inSession = true;
        }
    }

    public void EndSession()
    {
        lock (_gate)
        {
            if (_inSession)
            {
                AppendComplete();
                _inSession = false;
            }
        }
    }

    public void Record(TraceDirection direction, ReadOnlySpan<byte> body)
    {
        var text = SyncMLTrace.Layout(SyncMLTrace.ToStreamText(AsXml(body)));
        lock (_gate)
        {
            if (!_inSession)
            {
                // A message outside BeginSession/EndSession still belongs to some session; open one so the stream stays readable.
                _stream.Append(SyncMLTrace.SessionStartMarker).Append(SyncMLTrace.NewLine);
                _inSession = true;
            }

            _stream.Append(SyncMLTrace.NewLine).Append(text).Append(SyncMLTrace.NewLine);
            MessageCount++;
        }

        MessageRecorded?.Invoke(direction, text);
    }

    /// <summary>
    /// The XML a WBXML body stands for (SyncMLViewer shows decoded XML too), so a trace reads the same in either encoding;
    /// XML and undecodable bodies are kept as they are.
    /// </summary>
    private static ReadOnlySpan<byte> AsXml(ReadOnlySpan<byte> body)
    {
        if (DeviceAgent.SyncML.SyncMLWbxml.DetectEncoding(body) != DeviceAgent.SyncML.SyncMLEncoding.Wbxml)
        {
            return body;
        }

        try
        {
            return DeviceAgent.SyncML.SyncMLWbxml.ToXml(body);
        }
        catch (DeviceAgent.SyncML.SyncMLFormatException)
        {
            return body;
        }
    }

    /// <summary>
    /// Adds a note as an XML comment between messages (readers of the stream skip comments other than the session
    /// markers), e.g. a protocol warning about the message before it.
    /// </summary>
    public void Note(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        // "--" cannot appear inside an XML comment.
        var safe = text.Replace("--", "- -", StringComparison.Ordinal).ReplaceLineEndings(" ");
        lock (_gate)
        {
            _stream.Append("<!-- ").Append(safe).Append(" -->\n\n");
        }
    }

    /// <summary>The stream so far (an open session is left open, as SyncMLViewer shows a session in progress).</summary>
    public string GetText()
    {
        lock (_gate)
        {
            return _stream.ToString();
        }
    }

    private void AppendComplete() => _stream.Append(SyncMLTrace.NewLine).Append(SyncMLTrace.SessionCompleteMarker).Append(SyncMLTrace.NewLine);

    public void Save(string path) => File.WriteAllText(path, GetText(), new UTF8Encoding(false));
}

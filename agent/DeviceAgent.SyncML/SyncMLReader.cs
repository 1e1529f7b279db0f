using DeviceAgent.SyncML.Reading;

namespace DeviceAgent.SyncML;

/// <summary>Reads SyncML 1.2 DM messages from UTF-8 bytes with the project's own parser (docs/syncml.md).</summary>
public static class SyncMLReader
{
    /// <summary>Reads a whole &lt;SyncML&gt; message; any other root, malformed input or an exceeded limit throws <see cref="SyncMLFormatException"/>.</summary>
    public static SyncMLMessage ReadMessage(ReadOnlySpan<byte> utf8, SyncMLReaderOptions? options = null) =>
        Read(utf8, options, messageOnly: true).Message;

    /// <summary>Reads a message, a bare SyncBody, or one or more top-level commands (documentation samples, Fleet profiles).</summary>
    public static SyncMLFragment ReadFragment(ReadOnlySpan<byte> utf8, SyncMLReaderOptions? options = null) =>
        Read(utf8, options, messageOnly: false);

    private static SyncMLFragment Read(ReadOnlySpan<byte> utf8, SyncMLReaderOptions? options, bool messageOnly)
    {
        options ??= SyncMLReaderOptions.Default;
        options.Validate();
        var parser = new SyncMLParser(utf8, options);
        try
        {
            return parser.ReadDocument(messageOnly);
        }
        finally
        {
            parser.Dispose();
        }
    }
}

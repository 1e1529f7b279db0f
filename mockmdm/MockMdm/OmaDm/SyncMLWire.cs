using DeviceAgent.SyncML;

namespace MockMdm.OmaDm;

/// <summary>The server's one door to the SyncML codec (DeviceAgent.SyncML), so wire choices stay in one place.</summary>
internal static class SyncMLWire
{
    /// <summary>Reads a whole message; <see cref="SyncMLFormatException"/> for malformed or over-limit input.</summary>
    public static SyncMLMessage Read(byte[] bytes) => SyncMLReader.ReadMessage(bytes);

    public static byte[] ToBytes(SyncMLMessage message) => SyncMLWriter.ToBytes(message);

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

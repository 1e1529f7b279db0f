using System.Globalization;
using DeviceAgent.SyncML;

namespace MockMdm.OmaDm;

/// <summary>
/// The client's size limits for the server's messages (SyncHdr Meta MaxMsgSize and MaxObjSize, OMA DM RepPro 1.2
/// "Message size"; docs/omadm-clients.md "Message size"), measured in the encoding the reply is sent in. The server stops
/// adding commands before a message would pass MaxMsgSize; the rest goes in the next message of the same package.
/// </summary>
public sealed class MessageBudget(SyncMLEncoding encoding)
{
    /// <summary>The encoding the reply will be written in (WBXML messages are smaller than XML ones).</summary>
    public SyncMLEncoding Encoding { get; } = encoding;

    /// <summary>The encoded size of <paramref name="message"/> in bytes.</summary>
    public int Measure(SyncMLMessage message) => SyncMLWire.ToBytes(message, Encoding).Length;

    /// <summary>
    /// A limit from the client's SyncHdr Meta (MaxMsgSize or MaxObjSize): null when absent; a value that is not a
    /// positive whole number is a protocol error.
    /// </summary>
    public static int? ParseLimit(string? value, string name)
    {
        if (value is null)
        {
            return null;
        }

        return int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit > 0
            ? limit
            : throw new DmProtocolException($"SyncHdr Meta {name} must be a positive whole number of bytes, not '{value}'");
    }

    /// <summary>The size of the largest Data value in <paramref name="command"/> (and its children), in UTF-8 bytes.</summary>
    public static int LargestObject(SyncMLCommand command) => command switch
    {
        ItemCommand items => items.Items.Select(i => System.Text.Encoding.UTF8.GetByteCount(i.Data?.Value ?? "")).DefaultIfEmpty(0).Max(),
        ContainerCommand container => container.Commands.Select(LargestObject).DefaultIfEmpty(0).Max(),
        _ => 0,
    };
}

using System.Globalization;
using DeviceAgent.Protocol;
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

    /// <summary>The encoded size of <paramref name="message"/> with <paramref name="command"/> added at its end (it is not left there).</summary>
    public int Measure(SyncMLMessage message, SyncMLCommand command)
    {
        ArgumentNullException.ThrowIfNull(message);
        message.SyncBody.Commands.Add(command);
        try
        {
            return Measure(message);
        }
        finally
        {
            message.SyncBody.Commands.RemoveAt(message.SyncBody.Commands.Count - 1);
        }
    }

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

/// <summary>
/// Splits a single value that no message can hold into chunks (OMA DM RepPro 1.2 "Large object handling"): the Item of
/// each chunk but the last carries MoreData, the first carries Meta Size (the whole value's UTF-8 bytes), each chunk
/// fills what is left of a message under MaxMsgSize. The device answers 213 to every chunk but the last.
/// </summary>
public static class LargeObject
{
    /// <summary>
    /// Cuts the chunk of <paramref name="command"/>'s value that starts at <paramref name="offset"/> (characters) to the
    /// largest that keeps <paramref name="message"/> plus the command within <paramref name="maxMsgSize"/>, and leaves
    /// the command holding that chunk. Null when the command is not one Add or Replace of one text value, or no
    /// character fits.
    /// </summary>
    public static (int Length, bool MoreData)? Split(MessageBudget budget, SyncMLMessage message, SyncMLCommand command, int offset, int maxMsgSize)
    {
        ArgumentNullException.ThrowIfNull(budget);
        if (command is not (Add or Replace) || command is not ItemCommand { Items: [var item] }
            || item.Data is not { Form: DataForm.Text or DataForm.CData } data || offset >= data.Value.Length)
        {
            return null;
        }

        var text = data.Value;
        if (offset == 0)
        {
            item.Meta ??= new Meta();
            item.Meta.Size = System.Text.Encoding.UTF8.GetByteCount(text).ToString(CultureInfo.InvariantCulture);
        }
        else if (item.Meta is not null)
        {
            item.Meta.Size = null;
        }

        var length = Math.Min(text.Length - offset, maxMsgSize);
        while (length > 0)
        {
            // Never cut between the halves of a surrogate pair.
            if (offset + length < text.Length && char.IsHighSurrogate(text[offset + length - 1]))
            {
                length--;
                continue;
            }

            item.Data = new Data(text.Substring(offset, length), data.Form);
            item.MoreData = offset + length < text.Length;
            var size = budget.Measure(message, command);
            if (size <= maxMsgSize)
            {
                return (length, item.MoreData);
            }

            // Escaping makes a character cost more than a byte: halve while far over, then shave the excess.
            var excess = size - maxMsgSize;
            length = excess >= length ? length / 2 : length - excess;
        }

        return null;
    }
}

using System.Globalization;
using DeviceAgent.Protocol;
using DeviceAgent.SyncML;

namespace MockMdm.OmaDm;

/// <summary>
/// The client's size limits for the server's messages (SyncHdr Meta MaxMsgSize and MaxObjSize, OMA DM RepPro 1.2
/// "Message size"; docs/omadm-clients.md "Message size"), measured in the encoding the reply is sent in. The server stops
/// adding statuses and commands before a message would pass MaxMsgSize; the rest goes in the next message of the same
/// package. Filling a message costs one encoding of each added command, not of the whole message per command
/// (<see cref="MessageFill"/>).
/// </summary>
public sealed class MessageBudget(SyncMLEncoding encoding)
{
    private SyncMLSizeMeter? _meter;

    /// <summary>The encoding the reply will be written in (WBXML messages are smaller than XML ones).</summary>
    public SyncMLEncoding Encoding { get; } = encoding;

    /// <summary>The exact encoded size of <paramref name="message"/> in bytes.</summary>
    public int Measure(SyncMLMessage message) => Meter(message).Measure(message);

    /// <summary>The exact encoded size of <paramref name="message"/> with <paramref name="command"/> added at its end (it is not left there).</summary>
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

    /// <summary>Starts filling <paramref name="message"/> (as it is now) up to <paramref name="limit"/> bytes; null: no limit.</summary>
    public MessageFill Fill(SyncMLMessage message, int? limit)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new MessageFill(Meter(message), message, limit);
    }

    // The meter of the message's SyncML version (a 1.1 client is answered in 1.1).
    private SyncMLSizeMeter Meter(SyncMLMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (_meter is null || !string.Equals(_meterNamespace, message.Namespace, StringComparison.Ordinal))
        {
            _meter = new SyncMLSizeMeter(Encoding, message.Namespace);
            _meterNamespace = message.Namespace;
        }

        return _meter;
    }

    private string? _meterNamespace;

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
/// One message being filled up to a size limit. <see cref="Used"/> is never less than the encoded size of the message:
/// it starts as the message's measured size and grows by each added command's <see cref="SyncMLSizeMeter.CommandBound"/>,
/// so adding n commands encodes each once. In WBXML the bound is a few bytes high (code page and string-table slack);
/// when only that slack stands between a command and the limit, the message is measured exactly once to decide.
/// </summary>
public sealed class MessageFill
{
    private readonly SyncMLSizeMeter _meter;
    private readonly SyncMLMessage _message;

    // Bytes counted for commands the caller adds later (Reserve).
    private int _reserved;

    internal MessageFill(SyncMLSizeMeter meter, SyncMLMessage message, int? limit)
    {
        _meter = meter;
        _message = message;
        Limit = limit;
        Used = limit is null ? 0 : meter.MessageBound(message);
    }

    /// <summary>The limit in bytes; null when the client set none.</summary>
    public int? Limit { get; }

    /// <summary>An upper bound on the message's encoded size so far (0 when there is no limit: nothing is measured).</summary>
    public int Used { get; private set; }

    /// <summary>Adds <paramref name="command"/> at the end of the message if the message stays within the limit.</summary>
    public bool TryAdd(SyncMLCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (Limit is not { } limit)
        {
            _message.SyncBody.Commands.Add(command);
            return true;
        }

        var bound = _meter.CommandBound(command);
        if (Used + bound <= limit)
        {
            _message.SyncBody.Commands.Add(command);
            Used += bound;
            return true;
        }

        if (_meter.Encoding == SyncMLEncoding.Xml)
        {
            // XML bounds are exact: it does not fit.
            return false;
        }

        _message.SyncBody.Commands.Add(command);
        if (_meter.Measure(_message) + _reserved <= limit)
        {
            Used = _meter.MessageBound(_message) + _reserved;
            return true;
        }

        _message.SyncBody.Commands.RemoveAt(_message.SyncBody.Commands.Count - 1);
        return false;
    }

    /// <summary>Adds <paramref name="command"/> whether or not it fits (a message must carry it; the caller says why).</summary>
    public void Add(SyncMLCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        _message.SyncBody.Commands.Add(command);
        if (Limit is not null)
        {
            Used += _meter.CommandBound(command);
        }
    }

    /// <summary>Counts <paramref name="command"/> now so that room is left for it; the caller adds it to the message later.</summary>
    public void Reserve(SyncMLCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (Limit is not null)
        {
            var bound = _meter.CommandBound(command);
            _reserved += bound;
            Used += bound;
        }
    }
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

using System.Globalization;
using System.Text;
using DeviceAgent.SyncML;

namespace DeviceAgent.Session;

public sealed partial class DmSession
{
    private const int MinimumOutgoingMessageSize = 1024;

    // Commands owed to the server that did not fit in earlier messages, in order (docs/reference/omadm.md §5).
    private readonly List<Outgoing> _outgoing = [];
    private int _maxOutgoing;

    // Sizes client messages in the encoding they are sent in, one command at a time (SyncMLSizeMeter; docs/session.md "Encoding").
    private readonly SyncMLSizeMeter _meter;

    // ContinuesChunk: the rest of a value already started with MoreData; its chunks carry no Size (docs/reference/omadm.md §6 rule 2).
    private sealed record Outgoing(SyncMLCommand Command, bool ContinuesChunk = false);

    /// <summary>Commands the client still owes the server (they go in its next messages).</summary>
    public int PendingCommandCount => _outgoing.Count;

    private SyncMLMessage NewMessage()
    {
        _clientMsgId++;
        var header = new SyncHdr
        {
            SessionID = SessionID,
            MsgID = _clientMsgId.ToString(CultureInfo.InvariantCulture),
            Target = new LocationElement(ServerLocURI),
            Source = new LocationElement(_device.DevId),
        };
        if (_options.AdvertisedMaxMsgSize is not null || _options.AdvertisedMaxObjSize is not null)
        {
            header.Meta = new Meta
            {
                MaxMsgSize = _options.AdvertisedMaxMsgSize?.ToString(CultureInfo.InvariantCulture),
                MaxObjSize = _options.AdvertisedMaxObjSize?.ToString(CultureInfo.InvariantCulture),
            };
        }

        return new SyncMLMessage { SyncHdr = header };
    }

    // Fills one message: SyncHdr status first (docs/reference/omadm.md §8), then as many owed commands as fit in the size limit,
    // then Alert 1222 while the server's package is open; Final only when nothing is owed and the server's package is
    // closed (docs/reference/omadm.md §5).
    private SyncMLMessage BuildMessage(Status? headerStatus, bool askForNextMessage)
    {
        var message = NewMessage();
        var commands = message.SyncBody.Commands;
        var cmdId = 1;
        if (headerStatus is not null)
        {
            headerStatus.CmdID = Number(ref cmdId);
            commands.Add(headerStatus);
        }

        // Sized with the closing Alert 1222 and Final in place so that neither can push the message over the limit.
        var nextMessage = askForNextMessage ? new Alert { Data = AlertCode(AlertCodes.NextMessage) } : null;
        message.SyncBody.Final = true;
        if (nextMessage is not null)
        {
            nextMessage.CmdID = "99999";
            commands.Add(nextMessage);
        }

        var emptySize = _meter.MessageBound(message);
        var used = emptySize;
        var taken = 0;
        while (taken < _outgoing.Count)
        {
            var candidate = _outgoing[taken].Command;
            candidate.CmdID = (cmdId + taken).ToString(CultureInfo.InvariantCulture);
            var size = _meter.CommandBound(candidate);
            if (used + size <= _maxOutgoing)
            {
                used += size;
                taken++;
                continue;
            }

            if (taken == 0 && SplitHead(message, candidate, cmdId, _maxOutgoing - emptySize))
            {
                // The head was split (per item, or into a chunk that fits); measure it again.
                continue;
            }

            break;
        }

        if (taken == 0 && _outgoing.Count > 0)
        {
            // One command that cannot be split and exceeds the limit alone is sent whole rather than never (docs/session.md).
            taken = 1;
        }

        if (nextMessage is not null)
        {
            commands.Remove(nextMessage);
        }

        for (var i = 0; i < taken; i++)
        {
            var command = _outgoing[i].Command;
            command.CmdID = Number(ref cmdId);
            commands.Add(command);
        }

        _outgoing.RemoveRange(0, taken);
        if (nextMessage is not null)
        {
            nextMessage.CmdID = Number(ref cmdId);
            commands.Add(nextMessage);
        }

        message.SyncBody.Final = _outgoing.Count == 0 && !askForNextMessage;
        return RememberSent(message);
    }

    // Splits the head of the queue so that its first part fits in `space` bytes: a Results with several items becomes
    // one Results per item; a single-item Results with text data becomes a MoreData chunk plus the rest (docs/reference/omadm.md §6).
    private bool SplitHead(SyncMLMessage message, SyncMLCommand head, int cmdId, int space)
    {
        if (head is not Results results || space <= 0)
        {
            return false;
        }

        if (results.Items.Count > 1)
        {
            var perItem = results.Items.Select(item => new Outgoing(CopyResults(results, item))).ToList();
            _outgoing.RemoveAt(0);
            _outgoing.InsertRange(0, perItem);
            return true;
        }

        if (results.Items.Count != 1 || results.Items[0].Data is not { Form: DataForm.Text or DataForm.CData } data)
        {
            return false;
        }

        var continues = _outgoing[0].ContinuesChunk;
        var item = results.Items[0];
        var chunkItem = CopyItem(item, "");
        chunkItem.MoreData = true;
        if (!continues)
        {
            chunkItem.Meta ??= new Meta();
            chunkItem.Meta.Size = Encoding.UTF8.GetByteCount(data.Value).ToString(CultureInfo.InvariantCulture);
        }

        var chunk = CopyResults(results, chunkItem);
        chunk.CmdID = cmdId.ToString(CultureInfo.InvariantCulture);
        var overhead = _meter.CommandBound(chunk);
        var length = PrefixFitting(data.Value, space - overhead);
        while (length > 0)
        {
            chunkItem.Data = new Data(data.Value[..length], data.Form);
            if (_meter.CommandBound(chunk) <= space)
            {
                break;
            }

            length = ShrinkKeepingSurrogates(data.Value, length / 2);
        }

        if (length <= 0)
        {
            return false;
        }

        var rest = CopyResults(results, CopyItem(item, data.Value[length..], dropSize: true));
        _outgoing[0] = new Outgoing(chunk);
        _outgoing.Insert(1, new Outgoing(rest, ContinuesChunk: true));
        return true;
    }

    // The longest prefix whose UTF-8 bytes, counting each XML-escapable character as a full entity, fit in `space`.
    private static int PrefixFitting(string value, int space)
    {
        var used = 0;
        var i = 0;
        while (i < value.Length)
        {
            var c = value[i];
            var width = c switch
            {
                '&' or '<' or '>' or '"' or '\'' => 6,
                '\r' => 5,
                < (char)0x80 => 1,
                < (char)0x800 => 2,
                _ when char.IsHighSurrogate(c) => 4,
                _ => 3,
            };
            var step = char.IsHighSurrogate(c) && i + 1 < value.Length ? 2 : 1;
            if (used + width > space)
            {
                break;
            }

            used += width;
            i += step;
        }

        return i;
    }

    private static int ShrinkKeepingSurrogates(string value, int length) =>
        length > 0 && char.IsLowSurrogate(value[length]) ? length - 1 : length;

    private static Results CopyResults(Results results, Item item)
    {
        var copy = new Results
        {
            MsgRef = results.MsgRef,
            CmdRef = results.CmdRef,
            Cmd = results.Cmd,
            Meta = results.Meta,
            TargetRef = results.TargetRef,
            SourceRef = results.SourceRef,
        };
        copy.Items.Add(item);
        return copy;
    }

    private static Item CopyItem(Item item, string data, bool dropSize = false) => new()
    {
        Target = item.Target,
        Source = item.Source,
        Meta = dropSize ? WithoutSize(item.Meta) : item.Meta is null ? null : CopyMeta(item.Meta),
        Data = new Data(data, item.Data?.Form ?? DataForm.Text),
    };
}

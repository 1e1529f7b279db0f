using System.Globalization;
using System.Text;
using DeviceAgent.SyncML;

namespace DeviceAgent.Session;

public sealed partial class DmSession
{
    // 413 (request entity too large) is a SyncML RepPro status Windows CSPs do not use (docs/reference/omadm.md §9); the agent
    // uses it only to refuse a large object above its buffer limit (docs/session.md).
    private const int RequestEntityTooLarge = 413;

    private LargeObject? _largeObject;

    // A server command split over messages with MoreData (docs/reference/omadm.md §6): the first chunk's command, its declared
    // Size and the data received so far.
    private sealed class LargeObject(ItemCommand first, long declaredSize, Item chunkedItem)
    {
        public ItemCommand First { get; } = first;
        public long DeclaredSize { get; } = declaredSize;
        public Item ChunkedItem { get; } = chunkedItem;
        public StringBuilder Data { get; } = new(chunkedItem.Data?.Value ?? "");
        public string? LocURI => ChunkedItem.Target?.LocURI ?? ChunkedItem.Source?.LocURI;
    }

    private bool IsContinuation(SyncMLCommand command) =>
        _largeObject is { } lo
        && command is ItemCommand next
        && next.Name == lo.First.Name
        && next.Items.Count == 1
        && string.Equals(next.Items[0].Target?.LocURI ?? next.Items[0].Source?.LocURI, lo.LocURI, StringComparison.Ordinal);

    private async ValueTask<IEnumerable<SyncMLCommand>> ReceiveChunkAsync(ItemCommand command, string serverMsgId, CancellationToken cancellationToken)
    {
        if (_largeObject is null)
        {
            return [StartLargeObject(command, serverMsgId)];
        }

        var lo = _largeObject;
        var item = command.Items[0];
        lo.Data.Append(item.Data?.Value);
        if (lo.Data.Length > _options.MaxIncomingObjectSize)
        {
            _largeObject = null;
            return [NewStatus(serverMsgId, command, RequestEntityTooLarge)];
        }

        if (item.MoreData)
        {
            return [NewStatus(serverMsgId, command, CodeFor(command, StatusCodes.ChunkedItemAccepted))];
        }

        _largeObject = null;
        var value = lo.Data.ToString();
        if (Encoding.UTF8.GetByteCount(value) != lo.DeclaredSize)
        {
            // The object is not committed (docs/reference/omadm.md §6 rule 5).
            return [NewStatus(serverMsgId, command, StatusCodes.SizeMismatch)];
        }

        return await _executor.ExecuteAsync([Reassemble(lo, command, value)], serverMsgId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("The command executor returned null.");
    }

    private Status StartLargeObject(ItemCommand command, string serverMsgId)
    {
        // Only the last item of a command can continue in the next message (docs/reference/omadm.md §6 rule 4).
        if (command.Items.FindIndex(i => i.MoreData) != command.Items.Count - 1)
        {
            return NewStatus(serverMsgId, command, StatusCodes.BadRequest);
        }

        var item = command.Items[^1];
        var sizeText = item.Meta?.Size ?? command.Meta?.Size;
        if (!long.TryParse(sizeText?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var size))
        {
            // Size is required on the first chunk (docs/reference/omadm.md §6 rule 2); without it the object cannot be checked.
            return NewStatus(serverMsgId, command, StatusCodes.BadRequest);
        }

        if (size > _options.MaxIncomingObjectSize || (item.Data?.Value.Length ?? 0) > _options.MaxIncomingObjectSize)
        {
            return NewStatus(serverMsgId, command, RequestEntityTooLarge);
        }

        _largeObject = new LargeObject(command, size, item);
        return NewStatus(serverMsgId, command, CodeFor(command, StatusCodes.ChunkedItemAccepted));
    }

    // The executor sees one ordinary command: the first chunk's command and Meta, its earlier items, and one item
    // holding the whole value; it carries the last chunk's CmdID, which its Status answers.
    private static ItemCommand Reassemble(LargeObject lo, ItemCommand lastChunk, string value)
    {
        var command = NewLike(lo.First);
        command.CmdID = lastChunk.CmdID;
        command.NoResp = lo.First.NoResp;
        command.Cred = lo.First.Cred;
        command.Meta = lo.First.Meta;
        command.Items.AddRange(lo.First.Items.Take(lo.First.Items.Count - 1));
        command.Items.Add(new Item
        {
            Target = lo.ChunkedItem.Target,
            Source = lo.ChunkedItem.Source,
            Meta = WithoutSize(lo.ChunkedItem.Meta),
            Data = new Data(value, lo.ChunkedItem.Data?.Form ?? DataForm.Text),
        });
        return command;
    }

    private Alert EndOfDataAlert()
    {
        // Alert 1225 names the object that stayed incomplete; it is not committed (docs/reference/omadm.md §6 rule 6).
        var alert = new Alert { Data = AlertCode(AlertCodes.NoEndOfData) };
        if (_largeObject?.LocURI is { } locUri)
        {
            alert.Items.Add(new Item { Source = new LocationElement(locUri) });
        }

        return alert;
    }

    private static ItemCommand NewLike(ItemCommand command) => command switch
    {
        Add => new Add(),
        Replace => new Replace(),
        Delete => new Delete(),
        Get => new Get(),
        Exec exec => new Exec { Correlator = exec.Correlator },
        Copy => new Copy(),
        _ => throw new InvalidOperationException($"Unknown item command {command.Name}."),
    };

    private static Meta? WithoutSize(Meta? meta)
    {
        if (meta is null)
        {
            return null;
        }

        var copy = CopyMeta(meta);
        copy.Size = null;
        return copy;
    }

    private static Meta CopyMeta(Meta meta)
    {
        var copy = new Meta
        {
            Format = meta.Format,
            Type = meta.Type,
            Size = meta.Size,
            MaxMsgSize = meta.MaxMsgSize,
            MaxObjSize = meta.MaxObjSize,
            NextNonce = meta.NextNonce,
            Mark = meta.Mark,
        };
        copy.Unknown.AddRange(meta.Unknown);
        return copy;
    }
}

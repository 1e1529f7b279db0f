using System.Buffers;
using System.Text;

namespace DeviceAgent.SyncML.Reading;

/// <summary>The structural layer: maps elements to the message model. Children are matched by local name in any order.</summary>
internal ref partial struct SyncMLParser
{
    private static readonly Data s_emptyData = new("");

    private static El Identify(in StartTag tag) => tag.Id;

    /// <summary>Reads the whole input: a &lt;SyncML&gt; message, or (unless <paramref name="messageOnly"/>) a SyncBody or commands.</summary>
    public SyncMLFragment ReadDocument(bool messageOnly)
    {
        ValidateInput();
        SkipProlog();
        if (_pos >= _s.Length) throw Error("the input has no root element", _pos);

        ReadStartTag(out StartTag root);
        El id = Identify(root);
        var message = new SyncMLMessage { Namespace = RootNamespace(root) };
        SyncMLDocumentKind kind;
        if (id == El.SyncML)
        {
            kind = SyncMLDocumentKind.Message;
            ParseSyncML(root, message);
        }
        else if (messageOnly)
        {
            throw Error($"expected <SyncML> as the root element but found <{NameOf(root)}>", root.Start);
        }
        else if (id == El.SyncBody)
        {
            kind = SyncMLDocumentKind.SyncBody;
            ParseCommands(root, message.SyncBody, null);
        }
        else
        {
            kind = SyncMLDocumentKind.Commands;
            ParseTopLevelCommand(root, id, message.SyncBody);
            while (true)
            {
                SkipMisc(doctypeAllowed: false);
                if (_pos >= _s.Length) break;
                ReadStartTag(out StartTag next);
                RootNamespace(next);
                ParseTopLevelCommand(next, Identify(next), message.SyncBody);
            }
        }

        SkipMisc(doctypeAllowed: false);
        if (_pos < _s.Length)
        {
            int start = _pos + 1;
            _pos = start;
            int length = ScanName(out _);
            throw Error($"a second root element <{Encoding.UTF8.GetString(_s.Slice(start, length))}> follows the first one; a message has one root", start - 1);
        }

        return new SyncMLFragment(kind, message);
    }

    /// <summary>The default namespace of a top-level element: SYNCML:SYNCML1.2, SYNCML:SYNCML1.1 (any case) or none (docs/syncml.md).</summary>
    private readonly string RootNamespace(in StartTag root)
    {
        if (root.DefaultNsStart < 0) return "";
        ReadOnlySpan<byte> ns = _s.Slice(root.DefaultNsStart, root.DefaultNsLength);
        if (ns.IsEmpty) return "";
        if (Ascii.EqualsIgnoreCase(ns, "SYNCML:SYNCML1.2"u8) || Ascii.EqualsIgnoreCase(ns, "SYNCML:SYNCML1.1"u8))
        {
            return ns.SequenceEqual("SYNCML:SYNCML1.2"u8) ? SyncMLNames.Namespace12
                : ns.SequenceEqual("SYNCML:SYNCML1.1"u8) ? SyncMLNames.Namespace11
                : Encoding.UTF8.GetString(ns);
        }

        throw Error(
            $"<{NameOf(root)}> is in namespace '{Encoding.UTF8.GetString(ns)}'; expected SYNCML:SYNCML1.2, SYNCML:SYNCML1.1 or no namespace",
            root.Start);
    }

    private void ParseTopLevelCommand(in StartTag tag, El id, SyncBody body)
    {
        if (id == El.Final)
        {
            body.Final = true;
            SkipElement(tag);
            return;
        }

        if (id is El.Atomic or El.Sequence)
        {
            ContainerCommand container = id == El.Atomic ? new Atomic() : new Sequence();
            body.Commands.Add(container);
            ParseCommands(tag, body, container);
            return;
        }

        SyncMLCommand command = ParseCommand(tag, id);
        if (command is UnknownCommand)
        {
            throw Error($"<{NameOf(tag)}> is not a SyncML message, SyncBody or command", tag.Start);
        }

        body.Commands.Add(command);
    }

    private void ParseSyncML(in StartTag root, SyncMLMessage message)
    {
        bool sawHdr = false, sawBody = false;
        while (NextChild(root, out StartTag child))
        {
            switch (Identify(child))
            {
                case El.SyncHdr:
                    if (sawHdr) throw Error("a second <SyncHdr>; a message has one", child.Start);
                    if (sawBody) throw Error("<SyncHdr> must come before <SyncBody>", child.Start);
                    sawHdr = true;
                    message.SyncHdr = ParseSyncHdr(child);
                    break;
                case El.SyncBody:
                    if (sawBody) throw Error("a second <SyncBody>; a message has one", child.Start);
                    sawBody = true;
                    ParseCommands(child, message.SyncBody, null);
                    break;
                default:
                    SkipElement(child);
                    break;
            }
        }

        if (!sawBody) throw Error("<SyncML> has no <SyncBody>", root.Start);
    }

    private SyncHdr? ParseSyncHdr(in StartTag tag)
    {
        var hdr = new SyncHdr { VerDTD = null, VerProto = null };
        bool any = false;
        while (NextChild(tag, out StartTag child))
        {
            any = true;
            switch (Identify(child))
            {
                case El.VerDTD: hdr.VerDTD = ReadSimple(child); break;
                case El.VerProto: hdr.VerProto = ReadSimple(child); break;
                case El.SessionID: hdr.SessionID = ReadSimple(child); break;
                case El.MsgID: hdr.MsgID = ReadSimple(child); break;
                case El.Target: hdr.Target = ParseLocation(child); break;
                case El.Source: hdr.Source = ParseLocation(child); break;
                case El.RespURI: hdr.RespURI = ReadSimple(child); break;
                case El.NoResp: hdr.NoResp = true; SkipElement(child); break;
                case El.Cred: hdr.Cred = ParseCred(child); break;
                case El.Meta: hdr.Meta = ParseMeta(child, null); break;
                default: SkipElement(child); break;
            }
        }

        // An empty <SyncHdr/> is modelled as no SyncHdr (SyncMLMessage.SyncHdr).
        return any ? hdr : null;
    }

    private LocationElement ParseLocation(in StartTag tag)
    {
        var location = new LocationElement();
        while (NextChild(tag, out StartTag child))
        {
            switch (Identify(child))
            {
                case El.LocURI: location.LocURI = ReadSimple(child); break;
                case El.LocName: location.LocName = ReadSimple(child); break;
                default: SkipElement(child); break;
            }
        }

        return location;
    }

    private Cred ParseCred(in StartTag tag)
    {
        var cred = new Cred();
        while (NextChild(tag, out StartTag child))
        {
            switch (Identify(child))
            {
                case El.Meta: cred.Meta = ParseMeta(child, cred.Meta); break;
                case El.Data: cred.Data = ReadData(child); break;
                default: SkipElement(child); break;
            }
        }

        return cred;
    }

    private Chal ParseChal(in StartTag tag)
    {
        var chal = new Chal();
        while (NextChild(tag, out StartTag child))
        {
            if (Identify(child) == El.Meta) chal.Meta = ParseMeta(child, chal.Meta);
            else SkipElement(child);
        }

        return chal;
    }

    private Meta ParseMeta(in StartTag tag, Meta? into)
    {
        var meta = into ?? new Meta();
        while (NextChild(tag, out StartTag child))
        {
            El id = Identify(child);
            if (ElementNames.IsMetaChild(id)) SetMetaChild(meta, id, ReadSimple(child), overwrite: true);
            else meta.Unknown.Add(ReadRaw(child));
        }

        return meta;
    }

    private static void SetMetaChild(Meta meta, El id, string value, bool overwrite)
    {
        switch (id)
        {
            case El.Format: if (overwrite || meta.Format is null) meta.Format = value; break;
            case El.Type: if (overwrite || meta.Type is null) meta.Type = value; break;
            case El.Size: if (overwrite || meta.Size is null) meta.Size = value; break;
            case El.MaxMsgSize: if (overwrite || meta.MaxMsgSize is null) meta.MaxMsgSize = value; break;
            case El.MaxObjSize: if (overwrite || meta.MaxObjSize is null) meta.MaxObjSize = value; break;
            case El.NextNonce: if (overwrite || meta.NextNonce is null) meta.NextNonce = value; break;
            case El.Mark: if (overwrite || meta.Mark is null) meta.Mark = value; break;
        }
    }

    private Item ParseItem(in StartTag tag)
    {
        var item = new Item();
        while (NextChild(tag, out StartTag child))
        {
            El id = Identify(child);
            switch (id)
            {
                case El.Target: item.Target = ParseLocation(child); break;
                case El.Source: item.Source = ParseLocation(child); break;
                case El.Meta: item.Meta = ParseMeta(child, item.Meta); break;
                case El.Data: item.Data = ReadData(child); break;
                case El.MoreData: item.MoreData = true; SkipElement(child); break;
                default:
                    if (ElementNames.IsMetaChild(id))
                    {
                        // Microsoft samples put <Type> beside an empty <Meta> inside Item; it is folded into Meta (docs/syncml.md).
                        SetMetaChild(item.Meta ??= new Meta(), id, ReadSimple(child), overwrite: false);
                    }
                    else
                    {
                        SkipElement(child);
                    }

                    break;
            }
        }

        return item;
    }

    /// <summary>Reads Data as text, CDATA or raw inner XML (docs/syncml.md "Data forms").</summary>
    private Data ReadData(in StartTag tag)
    {
        if (tag.IsEmpty) return s_emptyData;
        int start = tag.ContentStart;
        if (TryReadPlainText(tag, out ReadOnlySpan<byte> value, out ulong word))
        {
            return value.IsEmpty ? s_emptyData : TokenCache.GetData(value, word);
        }

        _charCount = 0;
        int cdataFirst = -1, cdataEnd = -1;
        if (!AccumulateText(tag, elementsAllowed: true, ref cdataFirst, ref cdataEnd))
        {
            int end = SkipContent(tag, captureCmdId: false, out _);
            return new Data(Encoding.UTF8.GetString(_s[start..end]), DataForm.Xml);
        }

        ReadOnlySpan<char> text = _chars.AsSpan(0, _charCount);
        if (cdataFirst >= 0 && text[..cdataFirst].IndexOfAnyExcept(" \t\r\n") < 0 && text[cdataEnd..].IndexOfAnyExcept(" \t\r\n") < 0)
        {
            return new Data(new string(text[cdataFirst..cdataEnd]), DataForm.CData);
        }

        return new Data(new string(text));
    }

    private SyncMLCommand ParseCommand(in StartTag tag, El id) => id switch
    {
        El.Add => ParseItemCommand(tag, new Add()),
        El.Copy => ParseItemCommand(tag, new Copy()),
        El.Delete => ParseItemCommand(tag, new Delete()),
        El.Exec => ParseItemCommand(tag, new Exec()),
        El.Get => ParseItemCommand(tag, new Get()),
        El.Replace => ParseItemCommand(tag, new Replace()),
        El.Alert => ParseAlert(tag),
        El.Status => ParseStatus(tag),
        El.Results => ParseResults(tag),
        _ => ParseUnknown(tag),
    };

    private UnknownCommand ParseUnknown(in StartTag tag)
    {
        SkipContent(tag, captureCmdId: true, out string? cmdId);
        return new UnknownCommand(NameOf(tag), Encoding.UTF8.GetString(_s[tag.Start.._pos])) { CmdID = cmdId };
    }

    private ItemCommand ParseItemCommand(in StartTag tag, ItemCommand command)
    {
        while (NextChild(tag, out StartTag child))
        {
            switch (Identify(child))
            {
                case El.CmdID: command.CmdID = ReadSimple(child); break;
                case El.NoResp: command.NoResp = true; SkipElement(child); break;
                case El.Cred: command.Cred = ParseCred(child); break;
                case El.Meta: command.Meta = ParseMeta(child, command.Meta); break;
                case El.Item: command.Items.Add(ParseItem(child)); break;
                case El.Correlator when command is Exec exec: exec.Correlator = ReadSimple(child); break;
                default: SkipElement(child); break;
            }
        }

        return command;
    }

    private Alert ParseAlert(in StartTag tag)
    {
        var alert = new Alert();
        while (NextChild(tag, out StartTag child))
        {
            switch (Identify(child))
            {
                case El.CmdID: alert.CmdID = ReadSimple(child); break;
                case El.NoResp: alert.NoResp = true; SkipElement(child); break;
                case El.Cred: alert.Cred = ParseCred(child); break;
                case El.Data: alert.Data = ReadSimple(child); break;
                case El.Correlator: alert.Correlator = ReadSimple(child); break;
                case El.Item: alert.Items.Add(ParseItem(child)); break;
                default: SkipElement(child); break;
            }
        }

        return alert;
    }

    private Status ParseStatus(in StartTag tag)
    {
        var status = new Status();
        while (NextChild(tag, out StartTag child))
        {
            switch (Identify(child))
            {
                case El.CmdID: status.CmdID = ReadSimple(child); break;
                case El.NoResp: status.NoResp = true; SkipElement(child); break;
                case El.MsgRef: status.MsgRef = ReadSimple(child); break;
                case El.CmdRef: status.CmdRef = ReadSimple(child); break;
                case El.Cmd: status.Cmd = ReadSimple(child); break;
                case El.TargetRef: status.TargetRefs.Add(ReadSimple(child)); break;
                case El.SourceRef: status.SourceRefs.Add(ReadSimple(child)); break;
                case El.Cred: status.Cred = ParseCred(child); break;
                case El.Chal: status.Chal = ParseChal(child); break;
                case El.Data: status.Data = ReadSimple(child); break;
                case El.Item: status.Items.Add(ParseItem(child)); break;
                default: SkipElement(child); break;
            }
        }

        return status;
    }

    private Results ParseResults(in StartTag tag)
    {
        var results = new Results();
        while (NextChild(tag, out StartTag child))
        {
            switch (Identify(child))
            {
                case El.CmdID: results.CmdID = ReadSimple(child); break;
                case El.NoResp: results.NoResp = true; SkipElement(child); break;
                case El.MsgRef: results.MsgRef = ReadSimple(child); break;
                case El.CmdRef: results.CmdRef = ReadSimple(child); break;
                case El.Cmd: results.Cmd = ReadSimple(child); break;
                case El.Meta: results.Meta = ParseMeta(child, results.Meta); break;
                case El.TargetRef: results.TargetRef = ReadSimple(child); break;
                case El.SourceRef: results.SourceRef = ReadSimple(child); break;
                case El.Item: results.Items.Add(ParseItem(child)); break;
                default: SkipElement(child); break;
            }
        }

        return results;
    }

    /// <summary>
    /// Reads the commands of a SyncBody (<paramref name="container"/> null) or of a container that <paramref name="tag"/>
    /// opens. Atomic/Sequence nesting uses an explicit stack, so a deep document cannot overflow the call stack.
    /// </summary>
    private void ParseCommands(StartTag tag, SyncBody body, ContainerCommand? container)
    {
        // Commands of each open list are collected on a pooled stack and copied once into a list of exact capacity.
        // Open containers are kept on a pooled stack too (rented on the first Atomic or Sequence).
        int openCount = 0;
        int start = _pendingCount;
        while (true)
        {
            if (!NextChild(tag, out StartTag child))
            {
                MovePending(start, container?.Commands ?? body.Commands);
                if (openCount == 0) return;
                (tag, container, start) = _openContainers![--openCount];
                continue;
            }

            El id = Identify(child);
            if (container is not null && id is El.CmdID or El.NoResp or El.Meta)
            {
                if (id == El.CmdID) container.CmdID = ReadSimple(child);
                else if (id == El.Meta) container.Meta = ParseMeta(child, container.Meta);
                else
                {
                    container.NoResp = true;
                    SkipElement(child);
                }

                continue;
            }

            if (container is null && id == El.Final)
            {
                body.Final = true;
                SkipElement(child);
                continue;
            }

            if (id is El.Atomic or El.Sequence)
            {
                ContainerCommand inner = id == El.Atomic ? new Atomic() : new Sequence();
                PushPending(inner);
                if (child.IsEmpty) continue;
                _openContainers ??= ArrayPool<(StartTag, ContainerCommand?, int)>.Shared.Rent(8);
                if (openCount == _openContainers.Length) GrowOpenContainers();
                _openContainers[openCount++] = (tag, container, start);
                tag = child;
                container = inner;
                start = _pendingCount;
                continue;
            }

            PushPending(ParseCommand(child, id));
        }
    }

    private void GrowOpenContainers()
    {
        var bigger = ArrayPool<(StartTag, ContainerCommand?, int)>.Shared.Rent(_openContainers!.Length * 2);
        _openContainers.CopyTo(bigger, 0);
        ArrayPool<(StartTag, ContainerCommand?, int)>.Shared.Return(_openContainers, clearArray: true);
        _openContainers = bigger;
    }

    private void PushPending(SyncMLCommand command)
    {
        _pending ??= ArrayPool<SyncMLCommand>.Shared.Rent(64);
        if (_pendingCount == _pending.Length)
        {
            SyncMLCommand[] bigger = ArrayPool<SyncMLCommand>.Shared.Rent(_pending.Length * 2);
            _pending.AsSpan(0, _pendingCount).CopyTo(bigger);
            ReturnPending();
            _pending = bigger;
        }

        _pending.AsSpan()[_pendingCount++] = command; // a span store: no per-element covariance check
    }

    private void MovePending(int start, List<SyncMLCommand> into)
    {
        int count = _pendingCount - start;
        if (count == 0) return;
        Span<SyncMLCommand> commands = _pending.AsSpan(start, count);
        into.Capacity = into.Count + count;
        into.AddRange(commands);
        commands.Clear();
        _pendingCount = start;
    }
}

using System.Globalization;
using DeviceAgent.Protocol;
using DeviceAgent.SyncML;
using Results = DeviceAgent.SyncML.Results;
using StatusCodes = DeviceAgent.SyncML.StatusCodes;
using MockMdm.Enrollment;
using MockMdm.Observability;
using MockMdm.Store;
using MockMdm.OmaDm.Authentication;

namespace MockMdm.OmaDm;

/// <summary>
/// Answers one client message of an OMA-DM session (docs/reference/omadm.md §4, §8, §13): statuses first and in order, the
/// device's answers stored on their commands, 418 on an Add re-sent as Replace, then the next queued commands, or only
/// statuses (which ends the session). Runs inside the request's one store transaction.
/// </summary>
public sealed class DmSessionProcessor(
    CommandQueue queue,
    IEnumerable<ICommandCompletionHandler> handlers,
    InventoryCommands inventory,
    PushChannelPolicy pushChannels,
    MockMdmOptions options,
    ILogger<DmSessionProcessor> logger,
    MockMdmMetrics metrics)
{
    /// <summary>OMA-DM 1.2 RepPro status 420 "Device full": the recipient (here the server, for this device) has no room.</summary>
    public const int DeviceFull = 420;

    /// <summary>Most unknown commands in one client message answered with a Status each; more refuse the message.</summary>
    public const int MaxUnknownCommands = 32;

    private readonly Dictionary<string, ICommandCompletionHandler> _handlers =
        handlers.ToDictionary(h => h.Kind, StringComparer.Ordinal);

    /// <summary>
    /// Builds the server's reply to <paramref name="request"/> from <paramref name="device"/>. <paramref name="auth"/>
    /// is what authentication decided (null: a Windows device the transport identified); <paramref name="budget"/>
    /// measures messages against the client's MaxMsgSize (null: XML).
    /// </summary>
    public SyncMLMessage Process(IStoreTransaction tx, DeviceRecord device, SyncMLMessage request, DmAuthOutcome? auth = null, MessageBudget? budget = null)
    {
        ArgumentNullException.ThrowIfNull(tx);
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(request);
        auth ??= DmAuthOutcome.Transport;
        budget ??= new MessageBudget(SyncMLEncoding.Xml);
        var hdr = request.SyncHdr ?? throw new DmProtocolException("the message has no SyncHdr");
        if (string.IsNullOrEmpty(hdr.SessionID) || string.IsNullOrEmpty(hdr.MsgID) || hdr.Source is null || hdr.Target is null)
        {
            throw new DmProtocolException("SyncHdr must carry SessionID, MsgID, Target and Source");
        }

        if (DmReplies.UnsupportedVersion(request) is { } unsupported)
        {
            throw unsupported;
        }

        // Each unknown element would get its own Status echoing its name: a message of tiny unknown elements made a reply
        // several times its size (issue 16). Past a handful the device is not speaking OMA-DM; refuse the message whole.
        var unknown = request.SyncBody.Commands.Count(c => c is UnknownCommand);
        if (unknown > MaxUnknownCommands)
        {
            throw new DmProtocolException(
                $"the message holds {unknown} unknown commands; at most {MaxUnknownCommands} are answered one by one, so it is refused whole and nothing of it applied");
        }

        // The DevId a device first reported is its identity: a message from another Source changes nothing (docs/omadm-clients.md "Bookkeeping").
        if (device.DevId is { } enrolled && !string.Equals(enrolled, hdr.Source.LocURI, StringComparison.Ordinal))
        {
            throw new DmRefusalException(StatusCodes.Forbidden,
                $"Source '{hdr.Source.LocURI}' is not this device's DevId '{enrolled}'; nothing of the message was applied");
        }

        ClaimDevId(tx, device, hdr.Source.LocURI);

        var maxMsgSize = MessageBudget.ParseLimit(hdr.Meta?.MaxMsgSize, "MaxMsgSize");
        var maxObjSize = MessageBudget.ParseLimit(hdr.Meta?.MaxObjSize, "MaxObjSize");
        var now = options.TimeProvider.GetUtcNow();
        var session = OpenSession(tx, device, request, hdr, now, out var started);
        if (started)
        {
            metrics.SessionStarted();
            logger.SessionStarted(session.SessionId, device.Id, session.InitiatingAlert);
        }

        session.MaxMsgSize = maxMsgSize ?? session.MaxMsgSize;
        session.MaxObjSize = maxObjSize ?? session.MaxObjSize;
        logger.DeviceIdentified(session.SessionId, device.Id, hdr.MsgID);
        device.DevId = hdr.Source.LocURI;
        device.LastSyncDateTime = now;

        // Statuses are numbered when they go into a message: some may wait for the next one (MaxMsgSize).
        var reply = new List<Status>();
        var headerStatus = StatusFor(hdr.MsgID, "0", SyncMLNames.SyncHdr, auth.HeaderStatus);
        headerStatus.Chal = auth.HeaderChal;

        var sent = tx.ListByOwner<CommandRecord>(device.Id, nameof(CommandState.Sent))
            .Where(c => c.SentSessionId == session.SessionId)
            .ToList();
        var aborted = false;
        var asksNext = false;
        foreach (var command in request.SyncBody.Commands)
        {
            switch (command)
            {
                case Status status:
                    Attach(sent, status.MsgRef, status.CmdRef, c => c.Statuses.Add(
                        new CommandReply(status.CmdRef ?? "", status.Cmd ?? "", status.Data ?? "", SyncMLWire.ToXml(status))));
                    break;
                case Results results:
                    // OMA: a Results without MsgRef answers the peer's message 1 (docs/reference/omadm.md §3).
                    Attach(sent, results.MsgRef ?? "1", results.CmdRef, c => c.Results.Add(SyncMLWire.ToXml(results)));
                    break;
                case Alert alert:
                    aborted |= alert.Data == AlertCodes.SessionAbort.ToString(CultureInfo.InvariantCulture);
                    asksNext |= alert.Data == AlertCodes.NextMessage.ToString(CultureInfo.InvariantCulture);
                    reply.Add(StatusFor(hdr.MsgID, command.CmdID, command.Name, StatusCodes.Ok));
                    break;
                case Replace replace:
                    reply.Add(StatusFor(hdr.MsgID, command.CmdID, command.Name, ApplyClientReplace(device, replace)));
                    break;
                case UnknownCommand:
                    reply.Add(StatusFor(hdr.MsgID, command.CmdID, command.Name, StatusCodes.BadRequest));
                    break;
                default:
                    // A client sends only Alert, Replace, Results and Status (docs/reference/omadm.md §4).
                    reply.Add(StatusFor(hdr.MsgID, command.CmdID, command.Name, StatusCodes.CommandNotAllowed));
                    break;
            }
        }

        foreach (var command in sent)
        {
            Complete(tx, device, command, now);
        }

        var outstanding = sent.Any(c => c.State == CommandState.Sent);
        session.ServerMsgId++;
        var serverMsgId = session.ServerMsgId.ToString(CultureInfo.InvariantCulture);
        var message = DmReplies.ReplyTo(request, serverMsgId);
        message.SyncHdr!.Cred = auth.ServerCred;
        message.SyncBody.Final = true;
        // The client's package is complete, or it asks for the server's next message (Alert 1222).
        var clientDone = request.SyncBody.Final || asksNext;
        var nextCmdId = 1;
        var fill = budget.Fill(message, session.MaxMsgSize);
        headerStatus.CmdID = Next(ref nextCmdId);
        fill.Add(headerStatus);
        var askNext = clientDone ? null : new Alert { CmdID = "99999", Data = AlertCodes.NextMessage.ToString(CultureInfo.InvariantCulture) };
        if (askNext is not null)
        {
            fill.Reserve(askNext);
        }

        var statusesLeft = AddStatuses(session, fill, reply, ref nextCmdId);
        var added = 0;
        var more = false;
        if (askNext is not null)
        {
            // The device's package continues: ask for its next message, send nothing else (docs/reference/omadm.md §5).
            askNext.CmdID = Next(ref nextCmdId);
            message.SyncBody.Commands.Add(askNext);
        }
        else if (!aborted && !outstanding && !statusesLeft)
        {
            (added, more) = AddQueued(tx, device, session, message, serverMsgId, fill, budget, ref nextCmdId, now);
        }

        // A package of statuses only ends the session (docs/reference/omadm.md §4 "end"); statuses and commands left over
        // for the size limit follow in the next message of the same package, so this one is not Final
        // (docs/omadm-clients.md "Message size").
        more |= statusesLeft && !aborted;
        session.Ended = clientDone && added == 0 && !more;
        if (session.Ended)
        {
            logger.SessionEnded(session.SessionId, device.Id, session.ServerMsgId);
        }

        session.LastClientMsgId = hdr.MsgID;
        session.LastMessageDateTime = now;
        tx.Put(session);
        tx.Put(device);
        message.SyncBody.Final = clientDone && !more;
        return message;
    }

    /// <summary>
    /// Records <paramref name="devId"/> (SyncHdr Source, ./DevInfo/DevId) as the device's, refused when another enrolled
    /// device already reports it: one device must not pose as another in the device list. The same hardware re-enrolled
    /// (the same enrollment DeviceID context item) may take its DevId over. It runs after the enrolled-DevId rule, so
    /// <paramref name="devId"/> is the device's own or its first; one lookup of the DeviceKeyRecord.ForDevId index.
    /// </summary>
    private static void ClaimDevId(IStoreTransaction tx, DeviceRecord device, string? devId)
    {
        if (string.IsNullOrEmpty(devId))
        {
            return;
        }

        var key = DeviceKeyRecord.ForDevId(devId);
        var claimed = tx.Find<DeviceKeyRecord>(key);
        if (claimed?.DeviceId == device.Id)
        {
            return;
        }

        if (claimed is not null && tx.Find<DeviceRecord>(claimed.DeviceId) is { } holder && holder.DevId == devId
            && !string.Equals(holder.EnrollmentDeviceId, device.EnrollmentDeviceId, StringComparison.OrdinalIgnoreCase))
        {
            throw new DmProtocolException($"DevId '{devId}' (SyncHdr Source) belongs to another enrolled device; a device keeps its own DevId");
        }

        tx.Put(new DeviceKeyRecord { Id = key, DeviceId = device.Id });
    }

    /// <summary>
    /// Adds the statuses the last message had no room for, then <paramref name="fresh"/> (this message's), while the
    /// message stays within the client's MaxMsgSize; the rest wait in the session for its next message. At least one
    /// status goes in every message, so a package always progresses (a limit too small for the SyncHdr status and one
    /// more is passed by that one). Returns whether statuses wait.
    /// </summary>
    private static bool AddStatuses(DmSessionRecord session, MessageFill fill, List<Status> fresh, ref int nextCmdId)
    {
        var owed = session.PendingStatuses.Select(xml => (Status)SyncMLWire.ReadCommand(xml)).Concat(fresh).ToList();
        var taken = 0;
        foreach (var status in owed)
        {
            status.CmdID = Next(ref nextCmdId);
            if (taken == 0)
            {
                fill.Add(status);
            }
            else if (!fill.TryAdd(status))
            {
                nextCmdId--;
                break;
            }

            taken++;
        }

        session.PendingStatuses = [.. owed.Skip(taken).Select(SyncMLWire.ToXml)];
        return session.PendingStatuses.Count > 0;
    }

    /// <summary>
    /// Adds queued commands to <paramref name="message"/> while it stays within the client's MaxMsgSize and the
    /// server's MaxCommandsPerMessage; a command that could never fit (alone over MaxMsgSize, or a value over
    /// MaxObjSize) fails with the reason instead of being sent oversize. Returns how many were added and whether
    /// queued commands remain for the next message.
    /// </summary>
    private (int Added, bool More) AddQueued(
        IStoreTransaction tx, DeviceRecord device, DmSessionRecord session, SyncMLMessage message, string serverMsgId,
        MessageFill fill, MessageBudget budget, ref int nextCmdId, DateTimeOffset now)
    {
        var added = 0;
        foreach (var queued in tx.ListByOwner<CommandRecord>(device.Id, nameof(CommandState.Queued)))
        {
            if (added == options.MaxCommandsPerMessage)
            {
                // The server's own batch size: the message ends its package (Final) and the rest is the next package,
                // as before MaxMsgSize was honoured; only the client's size limit continues a package.
                return (added, false);
            }

            var command = SyncMLWire.ReadCommand(queued.Xml);
            if (session.MaxObjSize is { } maxObj && MessageBudget.LargestObject(command) is var largest && largest > maxObj)
            {
                Fail(tx, device, queued, $"a value of {largest} bytes is larger than the device's MaxObjSize {maxObj}", now);
                continue;
            }

            var firstCmdId = nextCmdId;
            var ids = new List<string>();
            Number(command, ids, ref nextCmdId);
            var chunk = false;
            var firstSend = queued.ChunkOffset == 0;
            // A large object's next chunk is cut to fit below; anything else goes in whole if it fits.
            if (queued.ChunkOffset > 0 || !fill.TryAdd(command))
            {
                var maxMsg = fill.Limit ?? int.MaxValue;
                if (added > 0)
                {
                    // The next message starts with it (a large object's chunks each fill a message).
                    nextCmdId = firstCmdId;
                    return (added, true);
                }

                // Too large for any message: a single value is split as a large object (OMA DM 1.2 "Large object
                // handling"); anything else fails rather than being sent oversize.
                if (LargeObject.Split(budget, message, command, queued.ChunkOffset, maxMsg) is not { } length)
                {
                    nextCmdId = firstCmdId;
                    Fail(tx, device, queued, $"the command needs a {budget.Measure(message, command)}-byte message, more than the device's MaxMsgSize {maxMsg}", now);
                    continue;
                }

                chunk = true;
                queued.ChunkOffset += length.Length;
                queued.MoreChunks = length.MoreData;
                fill.Add(command);
            }

            queued.SentCmdIds = ids;
            queued.State = CommandState.Sent;
            if (firstSend)
            {
                queued.Attempts++;
            }

            queued.SentSessionId = session.SessionId;
            queued.SentMsgId = serverMsgId;
            queued.SentXml = SyncMLWire.ToXml(command);
            queued.Statuses = [];
            queued.Results = [];
            tx.Put(queued);
            added++;
            if (chunk && queued.MoreChunks)
            {
                // The object's next chunk goes in the next message, after the device's 213 for this one.
                return (added, true);
            }
        }

        return (added, false);
    }

    /// <summary>
    /// Continues the device's session or starts a new one (new SessionID, or an Alert 1200/1201). Commands a broken
    /// session left without a Status go back to the queue, so nothing the server accepted is dropped.
    /// </summary>
    private DmSessionRecord OpenSession(IStoreTransaction tx, DeviceRecord device, SyncMLMessage request, SyncHdr hdr, DateTimeOffset now, out bool started)
    {
        started = false;
        var existing = tx.Find<DmSessionRecord>(device.Id);
        var initiating = request.SyncBody.Commands.OfType<Alert>()
            .FirstOrDefault(a => a.Data is "1200" or "1201")?.Data;
        if (existing is not null && existing.SessionId == hdr.SessionID && !existing.Ended && initiating is null)
        {
            return existing;
        }

        started = true;
        foreach (var stale in tx.ListByOwner<CommandRecord>(device.Id, nameof(CommandState.Sent)))
        {
            if (stale.Attempts >= options.MaxCommandAttempts)
            {
                // Sent the configured number of times and never answered: give up instead of re-sending forever.
                Fail(tx, device, stale, $"no answer after {stale.Attempts} attempts", now);
                continue;
            }

            stale.State = CommandState.Queued;
            stale.ChunkOffset = 0;
            stale.MoreChunks = false;
            stale.SentSessionId = null;
            stale.SentMsgId = null;
            stale.SentCmdIds = [];
            stale.SentXml = null;
            stale.Statuses = [];
            stale.Results = [];
            tx.Put(stale);
        }

        return new DmSessionRecord
        {
            Id = device.Id,
            SessionId = hdr.SessionID!,
            StartedDateTime = now,
            InitiatingAlert = initiating,
        };
    }

    private static void Attach(List<CommandRecord> sent, string? msgRef, string? cmdRef, Action<CommandRecord> attach)
    {
        var owner = sent.FirstOrDefault(c => c.SentMsgId == msgRef && cmdRef is not null && c.SentCmdIds.Contains(cmdRef));
        if (owner is not null)
        {
            attach(owner);
        }
    }

    private void Complete(IStoreTransaction tx, DeviceRecord device, CommandRecord command, DateTimeOffset now)
    {
        if (command.TopLevelReply is not { } answer)
        {
            return;
        }

        var status = command.TopLevelStatus;
        if (status == StatusCodes.ChunkedItemAccepted && command.MoreChunks)
        {
            // A large object's chunk buffered: the command goes back to the head of the queue for its next chunk.
            command.State = CommandState.Queued;
            command.Statuses = [];
            command.Results = [];
            tx.Put(command);
            return;
        }

        if (status is null)
        {
            // Not an answer: a peer that sends status 0 (or text) has not done the command (docs/omadm-clients.md "Bookkeeping").
            Fail(tx, device, command, $"protocol error: the device's Status '{answer.Code}' is not an OMA-DM status code", now);
            return;
        }

        command.State = CommandState.Completed;
        command.CompletedDateTime = now;
        metrics.CommandAnswered(status.Value);
        if (status is < 200 or > 299)
        {
            logger.CommandFailed(command.Id, command.Origin.Kind, device.Id, status.Value);
        }

        // Parsed only for a 418: every other answer needs nothing from the queued XML.
        if (status == StatusCodes.AlreadyExists && SyncMLWire.ReadCommand(command.Xml) is Add add)
        {
            // docs/reference/omadm.md §8: Add of an existing node answers 418; the setting is then written with Replace.
            var replace = new Replace { Meta = add.Meta };
            replace.Items.AddRange(add.Items);
            command.ReplacedBy = queue.Enqueue(tx, device.Id, replace, command.Origin).Id;
            tx.Put(command);
            return;
        }

        tx.Put(command);
        if (_handlers.TryGetValue(command.Origin.Kind, out var handler))
        {
            handler.OnCompleted(tx, device, command);
        }
    }

    /// <summary>Gives a command up with the reason; its origin (an action, a profile) learns of it.</summary>
    private void Fail(IStoreTransaction tx, DeviceRecord device, CommandRecord command, string reason, DateTimeOffset now)
    {
        command.State = CommandState.Failed;
        command.Failure = reason;
        command.CompletedDateTime = now;
        tx.Put(command);
        logger.CommandGivenUp(command.Id, command.Origin.Kind, device.Id, reason);
        if (_handlers.TryGetValue(command.Origin.Kind, out var handler))
        {
            handler.OnFailed(tx, device, command);
        }
    }

    /// <summary>
    /// Applies a Replace from the device to its inventory, all items or none (design: nothing half-applied): 400 for an
    /// item without a LocURI or with an oversized LocURI or value, 403 for a push channel outside the configured
    /// notification service (docs/security.md "Push"), 420 (Device full, OMA-DM 1.2 RepPro) past the per-device
    /// inventory bound. The refusal's reason is logged.
    /// </summary>
    private int ApplyClientReplace(DeviceRecord device, Replace replace)
    {
        var changes = new List<(string Uri, string Value)>();
        foreach (var item in replace.Items)
        {
            // Package 1 names DevInfo leaves in Source (docs/reference/omadm.md §11); accept Target too.
            var uri = item.Source?.LocURI ?? item.Target?.LocURI;
            var value = item.Data?.Value ?? "";
            if (string.IsNullOrEmpty(uri) || uri.Length > 1024 || value.Length > 4096)
            {
                return StatusCodes.BadRequest;
            }

            if (uri == inventory.ChannelUriPath && pushChannels.Refusal(value) is { } channelRefusal)
            {
                logger.DeviceReplaceRefused(device.Id, 403, channelRefusal);
                return StatusCodes.Forbidden;
            }

            changes.Add((uri, value));
        }

        if (inventory.BoundRefusal(device, changes) is { } boundRefusal)
        {
            logger.DeviceReplaceRefused(device.Id, 420, boundRefusal);
            return DeviceFull;
        }

        foreach (var (uri, value) in changes)
        {
            device.Inventory[uri] = value;
            inventory.Apply(device, uri, value);
        }

        return StatusCodes.Ok;
    }

    private static Status StatusFor(string msgRef, string? cmdRef, string cmd, int code) => new()
    {
        MsgRef = msgRef,
        CmdRef = cmdRef ?? "",
        Cmd = cmd,
        Data = code.ToString(CultureInfo.InvariantCulture),
    };

    private static string Next(ref int nextCmdId) => (nextCmdId++).ToString(CultureInfo.InvariantCulture);

    private static void Number(SyncMLCommand command, List<string> ids, ref int nextCmdId)
    {
        command.CmdID = Next(ref nextCmdId);
        ids.Add(command.CmdID);
        if (command is ContainerCommand container)
        {
            foreach (var child in container.Commands)
            {
                Number(child, ids, ref nextCmdId);
            }
        }
    }
}

using System.Globalization;
using DeviceAgent.Protocol;
using DeviceAgent.SyncML;
using Results = DeviceAgent.SyncML.Results;
using StatusCodes = DeviceAgent.SyncML.StatusCodes;
using MockMdm.Enrollment;
using MockMdm.Observability;
using MockMdm.Store;

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
    MockMdmOptions options,
    ILogger<DmSessionProcessor> logger,
    MockMdmMetrics metrics)
{
    private readonly Dictionary<string, ICommandCompletionHandler> _handlers =
        handlers.ToDictionary(h => h.Kind, StringComparer.Ordinal);

    /// <summary>Builds the server's reply to <paramref name="request"/> from <paramref name="device"/>.</summary>
    public SyncMLMessage Process(IStoreTransaction tx, DeviceRecord device, SyncMLMessage request)
    {
        ArgumentNullException.ThrowIfNull(tx);
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(request);
        var hdr = request.SyncHdr ?? throw new DmProtocolException("the message has no SyncHdr");
        if (string.IsNullOrEmpty(hdr.SessionID) || string.IsNullOrEmpty(hdr.MsgID) || hdr.Source is null || hdr.Target is null)
        {
            throw new DmProtocolException("SyncHdr must carry SessionID, MsgID, Target and Source");
        }

        var now = options.TimeProvider.GetUtcNow();
        var session = OpenSession(tx, device, request, hdr, now, out var started);
        if (started)
        {
            metrics.SessionStarted();
            logger.SessionStarted(session.SessionId, device.Id, session.InitiatingAlert);
        }

        logger.DeviceIdentified(session.SessionId, device.Id, hdr.MsgID);
        device.DevId = hdr.Source.LocURI;
        device.LastSyncDateTime = now;

        var reply = new List<SyncMLCommand>();
        var nextCmdId = 1;
        reply.Add(StatusFor(hdr.MsgID, "0", SyncMLNames.SyncHdr, StatusCodes.Ok, ref nextCmdId));

        var sent = tx.ListByOwner<CommandRecord>(device.Id, nameof(CommandState.Sent))
            .Where(c => c.SentSessionId == session.SessionId)
            .ToList();
        var aborted = false;
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
                    reply.Add(StatusFor(hdr.MsgID, command.CmdID, command.Name, StatusCodes.Ok, ref nextCmdId));
                    break;
                case Replace replace:
                    reply.Add(StatusFor(hdr.MsgID, command.CmdID, command.Name, ApplyClientReplace(device, replace), ref nextCmdId));
                    break;
                case UnknownCommand:
                    reply.Add(StatusFor(hdr.MsgID, command.CmdID, command.Name, StatusCodes.BadRequest, ref nextCmdId));
                    break;
                default:
                    // A client sends only Alert, Replace, Results and Status (docs/reference/omadm.md §4).
                    reply.Add(StatusFor(hdr.MsgID, command.CmdID, command.Name, StatusCodes.CommandNotAllowed, ref nextCmdId));
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
        var added = 0;
        if (!request.SyncBody.Final)
        {
            // The device's package continues: ask for its next message, send nothing else (docs/reference/omadm.md §5).
            reply.Add(new Alert { CmdID = Next(ref nextCmdId), Data = AlertCodes.NextMessage.ToString(CultureInfo.InvariantCulture) });
        }
        else if (!aborted && !outstanding)
        {
            foreach (var queued in tx.ListByOwner<CommandRecord>(device.Id, nameof(CommandState.Queued))
                         .Take(options.MaxCommandsPerMessage))
            {
                var command = SyncMLWire.ReadCommand(queued.Xml);
                queued.SentCmdIds = [];
                Number(command, queued.SentCmdIds, ref nextCmdId);
                queued.State = CommandState.Sent;
                queued.Attempts++;
                queued.SentSessionId = session.SessionId;
                queued.SentMsgId = serverMsgId;
                queued.SentXml = SyncMLWire.ToXml(command);
                queued.Statuses = [];
                queued.Results = [];
                tx.Put(queued);
                reply.Add(command);
                added++;
            }
        }

        // A package of statuses only ends the session (docs/reference/omadm.md §4 "end").
        session.Ended = request.SyncBody.Final && added == 0;
        if (session.Ended)
        {
            logger.SessionEnded(session.SessionId, device.Id, session.ServerMsgId);
        }

        session.LastClientMsgId = hdr.MsgID;
        session.LastMessageDateTime = now;
        tx.Put(session);
        tx.Put(device);

        var message = new SyncMLMessage
        {
            SyncHdr = new SyncHdr
            {
                SessionID = hdr.SessionID,
                MsgID = serverMsgId,
                Target = new LocationElement(hdr.Source.LocURI),
                Source = new LocationElement(hdr.Target.LocURI),
            },
        };
        message.SyncBody.Commands.AddRange(reply);
        message.SyncBody.Final = request.SyncBody.Final;
        return message;
    }

    /// <summary>
    /// Continues the device's session or starts a new one (new SessionID, or an Alert 1200/1201). Commands a broken
    /// session left without a Status go back to the queue, so nothing the server accepted is dropped.
    /// </summary>
    private static DmSessionRecord OpenSession(IStoreTransaction tx, DeviceRecord device, SyncMLMessage request, SyncHdr hdr, DateTimeOffset now, out bool started)
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
            stale.State = CommandState.Queued;
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
        var status = command.TopLevelStatus;
        if (status is null)
        {
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

    private int ApplyClientReplace(DeviceRecord device, Replace replace)
    {
        foreach (var item in replace.Items)
        {
            // Package 1 names DevInfo leaves in Source (docs/reference/omadm.md §11); accept Target too.
            var uri = item.Source?.LocURI ?? item.Target?.LocURI;
            if (string.IsNullOrEmpty(uri) || uri.Length > 1024)
            {
                return StatusCodes.BadRequest;
            }

            var value = item.Data?.Value ?? "";
            if (value.Length > 4096)
            {
                return StatusCodes.BadRequest;
            }

            device.Inventory[uri] = value;
            inventory.Apply(device, uri, value);
        }

        return StatusCodes.Ok;
    }

    private static Status StatusFor(string msgRef, string? cmdRef, string cmd, int code, ref int nextCmdId) => new()
    {
        CmdID = Next(ref nextCmdId),
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

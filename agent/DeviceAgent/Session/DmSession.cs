using System.Globalization;
using DeviceAgent.Dm;
using DeviceAgent.SyncML;

namespace DeviceAgent.Session;

/// <summary>
/// The transport-free OMA-DM client session: builds package 1, answers each server message with the next client
/// message (or null when the session ends), and keeps SessionID, MsgID, multi-message and large-object state
/// (docs/reference/omadm.md §4-§6). Not thread-safe: one session is driven by one caller.
/// </summary>
public sealed partial class DmSession
{
    private readonly DmDeviceIdentity _device;
    private readonly IDmCommandExecutor _executor;
    private readonly DmSessionOptions _options;
    private readonly List<Status> _serverStatuses = [];
    private int _clientMsgId;
    private int _serverMessages;

    /// <summary>
    /// Creates a session; <paramref name="serverLocUri"/> is the SyncHdr Target of client messages (the server URL);
    /// <paramref name="encoding"/> is the encoding client messages are sent in, which their size limit counts in.
    /// </summary>
    public DmSession(string sessionId, string serverLocUri, DmDeviceIdentity device, IDmCommandExecutor executor, DmSessionOptions? options = null,
        SyncMLEncoding encoding = SyncMLEncoding.Xml)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        ArgumentException.ThrowIfNullOrEmpty(serverLocUri);
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentException.ThrowIfNullOrEmpty(device.DevId, nameof(device));
        _options = options ?? DmSessionOptions.Default;
        _options.Validate();
        SessionID = sessionId;
        ServerLocURI = serverLocUri;
        _device = device;
        _executor = executor;
        _maxOutgoing = _options.MaxOutgoingMessageSize;
        _meter = new SyncMLSizeMeter(encoding);
    }

    /// <summary>The session's SessionID, opaque and identical in every message (docs/reference/omadm.md §2).</summary>
    public string SessionID { get; }

    /// <summary>The SyncHdr Target/LocURI of client messages.</summary>
    public string ServerLocURI { get; }

    /// <summary>Where the session stands.</summary>
    public DmSessionState State { get; private set; } = DmSessionState.NotStarted;

    /// <summary>True once the session is Completed, aborted or Failed: no more messages are built.</summary>
    public bool IsEnded => State is not (DmSessionState.NotStarted or DmSessionState.Open);

    /// <summary>Why the session ended, in words; null while it is open.</summary>
    public string? EndReason { get; private set; }

    /// <summary>Every Status the server sent, in arrival order (its answers to client commands).</summary>
    public IReadOnlyList<Status> ServerStatuses => _serverStatuses;

    /// <summary>How many client messages were built so far (the last MsgID).</summary>
    public int ClientMessageCount => _clientMsgId;

    /// <summary>
    /// Builds package 1 (docs/reference/omadm.md §11, §13 a): Alert 1201 or 1200, Alert 1224 LoginStatus, the generic alerts,
    /// then one Replace with the ./DevInfo leaves and DMClient HWDevID (Source LocURIs), and Final.
    /// </summary>
    public SyncMLMessage StartPackage1(DmSessionTrigger trigger)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        if (State != DmSessionState.NotStarted)
        {
            throw new InvalidOperationException("Package 1 was already built for this session.");
        }

        if (trigger.IsServerInitiated && !string.Equals(trigger.NotificationSessionID, SessionID, StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"A server-initiated session must use the notification's SessionID '{trigger.NotificationSessionID}', not '{SessionID}' (docs/reference/omadm.md §2).",
                nameof(trigger));
        }

        var body = new List<SyncMLCommand>
        {
            new Alert { Data = trigger.AlertCode.ToString(CultureInfo.InvariantCulture) },
            LoginStatusAlert(),
        };
        foreach (var generic in trigger.GenericAlerts)
        {
            body.Add(GenericAlert(generic));
        }

        body.Add(DevInfoReplace());
        State = DmSessionState.Open;
        _serverPackageOpen = false;
        foreach (var command in body)
        {
            _outgoing.Add(new Outgoing(command));
        }

        return BuildMessage(headerStatus: null, askForNextMessage: false);
    }

    /// <summary>
    /// Builds an Alert 1223 message (statuses and results owed so far, the abort alert and Final) and ends the session; the server
    /// is expected to answer with statuses only (docs/reference/omadm.md §5).
    /// </summary>
    public SyncMLMessage Abort(string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        if (State != DmSessionState.Open)
        {
            throw new InvalidOperationException($"Only an open session can be aborted; this one is {State}.");
        }

        var message = NewMessage();
        var cmdId = 1;
        foreach (var pending in _outgoing)
        {
            // Statuses and results of the work done so far go with the abort (docs/reference/omadm.md §5); alerts and chunks do not.
            if (pending.Command is Status or Results && !pending.ContinuesChunk)
            {
                pending.Command.CmdID = Number(ref cmdId);
                message.SyncBody.Commands.Add(pending.Command);
            }
        }

        _outgoing.Clear();
        message.SyncBody.Commands.Add(new Alert { CmdID = Number(ref cmdId), Data = AlertCode(AlertCodes.SessionAbort) });
        message.SyncBody.Final = true;
        End(DmSessionState.AbortedByClient, reason);
        return RememberSent(message);
    }

    /// <summary>Marks the session Failed (transport errors, unreadable server bytes); no more messages are built.</summary>
    public void Fail(string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        if (!IsEnded)
        {
            End(DmSessionState.Failed, reason);
        }
    }

    private void End(DmSessionState state, string reason)
    {
        State = state;
        EndReason = reason;
        _largeObject = null;
        _outgoing.Clear();
    }

    private Alert LoginStatusAlert()
    {
        var item = new Item
        {
            Meta = new Meta { Type = AlertCodes.LoginStatusType, Format = "chr" },
            Data = _device.LoginStatus,
        };
        var alert = new Alert { Data = AlertCode(AlertCodes.ClientEvent) };
        alert.Items.Add(item);
        return alert;
    }

    private static Alert GenericAlert(DmGenericAlert generic)
    {
        var item = new Item
        {
            Source = generic.SourceLocURI is null ? null : new LocationElement(generic.SourceLocURI),
            Meta = new Meta { Type = generic.Type, Format = generic.Format, Mark = generic.Mark },
            Data = generic.Data is null ? null : new Data(generic.Data),
        };
        var alert = new Alert { Data = AlertCode(AlertCodes.GenericAlert) };
        alert.Items.Add(item);
        return alert;
    }

    private Replace DevInfoReplace()
    {
        var replace = new Replace();
        AddSourceItem(replace, "./DevInfo/DevId", _device.DevId);
        AddSourceItem(replace, "./DevInfo/Man", _device.Man);
        AddSourceItem(replace, "./DevInfo/Mod", _device.Mod);
        AddSourceItem(replace, "./DevInfo/DmV", _device.DmV);
        AddSourceItem(replace, "./DevInfo/Lang", _device.Lang);
        if (_device.HWDevID is not null)
        {
            AddSourceItem(replace, "./Vendor/MSFT/DMClient/HWDevID", _device.HWDevID);
        }

        return replace;
    }

    private static void AddSourceItem(ItemCommand command, string locUri, string value) =>
        command.Items.Add(new Item { Source = new LocationElement(locUri), Data = value });

    private static string AlertCode(int code) => code.ToString(CultureInfo.InvariantCulture);

    private static string Number(ref int cmdId) => (cmdId++).ToString(CultureInfo.InvariantCulture);

    private static Status NewStatus(string? serverMsgId, SyncMLCommand answered, int code) => new()
    {
        MsgRef = serverMsgId,
        CmdRef = answered.CmdID ?? "",
        Cmd = answered.Name,
        Data = code.ToString(CultureInfo.InvariantCulture),
    };
}

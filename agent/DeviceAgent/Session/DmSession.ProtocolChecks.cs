using System.Globalization;
using DeviceAgent.Protocol;
using DeviceAgent.SyncML;

namespace DeviceAgent.Session;

/// <summary>What a server sent that OMA-DM 1.2 does not allow but a device can live with (docs/session.md "Protocol checks").</summary>
/// <param name="Check">Which rule was broken (stable name for reports: "version", "synchdr-status", "msgref", "cmdref", "status-code").</param>
/// <param name="ServerMsgID">The MsgID of the server message that broke it.</param>
/// <param name="Reason">One sentence: what the server sent and what was expected.</param>
public sealed record DmProtocolWarning(string Check, string ServerMsgID, string Reason)
{
    /// <summary>The server MsgID and the reason, as written into traces and reports.</summary>
    public override string ToString() => $"server message {ServerMsgID}: {Reason}";
}

public sealed partial class DmSession
{
    // Status codes of OMA-DM 1.2 / SyncML RepPro 1.2 (docs/session.md "Protocol checks"); anything else is unknown.
    private static readonly HashSet<int> s_knownStatusCodes =
    [
        101,
        200, 201, 202, 203, 204, 205, 206, 207, 208, 209, 210, 211, 212, 213, 214, 215, 216,
        300, 301, 302, 303, 304, 305,
        400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 418, 419, 420, 421, 422, 423, 424, 425, 426, 427,
        500, 501, 502, 503, 504, 505, 506, 507, 508, 509, 510, 511, 512, 513, 514, 515, 516, 517, 518, 519,
    ];

    // Commands of each client message by MsgID, then CmdID: what a server's Status may reference.
    private readonly Dictionary<string, Dictionary<string, string>> _sentCommands = new(StringComparer.Ordinal);
    private readonly List<DmProtocolWarning> _protocolWarnings = [];

    /// <summary>What the server sent that breaks OMA-DM 1.2 without stopping the session, in order (docs/session.md "Protocol checks").</summary>
    public IReadOnlyList<DmProtocolWarning> ProtocolWarnings => _protocolWarnings;

    private SyncMLMessage RememberSent(SyncMLMessage message)
    {
        var commands = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var command in message.SyncBody.Commands)
        {
            if (command.CmdID is { } cmdId)
            {
                commands[cmdId] = command.Name;
            }
        }

        _sentCommands[message.SyncHdr!.MsgID!] = commands;
        return message;
    }

    // Checks one server message against what the client sent; with FailOnProtocolWarnings the first broken rule fails the session.
    private void CheckProtocol(SyncMLMessage serverMessage, string serverMsgId)
    {
        var before = _protocolWarnings.Count;
        var header = serverMessage.SyncHdr!;
        if (header.VerDTD?.Trim() != "1.2" || header.VerProto?.Trim() != "DM/1.2")
        {
            Warn("version", serverMsgId, $"SyncHdr has VerDTD '{header.VerDTD}' and VerProto '{header.VerProto}'; this device speaks VerDTD 1.2, VerProto DM/1.2 only (OMA-DM 1.2).");
        }

        var lastClientMsgId = _clientMsgId.ToString(CultureInfo.InvariantCulture);
        var statuses = serverMessage.SyncBody.Commands.OfType<Status>().ToList();
        if (!statuses.Any(s => s.Cmd == SyncMLNames.SyncHdr))
        {
            Warn("synchdr-status", serverMsgId, $"there is no Status for the SyncHdr of client message {lastClientMsgId}; a server answers every client SyncHdr (docs/reference/omadm.md §8).");
        }

        foreach (var status in statuses)
        {
            CheckStatus(status, serverMsgId, lastClientMsgId);
        }

        if (_options.FailOnProtocolWarnings && _protocolWarnings.Count > before)
        {
            throw new DmProtocolException($"Protocol check failed (FailOnProtocolWarnings): {_protocolWarnings[before]}");
        }
    }

    private void CheckStatus(Status status, string serverMsgId, string lastClientMsgId)
    {
        var what = $"Status {status.CmdID ?? "(no CmdID)"} (Cmd {status.Cmd ?? "none"}, CmdRef {status.CmdRef ?? "none"})";
        var msgRef = string.IsNullOrWhiteSpace(status.MsgRef) ? lastClientMsgId : status.MsgRef.Trim();
        if (msgRef != lastClientMsgId)
        {
            Warn("msgref", serverMsgId, $"{what} has MsgRef {msgRef}; statuses answer the client's last message, {lastClientMsgId}.");
        }
        else if (status.Cmd == SyncMLNames.SyncHdr)
        {
            if (status.CmdRef?.Trim() != "0")
            {
                Warn("cmdref", serverMsgId, $"{what} answers the SyncHdr, whose CmdRef is 0.");
            }
        }
        else if (!_sentCommands.TryGetValue(msgRef, out var sent) || status.CmdRef is null || !sent.TryGetValue(status.CmdRef.Trim(), out var sentName))
        {
            Warn("cmdref", serverMsgId, $"{what} references command {status.CmdRef ?? "(none)"} of client message {msgRef}, which the device never sent.");
        }
        else if (!string.Equals(sentName, status.Cmd, StringComparison.Ordinal))
        {
            Warn("cmdref", serverMsgId, $"{what} names {status.Cmd}, but command {status.CmdRef} of client message {msgRef} was {sentName}.");
        }

        var code = status.Data?.Trim();
        if (!int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || !s_knownStatusCodes.Contains(value))
        {
            Warn("status-code", serverMsgId, value == 0 && code is not null && code.All(char.IsAsciiDigit)
                ? $"{what} has code {code}; 0 is not a status code (OMA-DM 1.2 status codes are 1xx-5xx)."
                : $"{what} has code '{code}', which is not an OMA-DM 1.2 / SyncML 1.2 status code.");
        }
    }

    private void Warn(string check, string serverMsgId, string reason) => _protocolWarnings.Add(new DmProtocolWarning(check, serverMsgId, reason));
}

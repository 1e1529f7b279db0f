using MockMdm.Store;

namespace MockMdm.OmaDm;

/// <summary>Where a queued command is in its life: waiting, in a server message awaiting the device's Status, or answered.</summary>
public enum CommandState
{
    Queued,
    Sent,
    Completed,

    /// <summary>Given up without a valid answer (no answer after the configured attempts, a protocol error); see <see cref="CommandRecord.Failure"/>.</summary>
    Failed,
}

/// <summary>Who queued a command, so its completion reaches the right component (actions, profiles, inventory).</summary>
public sealed record CommandOrigin(string Kind, string? ReferenceId = null)
{
    public const string ActionKind = "action";
    public const string ProfileKind = "profile";
    public const string InventoryKind = "inventory";
    public const string AdminKind = "admin";
}

/// <summary>One device's answer to a command: the Status element as the device sent it.</summary>
public sealed record CommandReply(string CmdRef, string Cmd, string Code, string Xml);

/// <summary>
/// A command in a device's queue. The raw SyncML is the source of truth (<see cref="Xml"/> as queued,
/// <see cref="SentXml"/> as sent with its CmdIDs); the device's Status and Results elements are kept raw as well.
/// </summary>
public sealed class CommandRecord : IStoreRecord
{
    public required string Id { get; init; }

    /// <summary>The managed device ID (the queue is per device).</summary>
    public string? Owner => DeviceId;

    // Indexed, so a session reads only the device's queued and sent commands, not its completed history.
    string? IStoreRecord.Tag => State.ToString();

    public required string DeviceId { get; init; }
    public required CommandOrigin Origin { get; init; }

    /// <summary>The command element as queued (CmdIDs are assigned when it is sent).</summary>
    public required string Xml { get; init; }

    public CommandState State { get; set; } = CommandState.Queued;
    public required DateTimeOffset CreatedDateTime { get; init; }

    /// <summary>How many times the command was sent (a command left unanswered by a broken session is sent again).</summary>
    public int Attempts { get; set; }

    public string? SentSessionId { get; set; }
    public string? SentMsgId { get; set; }

    /// <summary>The CmdIDs given at sending: the command's own first, then its children in document order.</summary>
    public List<string> SentCmdIds { get; set; } = [];

    public string? SentXml { get; set; }
    public List<CommandReply> Statuses { get; set; } = [];

    /// <summary>Results elements answering Gets in this command, raw.</summary>
    public List<string> Results { get; set; } = [];

    public DateTimeOffset? CompletedDateTime { get; set; }

    /// <summary>Set when the device answered an Add with 418 and the server queued the same items as a Replace.</summary>
    public string? ReplacedBy { get; set; }

    /// <summary>How many characters of a large object's value were sent in chunks so far (0: not split, or not started).</summary>
    public int ChunkOffset { get; set; }

    /// <summary>Whether the chunk sent last was not the object's last (it carried MoreData).</summary>
    public bool MoreChunks { get; set; }

    /// <summary>Why the server gave the command up (state <see cref="CommandState.Failed"/>), or null.</summary>
    public string? Failure { get; set; }

    /// <summary>The Status the device gave the command itself (its first CmdID), or null.</summary>
    public CommandReply? TopLevelReply =>
        SentCmdIds.Count > 0 ? Statuses.FirstOrDefault(s => s.CmdRef == SentCmdIds[0]) : null;

    /// <summary>The Status code the device gave the command itself (its first CmdID), or null.</summary>
    public int? TopLevelStatus => TopLevelReply is { } s && DmStatusCodes.TryParse(s.Code, out var code) ? code : null;
}

/// <summary>Which Status Data values are OMA-DM status codes.</summary>
public static class DmStatusCodes
{
    /// <summary>
    /// True for a three-digit code of the classes SyncML RepPro 1.2 section 10 defines (1xx informational to 5xx
    /// errors); a code of a known class but not listed there is still read by its class. Anything else (0, 999, text)
    /// is a protocol error, not an answer (docs/omadm-clients.md "Bookkeeping").
    /// </summary>
    public static bool TryParse(string? data, out int code) =>
        int.TryParse(data, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out code)
        && code is >= 100 and <= 599 && data!.Length == 3;
}

/// <summary>The state of a device's current OMA-DM session.</summary>
public sealed class DmSessionRecord : IStoreRecord
{
    /// <summary>The managed device ID: one current session per device.</summary>
    public required string Id { get; init; }

    public string? Owner => null;
    public required string SessionId { get; init; }
    public string? LastClientMsgId { get; set; }
    public int ServerMsgId { get; set; }
    public bool Ended { get; set; }
    public required DateTimeOffset StartedDateTime { get; init; }
    public DateTimeOffset LastMessageDateTime { get; set; }

    /// <summary>Alert 1200 (server-initiated, after a push) or 1201 (client-initiated poll).</summary>
    public string? InitiatingAlert { get; set; }

    /// <summary>The client's SyncHdr Meta MaxMsgSize, kept for the session's later messages (which may omit it); null: no limit.</summary>
    public int? MaxMsgSize { get; set; }

    /// <summary>The client's SyncHdr Meta MaxObjSize; null: no limit.</summary>
    public int? MaxObjSize { get; set; }

    /// <summary>
    /// Statuses owed to the client that did not fit in the last message under its MaxMsgSize, as XML, in order: they
    /// open the session's next server message (docs/omadm-clients.md "Message size").
    /// </summary>
    public List<string> PendingStatuses { get; set; } = [];
}

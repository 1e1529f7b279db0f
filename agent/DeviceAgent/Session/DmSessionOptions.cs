namespace DeviceAgent.Session;

/// <summary>Limits and choices of the transport-free session core; defaults and their sources are in docs/session.md.</summary>
public sealed record DmSessionOptions
{
    /// <summary>The defaults documented in docs/session.md.</summary>
    public static DmSessionOptions Default { get; } = new();

    /// <summary>
    /// Largest client message in bytes; longer replies are split over several messages (docs/reference/omadm.md §5) and a value
    /// too long for one message is sent as a large object (docs/reference/omadm.md §6).
    /// </summary>
    public int MaxOutgoingMessageSize { get; init; } = 512 * 1024;

    /// <summary>
    /// When true a MaxMsgSize in the server's SyncHdr Meta lowers <see cref="MaxOutgoingMessageSize"/>. Off by default:
    /// Windows ignores Meta in a server's SyncHdr (docs/reference/omadm.md §2).
    /// </summary>
    public bool HonorServerMaxMsgSize { get; init; }

    /// <summary>MaxMsgSize the client advertises in its SyncHdr Meta, or null to send no Meta (as the Windows capture in the corpus does).</summary>
    public int? AdvertisedMaxMsgSize { get; init; }

    /// <summary>MaxObjSize the client advertises in its SyncHdr Meta, or null to send none.</summary>
    public int? AdvertisedMaxObjSize { get; init; }

    /// <summary>Largest large object (sum of chunks) the client buffers; a bigger Meta/Size or more data is answered with 413.</summary>
    public int MaxIncomingObjectSize { get; init; } = 4 * 1024 * 1024;

    /// <summary>Most server messages one session accepts before the client aborts with Alert 1223 (a looping server).</summary>
    public int MaxServerMessages { get; init; } = 1000;

    /// <summary>
    /// When true a server message that breaks a protocol check (wrong CmdRef or MsgRef, no SyncHdr status, unknown
    /// status code, another SyncML version) fails the session; by default it is only recorded as a
    /// <see cref="DmProtocolWarning"/> (docs/session.md "Protocol checks").
    /// </summary>
    public bool FailOnProtocolWarnings { get; init; }

    /// <summary>Throws when a limit is out of range, naming it.</summary>
    public void Validate()
    {
        if (MaxOutgoingMessageSize < 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxOutgoingMessageSize), MaxOutgoingMessageSize, "MaxOutgoingMessageSize must be at least 1024 bytes.");
        }

        if (MaxIncomingObjectSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxIncomingObjectSize), MaxIncomingObjectSize, "MaxIncomingObjectSize must be positive.");
        }

        if (MaxServerMessages < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxServerMessages), MaxServerMessages, "MaxServerMessages must be positive.");
        }
    }
}

/// <summary>Where a session stands.</summary>
public enum DmSessionState
{
    /// <summary>Package 1 not built yet.</summary>
    NotStarted,

    /// <summary>Waiting for the server's next message.</summary>
    Open,

    /// <summary>The server's last package held only statuses, so the client had nothing to send (docs/reference/omadm.md §4).</summary>
    Completed,

    /// <summary>The server sent Alert 1223; the client does not reply (docs/reference/omadm.md §5).</summary>
    AbortedByServer,

    /// <summary>The client sent Alert 1223.</summary>
    AbortedByClient,

    /// <summary>The server broke the protocol or the transport failed; <see cref="DmSession.EndReason"/> says how.</summary>
    Failed,
}

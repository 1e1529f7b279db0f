using DeviceAgent.SyncML;

namespace DeviceAgent.Session;

/// <summary>How one session over HTTP ended.</summary>
/// <param name="SessionID">The session's SessionID.</param>
/// <param name="Outcome">Completed, AbortedByServer, AbortedByClient or Failed.</param>
/// <param name="Reason">Why it ended, in words.</param>
/// <param name="MessagesSent">Client messages POSTed (retries of one message count once).</param>
/// <param name="MessagesReceived">Server messages read.</param>
/// <param name="ServerStatuses">Every Status the server sent.</param>
public sealed record DmSessionResult(
    string SessionID,
    DmSessionState Outcome,
    string Reason,
    int MessagesSent,
    int MessagesReceived,
    IReadOnlyList<Status> ServerStatuses)
{
    /// <summary>True when the session ran to its normal end (docs/reference/omadm.md §4).</summary>
    public bool Succeeded => Outcome == DmSessionState.Completed;

    /// <summary>What the server sent that broke OMA-DM 1.2 without ending the session (docs/session.md "Protocol checks").</summary>
    public IReadOnlyList<DmProtocolWarning> ProtocolWarnings { get; init; } = [];

    /// <summary>The exception behind a Failed outcome, when there was one (an executor fault, a transport error).</summary>
    public Exception? Error { get; init; }
}

/// <summary>Which way a traced message went.</summary>
public enum DmTraceDirection
{
    /// <summary>Client to server (the HTTP request body).</summary>
    Sent,

    /// <summary>Server to client (the HTTP response body).</summary>
    Received,
}

/// <summary>One message of a session exactly as it crossed the wire.</summary>
/// <param name="SessionID">The session it belongs to.</param>
/// <param name="Direction">Sent or Received.</param>
/// <param name="Timestamp">When it was sent or received, from the client's TimeProvider.</param>
/// <param name="Bytes">The HTTP body.</param>
public sealed record DmTraceEntry(string SessionID, DmTraceDirection Direction, DateTimeOffset Timestamp, ReadOnlyMemory<byte> Bytes);

/// <summary>Receives every message of a session as bytes (SyncMLViewer-style traces).</summary>
public delegate void DmTraceHandler(DmTraceEntry entry);

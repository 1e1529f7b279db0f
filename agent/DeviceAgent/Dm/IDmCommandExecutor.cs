using DeviceAgent.SyncML;

namespace DeviceAgent.Dm;

/// <summary>
/// Executes the management commands of one server message against the device's DM tree and returns the device's
/// answers. The OMA-DM client session owns everything about the exchange itself (SyncHdr status, Status/Results
/// sent by the server, Alert 1222/1223, large-object reassembly, CmdID numbering); this seam owns command semantics.
/// </summary>
public interface IDmCommandExecutor
{
    /// <summary>
    /// Runs <paramref name="commands"/> (Add, Alert, Atomic, Copy, Delete, Exec, Get, Replace, Sequence and unknown
    /// elements, in message order) and returns, in the same order, one Status per command (one per item where items
    /// differ) and a Results after the Status of each successful Get. MsgRef is <paramref name="serverMsgId"/>;
    /// CmdID is left null for the session to number. Executions on one device never interleave (the second waits);
    /// a cancelled <paramref name="cancellationToken"/> stops between commands with <see cref="OperationCanceledException"/>
    /// (docs/dm-tree.md "Cancellation").
    /// </summary>
    ValueTask<IReadOnlyList<SyncMLCommand>> ExecuteAsync(IReadOnlyList<SyncMLCommand> commands, string? serverMsgId, CancellationToken cancellationToken);
}

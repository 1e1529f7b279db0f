using System.Globalization;
using DeviceAgent.Csp;
using DeviceAgent.SyncML;

namespace DeviceAgent.Dm;

/// <summary>
/// Runs server commands against a <see cref="DmTree"/> with Windows' status codes (docs/reference/omadm.md §8, §9): Add,
/// Replace, Delete, Get, Exec, Alert, Atomic (all or nothing, undo log), Sequence, Copy (not supported) and unknown
/// elements. CSP behaviour comes from <see cref="ICspHandler"/>s; plain settings live in the tree. One message runs
/// at a time per tree (the tree's command lock, docs/dm-tree.md "Locking").
/// </summary>
public sealed partial class DmCommandExecutor : IDmCommandExecutor
{
    private readonly DmTree _tree;
    private readonly DmExecutorOptions _options;
    private readonly Dictionary<DmSchemaNode, ICspHandler> _handlers = [];
    private readonly HashSet<DmSchemaNode> _replaceCreatesUnder = [];
    private readonly List<ICspMessageObserver> _messageObservers = [];

    // Serves every CSP node no handler claims (docs/csp-coverage.md "Generic store"); null: the tree alone.
    private readonly ICspHandler? _genericStore;

    /// <summary>An executor over <paramref name="tree"/>; each handler serves the CSP roots it names (two handlers for one root throw).</summary>
    public DmCommandExecutor(DmTree tree, IEnumerable<ICspHandler> handlers, DmExecutorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(tree);
        ArgumentNullException.ThrowIfNull(handlers);
        _tree = tree;
        _options = options ?? DmExecutorOptions.Default;
        foreach (var handler in handlers)
        {
            if (handler is DdfNodeStore)
            {
                _genericStore = _genericStore is null ? handler : throw new ArgumentException("two generic DDF node stores", nameof(handlers));
                continue;
            }

            foreach (var root in handler.Roots)
            {
                // A root the DDF set lacks (a CSP newer than the device) has no nodes to serve.
                if (tree.Schema.Find(root) is { } schemaRoot && !_handlers.TryAdd(schemaRoot, handler))
                {
                    throw new ArgumentException($"two handlers claim {root}", nameof(handlers));
                }
            }

            if (handler is ICspMessageObserver observer && !_messageObservers.Contains(observer))
            {
                _messageObservers.Add(observer);
            }
        }

        foreach (var path in _options.ReplaceCreatesUnder)
        {
            if (tree.Schema.Find(path) is { } node)
            {
                _replaceCreatesUnder.Add(node);
            }
        }
    }

    /// <summary>The DM tree the commands act on.</summary>
    public DmTree Tree => _tree;

    /// <summary>The status and format choices in force.</summary>
    public DmExecutorOptions Options => _options;

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<SyncMLCommand>> ExecuteAsync(IReadOnlyList<SyncMLCommand> commands, string? serverMsgId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commands);
        var outcomes = new List<Outcome>(commands.Count);
        using (await _tree.EnterCommandsAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                foreach (var command in commands)
                {
                    if (command is Status or Results)
                    {
                        // Answers to the device's own message belong to the session, never to the tree.
                        continue;
                    }

                    // Cancellation stops between commands: what ran stays applied, an Atomic is rolled back whole
                    // (docs/dm-tree.md "Cancellation").
                    cancellationToken.ThrowIfCancellationRequested();
                    outcomes.Add(await ExecuteCommandAsync(command, null, cancellationToken).ConfigureAwait(false));
                }
            }
            finally
            {
                // Per-message CSP state (RemoteLock/NewPINValue) ends with the message (docs/reference/remotelock.md), cancelled or not.
                foreach (var observer in _messageObservers)
                {
                    observer.OnMessageCompleted();
                }
            }
        }

        var output = new List<SyncMLCommand>(outcomes.Count + 4);
        foreach (var outcome in outcomes)
        {
            Render(outcome, output, serverMsgId);
        }

        return output;
    }

    private async ValueTask<Outcome> ExecuteCommandAsync(SyncMLCommand command, AtomicScope? atomic, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(command.CmdID))
        {
            // docs/reference/omadm.md §9: a command without CmdID is a bad request; its Status has an empty CmdRef.
            return new Outcome(command, StatusCodes.BadRequest);
        }

        switch (command)
        {
            case Atomic a:
                return await ExecuteAtomicAsync(a, atomic, cancellationToken).ConfigureAwait(false);
            case Sequence s:
                return await ExecuteSequenceAsync(s, atomic, cancellationToken).ConfigureAwait(false);
            case Get get when atomic is not null:
                // docs/reference/omadm.md §8: Windows refuses Get inside Atomic.
                return new Outcome(get, StatusCodes.CommandFailed);
            case Copy copy:
                return new Outcome(copy, _options.CopyStatus);
            case ItemCommand items:
                return await ExecuteItemsAsync(items, atomic, cancellationToken).ConfigureAwait(false);
            case Alert alert:
                return new Outcome(alert, AlertStatus(alert));
            default:
                // Not an OMA DM command under SyncBody, Atomic or Sequence (docs/reference/omadm.md §8).
                return new Outcome(command, StatusCodes.BadRequest);
        }
    }

    private int AlertStatus(Alert alert)
    {
        if (!int.TryParse(alert.Data, NumberStyles.None, CultureInfo.InvariantCulture, out var code))
        {
            return StatusCodes.BadRequest;
        }

        return _options.AcceptedAlerts.Contains(code) ? StatusCodes.Ok : StatusCodes.OptionalFeatureNotSupported;
    }

    private async ValueTask<Outcome> ExecuteSequenceAsync(Sequence sequence, AtomicScope? atomic, CancellationToken cancellationToken)
    {
        var outcome = new Outcome(sequence, StatusCodes.Ok) { Children = new List<Outcome>(sequence.Commands.Count) };
        foreach (var command in sequence.Commands)
        {
            if (atomic is { Failed: true })
            {
                // The enclosing Atomic has failed: nothing more runs (docs/dm-tree.md "Atomic").
                outcome.Children.Add(NotExecuted(command));
                continue;
            }

            cancellationToken.ThrowIfCancellationRequested();
            var child = await ExecuteCommandAsync(command, atomic, cancellationToken).ConfigureAwait(false);
            outcome.Children.Add(child);
            if (atomic is not null && child.Failed)
            {
                atomic.Failed = true;
            }
        }

        return outcome;
    }

    private async ValueTask<Outcome> ExecuteAtomicAsync(Atomic atomic, AtomicScope? enclosing, CancellationToken cancellationToken)
    {
        if (enclosing is not null)
        {
            // docs/reference/omadm.md §8: nested Atomic is refused (inner 500, outer 507); its commands do not run.
            var refused = new Outcome(atomic, StatusCodes.CommandFailed) { Children = [] };
            foreach (var command in atomic.Commands)
            {
                refused.Children.Add(NotExecuted(command));
            }

            return refused;
        }

        var scope = new AtomicScope();
        var outcome = new Outcome(atomic, StatusCodes.Ok) { Children = new List<Outcome>(atomic.Commands.Count) };
        try
        {
            foreach (var command in atomic.Commands)
            {
                if (scope.Failed)
                {
                    outcome.Children.Add(NotExecuted(command));
                    continue;
                }

                cancellationToken.ThrowIfCancellationRequested();
                var child = await ExecuteCommandAsync(command, scope, cancellationToken).ConfigureAwait(false);
                outcome.Children.Add(child);
                scope.Failed |= child.Failed;
            }
        }
        catch (OperationCanceledException)
        {
            // All or nothing holds for a cancelled Atomic too: what it applied is undone before the cancellation goes on.
            await RollBackAllAsync(outcome.Children).ConfigureAwait(false);
            throw;
        }

        if (scope.Failed)
        {
            await RollBackAllAsync(outcome.Children).ConfigureAwait(false);

            outcome.Code = StatusCodes.AtomicFailed;
        }

        return outcome;
    }

    private static async ValueTask RollBackAllAsync(List<Outcome> outcomes)
    {
        for (var i = outcomes.Count - 1; i >= 0; i--)
        {
            await RollBackAsync(outcomes[i]).ConfigureAwait(false);
        }
    }

    /// <summary>Undoes a command that ran inside a failed Atomic: 216 when undone, 516 when an undo failed.</summary>
    private static async ValueTask RollBackAsync(Outcome outcome)
    {
        if (outcome.Children is { } children)
        {
            await RollBackAllAsync(children).ConfigureAwait(false);
        }

        if (outcome.ItemCodes is { } codes)
        {
            for (var i = codes.Length - 1; i >= 0; i--)
            {
                if (WasApplied(codes[i]))
                {
                    codes[i] = await RunUndoAsync(outcome.ItemUndo?[i]).ConfigureAwait(false) ? StatusCodes.AtomicRollbackOk : StatusCodes.AtomicRollbackFailed;
                }
            }
        }
        else if (WasApplied(outcome.Code))
        {
            outcome.Code = StatusCodes.AtomicRollbackOk;
        }
    }

    /// <summary>Runs undo steps newest first; false when one failed. Not cancellable: a started rollback finishes.</summary>
    private static async ValueTask<bool> RunUndoAsync(List<Func<ValueTask>>? undo)
    {
        if (undo is null)
        {
            return true;
        }

        var ok = true;
        for (var i = undo.Count - 1; i >= 0; i--)
        {
            try
            {
                await undo[i]().ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Keep undoing the rest: a partial rollback leaves less behind than stopping here.
                ok = false;
            }
        }

        return ok;
    }

    private static Outcome NotExecuted(SyncMLCommand command)
    {
        var outcome = new Outcome(command, StatusCodes.NotExecuted);
        if (command is ContainerCommand container && !string.IsNullOrEmpty(command.CmdID))
        {
            outcome.Children = new List<Outcome>(container.Commands.Count);
            foreach (var child in container.Commands)
            {
                outcome.Children.Add(NotExecuted(child));
            }
        }

        return outcome;
    }

    private static void Render(Outcome outcome, List<SyncMLCommand> output, string? msgRef)
    {
        var command = outcome.Command;
        if (!command.NoResp)
        {
            var codes = outcome.ItemCodes;
            if (codes is not null && !AllEqual(codes) && command is ItemCommand items)
            {
                // docs/reference/omadm.md §8: items with different outcomes get one Status each, naming the item.
                for (var i = 0; i < codes.Length; i++)
                {
                    var status = NewStatus(command, codes[i], msgRef);
                    if (items.Items[i].Target?.LocURI is { } target)
                    {
                        status.TargetRefs.Add(target);
                    }

                    output.Add(status);
                }
            }
            else
            {
                output.Add(NewStatus(command, codes is { Length: > 0 } ? codes[0] : outcome.Code, msgRef));
            }

            if (outcome.ResultItems is { Count: > 0 } resultItems && codes is not null && Array.IndexOf(codes, StatusCodes.Ok) >= 0)
            {
                var results = new Results { MsgRef = msgRef, CmdRef = command.CmdID };
                results.Items.AddRange(resultItems);
                output.Add(results);
            }
        }

        if (outcome.Children is { } children)
        {
            foreach (var child in children)
            {
                Render(child, output, msgRef);
            }
        }
    }

    private static Status NewStatus(SyncMLCommand command, int code, string? msgRef) => new()
    {
        MsgRef = msgRef,
        CmdRef = command.CmdID ?? "",
        Cmd = command.Name,
        Data = code.ToString(CultureInfo.InvariantCulture),
    };

    private static bool AllEqual(int[] codes)
    {
        for (var i = 1; i < codes.Length; i++)
        {
            if (codes[i] != codes[0])
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsSuccess(int code) => code is >= 200 and < 300;

    // 215 (not executed) is a 2xx code but nothing ran, so there is nothing to roll back.
    private static bool WasApplied(int code) => IsSuccess(code) && code != StatusCodes.NotExecuted;

    /// <summary>The state of the Atomic being run: whether it failed and which nodes it added.</summary>
    private sealed class AtomicScope
    {
        public bool Failed { get; set; }

        /// <summary>Nodes added by this Atomic: a later Replace of one is refused (docs/reference/omadm.md §8).</summary>
        public HashSet<DmNode> Added { get; } = [];
    }

    /// <summary>What one command did, kept until its Status can be written (Atomic rollback rewrites codes).</summary>
    private sealed class Outcome
    {
        public Outcome(SyncMLCommand command, int code)
        {
            Command = command;
            Code = code;
        }

        public SyncMLCommand Command { get; }

        /// <summary>The command's own status when it has no per-item codes.</summary>
        public int Code { get; set; }

        public int[]? ItemCodes { get; set; }

        /// <summary>Per item, what undoes it (recorded inside Atomic only).</summary>
        public List<Func<ValueTask>>?[]? ItemUndo { get; set; }

        public List<Item>? ResultItems { get; set; }

        public List<Outcome>? Children { get; set; }

        public bool Failed
        {
            get
            {
                if (ItemCodes is { } codes)
                {
                    foreach (var code in codes)
                    {
                        if (!IsSuccess(code))
                        {
                            return true;
                        }
                    }
                }
                else if (!IsSuccess(Code))
                {
                    return true;
                }

                if (Children is { } children)
                {
                    foreach (var child in children)
                    {
                        if (child.Failed)
                        {
                            return true;
                        }
                    }
                }

                return false;
            }
        }
    }
}

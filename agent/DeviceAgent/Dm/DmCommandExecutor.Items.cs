using DeviceAgent.Csp;
using DeviceAgent.SyncML;

namespace DeviceAgent.Dm;

public sealed partial class DmCommandExecutor
{
    private async ValueTask<Outcome> ExecuteItemsAsync(ItemCommand command, AtomicScope? atomic, CancellationToken cancellationToken)
    {
        var count = command.Items.Count;
        if (count == 0)
        {
            return new Outcome(command, StatusCodes.BadRequest);
        }

        var codes = new int[count];
        var undo = atomic is null ? null : new List<Func<ValueTask>>?[count];
        var results = new List<Item>();
        for (var i = 0; i < count; i++)
        {
            var item = command.Items[i];
            List<Func<ValueTask>>? itemUndo = null;
            switch (command)
            {
                case Add:
                    (codes[i], itemUndo) = await WriteAsync(CspWriteKind.Add, command, item, atomic, cancellationToken).ConfigureAwait(false);
                    break;
                case Replace:
                    (codes[i], itemUndo) = await WriteAsync(CspWriteKind.Replace, command, item, atomic, cancellationToken).ConfigureAwait(false);
                    break;
                case Delete:
                    (codes[i], itemUndo) = await WriteAsync(CspWriteKind.Delete, command, item, atomic, cancellationToken).ConfigureAwait(false);
                    break;
                case Get:
                    codes[i] = await ExecuteGetAsync(item, results, cancellationToken).ConfigureAwait(false);
                    break;
                case Exec exec:
                    (codes[i], itemUndo) = await ExecuteExecAsync(exec, item, atomic, cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    codes[i] = StatusCodes.BadRequest;
                    break;
            }

            if (undo is not null)
            {
                undo[i] = itemUndo;
            }

            if (atomic is not null && !IsSuccess(codes[i]))
            {
                // The Atomic fails here: the command's later items are not executed.
                for (var j = i + 1; j < count; j++)
                {
                    codes[j] = StatusCodes.NotExecuted;
                }

                break;
            }
        }

        return new Outcome(command, codes[0]) { ItemCodes = codes, ItemUndo = undo, ResultItems = results.Count > 0 ? results : null };
    }

    /// <summary>Parses the item's target and finds it; 0 when the DDF set describes the node, else the status to answer.</summary>
    private int Resolve(Item item, out string[] segments, out DmLookup lookup)
    {
        lookup = default;
        if (!DmUri.TryParse(item.Target?.LocURI, out segments, out _, out var error))
        {
            return error == DmUriError.Query ? StatusCodes.OptionalFeatureNotSupported : StatusCodes.BadRequest;
        }

        if (segments.Length > 0 && _tree.SignedInUser is null && segments[0].Equals("User", StringComparison.OrdinalIgnoreCase))
        {
            return _options.NoSignedInUserStatus;
        }

        lookup = _tree.Lookup(segments);
        return lookup.Schema is null ? StatusCodes.NotFound : 0;
    }

    private async ValueTask<(int Status, List<Func<ValueTask>>? Undo)> WriteAsync(
        CspWriteKind kind, ItemCommand command, Item item, AtomicScope? atomic, CancellationToken cancellationToken)
    {
        var status = Resolve(item, out var segments, out var lookup);
        if (status != 0)
        {
            return (status, null);
        }

        var schema = lookup.Schema!;
        var required = kind switch
        {
            CspWriteKind.Add => DdfAccessType.Add,
            CspWriteKind.Replace => DdfAccessType.Replace,
            _ => DdfAccessType.Delete,
        };
        if ((schema.AccessType & required) == 0)
        {
            return (StatusCodes.CommandNotAllowed, null);
        }

        var node = lookup.Node;
        switch (kind)
        {
            case CspWriteKind.Add when node is not null:
                return (StatusCodes.AlreadyExists, null);
            case CspWriteKind.Replace when node is null:
                if (!ReplaceCreates(schema) || (schema.AccessType & DdfAccessType.Add) == 0)
                {
                    return (StatusCodes.NotFound, null);
                }

                kind = CspWriteKind.Add;
                break;
            case CspWriteKind.Replace when atomic is not null && atomic.Added.Contains(node):
                // docs/reference/omadm.md §8: Add then Replace of the same node in one Atomic is not supported.
                return (StatusCodes.CommandFailed, null);
            case CspWriteKind.Replace when schema.IsInterior:
                return (StatusCodes.OptionalFeatureNotSupported, null);
            case CspWriteKind.Delete when node is null:
                return (StatusCodes.NotFound, null);
        }

        string? newValue = null;
        if (kind != CspWriteKind.Delete)
        {
            status = Normalize(schema, item, command.Meta, out newValue);
            if (status != 0)
            {
                return (status, null);
            }
        }

        var handler = FindHandler(schema, out var rootDepth);
        var local = new List<Func<ValueTask>>(2);
        var oldValue = node?.Value;
        if (handler is not null)
        {
            var writing = new CspWriteContext(_tree, schema, node, segments, rootDepth, atomic is not null, kind, newValue, oldValue)
            {
                Type = item.Meta?.Type ?? command.Meta?.Type,
                Reader = ReadForHandlerAsync,
            };
            var result = await CallAsync(handler.OnWritingAsync, writing, cancellationToken).ConfigureAwait(false);
            if (!result.IsSuccess)
            {
                return (result.Status, null);
            }

            if (result.Undo is not null)
            {
                local.Add(result.Undo);
            }
        }

        var existing = node;
        node = _tree.Change(() => kind switch
        {
            CspWriteKind.Add => ApplyAdd(lookup, segments, newValue, local),
            CspWriteKind.Replace => ApplyReplace(existing!, newValue, local),
            _ => ApplyDelete(existing!, local),
        });
        if (kind == CspWriteKind.Add)
        {
            atomic?.Added.Add(node);
        }

        if (handler is not null)
        {
            var written = new CspWriteContext(_tree, schema, node, segments, rootDepth, atomic is not null, kind, newValue, oldValue)
            {
                Type = item.Meta?.Type ?? command.Meta?.Type,
                Reader = ReadForHandlerAsync,
            };
            var result = await CallAsync(handler.OnWrittenAsync, written, cancellationToken).ConfigureAwait(false);
            if (!result.IsSuccess)
            {
                await RunUndoAsync(local).ConfigureAwait(false);
                return (result.Status, null);
            }

            if (result.Undo is not null)
            {
                local.Add(result.Undo);
            }
        }

        return (StatusCodes.Ok, local);
    }

    /// <summary>Creates the target and its missing parents (implicit Add, docs/reference/omadm.md §8).</summary>
    private DmNode ApplyAdd(DmLookup lookup, string[] segments, string? value, List<Func<ValueTask>> undo)
    {
        var node = lookup.Deepest;
        DmNode? top = null;
        for (var i = lookup.Matched; i < segments.Length; i++)
        {
            var schemaChild = node.Schema.ResolveChild(segments[i])!;
            var name = schemaChild.IsDynamicName ? segments[i] : schemaChild.Name;
            node = node.FindChild(name) ?? node.CreateChild(name, schemaChild);
            top ??= node;
        }

        node.Value = value;
        if (top is not null)
        {
            undo.Add(Undo(() => top.Detach()));
        }

        return node;
    }

    private DmNode ApplyReplace(DmNode node, string? value, List<Func<ValueTask>> undo)
    {
        var old = node.Value;
        node.Value = value;
        undo.Add(Undo(() => node.Value = old));
        return node;
    }

    private DmNode ApplyDelete(DmNode node, List<Func<ValueTask>> undo)
    {
        if (node.Schema.IsCreatedWithParent)
        {
            // The device owns this node's existence: Delete clears the values below it instead of removing it.
            var cleared = new List<(DmNode Node, string? Value)>();
            ClearValues(node, cleared);
            undo.Add(Undo(() =>
            {
                foreach (var (n, v) in cleared)
                {
                    n.Value = v;
                }
            }));
            return node;
        }

        var parent = node.Parent!;
        var position = node.Detach();
        undo.Add(Undo(() => node.Reattach(parent, position)));
        return node;
    }

    /// <summary>An undo of a tree change: it runs under the tree's node lock like the change did.</summary>
    private Func<ValueTask> Undo(Action change) => () =>
    {
        _tree.Change(() =>
        {
            change();
            return true;
        });
        return ValueTask.CompletedTask;
    };

    private static void ClearValues(DmNode node, List<(DmNode, string?)> cleared)
    {
        if (node.Value is not null)
        {
            cleared.Add((node, node.Value));
            node.Value = null;
        }

        foreach (var child in node.Children)
        {
            ClearValues(child, cleared);
        }
    }

    private async ValueTask<int> ExecuteGetAsync(Item item, List<Item> results, CancellationToken cancellationToken)
    {
        var status = Resolve(item, out var segments, out var lookup);
        if (status != 0)
        {
            return status;
        }

        var schema = lookup.Schema!;
        if ((schema.AccessType & DdfAccessType.Get) == 0)
        {
            return StatusCodes.CommandNotAllowed;
        }

        if (lookup.Node is not { } node)
        {
            // With DefaultValue, a setting the server never added answers its DDF default once its parent exists.
            if (lookup.Matched == lookup.Length - 1 && !schema.IsInterior && UnsetValue(schema) is { } fallback)
            {
                AddResult(results, item, schema, schema.Format, fallback);
                return StatusCodes.Ok;
            }

            return StatusCodes.NotFound;
        }

        var format = schema.Format;
        string? value;
        var read = CspReadResult.FromTree;
        if (FindHandler(schema, out var rootDepth) is { } handler)
        {
            var context = new CspContext(_tree, schema, node, segments, rootDepth, inAtomic: false) { Reader = ReadForHandlerAsync };
            try
            {
                read = await handler.GetAsync(context, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                return StatusCodes.CommandFailed;
            }
        }

        switch (read.Kind)
        {
            case CspReadKind.Status:
                return IsSuccess(read.Status) ? StatusCodes.CommandFailed : read.Status;
            case CspReadKind.Value:
                format = read.Format ?? format;
                value = read.Value;
                break;
            default:
                value = schema.IsInterior ? node.ChildList() : node.Value ?? UnsetValue(schema);
                break;
        }

        if (value is null && format is not DdfFormat.Null)
        {
            // A leaf without a value does not answer (docs/dm-tree.md "Get of an unset leaf").
            return StatusCodes.NotFound;
        }

        AddResult(results, item, schema, format, value);
        return StatusCodes.Ok;
    }

    /// <summary>
    /// What a Get of <paramref name="locUri"/> answers, for a handler that compares node values (NodeCache): the same
    /// path as a server's Get, handlers included, run inside the message that is executing (the command lock is held).
    /// </summary>
    private async ValueTask<(int Status, string? Value)> ReadForHandlerAsync(string locUri, CancellationToken cancellationToken)
    {
        var results = new List<Item>(1);
        var status = await ExecuteGetAsync(new Item { Target = new LocationElement(locUri) }, results, cancellationToken).ConfigureAwait(false);
        return (status, status == StatusCodes.Ok ? results[0].Data?.Value : null);
    }

    private static void AddResult(List<Item> results, Item item, DmSchemaNode schema, DdfFormat format, string? value)
    {
        results.Add(new Item
        {
            Source = new LocationElement(item.Target!.LocURI),
            Meta = new Meta { Format = DdfLoader.FormatName(format), Type = schema.Type },
            Data = value is null ? null : new Data(value),
        });
    }

    private string? UnsetValue(DmSchemaNode schema)
    {
        if (_options.UnsetLeafGet != DmUnsetLeafGet.DefaultValue || schema.Definition?.DefaultValue is not { } value)
        {
            return null;
        }

        return schema.Format == DdfFormat.Bool ? value.ToLowerInvariant() : value;
    }

    private async ValueTask<(int Status, List<Func<ValueTask>>? Undo)> ExecuteExecAsync(
        Exec command, Item item, AtomicScope? atomic, CancellationToken cancellationToken)
    {
        var status = Resolve(item, out var segments, out var lookup);
        if (status != 0)
        {
            return (status, null);
        }

        var schema = lookup.Schema!;
        if ((schema.AccessType & DdfAccessType.Exec) == 0)
        {
            return (StatusCodes.CommandNotAllowed, null);
        }

        if (lookup.Node is not { } node)
        {
            return (StatusCodes.NotFound, null);
        }

        if (FindHandler(schema, out var rootDepth) is not { } handler)
        {
            return (_options.UnimplementedExecStatus, null);
        }

        var context = new CspExecContext(_tree, schema, node, segments, rootDepth, atomic is not null,
            item.Data?.Value, item.Meta?.Format ?? command.Meta?.Format, command.Correlator);
        if (handler == _genericStore)
        {
            return (_options.UnimplementedExecStatus, null);
        }

        var result = await CallAsync(handler.ExecAsync, context, cancellationToken).ConfigureAwait(false);
        return (result.Status, result.IsSuccess && result.Undo is not null ? [result.Undo] : null);
    }

    private ICspHandler? FindHandler(DmSchemaNode schema, out int rootDepth)
    {
        if (_handlers.Count > 0)
        {
            for (var s = schema; s is not null; s = s.Parent)
            {
                if (_handlers.TryGetValue(s, out var handler))
                {
                    rootDepth = s.Depth;
                    return handler;
                }
            }
        }

        // No handler of its own: the generic store answers for the CSP (the topmost DDF node above the target).
        if (_genericStore is not null)
        {
            DmSchemaNode? cspRoot = null;
            for (var s = schema; s is not null && !s.IsSynthetic; s = s.Parent)
            {
                cspRoot = s;
            }

            if (cspRoot is not null)
            {
                rootDepth = cspRoot.Depth;
                return _genericStore;
            }
        }

        rootDepth = 0;
        return null;
    }

    private bool ReplaceCreates(DmSchemaNode schema)
    {
        for (var s = schema; s is not null; s = s.Parent)
        {
            if (_replaceCreatesUnder.Contains(s))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A handler that throws is answered 500 (Command failed) and the session goes on; a cancellation of the message's
    /// token is not a handler failure and goes on to the caller.
    /// </summary>
    private static async ValueTask<CspResult> CallAsync<TContext>(
        Func<TContext, CancellationToken, ValueTask<CspResult>> call, TContext context, CancellationToken cancellationToken)
    {
        try
        {
            return await call(context, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new CspResult(StatusCodes.CommandFailed);
        }
    }
}

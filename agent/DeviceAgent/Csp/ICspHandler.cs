using DeviceAgent.Dm;

namespace DeviceAgent.Csp;

/// <summary>
/// Behaviour of one CSP that its DDF cannot express (Exec actions, values owned by the device, one-time reads,
/// validation beyond the DDF, applying policy). Plain setting nodes need no handler: the tree stores them, checked
/// against the DDF. The executor calls a handler for every node at or below one of its <see cref="Roots"/>, inside
/// the tree's lock, in command order. Every call is asynchronous (a real CSP waits on a service, a store or the
/// user, docs/dm-tree.md "Asynchronous handlers") and takes the token of the message being executed.
/// </summary>
public interface ICspHandler
{
    /// <summary>
    /// The CSP roots served, as placeholder-free URIs: "./Device/Vendor/MSFT/RemoteLock", "./User/Vendor/MSFT/PassportForWork",
    /// "./DevInfo" (./Vendor/MSFT/X is written ./Device/Vendor/MSFT/X). Roots absent from the device's DDF set are ignored.
    /// </summary>
    IReadOnlyList<string> Roots { get; }

    /// <summary>Get of an existing node: a value the device owns, a status, or <see cref="CspReadResult.FromTree"/>.</summary>
    ValueTask<CspReadResult> GetAsync(CspContext context, CancellationToken cancellationToken);

    /// <summary>
    /// Before Add, Replace or Delete changes the tree: validate (return a failure status to refuse; nothing is changed)
    /// and optionally apply, returning an undo for Atomic rollback.
    /// </summary>
    ValueTask<CspResult> OnWritingAsync(CspWriteContext context, CancellationToken cancellationToken);

    /// <summary>After the tree changed: apply what depends on the new tree state. A failure status undoes the command.</summary>
    ValueTask<CspResult> OnWrittenAsync(CspWriteContext context, CancellationToken cancellationToken);

    /// <summary>Exec of a node whose AccessType has Exec.</summary>
    ValueTask<CspResult> ExecAsync(CspExecContext context, CancellationToken cancellationToken);
}

/// <summary>A handler with pass-through defaults: values from the tree, writes accepted, Exec answered 406.</summary>
public abstract class CspHandler : ICspHandler
{
    /// <summary>The CSP roots this handler serves, e.g. ./Device/Vendor/MSFT/RemoteLock.</summary>
    public abstract IReadOnlyList<string> Roots { get; }

    /// <summary>Answers a Get of a node under a root; by default the tree's stored value.</summary>
    public virtual ValueTask<CspReadResult> GetAsync(CspContext context, CancellationToken cancellationToken) => new(CspReadResult.FromTree);

    /// <summary>Vets an Add, Replace or Delete before the tree changes; by default accepts it.</summary>
    public virtual ValueTask<CspResult> OnWritingAsync(CspWriteContext context, CancellationToken cancellationToken) => new(CspResult.Ok);

    /// <summary>Applies side effects after the tree changed; by default none.</summary>
    public virtual ValueTask<CspResult> OnWrittenAsync(CspWriteContext context, CancellationToken cancellationToken) => new(CspResult.Ok);

    /// <summary>Runs an Exec of a node under a root; by default 406 (optional feature not supported).</summary>
    public virtual ValueTask<CspResult> ExecAsync(CspExecContext context, CancellationToken cancellationToken) => new(CspResult.Fail(406));
}

/// <summary>A handler's answer: a SyncML status code and, on success, how to undo what it did (Atomic rollback).</summary>
/// <remarks>
/// The undo is asynchronous like the handler (it may call NGC or a service) and runs under the tree's lock during the
/// rollback of the Atomic; it is not cancelled, so a started rollback finishes (docs/dm-tree.md "Atomic").
/// </remarks>
public readonly record struct CspResult(int Status, Func<ValueTask>? Undo = null)
{
    /// <summary>200, nothing to undo.</summary>
    public static CspResult Ok => new(200);

    /// <summary>True for a 2xx status.</summary>
    public bool IsSuccess => Status is >= 200 and < 300;

    /// <summary>Success with an undo action. An undo that throws makes the command's rollback status 516.</summary>
    public static CspResult Success(Func<ValueTask> undo, int status = 200) => new(status, undo);

    /// <summary>Success with an undo that needs no waiting (a value put back in memory).</summary>
    public static CspResult Success(Action undo, int status = 200)
    {
        ArgumentNullException.ThrowIfNull(undo);
        return new(status, () =>
        {
            undo();
            return ValueTask.CompletedTask;
        });
    }

    /// <summary>A failure with a non-2xx SyncML status; a 2xx status throws.</summary>
    public static CspResult Fail(int status) =>
        status is >= 200 and < 300 ? throw new ArgumentOutOfRangeException(nameof(status), "a failure needs a non-2xx status") : new CspResult(status);

    /// <summary>Success of something that cannot be undone: a rollback of it reports 516.</summary>
    public static CspResult Irreversible(string what, int status = 200) =>
        new(status, () => ValueTask.FromException(new InvalidOperationException($"{what} cannot be undone")));
}

/// <summary>How a handler answers a Get.</summary>
public enum CspReadKind
{
    /// <summary>Use the value stored in the tree.</summary>
    FromTree,

    /// <summary>Answer <see cref="CspReadResult.Value"/> (null: the node has no value, answered 404).</summary>
    Value,

    /// <summary>Answer <see cref="CspReadResult.Status"/> without Results.</summary>
    Status,
}

/// <summary>A handler's answer to a Get.</summary>
public readonly record struct CspReadResult(CspReadKind Kind, string? Value, int Status, DdfFormat? Format = null)
{
    /// <summary>Let the tree answer with the node's stored value.</summary>
    public static CspReadResult FromTree => new(CspReadKind.FromTree, null, 200);

    /// <summary>Answers <paramref name="value"/> with the node's DDF format (or <paramref name="format"/>).</summary>
    public static CspReadResult Of(string? value, DdfFormat? format = null) => new(CspReadKind.Value, value, 200, format);

    /// <summary>Answer the Get with a non-2xx status and no Results.</summary>
    public static CspReadResult Fail(int status) => new(CspReadKind.Status, null, status);
}

/// <summary>The node a handler is asked about.</summary>
public class CspContext
{
    private readonly string[] _segments;
    private string? _relativePath;

    internal CspContext(DmTree tree, DmSchemaNode schema, DmNode? node, string[] segments, int rootDepth, bool inAtomic)
    {
        Tree = tree;
        Schema = schema;
        Node = node;
        _segments = segments;
        RootDepth = rootDepth;
        InAtomic = inAtomic;
    }

    /// <summary>The device's DM tree the command runs on.</summary>
    public DmTree Tree { get; }
    /// <summary>The DDF description of the addressed node.</summary>
    public DmSchemaNode Schema { get; }

    /// <summary>The node, or null for an Add that has not created it yet.</summary>
    public DmNode? Node { get; }

    /// <summary>The decoded URI segments below "." (./Vendor rewritten to ./Device/Vendor).</summary>
    public IReadOnlyList<string> Segments => _segments;

    /// <summary>Number of segments of the handler's root (e.g. 4 for ./Device/Vendor/MSFT/RemoteLock).</summary>
    public int RootDepth { get; }

    /// <summary>The path below the handler's root, e.g. "NewPINValue" or "6f1c.../Policies/EnablePinRecovery" ("" for the root).</summary>
    public string RelativePath => _relativePath ??= RelativePathFrom(0);

    /// <summary>The path from <paramref name="index"/> levels below the handler's root ("" past the end).</summary>
    public string RelativePathFrom(int index)
    {
        var start = Math.Min(RootDepth + index, _segments.Length);
        return string.Join('/', _segments, start, _segments.Length - start);
    }

    /// <summary>The segment <paramref name="index"/> levels below the handler's root, or null (TenantId is RelativeSegment(0)).</summary>
    public string? RelativeSegment(int index) => RootDepth + index < _segments.Length ? _segments[RootDepth + index] : null;

    /// <summary>True for ./User paths; <see cref="UserId"/> is then the signed-in user.</summary>
    public bool IsUserScope => _segments.Length > 0 && _segments[0].Equals("User", StringComparison.OrdinalIgnoreCase);

    /// <summary>The signed-in user a ./User path acts for, or null for ./Device paths.</summary>
    public string? UserId => IsUserScope ? Tree.SignedInUser : null;

    /// <summary>True inside an Atomic: effects must come with an undo.</summary>
    public bool InAtomic { get; }

    internal Func<string, CancellationToken, ValueTask<(int Status, string? Value)>>? Reader { get; init; }

    /// <summary>
    /// What a Get of <paramref name="locUri"/> would answer now (status, and the value on 200), handlers included: how
    /// NodeCache compares a node's actual value with the expected one.
    /// </summary>
    public ValueTask<(int Status, string? Value)> ReadAsync(string locUri, CancellationToken cancellationToken) =>
        Reader is { } reader ? reader(locUri, cancellationToken) : throw new InvalidOperationException("this context cannot read other nodes");
}

/// <summary>Which write a handler is asked about.</summary>
public enum CspWriteKind
{
    /// <summary>An Add creating the node.</summary>
    Add,
    /// <summary>A Replace of the node's value.</summary>
    Replace,
    /// <summary>A Delete of the node and its subtree.</summary>
    Delete,
}

/// <summary>An Add, Replace or Delete of a node under a handler's root.</summary>
public sealed class CspWriteContext : CspContext
{
    internal CspWriteContext(DmTree tree, DmSchemaNode schema, DmNode? node, string[] segments, int rootDepth, bool inAtomic,
        CspWriteKind kind, string? newValue, string? oldValue)
        : base(tree, schema, node, segments, rootDepth, inAtomic)
    {
        Kind = kind;
        NewValue = newValue;
        OldValue = oldValue;
    }

    /// <summary>Whether the command is an Add, Replace or Delete.</summary>
    public CspWriteKind Kind { get; }

    /// <summary>The value after the write, normalised for the DDF format (bool "true"/"false"); null for Delete and interior nodes.</summary>
    public string? NewValue { get; }

    /// <summary>The stored value before the write (null when unset or new).</summary>
    public string? OldValue { get; }

    /// <summary>Meta/Type sent with the item (or the command), e.g. NodeCache's application/x-nodemon-nonexistent; null when none.</summary>
    public string? Type { get; init; }
}

/// <summary>An Exec of a node under a handler's root.</summary>
public sealed class CspExecContext : CspContext
{
    internal CspExecContext(DmTree tree, DmSchemaNode schema, DmNode node, string[] segments, int rootDepth, bool inAtomic,
        string? data, string? format, string? correlator)
        : base(tree, schema, node, segments, rootDepth, inAtomic)
    {
        Data = data;
        Format = format;
        Correlator = correlator;
    }

    /// <summary>The Item's Data (the Exec parameter), or null.</summary>
    public string? Data { get; }

    /// <summary>Meta/Format sent with the Data, or null.</summary>
    public string? Format { get; }

    /// <summary>Meta/Correlator of the Exec, to echo in a later Generic Alert 1226 (asynchronous result), or null.</summary>
    public string? Correlator { get; }
}

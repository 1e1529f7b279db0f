namespace DeviceAgent.Dm;

/// <summary>Where a LocURI leads in a <see cref="DmTree"/>.</summary>
public readonly struct DmLookup
{
    internal DmLookup(DmNode deepest, int matched, int length, DmSchemaNode? schema)
    {
        Deepest = deepest;
        Matched = matched;
        Length = length;
        Schema = schema;
    }

    /// <summary>The deepest node of the path that exists.</summary>
    public DmNode Deepest { get; }

    /// <summary>How many segments of the path exist.</summary>
    public int Matched { get; }

    /// <summary>How many segments the path has.</summary>
    public int Length { get; }

    /// <summary>The description of the addressed node, or null when the device's DDF set has no such node.</summary>
    public DmSchemaNode? Schema { get; }

    /// <summary>True when every segment of the path exists.</summary>
    public bool Exists => Matched == Length;

    /// <summary>The addressed node when it exists.</summary>
    public DmNode? Node => Exists ? Deepest : null;
}

/// <summary>
/// A device's DM tree: ./Device/Vendor/MSFT, ./User/Vendor/MSFT (the signed-in user's), ./DevInfo, ./DevDetail,
/// ./SyncML/DMAcc and whatever else the DDF set describes (./Vendor/MSFT is ./Device/Vendor/MSFT).
/// </summary>
/// <remarks>
/// The tree owns its locking; no lock object is public (docs/dm-tree.md "Locking"). Command execution holds the
/// tree's asynchronous command lock for a whole server message, so the handlers of one message never interleave with
/// another's. Node changes and <see cref="Read{T}"/> snapshots also take a short internal lock, so a reader on another
/// thread (the NGC PIN policy, a lock screen) never sees a half-made change.
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001:Types that own disposable fields should be disposable", Justification = "SemaphoreSlim holds no kernel object unless AvailableWaitHandle is read, which this type never does; there is nothing to release.")]
public sealed class DmTree
{
    private readonly Dictionary<string, DmNode> _userTrees = new(StringComparer.Ordinal);
    private readonly DmSchemaNode _userSchema;

    /// <summary>A tree with the scope roots of <paramref name="schema"/> and, when <paramref name="signedInUser"/> is given, that user's ./User subtree.</summary>
    public DmTree(DmSchema schema, string? signedInUser = null)
    {
        Schema = schema;
        Root = new DmNode(".", schema.Root, null);
        _userSchema = schema.Root.FindNamedChild("User")!;
        foreach (var schemaChild in schema.Root.Children)
        {
            if (schemaChild != _userSchema)
            {
                Root.CreateChild(schemaChild.Name, schemaChild);
            }
        }

        if (signedInUser is not null)
        {
            SignIn(signedInUser);
        }
    }

    /// <summary>The DDF-derived description of every node the tree may hold.</summary>
    public DmSchema Schema { get; }

    /// <summary>The node ".".</summary>
    public DmNode Root { get; }

    // One server message (or provisioning step) at a time; async because handlers await NGC and services under it.
    private readonly SemaphoreSlim _commands = new(1, 1);

    // Short, synchronous: node changes and snapshot reads. Never held across an await.
    private readonly Lock _nodes = new();

    /// <summary>The user whose tree ./User designates, or null when nobody is signed in.</summary>
    public string? SignedInUser { get; private set; }

    /// <summary>Builds the tree of a device profile: its DDF set, its OS build, its signed-in user.</summary>
    public static DmTree ForProfile(DeviceProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var build = OsBuild.Parse(profile.OsBuild);
        var set = profile.DdfSet is { } name ? DdfSet.ByName(name) : DdfSet.ForOsBuild(build);
        return new DmTree(DmSchema.For(set, build), profile.SignedInUser);
    }

    /// <summary>Makes ./User the tree of <paramref name="userId"/> (created empty on first sign-in, kept across sign-outs).</summary>
    public void SignIn(string userId)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        lock (_nodes)
        {
            SignOutCore();
            if (!_userTrees.TryGetValue(userId, out var userTree))
            {
                userTree = new DmNode(_userSchema.Name, _userSchema, null);
                userTree.CreateDeviceOwnedChildren();
                _userTrees.Add(userId, userTree);
            }

            userTree.Reattach(Root, 1);
            SignedInUser = userId;
        }
    }

    /// <summary>Detaches ./User; a later <see cref="SignIn"/> of the same user finds the user's tree as it was.</summary>
    public void SignOut()
    {
        lock (_nodes)
        {
            SignOutCore();
        }
    }

    /// <summary>
    /// Runs <paramref name="read"/> under the tree's node lock and returns what it computed: a consistent snapshot even
    /// while a session changes the tree. <paramref name="read"/> must not keep nodes or wait.
    /// </summary>
    public T Read<T>(Func<DmTree, T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        lock (_nodes)
        {
            return read(this);
        }
    }

    /// <summary>Applies a change to nodes under the node lock (the executor's Add/Replace/Delete and their undo).</summary>
    internal T Change<T>(Func<T> change)
    {
        lock (_nodes)
        {
            return change();
        }
    }

    /// <summary>
    /// Takes the command lock (one server message at a time); dispose the lease to release it. Not re-entrant: code
    /// running inside a handler already holds it.
    /// </summary>
    internal async ValueTask<CommandLease> EnterCommandsAsync(CancellationToken cancellationToken)
    {
        await _commands.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new CommandLease(_commands);
    }

    /// <summary>Follows <paramref name="segments"/> (from <see cref="DmUri.TryParse(string?, out string[], out string?)"/>) as far as nodes exist.</summary>
    public DmLookup Lookup(string[] segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        var node = Root;
        var schema = Schema.Root;
        var matched = 0;
        var exists = true;
        for (var i = 0; i < segments.Length; i++)
        {
            var schemaChild = schema.ResolveChild(segments[i]);
            if (schemaChild is null)
            {
                return new DmLookup(node, matched, segments.Length, null);
            }

            schema = schemaChild;
            if (exists)
            {
                var child = node.FindChild(schemaChild.IsDynamicName ? segments[i] : schemaChild.Name);
                if (child is not null && child.Schema == schemaChild)
                {
                    node = child;
                    matched++;
                }
                else
                {
                    exists = false;
                }
            }
        }

        return new DmLookup(node, matched, segments.Length, schema);
    }

    /// <summary>The node at <paramref name="locUri"/>, or null when it does not exist or the URI is invalid.</summary>
    public DmNode? Find(string locUri) =>
        DmUri.TryParse(locUri, out var segments, out _) ? Lookup(segments).Node : null;

    private void SignOutCore()
    {
        if (SignedInUser is not null)
        {
            _userTrees[SignedInUser].Detach();
            SignedInUser = null;
        }
    }
}

/// <summary>Holds a <see cref="DmTree"/>'s command lock until disposed.</summary>
internal readonly struct CommandLease(SemaphoreSlim semaphore) : IDisposable
{
    public void Dispose() => semaphore.Release();
}

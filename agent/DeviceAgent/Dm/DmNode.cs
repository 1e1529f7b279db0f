using System.Text;

namespace DeviceAgent.Dm;

/// <summary>A node that exists in a device's DM tree: its name, its description and, for a leaf, its stored value.</summary>
public sealed class DmNode
{
    // Above this many children a name index pays for itself (dynamic nodes such as many TenantIds).
    private const int IndexThreshold = 8;

    private List<DmNode>? _children;
    private Dictionary<string, DmNode>? _index;

    internal DmNode(string name, DmSchemaNode schema, DmNode? parent)
    {
        Name = name;
        Schema = schema;
        Parent = parent;
    }

    /// <summary>The node name as created (dynamic names keep the case the server sent).</summary>
    public string Name { get; }

    /// <summary>The DDF description this node is an instance of.</summary>
    public DmSchemaNode Schema { get; }

    /// <summary>The node above, or null for "." (and for a node deleted from the tree).</summary>
    public DmNode? Parent { get; private set; }

    /// <summary>The stored value of a leaf in normalised form (bool "true"/"false", int in invariant digits), or null when unset.</summary>
    public string? Value { get; set; }

    /// <summary>True for an interior node (DFFormat node), which holds children instead of a value.</summary>
    public bool IsInterior => Schema.IsInterior;

    /// <summary>The existing child nodes, in creation order.</summary>
    public IReadOnlyList<DmNode> Children => (IReadOnlyList<DmNode>?)_children ?? [];

    /// <summary>The node's URI with real names, e.g. ./Device/Vendor/MSFT/PassportForWork/6f1c.../Policies.</summary>
    public string Path
    {
        get
        {
            if (Parent is null)
            {
                return ".";
            }

            var builder = new StringBuilder(64);
            AppendPath(builder);
            return builder.ToString();
        }
    }

    /// <summary>The child whose name is <paramref name="name"/> (exact, or ignoring case where the schema says so), or null.</summary>
    public DmNode? FindChild(string name)
    {
        if (_children is null)
        {
            return null;
        }

        if (_index is not null)
        {
            if (_index.TryGetValue(name, out var indexed))
            {
                return indexed;
            }
        }
        else
        {
            foreach (var child in _children)
            {
                if (string.Equals(child.Name, name, StringComparison.Ordinal))
                {
                    return child;
                }
            }
        }

        foreach (var child in _children)
        {
            if (child.Schema.MatchesNameIgnoringCase && string.Equals(child.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return child;
            }
        }

        return null;
    }

    /// <summary>The child list of an interior node as Get answers it: URI-encoded names separated by '/' (docs/reference/omadm.md §8).</summary>
    public string ChildList()
    {
        if (_children is null || _children.Count == 0)
        {
            return "";
        }

        var builder = new StringBuilder();
        foreach (var child in _children)
        {
            if (builder.Length > 0)
            {
                builder.Append('/');
            }

            builder.Append(DmUri.EncodeSegment(child.Name));
        }

        return builder.ToString();
    }

    /// <summary>Creates a child and every descendant the device creates with it (<see cref="DmSchemaNode.IsCreatedWithParent"/>).</summary>
    internal DmNode CreateChild(string name, DmSchemaNode schema)
    {
        var child = new DmNode(name, schema, this);
        Attach(child, -1);
        child.CreateDeviceOwnedChildren();
        return child;
    }

    internal void CreateDeviceOwnedChildren()
    {
        foreach (var schemaChild in Schema.Children)
        {
            if (schemaChild.IsCreatedWithParent && FindChild(schemaChild.Name) is null)
            {
                CreateChild(schemaChild.Name, schemaChild);
            }
        }
    }

    /// <summary>Removes this node from its parent; returns its former position for <see cref="Reattach"/>.</summary>
    internal int Detach()
    {
        var parent = Parent ?? throw new InvalidOperationException("the root cannot be removed");
        var position = parent._children!.IndexOf(this);
        parent._children.RemoveAt(position);
        parent._index?.Remove(Name);
        Parent = null;
        return position;
    }

    /// <summary>Puts a detached node back where it was (Atomic rollback of a Delete).</summary>
    internal void Reattach(DmNode parent, int position)
    {
        if (Parent is not null)
        {
            throw new InvalidOperationException($"{Path} is still attached");
        }

        Parent = parent;
        parent.Attach(this, position);
    }

    private void Attach(DmNode child, int position)
    {
        _children ??= [];
        if (position < 0 || position > _children.Count)
        {
            _children.Add(child);
        }
        else
        {
            _children.Insert(position, child);
        }

        if (_index is not null)
        {
            _index[child.Name] = child;
        }
        else if (_children.Count > IndexThreshold)
        {
            _index = new Dictionary<string, DmNode>(_children.Count * 2, StringComparer.Ordinal);
            foreach (var existing in _children)
            {
                _index[existing.Name] = existing;
            }
        }
    }

    private void AppendPath(StringBuilder builder)
    {
        if (Parent is null)
        {
            builder.Append('.');
            return;
        }

        Parent.AppendPath(builder);
        builder.Append('/').Append(DmUri.EncodeSegment(Name));
    }

    /// <inheritdoc/>
    public override string ToString() => Path;
}

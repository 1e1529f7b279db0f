using System.Collections.Concurrent;

namespace DeviceAgent.Dm;

/// <summary>
/// One node of a device's DM tree description: a DDF node that applies to the device's OS build, or a synthetic
/// interior node (".", Device, User, Vendor, MSFT, Policy, Config ...) that holds DDF roots. Shared by every tree
/// built for the same DDF set and build.
/// </summary>
public sealed class DmSchemaNode
{
    private readonly Dictionary<string, DmSchemaNode> _named = new(StringComparer.Ordinal);
    private readonly List<DmSchemaNode> _children = [];
    private bool _hasCaseInsensitiveChild;

    internal DmSchemaNode(string name, DdfNode? definition, DmSchemaNode? parent)
    {
        Name = name;
        Definition = definition;
        Parent = parent;
        Path = parent is null ? "." : parent.Path + "/" + (definition?.DisplayName ?? name);
        Depth = parent is null ? 0 : parent.Depth + 1;
        MatchKey = parent is null ? "." : parent.MatchKey + "/" + (definition?.IsDynamicName == true ? "{}" : name);
    }

    /// <summary>The path with every dynamic segment written "{}" (DFTitles differ between DDF releases).</summary>
    internal string MatchKey { get; }

    /// <summary>NodeName; empty for a dynamic placeholder.</summary>
    public string Name { get; }

    /// <summary>The DDF node, or null for a synthetic node.</summary>
    public DdfNode? Definition { get; }

    /// <summary>The schema node above, or null for ".".</summary>
    public DmSchemaNode? Parent { get; }

    /// <summary>The node's path with placeholders, e.g. ./Device/Vendor/MSFT/PassportForWork/{TenantId}/Policies.</summary>
    public string Path { get; }

    /// <summary>Segments below "." (0 for the root).</summary>
    public int Depth { get; }

    /// <summary>True for a node no DDF describes (".", ./Device, ./User, ./Vendor and other scope roots).</summary>
    public bool IsSynthetic => Definition is null;

    /// <summary>True when the DDF leaves the name to the server or device (empty NodeName or "*").</summary>
    public bool IsDynamicName => Definition?.IsDynamicName ?? false;

    /// <summary>Synthetic nodes accept Get only (docs/reference/omadm.md §10: scope roots are not CSP nodes).</summary>
    public DdfAccessType AccessType => (Definition?.AccessType ?? DdfAccessType.Get) | _documentedAccess;

    // Access a CSP page documents beyond its DDF (DmSchema.DocumentedAccess).
    private DdfAccessType _documentedAccess;

    internal void AllowAlso(DdfAccessType access) => _documentedAccess |= access;

    /// <summary>DDF DFFormat; node for synthetic scope roots.</summary>
    public DdfFormat Format => Definition?.Format ?? DdfFormat.Node;

    /// <summary>True when the node holds children rather than a value.</summary>
    public bool IsInterior => Format == DdfFormat.Node;

    /// <summary>Meta/Type answered for the node: DFType MIME, else DDFName, else text/plain for leaves and null for interior nodes.</summary>
    public string? Type => Definition?.MimeType ?? Definition?.DdfName ?? (IsInterior ? null : "text/plain");

    /// <summary>
    /// True when the device creates the node together with its parent: a named node the server cannot Add.
    /// Nodes the server can Add exist only once added (docs/dm-tree.md "Which nodes exist").
    /// </summary>
    public bool IsCreatedWithParent => !IsDynamicName && (AccessType & DdfAccessType.Add) == 0;

    /// <summary>
    /// Scope roots, DDF nodes marked CaseSense CIS and the dynamic nodes named by a GUID (<see cref="DmSchema.GuidNamedNodes"/>)
    /// match names ignoring case; every other node name is exact.
    /// </summary>
    public bool MatchesNameIgnoringCase => IsSynthetic || Definition?.CaseSense == DdfCaseSense.CIS || IsGuidNamed || _ignoresCase;

    private bool _ignoresCase;

    /// <summary>Makes this node and every node below it match names ignoring case (<see cref="DmSchema.CaseInsensitiveSubtrees"/>).</summary>
    internal void IgnoreCaseBelow()
    {
        _ignoresCase = true;
        if (Parent is not null)
        {
            Parent._hasCaseInsensitiveChild = true;
        }

        foreach (var child in _children)
        {
            child.IgnoreCaseBelow();
        }
    }

    /// <summary>True for a dynamic node whose name is a GUID, which Windows compares as a GUID (any letter case).</summary>
    public bool IsGuidNamed { get; internal set; }

    /// <summary>The described child nodes (named and dynamic placeholders).</summary>
    public IReadOnlyList<DmSchemaNode> Children => _children;

    /// <summary>The node's MSFT:AllowedValues, or those of the same path in the set's supplement (see <see cref="DdfSet.AllowedValuesSupplement"/>).</summary>
    public DdfAllowedValues? AllowedValues { get; internal set; }

    /// <summary>The dynamic (server-named) child, if the DDF has one.</summary>
    public DmSchemaNode? DynamicChild { get; private set; }

    /// <summary>The child named <paramref name="name"/> (scope roots and CIS nodes ignoring case), else the dynamic child, else null.</summary>
    public DmSchemaNode? ResolveChild(string name) => FindNamedChild(name) ?? DynamicChild;

    /// <summary>The named child that <paramref name="name"/> designates, or null.</summary>
    public DmSchemaNode? FindNamedChild(string name)
    {
        if (_named.TryGetValue(name, out var child))
        {
            return child;
        }

        if (_hasCaseInsensitiveChild)
        {
            foreach (var candidate in _children)
            {
                if (candidate.MatchesNameIgnoringCase && !candidate.IsDynamicName
                    && string.Equals(candidate.Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    internal DmSchemaNode AddChild(string name, DdfNode? definition, string source)
    {
        var child = new DmSchemaNode(name, definition, this);
        if (child.IsDynamicName)
        {
            if (DynamicChild is not null)
            {
                throw new InvalidOperationException($"{source}: {Path} has two dynamic children");
            }

            DynamicChild = child;
        }
        else
        {
            if (FindNamedChild(name) is not null)
            {
                throw new InvalidOperationException($"{source}: {Path}/{name} is defined twice in the DDF set");
            }

            _named.Add(name, child);
            _hasCaseInsensitiveChild |= child.MatchesNameIgnoringCase;
        }

        _children.Add(child);
        return child;
    }

    /// <inheritdoc/>
    public override string ToString() => Path;
}

/// <summary>
/// The description of a device's DM tree: a DDF set filtered by MSFT:Applicability for one OS build, mounted under
/// "." (./Vendor/MSFT paths of the 1703 files mount at ./Device/Vendor/MSFT, docs/reference/omadm.md §10). Immutable; cached per set and build.
/// </summary>
public sealed class DmSchema
{
    private static readonly ConcurrentDictionary<(string Set, OsBuild Build), DmSchema> s_cache = new();

    private DmSchema(DdfSet set, OsBuild build)
    {
        Set = set;
        OsBuild = build;
        Root = new DmSchemaNode(".", null, null);
        foreach (var scope in new[] { "Device", "User" })
        {
            Root.AddChild(scope, null, "schema").AddChild("Vendor", null, "schema").AddChild("MSFT", null, "schema");
        }

        var supplement = set.AllowedValuesSupplement is { } extra ? AllowedValuesByPath(extra) : null;
        foreach (var document in set.Documents)
        {
            foreach (var root in document.Roots)
            {
                if (!Applies(root.Node, build))
                {
                    continue;
                }

                var parent = MountPoint(Root, root.Path, document.Source);
                Mount(parent, root.Node, build, document.Source, supplement);
            }
        }

        foreach (var path in GuidNamedNodes)
        {
            if (Find(path) is { IsDynamicName: true } node)
            {
                node.IsGuidNamed = true;
            }
        }

        foreach (var path in CaseInsensitiveSubtrees)
        {
            Find(path)?.IgnoreCaseBelow();
        }

        foreach (var (path, access) in DocumentedAccess)
        {
            Find(path)?.AllowAlso(access);
        }
    }

    /// <summary>
    /// Commands a CSP page documents on nodes whose DDF AccessType omits them. The NodeCache CSP page's session flow and
    /// examples Replace Nodes/{NodeID}/ExpectedValue, NodeURI and AutoSetExpectedValue (the 1703 DDF and the page's
    /// property tables list Add, Delete, Get); a server following the page must not get 405 (docs/csps.md "NodeCache").
    /// </summary>
    public static IReadOnlyList<(string Path, DdfAccessType Access)> DocumentedAccess { get; } =
    [
        ("./Device/Vendor/MSFT/NodeCache/{}/Nodes/{}/ExpectedValue", DdfAccessType.Replace),
        ("./Device/Vendor/MSFT/NodeCache/{}/Nodes/{}/NodeURI", DdfAccessType.Replace),
        ("./Device/Vendor/MSFT/NodeCache/{}/Nodes/{}/AutoSetExpectedValue", DdfAccessType.Replace),
        ("./User/Vendor/MSFT/NodeCache/{}/Nodes/{}/ExpectedValue", DdfAccessType.Replace),
        ("./User/Vendor/MSFT/NodeCache/{}/Nodes/{}/NodeURI", DdfAccessType.Replace),
        ("./User/Vendor/MSFT/NodeCache/{}/Nodes/{}/AutoSetExpectedValue", DdfAccessType.Replace),
    ];

    /// <summary>
    /// CSPs whose node names match ignoring case: the CertificateStore CSP page says its OMA-DM names are case
    /// insensitive (the provisioning document of MS-MDE2 2.2.9 writes Root/System and My/User where the DDF writes ROOT
    /// and MY), and a certificate's SHA-1 thumbprint names one certificate whatever the case of its hex digits, in
    /// RootCATrustedCertificates as well [choice] (docs/csps.md "Certificates").
    /// </summary>
    public static IReadOnlyList<string> CaseInsensitiveSubtrees { get; } =
    [
        "./Device/Vendor/MSFT/CertificateStore",
        "./Device/Vendor/MSFT/RootCATrustedCertificates",
        "./User/Vendor/MSFT/RootCATrustedCertificates",
    ];

    /// <summary>
    /// Dynamic nodes named by a GUID: PassportForWork's {TenantId} ("GUID, no braces", docs/reference/passportforwork.md).
    /// A GUID names one tenant whatever the case of its hex digits, so these match ignoring case and the first name
    /// sent is kept (docs/dm-tree.md "URI rules").
    /// </summary>
    public static IReadOnlyList<string> GuidNamedNodes { get; } =
    [
        "./Device/Vendor/MSFT/PassportForWork/{TenantId}",
        "./User/Vendor/MSFT/PassportForWork/{TenantId}",
    ];

    private static Dictionary<string, DdfAllowedValues> AllowedValuesByPath(DdfSet set)
    {
        var scratch = new DmSchemaNode(".", null, null);
        var map = new Dictionary<string, DdfAllowedValues>(StringComparer.Ordinal);
        foreach (var document in set.Documents)
        {
            foreach (var root in document.Roots)
            {
                Collect(MountPoint(scratch, root.Path, document.Source).MatchKey, root.Node, map);
            }
        }

        return map;

        static void Collect(string parentPath, DdfNode node, Dictionary<string, DdfAllowedValues> map)
        {
            var path = parentPath + "/" + (node.IsDynamicName ? "{}" : node.Name);
            if (node.AllowedValues is { } allowed)
            {
                map.TryAdd(path, allowed);
            }

            foreach (var child in node.Children)
            {
                Collect(path, child, map);
            }
        }
    }

    /// <summary>The DDF files the schema was built from.</summary>
    public DdfSet Set { get; }
    /// <summary>The OS build whose MSFT:Applicability decided which nodes exist.</summary>
    public OsBuild OsBuild { get; }

    /// <summary>The node ".".</summary>
    public DmSchemaNode Root { get; }

    /// <summary>The schema of <paramref name="set"/> for <paramref name="build"/>, built once and shared.</summary>
    public static DmSchema For(DdfSet set, OsBuild build)
    {
        var key = (set.Name, new OsBuild(build.Major, build.Minor, build.Build, build.Qfe ?? 0));
        return s_cache.GetOrAdd(key, static (_, arg) => new DmSchema(arg.set, arg.build), (set, build));
    }

    /// <summary>Builds a schema without caching (tests, custom DDF sets).</summary>
    public static DmSchema Create(DdfSet set, OsBuild build) => new(set, build);

    /// <summary>The schema node at a placeholder path such as ./Device/Vendor/MSFT/PassportForWork/{TenantId}/Policies, or null.</summary>
    public DmSchemaNode? Find(string path)
    {
        if (!DmUri.TryParse(path, out var segments, out _))
        {
            return null;
        }

        var node = Root;
        foreach (var segment in segments)
        {
            // "{TenantId}" (any braced name) designates the dynamic child.
            var next = segment.Length >= 2 && segment[0] == '{' && segment[^1] == '}'
                ? node.DynamicChild
                : node.FindNamedChild(segment);
            if (next is null)
            {
                return null;
            }

            node = next;
        }

        return node;
    }

    private static bool Applies(DdfNode node, OsBuild build) =>
        node.Applicability?.OsBuildVersion is not { } version || build.Satisfies(version);

    private static DmSchemaNode MountPoint(DmSchemaNode root, string path, string source)
    {
        if (!DmUri.TryParse(path, out var segments, out var error))
        {
            throw new InvalidOperationException($"{source}: DDF Path '{path}' is not a valid URI: {error}");
        }

        var node = root;
        foreach (var segment in segments)
        {
            node = node.FindNamedChild(segment) ?? node.AddChild(segment, null, source);
            if (!node.IsSynthetic)
            {
                throw new InvalidOperationException($"{source}: DDF Path '{path}' goes through the DDF node {node.Path}");
            }
        }

        return node;
    }

    private static void Mount(DmSchemaNode parent, DdfNode node, OsBuild build, string source, Dictionary<string, DdfAllowedValues>? supplement)
    {
        var schemaNode = parent.AddChild(node.IsDynamicName ? "" : node.Name, node, source);
        schemaNode.AllowedValues = node.AllowedValues
            ?? (supplement is not null && supplement.TryGetValue(schemaNode.MatchKey, out var borrowed) ? borrowed : null);
        foreach (var child in node.Children)
        {
            // A node without its own Applicability inherits its ancestors' (docs/reference/ddf.md), already checked on the way down.
            if (Applies(child, build))
            {
                Mount(schemaNode, child, build, source, supplement);
            }
        }
    }
}

using System.Runtime.CompilerServices;
using System.Text;
using System.Xml;
using DeviceAgent.Dm;
using DeviceAgent.SyncML;

namespace DeviceAgent.Csp;

/// <summary>
/// NodeCache (NodeCache CSP page): per DM server ({ProviderID}) a cache of nodes the server watches, each a NodeURI and
/// the ExpectedValue the server last saw. The device compares them with the DM tree: ChangedNodes lists the NodeIDs
/// whose node differs (comma-separated), ChangedNodesData gives the actual values (base64) in the page's XML, and
/// AutoSetExpectedValue copies the node's actual value into ExpectedValue. An ExpectedValue sent with Meta/Type
/// application/x-nodemon-nonexistent expects the node not to exist. Comparisons read the tree as a Get would, at the
/// moment ChangedNodes or ChangedNodesData is read [choice: the page says the device checks when a session starts;
/// within a session both give the same answer unless the session itself changed a watched node]. docs/csps.md "NodeCache".
/// </summary>
public sealed class NodeCacheCsp : CspHandler
{
    /// <summary>The Meta/Type of an ExpectedValue meaning "this node does not exist" (NodeCache CSP page).</summary>
    public const string NonexistentType = "application/x-nodemon-nonexistent";

    // ExpectedValue nodes that expect their NodeURI not to exist.
    private readonly ConditionalWeakTable<DmNode, object> _expectNonexistent = [];

    /// <summary>NodeCache, device and user scope.</summary>
    public override IReadOnlyList<string> Roots { get; } = ["./Device/Vendor/MSFT/NodeCache", "./User/Vendor/MSFT/NodeCache"];

    /// <summary>ChangedNodes and ChangedNodesData are computed from the tree; every other node is stored.</summary>
    public override async ValueTask<CspReadResult> GetAsync(CspContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var leaf = context.RelativePathFrom(1);
        if (leaf is not ("ChangedNodes" or "ChangedNodesData") || context.Node?.Parent is not { } provider)
        {
            return CspReadResult.FromTree;
        }

        var changed = await ChangedAsync(context, provider, cancellationToken).ConfigureAwait(false);
        return CspReadResult.Of(leaf == "ChangedNodes" ? string.Join(',', changed.Select(c => c.Id)) : ChangedNodesData(changed));
    }

    /// <summary>Keeps the nonexistent marker of an ExpectedValue and runs AutoSetExpectedValue.</summary>
    public override async ValueTask<CspResult> OnWrittenAsync(CspWriteContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Kind == CspWriteKind.Delete || context.Node is not { Parent: { } cached } node || context.RelativeSegment(2) is null)
        {
            return CspResult.Ok;
        }

        switch (context.Schema.Name)
        {
            case "ExpectedValue":
                return Mark(node, string.Equals(context.Type?.Trim(), NonexistentType, StringComparison.OrdinalIgnoreCase));
            case "AutoSetExpectedValue":
                if (NodeUri(cached) is not { } uri)
                {
                    // Nothing to read the value from [choice: the page names the node in NodeURI].
                    return CspResult.Fail(StatusCodes.CommandFailed);
                }

                var (status, actual) = await context.ReadAsync(uri, cancellationToken).ConfigureAwait(false);
                return SetExpected(context.Tree, cached, status == StatusCodes.Ok ? actual ?? "" : null);
            default:
                return CspResult.Ok;
        }
    }

    private CspResult Mark(DmNode expected, bool nonexistent)
    {
        var had = _expectNonexistent.TryGetValue(expected, out _);
        Apply(expected, nonexistent);
        return CspResult.Success(() => Apply(expected, had));
    }

    private void Apply(DmNode expected, bool nonexistent)
    {
        if (nonexistent)
        {
            _expectNonexistent.AddOrUpdate(expected, expected);
        }
        else
        {
            _expectNonexistent.Remove(expected);
        }
    }

    /// <summary>Sets ExpectedValue to <paramref name="actual"/> (null: the node does not exist), creating the leaf if needed.</summary>
    private CspResult SetExpected(DmTree tree, DmNode cached, string? actual)
    {
        var undo = new List<Action>();
        tree.Change(() =>
        {
            var expected = cached.FindChild("ExpectedValue");
            if (expected is null)
            {
                var schema = cached.Schema.FindNamedChild("ExpectedValue")!;
                expected = cached.CreateChild(schema.Name, schema);
                var created = expected;
                undo.Add(() => created.Detach());
            }

            var old = expected.Value;
            var wasNonexistent = _expectNonexistent.TryGetValue(expected, out _);
            expected.Value = actual ?? "";
            Apply(expected, actual is null);
            var target = expected;
            undo.Add(() =>
            {
                target.Value = old;
                Apply(target, wasNonexistent);
            });
            return true;
        });
        return CspResult.Success(() => tree.Change(() =>
        {
            for (var i = undo.Count - 1; i >= 0; i--)
            {
                undo[i]();
            }

            return true;
        }));
    }

    private static string? NodeUri(DmNode cached) =>
        // The page's own example writes the URI on its own line: surrounding blanks are not part of it [choice].
        cached.FindChild("NodeURI")?.Value?.Trim() is { Length: > 0 } uri ? uri : null;

    private async ValueTask<List<(string Id, string Uri, string? Actual)>> ChangedAsync(CspContext context, DmNode provider, CancellationToken cancellationToken)
    {
        var entries = context.Tree.Read(_ => provider.FindChild("Nodes")?.Children
            .Select(n => (Id: n.Name, Uri: NodeUri(n), Expected: n.FindChild("ExpectedValue")))
            .ToList() ?? []);
        var changed = new List<(string, string, string?)>();
        foreach (var (id, uri, expected) in entries)
        {
            if (uri is null)
            {
                // "If a Uri is not set, the node will always be reported as changed" (NodeCache CSP page).
                changed.Add((id, "", null));
                continue;
            }

            // A watched node inside NodeCache itself would read ChangedNodes again: it counts as absent [choice].
            var (status, actual) = IsNodeCache(uri) ? (StatusCodes.NotFound, null) : await context.ReadAsync(uri, cancellationToken).ConfigureAwait(false);
            var exists = status == StatusCodes.Ok;
            var expectAbsent = expected is not null && _expectNonexistent.TryGetValue(expected, out _);
            var same = expectAbsent ? !exists : exists && expected?.Value is { } value && string.Equals(value, actual ?? "", StringComparison.Ordinal);
            if (!same)
            {
                changed.Add((id, uri, exists ? actual ?? "" : null));
            }
        }

        return changed;
    }

    private static bool IsNodeCache(string uri) => uri.Contains("/NodeCache", StringComparison.OrdinalIgnoreCase);

    /// <summary>&lt;Nodes&gt;&lt;Node Id="20" Uri="./DevDetail/..."&gt;base64 of the actual value&lt;/Node&gt;&lt;/Nodes&gt; (NodeCache CSP page).</summary>
    private static string ChangedNodesData(List<(string Id, string Uri, string? Actual)> changed)
    {
        var builder = new StringBuilder();
        using (var writer = XmlWriter.Create(builder, new XmlWriterSettings { OmitXmlDeclaration = true, ConformanceLevel = ConformanceLevel.Fragment }))
        {
            writer.WriteStartElement("Nodes");
            foreach (var (id, uri, actual) in changed)
            {
                writer.WriteStartElement("Node");
                writer.WriteAttributeString("Id", id);
                writer.WriteAttributeString("Uri", uri);
                writer.WriteString(actual is null ? "" : Convert.ToBase64String(Encoding.UTF8.GetBytes(actual)));
                writer.WriteFullEndElement();
            }

            writer.WriteEndElement();
        }

        return builder.ToString();
    }
}

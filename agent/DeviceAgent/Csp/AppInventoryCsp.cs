using System.Globalization;
using System.Text;
using System.Xml;
using DeviceAgent.Dm;
using DeviceAgent.SyncML;

namespace DeviceAgent.Csp;

/// <summary>
/// The app inventory of ./Device/Vendor/MSFT/EnterpriseModernAppManagement (EnterpriseModernAppManagement CSP page,
/// "Enterprise app management" page): the phone's packages from its device spec under
/// AppManagement/{AppStore|nonStore|System}/{PackageFamilyName}/{PackageFullName}, AppInventoryQuery (Replace of an
/// &lt;Inventory Output Source PackageTypeFilter PackageFamilyName Publisher/&gt; query, checked) and
/// AppInventoryResults (the packages the query selects, as XML; docs/csps.md "EnterpriseModernAppManagement").
/// Installation, licences and removal are not modelled: their nodes are the generic store's.
/// </summary>
public sealed class AppInventoryCsp : CspHandler
{
    /// <summary>The CSP root in the tree.</summary>
    public const string Root = "./Device/Vendor/MSFT/EnterpriseModernAppManagement";

    private const string AppManagement = "AppManagement";

    private readonly DeviceProfile _profile;
    private readonly DdfNodeStore _store;
    private InventoryQuery _query = InventoryQuery.Default;

    /// <summary>
    /// The inventory of <paramref name="profile"/>'s installed apps; <paramref name="store"/> answers the CSP's other
    /// nodes (a server-created AppInstallation request's status ...) as for every CSP without behaviour.
    /// </summary>
    public AppInventoryCsp(DeviceProfile profile, DdfNodeStore store)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(store);
        _profile = profile;
        _store = store;
    }

    /// <inheritdoc/>
    public override IReadOnlyList<string> Roots { get; } = [Root];

    /// <summary>
    /// Creates AppManagement/{origin}/{PackageFamilyName}/{PackageFullName} for every app of the profile, and the three
    /// origin nodes even when empty (a phone lists AppStore, nonStore and System).
    /// </summary>
    public static void CreateAppNodes(DmTree tree, DeviceProfile profile)
    {
        ArgumentNullException.ThrowIfNull(tree);
        ArgumentNullException.ThrowIfNull(profile);
        tree.Change(() =>
        {
            if (tree.Find(Root + "/" + AppManagement) is not { Schema.DynamicChild: { } originSchema } management)
            {
                return false;
            }

            foreach (var origin in Enum.GetValues<AppOrigin>())
            {
                Child(management, InstalledApp.OriginName(origin), originSchema);
            }

            foreach (var app in profile.InstalledApps)
            {
                var origin = management.FindChild(app.OriginNodeName)!;
                if (origin.Schema.DynamicChild is { } familySchema && Child(origin, app.PackageFamilyName, familySchema) is { Schema.DynamicChild: { } fullSchema } family)
                {
                    Child(family, app.PackageFullName, fullSchema);
                }
            }

            return true;
        });

        static DmNode Child(DmNode parent, string name, DmSchemaNode schema) => parent.FindChild(name) ?? parent.CreateChild(name, schema);
    }

    /// <summary>Answers the package leaves and AppInventoryResults; other nodes come from the tree.</summary>
    public override ValueTask<CspReadResult> GetAsync(CspContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.RelativeSegment(0) != AppManagement)
        {
            return _store.GetAsync(context, cancellationToken);
        }

        if (context.RelativePath == AppManagement + "/AppInventoryResults")
        {
            return new(CspReadResult.Of(Results(_query)));
        }

        // AppManagement/{origin}/{family}/{full}/{leaf}
        if (context.RelativeSegment(5) is null && context.RelativeSegment(4) is { } leaf
            && Find(context.RelativeSegment(1)!, context.RelativeSegment(2)!, context.RelativeSegment(3)!) is { } app
            && Attribute(app, leaf) is { } value)
        {
            return new(CspReadResult.Of(value));
        }

        return _store.GetAsync(context, cancellationToken);
    }

    /// <summary>Checks a Replace of AppInventoryQuery (500 for a query the page does not describe) and makes it the one AppInventoryResults answers.</summary>
    public override ValueTask<CspResult> OnWritingAsync(CspWriteContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.RelativePath != AppManagement + "/AppInventoryQuery" || context.Kind == CspWriteKind.Delete)
        {
            return new(CspResult.Ok);
        }

        if (InventoryQuery.TryParse(context.NewValue, out var query) is not null)
        {
            return new(CspResult.Fail(StatusCodes.CommandFailed));
        }

        var previous = _query;
        _query = query;
        return new(CspResult.Success(() => _query = previous));
    }

    /// <summary>
    /// The XML AppInventoryResults answers for <paramref name="query"/>: &lt;Inventory&gt; with one &lt;Package&gt;
    /// per selected package; PackageNames gives its family and full names, PackageDetails every inventory attribute,
    /// RequiresReinstall that attribute (element and attribute names are our choice, docs/csps.md).
    /// </summary>
    public string Results(InventoryQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var builder = new StringBuilder("<Inventory>");
        foreach (var app in _profile.InstalledApps.Where(query.Selects))
        {
            builder.Append("<Package");
            Append("PackageFamilyName", app.PackageFamilyName);
            Append("PackageFullName", app.PackageFullName);
            if (query.Output.Contains("PackageDetails"))
            {
                Append("Origin", app.OriginNodeName);
                foreach (var name in s_details)
                {
                    Append(name, Attribute(app, name)!);
                }
            }

            if (query.Output.Contains("RequiresReinstall"))
            {
                Append("RequiresReinstall", "0");
            }

            builder.Append("/>");
        }

        return builder.Append("</Inventory>").ToString();

        void Append(string name, string value) =>
            builder.Append(' ').Append(name).Append("=\"").Append(System.Security.SecurityElement.Escape(value)).Append('"');
    }

    private static readonly string[] s_details =
        ["Name", "Version", "Publisher", "Architecture", "InstallLocation", "IsFramework", "IsBundle", "InstallDate", "ResourceID", "PackageStatus", "Users", "IsProvisioned"];

    private InstalledApp? Find(string origin, string family, string full) => _profile.InstalledApps.FirstOrDefault(app =>
        app.OriginNodeName == origin && app.PackageFamilyName == family && app.PackageFullName == full);

    // The package leaves (EnterpriseModernAppManagement CSP page, .../PackageFullName/...).
    private string? Attribute(InstalledApp app, string leaf) => leaf switch
    {
        "Name" => app.Name,
        "Version" => app.Version,
        "Publisher" => app.Publisher,
        "Architecture" => app.Architecture,
        "InstallLocation" => app.InstallLocation,
        "IsFramework" => app.IsFramework ? "1" : "0",
        "IsBundle" => "0",
        "InstallDate" => app.InstallDate.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        // The page: null (empty) for a main package, "~" for a bundle.
        "ResourceID" => "",
        // 0 = OK: usable.
        "PackageStatus" => "0",
        "RequiresReinstall" => "0",
        // The page: registered users and the install state (2 = Installed); the phone's one user.
        "Users" => _profile.SignedInUser is null ? "" : _profile.UserSid + ":2",
        // In-box packages are provisioned in the image.
        "IsProvisioned" => "1",
        _ => null,
    };
}

/// <summary>An AppInventoryQuery (EnterpriseModernAppManagement CSP page): what AppInventoryResults lists.</summary>
public sealed record InventoryQuery
{
    private static readonly string[] s_outputs = ["PackageNames", "PackageDetails", "RequiresReinstall"];
    private static readonly string[] s_sources = ["AppStore", "nonStore", "System"];
    private static readonly string[] s_types = ["Main", "Bundle", "Framework", "Resource", "XAP", "All"];

    /// <summary>The query in force before any Replace: the page's defaults (PackageNames, every source, Main|Bundle|Framework).</summary>
    public static InventoryQuery Default { get; } = new();

    /// <summary>Output values (PackageNames, PackageDetails, RequiresReinstall).</summary>
    public IReadOnlySet<string> Output { get; init; } = new HashSet<string>(StringComparer.Ordinal) { "PackageNames" };

    /// <summary>Sources selected (AppStore, nonStore, System).</summary>
    public IReadOnlySet<string> Source { get; init; } = new HashSet<string>(s_sources, StringComparer.Ordinal);

    /// <summary>Package types selected (Main, Bundle, Framework, Resource, XAP; All is every type).</summary>
    public IReadOnlySet<string> PackageTypes { get; init; } = new HashSet<string>(["Main", "Bundle", "Framework"], StringComparer.Ordinal);

    /// <summary>Only packages whose family name contains this text (any case), or null.</summary>
    public string? PackageFamilyName { get; init; }

    /// <summary>Only packages whose publisher contains this text (any case), or null.</summary>
    public string? Publisher { get; init; }

    /// <summary>True when the query lists <paramref name="app"/>.</summary>
    public bool Selects(InstalledApp app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var type = app.IsFramework ? "Framework" : "Main";
        return Source.Contains(app.OriginNodeName)
            && (PackageTypes.Contains("All") || PackageTypes.Contains(type))
            && (PackageFamilyName is null || app.PackageFamilyName.Contains(PackageFamilyName, StringComparison.OrdinalIgnoreCase))
            && (Publisher is null || app.Publisher.Contains(Publisher, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Parses &lt;Inventory .../&gt;; returns null and the query, or the problem (unknown attribute or value, not XML).</summary>
    public static string? TryParse(string? xml, out InventoryQuery query)
    {
        query = Default;
        if (string.IsNullOrWhiteSpace(xml) || xml.Length > 4096)
        {
            return "the query is empty or longer than 4096 characters";
        }

        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = 4096 };
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), settings);
            reader.MoveToContent();
            if (reader.LocalName != "Inventory" || reader.NamespaceURI.Length != 0)
            {
                return $"the query's element is <{reader.Name}>, not <Inventory>";
            }

            var result = Default;
            while (reader.MoveToNextAttribute())
            {
                var value = reader.Value;
                string? problem = null;
                result = reader.Name switch
                {
                    "Output" => result with { Output = Values(value, s_outputs, ref problem) },
                    "Source" => result with { Source = Values(value, s_sources, ref problem) },
                    "PackageTypeFilter" => result with { PackageTypes = Values(value, s_types, ref problem) },
                    "PackageFamilyName" => result with { PackageFamilyName = value },
                    "Publisher" => result with { Publisher = value },
                    var other => Fail(ref problem, $"unknown attribute {other}", result),
                };
                if (problem is not null)
                {
                    return problem;
                }
            }

            reader.MoveToElement();
            if (!reader.IsEmptyElement)
            {
                reader.Read();
                if (reader.MoveToContent() != XmlNodeType.EndElement)
                {
                    return "<Inventory> has content; the query is its attributes";
                }
            }

            while (reader.Read())
            {
                if (reader.NodeType is not (XmlNodeType.Whitespace or XmlNodeType.Comment))
                {
                    return "text after </Inventory>";
                }
            }

            query = result;
            return null;
        }
        catch (XmlException e)
        {
            return $"not XML: {e.Message}";
        }
    }

    private static InventoryQuery Fail(ref string? problem, string message, InventoryQuery result)
    {
        problem = message;
        return result;
    }

    // "Multiple values must be separated by |" (the page).
    private static HashSet<string> Values(string text, string[] allowed, ref string? problem)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var value in text.Split('|'))
        {
            if (!allowed.Contains(value, StringComparer.Ordinal))
            {
                problem = $"'{value}' is not one of {string.Join(", ", allowed)}";
                return set;
            }

            set.Add(value);
        }

        return set;
    }
}

namespace DeviceAgent.Dm;

/// <summary>
/// The DDF files that describe one OS release. "1703" and "1709" are Windows 10 Mobile releases (Creators Update,
/// build 15063; Fall Creators Update, build 15254), assembled from Microsoft's per-release downloads of the CSPs
/// Windows 10 Mobile has (<see cref="MobileCsps"/>): per CSP the newest file at or before the release, since a
/// download omits CSPs that did not change (docs/csp-coverage.md "Assembling a release"). CSPs the downloads do not
/// describe at all (the Policy CSP areas) come from the Feb 2025 DDF v2 files, filtered by MSFT:Applicability when a
/// schema is built for a device's build (docs/dm-tree.md).
/// </summary>
public sealed class DdfSet
{
    private const string Resource2025 = "Ddf/win-2025-02/";
    private const string ResourceGenerated = "Ddf/generated/";

    /// <summary>The per-release download folders, oldest first (embedded as "Ddf/win10-&lt;release&gt;/").</summary>
    private static readonly string[] s_releases = ["1607", "1703", "1709"];

    /// <summary>
    /// The CSPs (DDF root node names) that Windows 10 Mobile has, from the Mobile column of Microsoft's
    /// "Configuration service provider reference" CSP support table (docs/csp-coverage.md lists each with its row).
    /// Desktop-only CSPs of the downloads are not mounted: their nodes answer 404, as on a phone.
    /// </summary>
    public static IReadOnlySet<string> MobileCsps { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "ActiveSync", "AppLocker", "BitLocker", "CMPolicyEnterprise", "CertificateStore", "ClientCertificateInstall",
        "DMAcc", "DMClient", "DevDetail", "DevInfo", "DeviceManageability", "DeviceStatus", "DiagnosticLog",
        "DynamicManagement", "EMAIL2", "EnterpriseAPN", "EnterpriseAssignedAccess", "EnterpriseDataProtection",
        "EnterpriseExt", "EnterpriseExtFileSystem", "EnterpriseModernAppManagement", "eUICCs", "HealthAttestation",
        "Maps", "Messaging", "NetworkProxy", "NetworkQoSPolicy", "NodeCache", "PassportForWork", "Policy", "Reboot", "RemoteFind",
        "RemoteLock", "RemoteRing", "RemoteWipe", "Reporting", "RootCATrustedCertificates", "SUPL", "Storage",
        "TPMPolicy", "Update", "VPNv2", "WindowsLicensing",
    };

    private static readonly Lazy<DdfSet> s_lazy1703 = new(() => BuildMobile("1703"));
    private static readonly Lazy<DdfSet> s_lazy1709 = new(() => BuildMobile("1709"));
    private static readonly Lazy<DdfSet> s_lazy2025 = new(() => Build2025());

    /// <summary>A set named <paramref name="name"/>; <paramref name="allowedValuesSupplement"/> lends MSFT:AllowedValues to v1.2 files that lack them.</summary>
    public DdfSet(string name, IReadOnlyList<DdfDocument> documents, DdfSet? allowedValuesSupplement = null)
    {
        Name = name;
        Documents = documents;
        AllowedValuesSupplement = allowedValuesSupplement;
    }

    /// <summary>The set's name ("1703", "1709", "2025-02" ...), used as a cache key.</summary>
    public string Name { get; }

    /// <summary>The parsed DDF files of the set, one per CSP or management object.</summary>
    public IReadOnlyList<DdfDocument> Documents { get; }

    /// <summary>
    /// A newer set whose MSFT:AllowedValues apply to nodes of the same path that have none (DDF 1.2 files carry no
    /// allowed values; the ranges and enums they describe in prose are the DDF v2 ones, docs/dm-tree.md).
    /// </summary>
    public DdfSet? AllowedValuesSupplement { get; }

    /// <summary>Windows 10 Mobile 1703 (build 15063).</summary>
    public static DdfSet Windows10Mobile1703 => s_lazy1703.Value;

    /// <summary>Windows 10 Mobile 1709 (build 15254, the last feature release of Windows 10 Mobile).</summary>
    public static DdfSet Windows10Mobile1709 => s_lazy1709.Value;

    /// <summary>The Feb 2025 DDF v2 download (Windows 10 and 11).</summary>
    public static DdfSet Windows2025February => s_lazy2025.Value;

    /// <summary>The set named <paramref name="name"/>: "1703", "1709" or "2025-02".</summary>
    public static DdfSet ByName(string name) => name switch
    {
        "1703" => Windows10Mobile1703,
        "1709" => Windows10Mobile1709,
        "2025-02" => Windows2025February,
        _ => throw new ArgumentException($"unknown DDF set '{name}'; known sets are 1703, 1709 and 2025-02", nameof(name)),
    };

    /// <summary>
    /// The DDF set describing a build: the Windows 10 Mobile sets for 15063 (1703) and 15254 (1709); the 2025 set,
    /// filtered by its MSFT:Applicability, for every other build. The 1703 files carry no OS versions, so they cannot
    /// say that an older build (14393) lacks LockAndRecoverPIN or EnablePinRecovery (1703+, docs/reference/passportforwork.md §1 and 4).
    /// </summary>
    public static DdfSet ForOsBuild(OsBuild build) => build.Build switch
    {
        15063 => Windows10Mobile1703,
        15254 => Windows10Mobile1709,
        _ => Windows2025February,
    };

    /// <summary>The Mobile CSPs of <paramref name="release"/>: per CSP the newest embedded file at or before it.</summary>
    private static DdfSet BuildMobile(string release)
    {
        var newest = new Dictionary<string, DdfDocument>(StringComparer.Ordinal);
        foreach (var folder in s_releases.Take(Array.IndexOf(s_releases, release) + 1))
        {
            foreach (var document in LoadResources($"Ddf/win10-{folder}/"))
            {
                var csp = document.Roots[0].Node.Name;
                if (!MobileCsps.Contains(csp))
                {
                    throw new InvalidOperationException($"{document.Source}: CSP {csp} is not a Windows 10 Mobile CSP; only Mobile CSPs are embedded");
                }

                newest[csp] = WithRingExec(WithoutPlaceholderRoots(document));
            }
        }

        // The release's Policy CSP, generated from its PolicyDDF_all.xml (Ddf/generated/README.md): one release, not cumulative.
        foreach (var document in LoadResources($"{ResourceGenerated}win10-{release}/"))
        {
            newest[document.Roots[0].Node.Name] = document;
        }

        var documents = newest.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => pair.Value).ToList();

        // 2025 files whose CSP the release files do not describe at all.
        foreach (var document in LoadResources(Resource2025))
        {
            if (document.Roots.All(root => !newest.ContainsKey(CspName(root))))
            {
                documents.Add(document);
            }
        }

        return new DdfSet(release, documents, Windows2025February);
    }

    /// <summary>
    /// The document without top-level nodes that are no CSP: the 1703/1709 RemoteRing file ends with an empty Get-only
    /// node named "Root" at ./Device/Vendor/MSFT (RemoteRing is a ./User CSP, RemoteRing CSP page); a phone lists no
    /// such child, so it is not mounted (docs/csp-coverage.md "Quirks of the downloads").
    /// </summary>
    private static DdfDocument WithoutPlaceholderRoots(DdfDocument document)
    {
        var roots = document.Roots.Where(root => MobileCsps.Contains(root.Node.Name)).ToList();
        return roots.Count == document.Roots.Count ? document : new DdfDocument(document.Source, document.VerDtd, document.IsV2, roots);
    }

    /// <summary>The CSP a DDF root belongs to: the segment after MSFT in its path (a v2 Policy area file mounts at ./Device/Vendor/MSFT/Policy/Config), else the root node's name.</summary>
    private static string CspName(DdfRoot root)
    {
        var segments = root.Path.Split('/');
        var msft = Array.IndexOf(segments, "MSFT");
        return msft >= 0 && msft + 1 < segments.Length && segments[msft + 1].Length > 0 ? segments[msft + 1] : root.Node.Name;
    }

    /// <summary>
    /// RemoteRing/Ring: the 1703 DDF gives it AccessType Get while its own description ("The supported operation is
    /// Exec") and the RemoteRing CSP page say Exec; the phone allows both, so a server's Exec rings it and a Get still
    /// answers (docs/csp-coverage.md "Quirks of the downloads", docs/csps.md "RemoteRing").
    /// </summary>
    private static DdfDocument WithRingExec(DdfDocument document)
    {
        foreach (var root in document.Roots.Where(root => root.Node.Name == "RemoteRing"))
        {
            foreach (var ring in root.Node.Children.Where(child => child.Name == "Ring"))
            {
                ring.AccessType |= DdfAccessType.Exec;
            }
        }

        return document;
    }

    private static DdfSet Build2025() => new("2025-02", LoadResources(Resource2025));

    private static List<DdfDocument> LoadResources(string prefix)
    {
        var assembly = typeof(DdfSet).Assembly;
        var names = assembly.GetManifestResourceNames();
        Array.Sort(names, StringComparer.Ordinal);
        var documents = new List<DdfDocument>();
        foreach (var name in names)
        {
            // Microsoft's downloads spell the extension .xml or .XML.
            if (!name.StartsWith(prefix, StringComparison.Ordinal) || !name.EndsWith(".xml", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(name)
                ?? throw new InvalidOperationException($"embedded DDF '{name}' cannot be opened");
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            documents.Add(DdfLoader.Load(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), name));
        }

        if (documents.Count == 0)
        {
            throw new InvalidOperationException($"no embedded DDF files under '{prefix}'; check DeviceAgent.csproj EmbeddedResource");
        }

        return documents;
    }
}

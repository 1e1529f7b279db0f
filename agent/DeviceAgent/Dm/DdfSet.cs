namespace DeviceAgent.Dm;

/// <summary>
/// The DDF files that describe one OS release. "1703" (Windows 10 Mobile Creators Update, build 15063) is the 1703
/// download plus, for CSPs that download lacks, the Feb 2025 DDF v2 files (filtered by MSFT:Applicability when a
/// schema is built for a device's build; see docs/dm-tree.md).
/// </summary>
public sealed class DdfSet
{
    private const string Resource1703 = "Ddf/win10-1703/";
    private const string Resource2025 = "Ddf/win-2025-02/";

    private static readonly Lazy<DdfSet> Lazy1703 = new(() => Build1703());
    private static readonly Lazy<DdfSet> Lazy2025 = new(() => Build2025());

    /// <summary>A set named <paramref name="name"/>; <paramref name="allowedValuesSupplement"/> lends MSFT:AllowedValues to v1.2 files that lack them.</summary>
    public DdfSet(string name, IReadOnlyList<DdfDocument> documents, DdfSet? allowedValuesSupplement = null)
    {
        Name = name;
        Documents = documents;
        AllowedValuesSupplement = allowedValuesSupplement;
    }

    /// <summary>The set's name ("1703", "2025-02" ...), used as a cache key.</summary>
    public string Name { get; }

    /// <summary>The parsed DDF files of the set, one per CSP or management object.</summary>
    public IReadOnlyList<DdfDocument> Documents { get; }

    /// <summary>
    /// A newer set whose MSFT:AllowedValues apply to nodes of the same path that have none (DDF 1.2 files carry no
    /// allowed values; the ranges and enums they describe in prose are the DDF v2 ones, docs/dm-tree.md).
    /// </summary>
    public DdfSet? AllowedValuesSupplement { get; }

    /// <summary>Windows 10 1703 (build 15063): the 1703 DDF download, completed with 2025 files for CSPs it lacks.</summary>
    public static DdfSet Windows10_1703 => Lazy1703.Value;

    /// <summary>The Feb 2025 DDF v2 download (Windows 10 and 11).</summary>
    public static DdfSet Windows2025_02 => Lazy2025.Value;

    /// <summary>The set named <paramref name="name"/>: "1703" or "2025-02".</summary>
    public static DdfSet ByName(string name) => name switch
    {
        "1703" => Windows10_1703,
        "2025-02" => Windows2025_02,
        _ => throw new ArgumentException($"unknown DDF set '{name}'; known sets are 1703 and 2025-02", nameof(name)),
    };

    /// <summary>The DDF set Windows ships for <paramref name="build"/>: 1703 up to build 15063, 2025-02 after it.</summary>
    /// <summary>
    /// The DDF set describing a build: the 1703 download for Creators Update (15063) itself; the 2025 set, filtered by
    /// its MSFT:Applicability, for every other build. The 1703 files carry no OS versions, so they cannot say that an
    /// older build (14393) lacks LockAndRecoverPIN or EnablePinRecovery (1703+, docs/reference/passportforwork.md §1 and 4).
    /// </summary>
    public static DdfSet ForOsBuild(OsBuild build) => build.Build == 15063 ? Windows10_1703 : Windows2025_02;

    private static DdfSet Build1703()
    {
        var documents = LoadResources(Resource1703);
        var cspNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var document in documents)
        {
            foreach (var root in document.Roots)
            {
                cspNames.Add(root.Node.Name);
            }
        }

        // 2025 files whose CSP the 1703 download does not describe at all (the Policy CSP areas).
        foreach (var document in LoadResources(Resource2025))
        {
            var missing = true;
            foreach (var root in document.Roots)
            {
                missing &= !cspNames.Contains(root.Node.Name);
            }

            if (missing)
            {
                documents.Add(document);
            }
        }

        return new DdfSet("1703", documents, Windows2025_02);
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
            if (!name.StartsWith(prefix, StringComparison.Ordinal) || !name.EndsWith(".xml", StringComparison.Ordinal))
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

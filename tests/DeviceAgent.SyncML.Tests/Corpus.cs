namespace DeviceAgent.SyncML.Tests;

/// <summary>Locates the repository's SyncML corpus (tests/corpus/syncml, see its README) and lists its XML files.</summary>
internal static class Corpus
{
    private static readonly Lazy<string> s_directory = new(Locate);

    public static string Directory => s_directory.Value;

    /// <summary>Every *.xml file, as a path relative to the corpus directory (stable test names).</summary>
    public static IEnumerable<string> XmlFiles() =>
        System.IO.Directory.EnumerateFiles(Directory, "*.xml", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Directory, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);

    /// <summary>
    /// Files that must be rejected with the default options: the corpus marks deliberately broken files "MALFORMED" in
    /// their name, and undeclared namespace prefixes are malformed by our choice (docs/syncml.md).
    /// </summary>
    public static bool IsMalformed(string relativePath) =>
        relativePath.Contains("MALFORMED", StringComparison.Ordinal) || relativePath.Contains("undeclared_A_prefix", StringComparison.Ordinal);

    public static byte[] Read(string relativePath) => File.ReadAllBytes(Path.Combine(Directory, relativePath));

    private static string Locate()
    {
        string directory = RepoPaths.SyncMLCorpus;
        if (!System.IO.Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException("The SyncML corpus directory " + directory + " does not exist (it is part of the repository).");
        }

        return directory;
    }
}

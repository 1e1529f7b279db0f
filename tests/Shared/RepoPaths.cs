namespace DeviceAgent.Testing;

/// <summary>Folders of the repository the tests read.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Scenarios => Path.Combine(Root, "scenarios");

    /// <summary>The SyncML message corpus (tests/corpus/syncml; its README names each file's source and licence).</summary>
    public static string SyncMLCorpus => Path.Combine(Root, "tests", "corpus", "syncml");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DeviceAgent.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("DeviceAgent.sln not found above the test directory");
    }
}

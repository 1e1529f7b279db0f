namespace DeviceAgent.Testing;

/// <summary>Folders of the repository the tests read.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Scenarios => Path.Combine(Root, "scenarios");

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

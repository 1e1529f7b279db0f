using System.CommandLine;

namespace DeviceAgent.Emulator.Tests.Cli.Commands;

/// <summary>Runs `deviceagent` in-process with captured output, in a per-test temporary directory.</summary>
public abstract class CliTestBase
{
    /// <summary>The test's temporary directory, deleted after the test.</summary>
    protected string Temp { get; private set; } = "";

    [SetUp]
    public void CreateTempDirectory() => Temp = Directory.CreateTempSubdirectory("deviceagent-cli-").FullName;

    [TearDown]
    public void DeleteTempDirectory() => Directory.Delete(Temp, recursive: true);

    protected static (int Exit, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = DeviceAgent.Cli.Program.CreateRootCommand().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    protected string WriteFile(string name, string content)
    {
        string path = Path.Combine(Temp, name);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>The repository's SyncML corpus (tests/corpus/syncml; its README names each file's source).</summary>
    /// <summary>Writes a device spec file into the test's temporary folder and returns its path.</summary>
    internal string WriteSpecFile(string yaml) => WriteFile("phone-spec.yaml", yaml);

    protected static string CorpusDirectory() => RepoPaths.SyncMLCorpus;

    /// <summary>A file of the repository's SyncML corpus.</summary>
    protected static string CorpusFile(string relative) => Path.Combine(CorpusDirectory(), relative);
}

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

    /// <summary>shared/corpus/syncml beside the repository (CI clones the repo with shared/ next to it).</summary>
    protected static string CorpusDirectory()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared", "corpus", "syncml");
            if (Directory.Exists(candidate)) return candidate;
        }

        throw new DirectoryNotFoundException("shared/corpus/syncml was not found in any ancestor of " + TestContext.CurrentContext.TestDirectory);
    }

    protected static string CorpusFile(string relative) => Path.Combine(CorpusDirectory(), relative);
}

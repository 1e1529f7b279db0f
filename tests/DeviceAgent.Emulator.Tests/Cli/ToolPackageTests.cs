using System.Diagnostics;
using System.Reflection;
using System.Text;
using DeviceAgent.Cli.Commands;

namespace DeviceAgent.Emulator.Tests.Cli;

/// <summary>
/// Issue 19 item 1: the CLI packs as the .NET tool "DeviceAgent" and, installed from the packed folder, gives a working
/// `deviceagent`. Offline: the install reads a NuGet config whose only source is the temporary folder.
/// </summary>
[NonParallelizable]
public class ToolPackageTests
{
    private static readonly Assembly s_cli = typeof(FleetCommands).Assembly;

    [Test]
    [CancelAfter(300_000)]
    public async Task The_packed_tool_installs_from_a_local_folder_and_runs(CancellationToken cancellationToken)
    {
        var dir = Directory.CreateTempSubdirectory("deviceagent-tool-");
        try
        {
            var packages = Directory.CreateDirectory(Path.Combine(dir.FullName, "packages")).FullName;
            var tools = Path.Combine(dir.FullName, "tools");
            var config = Path.Combine(dir.FullName, "nuget.config");
            File.WriteAllText(config, $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <clear />
                    <add key="local" value="{packages}" />
                  </packageSources>
                </configuration>
                """);
            var version = s_cli.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
            var packageVersion = version.Split('+')[0];
            var configuration = s_cli.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
            var project = Path.Combine(RepoPaths.Root, "emulator", "DeviceAgent.Cli", "DeviceAgent.Cli.csproj");

            // --no-build: the tests' own build of the CLI is what gets packed.
            var (packExit, packOutput) = await RunAsync(Dotnet, dir.FullName, cancellationToken,
                "pack", project, "--no-build", "-c", configuration, "-o", packages, "-nodeReuse:false");
            Assert.That(packExit, Is.Zero, packOutput);
            Assert.That(File.Exists(Path.Combine(packages, $"DeviceAgent.{packageVersion}.nupkg")), packOutput);

            var (installExit, installOutput) = await RunAsync(Dotnet, dir.FullName, cancellationToken,
                "tool", "install", "--tool-path", tools, "DeviceAgent", "--version", packageVersion, "--configfile", config);
            Assert.That(installExit, Is.Zero, installOutput);

            var deviceagent = Path.Combine(tools, OperatingSystem.IsWindows() ? "deviceagent.exe" : "deviceagent");
            var (versionExit, versionOutput) = await RunAsync(deviceagent, dir.FullName, cancellationToken, "--version");
            Assert.That(versionExit, Is.Zero, versionOutput);
            Assert.That(versionOutput.Trim(), Is.EqualTo(version));

            var corpusFile = Path.Combine(RepoPaths.SyncMLCorpus, "ms-learn-docs", "remotelock_sequence_lockandresetpin_get_newpin_fragment.xml");
            var (checkExit, checkOutput) = await RunAsync(deviceagent, dir.FullName, cancellationToken, "syncml", "check", corpusFile);
            Assert.That(checkExit, Is.Zero, checkOutput);
            Assert.That(checkOutput.Trim(), Is.EqualTo($"{corpusFile}: OK"));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    // The SDK the tests run under (set by `dotnet test`), else the one on PATH.
    private static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    private static async Task<(int Exit, string Output)> RunAsync(string fileName, string workingDirectory, CancellationToken cancellationToken, params string[] args)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // A folder without project files: `dotnet tool install` otherwise looks for a project where it runs.
            WorkingDirectory = workingDirectory,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(info)!;
        var output = new StringBuilder();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        output.Append(await stdout).Append(await stderr);
        return (process.ExitCode, output.ToString());
    }
}

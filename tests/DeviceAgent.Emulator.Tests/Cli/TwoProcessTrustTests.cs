using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using DeviceAgent.Cli.Commands;

namespace DeviceAgent.Emulator.Tests.Cli;

/// <summary>
/// The done-when of issue 14 item 1, with two real processes: `deviceagent mdm serve` over https in one, `mdm root` then
/// `fleet --trust-root` in another (docs/emulator.md "Trust").
/// </summary>
[NonParallelizable]
public partial class TwoProcessTrustTests
{
    private static readonly string s_cliDll = typeof(FleetCommands).Assembly.Location;

    [Test]
    [CancelAfter(300_000)]
    public async Task A_fleet_in_another_process_trusts_the_mock_servers_root_from_mdm_root_and_finishes_without_errors(CancellationToken cancellationToken)
    {
        var dir = Directory.CreateTempSubdirectory("deviceagent-trust-");
        try
        {
            var db = Path.Combine(dir.FullName, "mdm.db");
            var rootPem = Path.Combine(dir.FullName, "root.pem");
            using var server = Start("mdm", "serve", "--urls", "https://127.0.0.1:0", "--db", db);
            var serverOutput = new StringBuilder();
            var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            server.OutputDataReceived += (_, e) =>
            {
                lock (serverOutput)
                {
                    serverOutput.AppendLine(e.Data);
                }

                if (e.Data is not null && ListeningLine().Match(e.Data) is { Success: true } match)
                {
                    listening.TrySetResult(match.Groups[1].Value);
                }
            };
            server.ErrorDataReceived += (_, e) =>
            {
                lock (serverOutput)
                {
                    serverOutput.AppendLine(e.Data);
                }
            };
            server.BeginOutputReadLine();
            server.BeginErrorReadLine();
            try
            {
                var url = await listening.Task.WaitAsync(TimeSpan.FromSeconds(90), cancellationToken);

                var (rootExit, rootOutput) = await RunAsync(cancellationToken, "mdm", "root", "--db", db, "--out", rootPem);
                Assert.That(rootExit, Is.Zero, rootOutput);
                Assert.That(File.ReadAllText(rootPem), Does.StartWith("-----BEGIN CERTIFICATE-----"));

                var (exit, output) = await RunAsync(cancellationToken, "fleet", "--server", url, "--trust-root", rootPem, "--devices", "20");

                Assert.That(exit, Is.Zero, output);
                Assert.That(output, Does.Match(@"devices\s+20/20 finished"));
                Assert.That(output, Does.Match(@"actions done\s+20"));
                Assert.That(output, Does.Match(@"errors\s+0\n"));
                Assert.That(output, Does.Match(@"server certificates\s+system store \+ 1 trusted root"));

                // The same server without its root: the system store does not know the mock's CA, so nothing enrolls.
                var (untrustedExit, untrustedOutput) = await RunAsync(cancellationToken, "fleet", "--server", url, "--devices", "1", "--action", "enroll");
                Assert.That(untrustedExit, Is.EqualTo(1), untrustedOutput);
                Assert.That(untrustedOutput, Does.Contain("SSL"));
            }
            finally
            {
                server.Kill(entireProcessTree: true);
                await server.WaitForExitAsync(CancellationToken.None);
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    internal static Process Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(s_cliDll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["CI"] = "true";
        return Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
    }

    internal static async Task<(int Exit, string Output)> RunAsync(CancellationToken cancellationToken, params string[] args)
    {
        using var process = Start(args);
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

        return (process.ExitCode, await stdout + await stderr);
    }

    [GeneratedRegex(@"mock MDM listening on (https://\S+)")]
    private static partial Regex ListeningLine();
}

using System.Text.RegularExpressions;

namespace DeviceAgent.Emulator.Tests.Cli;

/// <summary>
/// Issue 14 item 4 with two real processes: `deviceagent pinreset serve` over https in one (its self-signed certificate
/// written with --certificate-out), a fleet whose phones call it with --pin-reset-service and trust it with --trust-root
/// in another (docs/pin-reset.md "Running the service alone").
/// </summary>
[NonParallelizable]
public partial class TwoProcessPinResetTests
{
    [Test]
    [CancelAfter(300_000)]
    public async Task A_fleet_recovers_pins_through_a_pin_reset_service_in_another_process_over_https(CancellationToken cancellationToken)
    {
        var dir = Directory.CreateTempSubdirectory("deviceagent-pinreset-");
        try
        {
            var certificate = Path.Combine(dir.FullName, "pinreset.pem");
            using var service = StartService(certificate, out var listening);
            try
            {
                var url = await listening.WaitAsync(TimeSpan.FromSeconds(90), cancellationToken);
                Assert.That(File.ReadAllText(certificate), Does.StartWith("-----BEGIN CERTIFICATE-----"));

                var (exit, output) = await TwoProcessTrustTests.RunAsync(cancellationToken,
                    "fleet", "--pin-reset-service", url, "--trust-root", certificate, "--devices", "3", "--concurrency", "3");

                Assert.That(exit, Is.Zero, output);
                Assert.That(output, Does.Match(@"actions done\s+3"));
                Assert.That(output, Does.Match(@"errors\s+0\n"));

                // Without its certificate the service is not trusted: one sentence naming the TLS failure, exit 1.
                var (untrustedExit, untrustedOutput) = await TwoProcessTrustTests.RunAsync(cancellationToken,
                    "fleet", "--pin-reset-service", url, "--devices", "1");
                Assert.That(untrustedExit, Is.EqualTo(1), untrustedOutput);
                Assert.That(untrustedOutput, Does.Contain($"fleet: PIN reset service {url}/").And.Contain("SSL"));
                Assert.That(untrustedOutput, Does.Not.Match(@"\n\s+at \S+\("), "no stack trace");
            }
            finally
            {
                service.Kill(entireProcessTree: true);
                await service.WaitForExitAsync(CancellationToken.None);
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>
    /// Issue 14's seed flow with the service in its own process: New passcode on 6- and 7-character policies and Reset
    /// passcode on a personal phone, as scenario files run by `scenario run` in a second process whose phones and
    /// consent steps reach the service over https (docs/pin-reset.md "Running the service alone").
    /// </summary>
    [Test]
    [CancelAfter(300_000)]
    public async Task The_seed_scenarios_pass_with_the_pin_reset_service_in_its_own_process(CancellationToken cancellationToken)
    {
        var dir = Directory.CreateTempSubdirectory("deviceagent-pinreset-");
        try
        {
            var certificate = Path.Combine(dir.FullName, "pinreset.pem");
            using var service = StartService(certificate, out var listening);
            try
            {
                var url = await listening.WaitAsync(TimeSpan.FromSeconds(90), cancellationToken);
                string[] scenarios = ["pin-reset-aadj-recover-min6.yaml", "pin-reset-aadj-recover-min7.yaml", "pin-reset-wpj-reset-min7.yaml"];
                var (exit, output) = await TwoProcessTrustTests.RunAsync(cancellationToken,
                    ["scenario", "run", .. scenarios.Select(name => Path.Combine(DeviceAgent.Testing.RepoPaths.Scenarios, name)),
                     "--pin-reset-service", url, "--trust-root", certificate]);

                Assert.That(exit, Is.Zero, output);
                foreach (var name in scenarios)
                {
                    Assert.That(output, Does.Contain(name), output);
                }

                // The scenarios' phones really used the other process: stopping it makes New passcode fail for want of it.
                service.Kill(entireProcessTree: true);
                await service.WaitForExitAsync(cancellationToken);
                var (deadExit, deadOutput) = await TwoProcessTrustTests.RunAsync(cancellationToken,
                    "scenario", "run", Path.Combine(DeviceAgent.Testing.RepoPaths.Scenarios, scenarios[0]), "--pin-reset-service", url, "--trust-root", certificate);
                Assert.That(deadExit, Is.Not.Zero, deadOutput);
            }
            finally
            {
                if (!service.HasExited)
                {
                    service.Kill(entireProcessTree: true);
                }

                await service.WaitForExitAsync(CancellationToken.None);
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    // `deviceagent pinreset serve` on a free https port, its self-signed certificate written to <paramref name="certificate"/>;
    // <paramref name="listening"/> completes with the URL the service prints once it listens.
    private static System.Diagnostics.Process StartService(string certificate, out Task<string> listening)
    {
        var service = TwoProcessTrustTests.Start("pinreset", "serve", "--urls", "https://127.0.0.1:0", "--certificate-out", certificate);
        var url = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        service.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null && ListeningLine().Match(e.Data) is { Success: true } match)
            {
                url.TrySetResult(match.Groups[1].Value);
            }
        };
        service.BeginOutputReadLine();
        service.BeginErrorReadLine();
        listening = url.Task;
        return service;
    }

    [GeneratedRegex(@"PIN reset service listening on (https://\S+)")]
    private static partial Regex ListeningLine();
}

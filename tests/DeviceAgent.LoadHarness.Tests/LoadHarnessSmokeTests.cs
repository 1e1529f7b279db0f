using System.Diagnostics;
using System.Text.Json;

namespace DeviceAgent.LoadHarness.Tests;

/// <summary>
/// Runs the load harness as CI would (its own process, MockMdm and the baseline in theirs) with 20 devices for a few
/// seconds: every enrollment, session and New passcode round must succeed and the report must be complete. Speed is
/// not asserted here (benchmarks/README.md).
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class LoadHarnessSmokeTests
{
    [Test]
    public async Task TwentyDevicesRunWithoutErrorsAndReportEveryFigure()
    {
        var harness = typeof(LoadRun).Assembly.Location;
        var json = Path.Combine(Path.GetTempPath(), $"loadharness-{Guid.NewGuid():N}.json");
        try
        {
            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in new[] { harness, "--devices", "20", "--concurrency", "8", "--rounds", "3", "--passcode-every", "3",
                         "--duration", "60", "--enroll-limit", "240", "--baseline", "2", "--json", json })
            {
                info.ArgumentList.Add(arg);
            }

            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using (var limit = new CancellationTokenSource(TimeSpan.FromMinutes(8)))
            {
                try
                {
                    await process.WaitForExitAsync(limit.Token);
                }
                catch (OperationCanceledException)
                {
                    process.Kill(entireProcessTree: true);
                    Assert.Fail("the load harness did not finish within 8 minutes: " + await stdout);
                }
            }

            var output = await stdout + await stderr;
            Assert.That(process.ExitCode, Is.Zero, output);
            Assert.That(output, Does.Contain("result: OK (0 errors)"));
            using var report = JsonDocument.Parse(File.ReadAllText(json));
            var root = report.RootElement;
            Assert.Multiple(() =>
            {
                Assert.That(root.GetProperty("Devices").GetInt32(), Is.EqualTo(20));
                Assert.That(root.GetProperty("Enrolled").GetInt32(), Is.EqualTo(20));
                Assert.That(root.GetProperty("Sessions").GetInt32(), Is.EqualTo(60), "3 rounds of 20 devices");
                Assert.That(root.GetProperty("PasscodeRounds").GetInt32(), Is.EqualTo(20), "every third round is New passcode");
                Assert.That(root.GetProperty("EnrollErrors").GetInt32() + root.GetProperty("SessionErrors").GetInt32() + root.GetProperty("BaselineErrors").GetInt32(), Is.Zero);
                Assert.That(root.GetProperty("DmRequestsPerSession").GetDouble(), Is.GreaterThanOrEqualTo(2), "package 1 and the answer to the command");
                foreach (var name in new[] { "SessionsPerSecond", "LatencyP50Ms", "LatencyP99Ms", "BaselineRequestsPerSecond", "IdleBytesPerDevice", "ServerPeakBytes", "EmulatorPeakBytes", "ServerCpuSeconds" })
                {
                    Assert.That(root.GetProperty(name).GetDouble(), Is.GreaterThan(0), name);
                }

                Assert.That(root.GetProperty("LatencyP99Ms").GetDouble(), Is.GreaterThanOrEqualTo(root.GetProperty("LatencyP50Ms").GetDouble()));
            });
        }
        finally
        {
            File.Delete(json);
        }
    }
}

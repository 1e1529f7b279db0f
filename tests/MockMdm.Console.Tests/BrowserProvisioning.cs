using System.Diagnostics;

namespace MockMdm.Console.Tests;

/// <summary>
/// Once per test run, before any browser test: when Debian's Chromium is missing, runs the repository's
/// scripts/install-prerequisites.sh (as README.md says) and fails every browser test with the script's output if
/// there is still no browser. The tests never pass or skip without one.
/// </summary>
[SetUpFixture]
public sealed class BrowserProvisioning
{
    private static readonly TimeSpan s_installTimeout = TimeSpan.FromMinutes(10);

    [OneTimeSetUp]
    public void EnsureChromium()
    {
        if (File.Exists(Browser.ChromiumPath))
        {
            return;
        }

        string script = Path.Combine(RepoPaths.Root, "scripts", "install-prerequisites.sh");
        var start = new ProcessStartInfo("bash")
        {
            ArgumentList = { script },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        TestContext.Progress.WriteLine($"{Browser.ChromiumPath} is missing; running {script} once for the browser tests.");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start bash to run " + script);
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(s_installTimeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{script} did not finish within {s_installTimeout.TotalMinutes} minutes; {Browser.ChromiumPath} is still missing.");
        }

        process.WaitForExit();
        if (!File.Exists(Browser.ChromiumPath))
        {
            string said = $"{output.Result.Trim()} {error.Result.Trim()}".Trim();
            Assert.Fail(
                $"{Browser.ChromiumPath} is missing and {script} (exit code {process.ExitCode}) did not install it. " +
                $"The console's browser tests need Debian's chromium: run the script as root. Script output: " +
                (said.Length == 0 ? "(none)" : said));
        }
    }
}

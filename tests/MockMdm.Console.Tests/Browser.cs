using Microsoft.Playwright;

namespace MockMdm.Console.Tests;

/// <summary>Debian's headless Chromium driven by Playwright; no browser is ever downloaded.</summary>
internal static class Browser
{
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>Launches Chromium, or fails the test saying how to install it (never a silent pass).</summary>
    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            Assert.Fail($"{ChromiumPath} is missing: the console's browser tests need Debian's chromium. BrowserProvisioning runs scripts/install-prerequisites.sh once when it is missing; run it as root.");
        }

        var playwright = await Playwright.CreateAsync().ConfigureAwait(false);
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
            ],
        }).ConfigureAwait(false);
        return (playwright, browser);
    }
}

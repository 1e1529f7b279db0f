using Microsoft.Playwright;

namespace MockMdm.Console.Tests;

/// <summary>One server and one browser page per test; screenshots go to docs/console when MOCKMDM_CONSOLE_SCREENSHOTS names a folder.</summary>
public abstract class ConsoleTestBase
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private IBrowserContext? _context;

    internal ConsoleServer Server { get; private set; } = null!;
    internal HttpClient Http { get; private set; } = null!;
    protected IPage Page { get; private set; } = null!;

    [SetUp]
    public async Task StartAsync()
    {
        (_playwright, _browser) = await Browser.LaunchAsync();
        Server = await ConsoleServer.StartAsync();
        Http = new HttpClient { BaseAddress = Server.BaseAddress };
        _context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Server.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
        });
        _context.SetDefaultTimeout(15_000);
        Page = await _context.NewPageAsync();
        Assertions.SetDefaultExpectTimeout(15_000);
    }

    [TearDown]
    public async Task StopAsync()
    {
        if (_context is not null)
        {
            await _context.CloseAsync();
        }

        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
        Http?.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }

    protected async Task SignInAsync(string key = ConsoleServer.ApiKey)
    {
        await Page.GotoAsync("/console/");
        await Page.GetByLabel("API key").FillAsync(key);
        await Page.GetByLabel("API key").PressAsync("Enter");
    }

    protected async Task ScreenshotAsync(string name)
    {
        var folder = Environment.GetEnvironmentVariable("MOCKMDM_CONSOLE_SCREENSHOTS")
                     ?? Path.Combine(TestContext.CurrentContext.WorkDirectory, "console-screenshots");
        Directory.CreateDirectory(folder);
        await Page.EvalOnSelectorAsync("#toast", "el => el.textContent = ''");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }
}

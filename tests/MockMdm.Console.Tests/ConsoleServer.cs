using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace MockMdm.Console.Tests;

/// <summary>A MockMdm server on real Kestrel at 127.0.0.1 with an ephemeral port, in memory, on a manual clock.</summary>
internal sealed class ConsoleServer : IAsyncDisposable
{
    public const string ApiKey = "console-test-key";

    private ConsoleServer(WebApplication app, ManualTimeProvider clock, Uri baseAddress)
    {
        App = app;
        Clock = clock;
        BaseAddress = baseAddress;
    }

    public WebApplication App { get; }
    public ManualTimeProvider Clock { get; }

    /// <summary>http://127.0.0.1:port/</summary>
    public Uri BaseAddress { get; }

    public static async Task<ConsoleServer> StartAsync()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
        var options = new MockMdmOptions
        {
            DatabasePath = null,
            ApiKey = ApiKey,
            TimeProvider = clock,
            PlainHttp = true,
            Seed = 7,
        };
        options.Urls.Add("http://127.0.0.1:0");
        var app = MockMdmServer.Build(options, builder => builder.Logging.SetMinimumLevel(LogLevel.Warning));
        await app.StartAsync().ConfigureAwait(false);
        var address = new Uri(app.Urls.Single().Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal) + "/");
        return new ConsoleServer(app, clock, address);
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync().ConfigureAwait(false);
        await App.DisposeAsync().ConfigureAwait(false);
    }
}

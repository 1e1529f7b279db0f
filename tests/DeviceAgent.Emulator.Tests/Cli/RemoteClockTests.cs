using DeviceAgent.Cli.Commands;
using DeviceAgent.Emulator.Scenarios;
using DeviceAgent.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using MockMdm;
using MockMdm.Store;

namespace DeviceAgent.Emulator.Tests.Cli;

/// <summary>
/// advance-time against a running server (issue 14 item 4): a mock MDM started with clock control lets scenario run
/// move its clock through /api/testing/clock; one without it refuses the step before start (docs/scenarios.md).
/// </summary>
[NonParallelizable]
public sealed class RemoteClockTests
{
    private static async Task<WebApplication> StartAsync(bool clockControl)
    {
        var options = new MockMdmOptions { Store = new InMemoryMdmStore(), PushEnabled = false, ClockControl = clockControl };
        options.Urls.Add("http://127.0.0.1:0");
        var app = MockMdmServer.Build(options, builder => builder.Logging.ClearProviders());
        await app.StartAsync();
        return app;
    }

    private static readonly FileInfo s_expiry = new(Path.Combine(RepoPaths.Scenarios, "passcode-expiry.yaml"));

    [Test]
    [CancelAfter(180_000)]
    public async Task Passcode_expiry_runs_against_a_server_that_lets_the_run_move_its_clock(CancellationToken cancellationToken)
    {
        await using var server = await StartAsync(clockControl: true);
        var output = new StringWriter();

        var exit = await ScenarioCommands.RunAsync([s_expiry], new ScenarioExecutionOptions { ServerUrl = new Uri(server.Urls.First()) },
            null, output, new StringWriter(), cancellationToken);

        Assert.That(exit, Is.Zero, output.ToString());
        Assert.That(output.ToString(), Does.Contain("clock control: yes").And.Contain("1 passed, 0 failed"));
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task Without_clock_control_advance_time_is_refused_before_start(CancellationToken cancellationToken)
    {
        await using var server = await StartAsync(clockControl: false);
        var error = new StringWriter();

        var exit = await ScenarioCommands.RunAsync([s_expiry], new ScenarioExecutionOptions { ServerUrl = new Uri(server.Urls.First()) },
            null, new StringWriter(), error, cancellationToken);

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error.ToString(), Does.Contain("refused before start: 2 step(s)").And.Contain("advance-time moves the clock"));
    }
}

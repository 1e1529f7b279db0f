using DeviceAgent.Cli.Commands;
using DeviceAgent.Emulator.Demo;

namespace DeviceAgent.Emulator.Tests.Cli;

public class DemoCommandTests
{
    [Test]
    public async Task The_demo_tells_the_whole_story_and_exits_zero()
    {
        var output = new StringWriter();

        var exit = await DemoCommands.RunAsync(new DemoOptions { Seed = 7, Pbkdf2Iterations = 10 }, new PlainNarrator(output), CancellationToken.None);

        var text = output.ToString();
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.Zero, text);
            Assert.That(text, Does.Contain("(devices authenticate with mutual TLS)"));
            Assert.That(text, Does.Contain("[ok] Console: New Passcode Pending"));
            Assert.That(text, Does.Contain("[ok] Console: New Passcode Done"));
            Assert.That(text, Does.Contain("Windows Hello keys intact"));
            Assert.That(text, Does.Contain("[ok] Console: New Passcode Failed"));
            Assert.That(text, Does.Match(@"> \S+Z \S+ RecoverPin InvalidPinTooFewCharacters user=carol@contoso.com"));
            Assert.That(text, Does.Contain("[ok] Console: Reset Passcode Done"));
            Assert.That(text, Does.Contain("Windows Hello keys deleted"));
            Assert.That(text, Does.Contain("[ok] The story went as expected."));
            Assert.That(text, Does.Not.Contain("[FAILED]"));
        });
    }

    [Test]
    public async Task Verbose_shows_the_SyncML_of_the_reset()
    {
        var output = new StringWriter();

        var exit = await DemoCommands.RunAsync(new DemoOptions { Seed = 8, Pbkdf2Iterations = 10, Verbose = true, Host = DeviceAgent.Emulator.Server.EmbeddedHost.TestServer }, new PlainNarrator(output), CancellationToken.None);

        Assert.That(exit, Is.Zero);
        Assert.That(output.ToString(), Does.Contain("<LocURI>./Vendor/MSFT/RemoteLock/LockAndRecoverPIN</LocURI>"));
        Assert.That(output.ToString(), Does.Contain("S->D"));
    }
}

public class FleetCommandTests
{
    [Test]
    public async Task A_small_fleet_prints_plain_progress_and_the_summary_and_exits_zero()
    {
        var output = new StringWriter();

        var exit = await FleetCommands.RunAsync(new DeviceAgent.Emulator.Fleet.FleetOptions { Devices = 3, Concurrency = 2, Seed = 4 },
            DeviceAgent.Emulator.Fleet.FleetAction.NewPasscode, null, "unused", live: false, output, new StringWriter(), CancellationToken.None,
            DeviceAgent.Emulator.Server.EmbeddedHost.TestServer);

        var text = output.ToString();
        Assert.That(exit, Is.Zero, text);
        Assert.That(text, Does.Contain("fleet: 3/3 done, 3 enrolled, 6 sessions, 3 actions done, 0 failed, 0 errors"));
        Assert.That(text, Does.Match(@"actions done\s+3"));
        Assert.That(text, Does.Match(@"errors\s+0"));
    }

    [Test]
    public async Task A_fleet_and_a_scenario_run_against_a_running_server_given_by_url()
    {
        // A separate server reached only by its URL (plain HTTP on Kestrel), as `deviceagent mdm serve` runs it.
        await using var server = await DeviceAgent.Emulator.Server.EmbeddedMdm.StartAsync(new DeviceAgent.Emulator.Server.EmbeddedMdmOptions { Tls = false });
        var output = new StringWriter();

        var exit = await FleetCommands.RunAsync(new DeviceAgent.Emulator.Fleet.FleetOptions { Devices = 2, Concurrency = 2, Seed = 5 },
            DeviceAgent.Emulator.Fleet.FleetAction.NewPasscode, server.BaseUrl, server.ApiKey, live: false, output, new StringWriter(), CancellationToken.None);

        Assert.That(exit, Is.Zero, output.ToString());
        Assert.That(output.ToString(), Does.Contain("2 enrolled").And.Contain("2 actions done, 0 failed, 0 errors"));

        // A scenario expects a server of its own (its seeded tenant must not exist yet), as after a fresh `mdm serve`.
        await using var scenarioServer = await DeviceAgent.Emulator.Server.EmbeddedMdm.StartAsync(new DeviceAgent.Emulator.Server.EmbeddedMdmOptions { Tls = false });
        var scenario = new FileInfo(Path.Combine(DeviceAgent.Testing.RepoPaths.Scenarios, "pin-reset-aadj-recover-min6.yaml"));
        var scenarioOutput = new StringWriter();
        var scenarioExit = await ScenarioCommands.RunAsync([scenario],
            new DeviceAgent.Emulator.Scenarios.ScenarioExecutionOptions { ServerUrl = scenarioServer.BaseUrl, ApiKey = scenarioServer.ApiKey },
            null, scenarioOutput, new StringWriter(), CancellationToken.None);

        Assert.That(scenarioExit, Is.Zero, scenarioOutput.ToString());
        Assert.That(scenarioOutput.ToString(), Does.Contain("1 passed, 0 failed"));
    }

    [Test]
    public async Task A_bad_option_is_exit_code_2()
    {
        var error = new StringWriter();
        var exit = await FleetCommands.RunAsync(new DeviceAgent.Emulator.Fleet.FleetOptions { Devices = 0 }, DeviceAgent.Emulator.Fleet.FleetAction.Enroll,
            null, "unused", live: false, new StringWriter(), error, CancellationToken.None);
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error.ToString(), Is.EqualTo($"a fleet has at least one device (Parameter 'Devices'){Environment.NewLine}Actual value was 0.{Environment.NewLine}"));
    }
}

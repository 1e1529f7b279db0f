using DeviceAgent.Cli.Commands;
using DeviceAgent.Emulator.Devices;
using DeviceAgent.Emulator.Fleet;
using DeviceAgent.Emulator.Scenarios;
using DeviceAgent.Emulator.Traces;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MockMdm;
using MockMdm.Store;

namespace DeviceAgent.Emulator.Tests.Cli;

/// <summary>
/// Issue 14 item 5: `fleet` and `scenario run` against a server that offers MS-MDE2 and OMA-DM but nothing of this
/// project's mock (no /api, no hosted PIN reset service, no consent pages). The server is the mock's enrollment and
/// OMA-DM endpoints behind a filter that answers 404 to every other path, as a third-party server would; it listens
/// on Kestrel on 127.0.0.1 (plain HTTP), reached only by its URL (docs/emulator.md "Servers without the mock's API").
/// </summary>
[NonParallelizable]
public sealed class ServerWithoutApiTests
{
    private WebApplication? _server;
    private Uri _url = null!;
    private DirectoryInfo _dir = null!;

    [OneTimeSetUp]
    public async Task StartServerAsync()
    {
        var options = new MockMdmOptions { Store = new InMemoryMdmStore(), PushEnabled = false, Seed = 3 };
        options.Urls.Add("http://127.0.0.1:0");
        _server = MockMdmServer.Build(options, builder =>
        {
            builder.Logging.ClearProviders();
            builder.Services.AddSingleton<IStartupFilter>(new OnlyEnrollmentAndOmaDm());
        });
        await _server.StartAsync();
        _url = new Uri(_server.Urls.First().TrimEnd('/') + "/");
    }

    [OneTimeTearDown]
    public async Task StopServerAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [SetUp]
    public void CreateFolder() => _dir = Directory.CreateTempSubdirectory("deviceagent-noapi-");

    [TearDown]
    public void DeleteFolder() => _dir.Delete(recursive: true);

    private static void AssertNoStackTrace(string text) =>
        Assert.That(text, Does.Not.Match(@"\n\s+at \S+\(").And.Not.Contain("Exception:"), "a sentence, not a stack trace");

    [Test]
    [CancelAfter(120_000)]
    public async Task The_default_fleet_action_is_refused_before_any_device_starts_with_a_sentence(CancellationToken cancellationToken)
    {
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = await FleetCommands.RunAsync(new FleetOptions { Devices = 2, Seed = 4 }, FleetAction.NewPasscode, _url, "any-key", live: false,
            output, error, cancellationToken, artifactsDirectory: _dir.FullName);

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error.ToString(), Does.StartWith("fleet: refused before start: --action new-passcode consents the PIN reset applications")
            .And.Contain($"and {_url} offers none; run --action enroll against this server."));
        Assert.That(output.ToString(), Does.Contain("admin API: no; hosted PIN reset service: no"));
        Assert.That(output.ToString(), Does.Not.Contain("enrolled"), "no device started");
        Assert.That(_dir.GetFileSystemInfos(), Is.Empty);
        AssertNoStackTrace(output + error.ToString());
    }

    [Test]
    [CancelAfter(180_000)]
    public async Task An_enroll_fleet_runs_and_saves_every_devices_trace_and_event_log(CancellationToken cancellationToken)
    {
        var output = new StringWriter();

        var exit = await FleetCommands.RunAsync(new FleetOptions { Devices = 3, Concurrency = 3, Seed = 4 }, FleetAction.Enroll, _url, "any-key", live: false,
            output, new StringWriter(), cancellationToken, artifactsDirectory: _dir.FullName);

        Assert.That(exit, Is.Zero, output.ToString());
        Assert.That(output.ToString(), Does.Contain("fleet: 3/3 done, 3 enrolled, 3 sessions"));
        foreach (var device in new[] { "device-0001", "device-0002", "device-0003" })
        {
            var trace = SyncMLTrace.Read(File.ReadAllText(Path.Combine(_dir.FullName, device, EmulatedDevice.TraceFileName)));
            Assert.That(trace, Has.Count.GreaterThanOrEqualTo(2), $"{device}: package 1 and the server's answer");
            Assert.That(File.ReadAllText(Path.Combine(_dir.FullName, device, EmulatedDevice.EventLogFileName)), Is.Not.Empty, $"{device}: Hello provisioning is logged");
        }
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task A_scenario_with_api_steps_is_refused_before_start_naming_each_step_and_why(CancellationToken cancellationToken)
    {
        var file = Write("api.yaml", """
            name: needs the console
            steps:
              - enroll: { device: phone1, join: azure-ad-joined }
              - request-action: { device: phone1, action: new-passcode }
              - advance-time: { by: 1d }
            """);
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = await ScenarioCommands.RunAsync([file], new ScenarioExecutionOptions { ServerUrl = _url, ArtifactsDirectory = Path.Combine(_dir.FullName, "a") },
            null, output, error, cancellationToken);

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error.ToString(), Does.Contain("refused before start: 2 step(s)")
            .And.Contain($"{file.FullName}:4:5: request-action requests a device action through the admin API (the console), and {_url} offers no admin API")
            .And.Contain($"{file.FullName}:5:5: advance-time moves the clock the server and the devices share"));
        Assert.That(output.ToString(), Does.Not.Contain("== needs the console"), "nothing ran");
        Assert.That(Directory.Exists(Path.Combine(_dir.FullName, "a")), Is.False);
        AssertNoStackTrace(output + error.ToString());
    }

    [Test]
    [CancelAfter(180_000)]
    public async Task An_api_free_scenario_runs_and_saves_its_artifacts(CancellationToken cancellationToken)
    {
        var file = Write("free.yaml", """
            name: enroll and poll
            steps:
              - enroll: { device: phone1, join: azure-ad-joined, pin: "246810" }
              - sync: { device: phone1, sessions: 2 }
              - expect-lock: { device: phone1, locked: false }
              - expect-keys: { device: phone1, kept: true }
              - unlock: { device: phone1, pin: "246810" }
            """);
        var output = new StringWriter();
        var artifacts = Path.Combine(_dir.FullName, "artifacts");

        var exit = await ScenarioCommands.RunAsync([file], new ScenarioExecutionOptions { ServerUrl = _url, ArtifactsDirectory = artifacts },
            null, output, new StringWriter(), cancellationToken);

        Assert.That(exit, Is.Zero, output.ToString());
        Assert.That(output.ToString(), Does.Contain("1 passed, 0 failed"));
        Assert.That(File.Exists(Path.Combine(artifacts, "free", "phone1", EmulatedDevice.TraceFileName)), Is.True);
        Assert.That(File.Exists(Path.Combine(artifacts, "free", "phone1", EmulatedDevice.EventLogFileName)), Is.True);
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task An_unreachable_server_is_one_sentence_and_exit_code_1(CancellationToken cancellationToken)
    {
        var error = new StringWriter();

        var exit = await FleetCommands.RunAsync(new FleetOptions { Devices = 1 }, FleetAction.Enroll, new Uri("http://127.0.0.1:9/"), "k", live: false,
            new StringWriter(), error, cancellationToken);

        Assert.That(exit, Is.EqualTo(1));
        Assert.That(error.ToString(), Does.StartWith("fleet: cannot reach http://127.0.0.1:9/api/tenants:"));
        AssertNoStackTrace(error.ToString());
    }

    private FileInfo Write(string name, string text)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllText(path, text);
        return new FileInfo(path);
    }

    /// <summary>Lets through only what a plain MS-MDE2/OMA-DM server serves; everything else is a 404 page.</summary>
    private sealed class OnlyEnrollmentAndOmaDm : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, inner) =>
            {
                if (context.Request.Path.StartsWithSegments("/EnrollmentServer") || context.Request.Path.StartsWithSegments("/ManagementServer"))
                {
                    await inner(context);
                    return;
                }

                context.Response.StatusCode = 404;
                context.Response.ContentType = "text/html";
                await context.Response.WriteAsync("<html><body>Not Found</body></html>");
            });
            next(app);
        };
    }
}

using System.Globalization;
using System.Text.RegularExpressions;
using DeviceAgent.Cli.Commands;
using DeviceAgent.Emulator.Devices;
using DeviceAgent.Emulator.Fleet;
using DeviceAgent.Emulator.Observability;
using DeviceAgent.Emulator.Server;

namespace DeviceAgent.Emulator.Tests.Observability;

/// <summary>
/// Issue 19 item 3: the mock server's Prometheus endpoint after a fleet run shows the run's sessions, enrollments,
/// actions and commands (docs/observability.md), and a fleet run's own endpoint shows the devices' side.
/// </summary>
public partial class PrometheusEndpointTests
{
    private const int Devices = 3;

    [Test]
    [CancelAfter(240_000)]
    public async Task After_a_fleet_run_the_servers_metrics_endpoint_counts_its_sessions_and_commands(CancellationToken cancellationToken)
    {
        await using var mdm = await EmbeddedMdm.StartAsync(new EmbeddedMdmOptions { Tls = false, MetricsPath = "/metrics" }, cancellationToken);
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = await FleetCommands.RunAsync(new FleetOptions { Devices = Devices, Concurrency = Devices }, FleetAction.NewPasscode,
            mdm.BaseUrl, mdm.ApiKey, live: false, output, error, cancellationToken);
        Assert.That(exit, Is.Zero, output + error.ToString());

        using var http = new HttpClient(mdm.CreateApiHandler()) { BaseAddress = mdm.BaseUrl };
        using var response = await http.GetAsync(new Uri("metrics", UriKind.Relative), cancellationToken);
        Assert.That((int)response.StatusCode, Is.EqualTo(200));
        var scrape = Parse(await response.Content.ReadAsStringAsync(cancellationToken));

        // Each device: one session after enrollment (EnablePinRecovery arrives), one that carries the New passcode.
        Assert.That(scrape.Value("mockmdm_omadm_sessions_total"), Is.EqualTo(2 * Devices));
        Assert.That(scrape.Value("mockmdm_enrollments_total", ("result", "enrolled"), ("step", "enrollment")), Is.EqualTo(Devices));
        Assert.That(scrape.Value("mockmdm_actions_total", ("action", "resetPasscode"), ("result", "queued")), Is.EqualTo(Devices));
        // The devices answered every command 200 (the fleet's summary lists no other status), so the server's counter
        // has the one label status=200, counting each command it queued and saw answered (its own command list).
        var fleetStatuses = FleetCommandCounts().Matches(output.ToString()).Select(m => m.Groups[1].Value).ToList();
        Assert.That(fleetStatuses, Is.EqualTo(new[] { "200" }), output.ToString());
        using var api = new MdmApiClient(mdm.BaseUrl, mdm.ApiKey, mdm.CreateApiHandler());
        var completed = 0;
        foreach (var device in (await api.GetAsync("api/deviceManagement/managedDevices", cancellationToken)).GetProperty("value").EnumerateArray())
        {
            var commands = await api.GetAsync($"api/deviceManagement/managedDevices/{device.GetProperty("id").GetString()}/commands", cancellationToken);
            completed += commands.GetProperty("value").EnumerateArray().Count(c => c.GetProperty("state").GetString() == "Completed");
        }

        Assert.That(completed, Is.GreaterThanOrEqualTo(2 * Devices), "EnablePinRecovery and the RemoteLock action per device at least");
        Assert.That(scrape.Samples.Where(s => s.Name == "mockmdm_omadm_commands_total").Select(s => s.Labels["status"]), Is.EqualTo(new[] { "200" }));
        Assert.That(scrape.Value("mockmdm_omadm_commands_total", ("status", "200")), Is.EqualTo(completed));

        // ASP.NET Core's HTTP server metric (OpenTelemetry semantic conventions) is there for the OMA-DM endpoint.
        Assert.That(scrape.Names, Does.Contain("http_server_request_duration_seconds_count"));
    }

    [Test]
    [CancelAfter(240_000)]
    public async Task A_fleets_live_endpoint_shows_the_devices_and_the_embedded_servers_counts(CancellationToken cancellationToken)
    {
        await using var mdm = await EmbeddedMdm.StartAsync(new EmbeddedMdmOptions { Host = EmbeddedHost.TestServer }, cancellationToken);
        using var metrics = new EmulatorMetrics();
        await using var telemetry = await FleetTelemetry.StartAsync(0, null, metrics, mdm, cancellationToken);
        Assert.That(telemetry?.MetricsUrl, Is.Not.Null);
        using var transport = mdm.CreateDeviceTransport();
        using var device = await EmulatedDevice.CreateAsync(new DeviceSpec { Name = "phone1", User = "phone1@contoso.com" },
            new EmulatorOptions { PinResetService = mdm.PinResetService, Metrics = metrics, Pbkdf2Iterations = 10 }, cancellationToken);
        await device.EnrollAsync(transport, cancellationToken);
        var session = await device.SyncAsync(cancellationToken: cancellationToken);
        Assert.That(session.Succeeded, session.Reason);

        using var http = new HttpClient();
        var scrape = Parse(await http.GetStringAsync(telemetry!.MetricsUrl, cancellationToken));

        Assert.That(scrape.Value("deviceagent_omadm_sessions_total", ("outcome", "Completed")), Is.EqualTo(1));
        Assert.That(scrape.Value("deviceagent_enrollments_total", ("result", "enrolled"), ("subcode", "")), Is.EqualTo(1));
        Assert.That(scrape.Value("mockmdm_omadm_sessions_total"), Is.EqualTo(1));
    }

    [Test]
    [CancelAfter(240_000)]
    public async Task Two_servers_in_one_process_each_count_only_their_own_sessions(CancellationToken cancellationToken)
    {
        var keys = MdmKeyMaterial.Create();
        await using var busy = await EmbeddedMdm.StartAsync(new EmbeddedMdmOptions { Host = EmbeddedHost.TestServer, MetricsPath = "/metrics", Keys = keys }, cancellationToken);
        await using var idle = await EmbeddedMdm.StartAsync(new EmbeddedMdmOptions { Host = EmbeddedHost.TestServer, MetricsPath = "/metrics", Keys = keys }, cancellationToken);
        using var transport = busy.CreateDeviceTransport();
        using var device = await EmulatedDevice.CreateAsync(new DeviceSpec { Name = "phone1", User = "phone1@contoso.com" },
            new EmulatorOptions { PinResetService = busy.PinResetService, Pbkdf2Iterations = 10 }, cancellationToken);
        await device.EnrollAsync(transport, cancellationToken);
        Assert.That((await device.SyncAsync(cancellationToken: cancellationToken)).Succeeded);

        using var busyHttp = new HttpClient(busy.CreateApiHandler()) { BaseAddress = busy.BaseUrl };
        using var idleHttp = new HttpClient(idle.CreateApiHandler()) { BaseAddress = idle.BaseUrl };
        var busyScrape = Parse(await busyHttp.GetStringAsync(new Uri("metrics", UriKind.Relative), cancellationToken));
        var idleScrape = Parse(await idleHttp.GetStringAsync(new Uri("metrics", UriKind.Relative), cancellationToken));

        Assert.That(busyScrape.Value("mockmdm_omadm_sessions_total"), Is.EqualTo(1));
        Assert.That(idleScrape.Names, Has.None.StartsWith("mockmdm_"), "the idle server's endpoint shows none of the other server's counts");
    }

    [Test]
    public void A_metrics_path_that_is_not_a_path_stops_the_start_naming_the_setting()
    {
        var failure = Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(async () =>
            await EmbeddedMdm.StartAsync(new EmbeddedMdmOptions { Host = EmbeddedHost.TestServer, MetricsPath = "metrics" }));
        Assert.That(failure!.Message, Does.Contain("MetricsPath (--metrics-path, MOCKMDM__METRICSPATH").And.Contain("not 'metrics'"));
    }

    [TestCase("-1")]
    [TestCase("65536")]
    public void A_metrics_port_outside_the_TCP_range_is_a_parse_error(string port)
    {
        var parse = DeviceAgent.Cli.Program.CreateRootCommand().Parse(["fleet", "--metrics-port", port]);
        Assert.That(parse.Errors.Select(e => e.Message), Has.One.EqualTo("--metrics-port: a TCP port is 0 to 65535"));
    }

    private static Scrape Parse(string text)
    {
        var samples = new List<(string Name, Dictionary<string, string> Labels, double Value)>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var match = SampleLine().Match(line);
            Assert.That(match.Success, $"not a Prometheus sample line: {line}");
            var labels = LabelPair().Matches(match.Groups["labels"].Value).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
            samples.Add((match.Groups["name"].Value, labels, double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture)));
        }

        return new Scrape(samples);
    }

    private sealed record Scrape(List<(string Name, Dictionary<string, string> Labels, double Value)> Samples)
    {
        public IEnumerable<string> Names => Samples.Select(s => s.Name);

        /// <summary>The one sample of <paramref name="name"/> with these labels (scope labels otel_* aside).</summary>
        public double Value(string name, params (string Key, string Value)[] labels)
        {
            var found = Samples.Where(s => s.Name == name
                && s.Labels.Where(l => !l.Key.StartsWith("otel_", StringComparison.Ordinal)).OrderBy(l => l.Key)
                    .SequenceEqual(labels.Select(l => new KeyValuePair<string, string>(l.Key, l.Value)).OrderBy(l => l.Key))).ToList();
            Assert.That(found, Has.Count.EqualTo(1), $"{name}{{{string.Join(",", labels.Select(l => $"{l.Key}=\"{l.Value}\""))}}} among {string.Join("; ", Samples.Where(s => s.Name == name).Select(s => string.Join(",", s.Labels)))}");
            return found[0].Value;
        }
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)( \d+)?$")]
    private static partial Regex SampleLine();

    [GeneratedRegex("""([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"?""")]
    private static partial Regex LabelPair();

    [GeneratedRegex(@"commands (\d{3})\s+(\d+)\n")]
    private static partial Regex FleetCommandCounts();
}

using System.CommandLine;
using DeviceAgent.Emulator.Devices;
using DeviceAgent.Emulator.Observability;
using DeviceAgent.Emulator.Fleet;
using DeviceAgent.Emulator.Server;
using DeviceAgent.Ngc;
using DeviceAgent.PinReset;
using Spectre.Console;

namespace DeviceAgent.Cli.Commands;

/// <summary>`deviceagent fleet`: N emulated phones against --server or an embedded mock MDM, with live progress and a summary table.</summary>
internal static class FleetCommands
{
    public static Command Create()
    {
        var devices = new Option<int>("--devices", "-n") { Description = "Number of devices", DefaultValueFactory = _ => 100 };
        var concurrency = new Option<int>("--concurrency") { Description = "Devices working at the same time", DefaultValueFactory = _ => 16 };
        var rampUp = new Option<double>("--ramp-up") { Description = "Seconds over which devices start (linear)", DefaultValueFactory = _ => 0 };
        var seed = new Option<int>("--seed") { Description = "Run seed: same seed, same devices", DefaultValueFactory = _ => 1 };
        var action = new Option<string>("--action") { Description = "enroll | new-passcode", DefaultValueFactory = _ => "new-passcode" };
        action.AcceptOnlyFromAmong("enroll", "new-passcode");
        var server = ServerUrlOption.Create("A running MockMdm (http://host:port); default: an embedded server on 127.0.0.1 (mutual TLS)");
        var apiKey = new Option<string>("--api-key") { Description = "API key of --server", DefaultValueFactory = _ => MockMdm.MockMdmOptions.DefaultApiKey };
        var trust = new TrustOptions();
        var pinResetService = PinResetServiceOption.Create();
        var artifacts = new Option<DirectoryInfo?>("--artifacts") { Description = "Save each device's SyncML trace (SyncMLViewer format) and NGC event log under DIR/<device>/" };
        var metricsPort = new Option<int?>("--metrics-port") { Description = "Serve the run's live metrics for Prometheus at http://127.0.0.1:PORT/metrics (0: a free port); OTLP export follows OTEL_EXPORTER_OTLP_ENDPOINT (docs/observability.md)" };
        metricsPort.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 0 or > 65535)
            {
                result.AddError("--metrics-port: a TCP port is 0 to 65535");
            }
        });
        var strictProtocol = new Option<bool>("--fail-on-protocol-warnings") { Description = "A server message that breaks a protocol check fails the device's session (default: counted as a protocol warning)" };
        var encoding = EncodingOption.Create();
        var deviceSpec = new DeviceSpecOption();
        var fleet = new Command("fleet", """
            Run a fleet of emulated Windows 10 Mobile phones: each enrolls (MS-MDE2) and syncs; with --action new-passcode
            an admin's New passcode (LockAndRecoverPIN) must unlock it. Live progress on a terminal, plain lines when
            CI=true or output is redirected; a summary table at the end. Exit code 0 only without errors.

            Examples:
              deviceagent fleet --devices 200 --concurrency 32
              deviceagent fleet -n 1000 --ramp-up 30 --seed 7 --server http://127.0.0.1:5080
              deviceagent fleet --server https://127.0.0.1:5443 --trust-root root.pem --devices 20
              deviceagent fleet --devices 500 --metrics-port 9464
              deviceagent fleet --server https://mdm.example.test --action enroll --artifacts artifacts
              deviceagent fleet --server http://127.0.0.1:5080 --pin-reset-service http://127.0.0.1:5090

            Against a server without this project's admin API (/api) only --action enroll runs; new-passcode is refused
            before any device starts (docs/emulator.md "Servers without the mock's API").
            """)
        { devices, concurrency, rampUp, seed, action, server, apiKey, pinResetService, artifacts };
        trust.AddTo(fleet);
        fleet.Options.Add(strictProtocol);
        fleet.Options.Add(metricsPort);
        fleet.Options.Add(encoding);
        deviceSpec.AddTo(fleet);
        fleet.SetAction((parse, cancellationToken) => trust.Resolve(parse, Console.Error) is not { } serverTrust || deviceSpec.Resolve(parse, Console.Error) is not { } phone ? Task.FromResult(2) : RunAsync(
            new FleetOptions
            {
                Devices = parse.GetValue(devices),
                Concurrency = parse.GetValue(concurrency),
                RampUp = TimeSpan.FromSeconds(parse.GetValue(rampUp)),
                Seed = parse.GetValue(seed),
                FailOnProtocolWarnings = parse.GetValue(strictProtocol),
                Encoding = EncodingOption.Parse(parse.GetValue(encoding)),
            },
            parse.GetValue(action) == "enroll" ? FleetAction.Enroll : FleetAction.NewPasscode,
            parse.GetValue(server),
            parse.GetValue(apiKey)!,
            DemoCommands.UseSpectre(),
            Console.Out,
            Console.Error,
            cancellationToken,
            trust: serverTrust,
            pinResetService: parse.GetValue(pinResetService),
            artifactsDirectory: parse.GetValue(artifacts)?.FullName,
            phone: phone,
            metricsPort: parse.GetValue(metricsPort)));
        return fleet;
    }

    internal static async Task<int> RunAsync(FleetOptions options, FleetAction action, Uri? serverUrl, string apiKey, bool live, TextWriter output, TextWriter error,
        CancellationToken cancellationToken, EmbeddedHost host = EmbeddedHost.Kestrel, ServerTrust? trust = null, Uri? pinResetService = null, string? artifactsDirectory = null, DeviceAgent.Dm.PhoneSpec? phone = null, int? metricsPort = null)
    {
        try
        {
            return await RunCoreAsync(options, action, serverUrl, apiKey, live, output, error, host, trust ?? ServerTrust.SystemStore, pinResetService, artifactsDirectory, phone, metricsPort, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The command boundary: whatever a server did is a sentence, never a stack trace (docs/emulator.md).
            await error.WriteLineAsync($"fleet: {CommandBoundary.Describe(e)}").ConfigureAwait(false);
            return 1;
        }
    }

    private static async Task<int> RunCoreAsync(FleetOptions options, FleetAction action, Uri? serverUrl, string apiKey, bool live, TextWriter output, TextWriter error,
        EmbeddedHost host, ServerTrust trust, Uri? pinResetService, string? artifactsDirectory, DeviceAgent.Dm.PhoneSpec? phone, int? metricsPort, CancellationToken cancellationToken)
    {
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            await error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return 2;
        }

        ExternalServer? external = null;
        if (serverUrl is not null)
        {
            // What the server offers is found out before any device starts (docs/emulator.md "Servers without the mock's API").
            external = await ExternalServer.ProbeAsync(serverUrl, apiKey, trust, pinResetService, cancellationToken).ConfigureAwait(false);
            output.WriteLine(external.Describe());
            if (!external.Offer.AdminApi && FleetWork.ApiNeed(action) is { } need)
            {
                await error.WriteLineAsync($"fleet: refused before start: {need}, and {serverUrl} offers none{(external.Offer.AdminApiRefusal is { } refusal ? $" usable ({refusal})" : "")}; run --action enroll against this server.").ConfigureAwait(false);
                return 2;
            }
        }

        EmbeddedMdm? mdm = null;
        IPinResetServiceClient? pinResetClient = null;
        // The run's devices count on the meter DeviceAgent.Emulator (docs/emulator.md "Logs and metrics").
        using var metrics = new EmulatorMetrics();
        try
        {
            if (external is null)
            {
                mdm = await EmbeddedMdm.StartAsync(new EmbeddedMdmOptions { Host = host, Seed = options.Seed }, cancellationToken).ConfigureAwait(false);
                output.WriteLine($"embedded mock MDM on {mdm.BaseUrl}");
                if (pinResetService is not null)
                {
                    pinResetClient = new HttpPinResetServiceClient(pinResetService, trust.CreateHandler());
                }
            }
            else
            {
                pinResetClient = external.CreatePinResetClient();
            }

            // Live metrics for Prometheus (--metrics-port) and OTLP (OTEL_EXPORTER_OTLP_ENDPOINT) while the run lasts.
            await using var telemetry = await FleetTelemetry.StartAsync(metricsPort, null, metrics, mdm, cancellationToken).ConfigureAwait(false);
            if (telemetry?.MetricsUrl is { } metricsUrl)
            {
                output.WriteLine($"live metrics at {metricsUrl}");
            }

            using var transport = mdm?.CreateDeviceTransport() ?? new SocketDeviceTransport(serverUrl!, trust);
            using var api = mdm is not null ? new MdmApiClient(mdm.BaseUrl, mdm.ApiKey, mdm.CreateApiHandler()) : external!.CreateApiClient();
            using var serviceConsent = pinResetService is null ? null : new PinResetConsentClient(pinResetService, trust.CreateHandler());
            // Recorded in the summary: a run with --insecure says so in its report (docs/emulator.md "Trust").
            var certificates = mdm is null ? trust.Describe() : "embedded server's CA";
            var work = new FleetWork(api, transport, new EmulatorOptions
            {
                Seed = options.Seed,
                PhoneSpec = phone ?? DeviceAgent.Dm.PhoneSpec.Default,
                // Fleet devices trade fidelity for CPU: cheap PIN hashing, ECDSA Hello keys, a small pool of enrollment keys (docs/emulator.md "Fleets").
                Pbkdf2Iterations = 10,
                HelloKeyAlgorithm = NgcKeyAlgorithm.EcdsaP256,
                EnrollmentKeys = new EnrollmentKeyPool(Math.Min(8, options.Devices)),
                PinResetService = pinResetClient is null ? mdm?.PinResetService : null,
                PinResetServiceClient = pinResetClient,
                InitialBackoffTime = TimeSpan.FromMilliseconds(500),
                FailOnProtocolWarnings = options.FailOnProtocolWarnings,
                Encoding = options.Encoding,
                Metrics = metrics,
            }, action, serviceConsent, artifactsDirectory);
            await work.PrepareAsync(cancellationToken).ConfigureAwait(false);
            var runner = new FleetRunner(options, TimeProvider.System);
            var run = runner.RunAsync(work.RunDeviceAsync, cancellationToken);
            if (live)
            {
                await AnsiConsole.Progress().AutoClear(false).StartAsync(async progress =>
                {
                    var enrolled = progress.AddTask("enrolled", maxValue: options.Devices);
                    var finished = progress.AddTask("finished", maxValue: options.Devices);
                    while (!run.IsCompleted)
                    {
                        await Task.WhenAny(run, Task.Delay(250, cancellationToken)).ConfigureAwait(false);
                        var s = runner.Metrics.Snapshot();
                        enrolled.Value = s.Enrolled;
                        finished.Value = s.Finished;
                        finished.Description = $"finished ({s.ActionsDone} done, {s.Errors} errors)";
                    }
                }).ConfigureAwait(false);
            }
            else
            {
                while (!run.IsCompleted)
                {
                    await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(2), cancellationToken)).ConfigureAwait(false);
                    output.WriteLine(FleetSummary.ProgressLine(runner.Metrics.Snapshot(), options.Devices));
                }
            }

            var snapshot = await run.ConfigureAwait(false);
            if (live)
            {
                var table = new Table().AddColumn("metric").AddColumn(new TableColumn("value").RightAligned());
                foreach (var (metric, value) in FleetSummary.Rows(snapshot, options.Devices, certificates))
                {
                    table.AddRow(Markup.Escape(metric), Markup.Escape(value));
                }

                AnsiConsole.Write(table);
                foreach (var sample in snapshot.ErrorSamples)
                {
                    AnsiConsole.MarkupLine($"[red]error:[/] {Markup.Escape(sample)}");
                }

                foreach (var sample in snapshot.ProtocolWarningSamples)
                {
                    AnsiConsole.MarkupLine($"[yellow]protocol warning:[/] {Markup.Escape(sample)}");
                }
            }
            else
            {
                output.Write(FleetSummary.ToText(snapshot, options.Devices, certificates));
            }

            if (artifactsDirectory is not null)
            {
                output.WriteLine($"artifacts: {artifactsDirectory} (one folder per device: {EmulatedDevice.TraceFileName}, {EmulatedDevice.EventLogFileName})");
            }

            return snapshot.Errors == 0 ? 0 : 1;
        }
        finally
        {
            if (mdm is not null)
            {
                await mdm.DisposeAsync().ConfigureAwait(false);
            }

            (pinResetClient as IDisposable)?.Dispose();
        }
    }
}

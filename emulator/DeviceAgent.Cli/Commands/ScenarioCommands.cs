using System.CommandLine;
using DeviceAgent.Emulator.Observability;
using DeviceAgent.Emulator.Scenarios;
using DeviceAgent.Emulator.Devices;
using DeviceAgent.Emulator.Server;

namespace DeviceAgent.Cli.Commands;

/// <summary>`deviceagent scenario check|run FILE...`: validates or runs scenario files (docs/scenarios.md).</summary>
internal static class ScenarioCommands
{
    public static Command Create()
    {
        var files = new Argument<FileInfo[]>("files") { Description = "Scenario YAML files", Arity = ArgumentArity.OneOrMore };
        var check = new Command("check", """
            Parse scenario files strictly and list their steps; an unknown step or field is an error with file:line:column.

            Examples:
              deviceagent scenario check scenarios/*.yaml
            """)
        { files };
        check.SetAction(parse => Check(parse.GetRequiredValue(files), Console.Out, Console.Error));
        var runFiles = new Argument<FileInfo[]>("files") { Description = "Scenario YAML files", Arity = ArgumentArity.OneOrMore };
        var server = ServerUrlOption.Create("A running MockMdm (http://host:port); default: an embedded server per scenario");
        var apiKey = new Option<string>("--api-key") { Description = "API key of --server", DefaultValueFactory = _ => MockMdm.MockMdmOptions.DefaultApiKey };
        var report = new Option<FileInfo?>("--report") { Description = "Write a JUnit XML report here" };
        var artifacts = new Option<DirectoryInfo?>("--artifacts") { Description = "Save each device's SyncML trace and NGC event log under DIR/<scenario>/<device>/" };
        var plainHttp = new Option<bool>("--plain-http") { Description = "Embedded server over plain HTTP (device tokens) instead of mutual TLS" };
        var trust = new TrustOptions();
        var pinResetService = PinResetServiceOption.Create();
        var strictProtocol = new Option<bool>("--fail-on-protocol-warnings") { Description = "A server message that breaks a protocol check fails the device's session (default: counted as a protocol warning)" };
        var encoding = EncodingOption.Create();
        var deviceSpec = new DeviceSpecOption();
        var run = new Command("run", """
            Run scenario files against an embedded mock MDM (Kestrel on 127.0.0.1, mutual TLS) or --server, with emulated
            devices. Exit code 0 when every expectation held, 1 when one failed or a step could not run, 2 for a bad file.

            Examples:
              deviceagent scenario run scenarios/*.yaml --report junit.xml
              deviceagent scenario run scenarios/passcode-expiry.yaml --artifacts artifacts
              deviceagent scenario run scenarios/pin-reset-aadj-recover-min6.yaml --server http://127.0.0.1:5080
              deviceagent scenario run scenarios/*.yaml --server https://127.0.0.1:5443 --trust-root root.pem
              deviceagent scenario run scenarios/pin-reset-aadj-recover-min6.yaml --pin-reset-service http://127.0.0.1:5090

            Against a server without this project's admin API (/api) only API-free steps run (enroll, sync, unlock with a
            known PIN, expect-lock, expect-event, expect-keys); a scenario with any other step is refused before anything
            starts, exit code 2 (docs/scenarios.md "Servers without the mock's API").
            """)
        { runFiles, server, apiKey, report, artifacts, plainHttp, pinResetService };
        trust.AddTo(run);
        run.Options.Add(strictProtocol);
        run.Options.Add(encoding);
        deviceSpec.AddTo(run);
        run.SetAction((parse, cancellationToken) => trust.Resolve(parse, Console.Error) is not { } serverTrust || deviceSpec.Resolve(parse, Console.Error) is not { } phone ? Task.FromResult(2) : RunAsync(
            parse.GetRequiredValue(runFiles),
            new ScenarioExecutionOptions
            {
                ServerUrl = parse.GetValue(server),
                ApiKey = parse.GetValue(apiKey)!,
                Embedded = new EmbeddedMdmOptions { Tls = !parse.GetValue(plainHttp) },
                ArtifactsDirectory = parse.GetValue(artifacts)?.FullName,
                Trust = serverTrust,
                PinResetServiceUrl = parse.GetValue(pinResetService),
                Devices = new EmulatorOptions { FailOnProtocolWarnings = parse.GetValue(strictProtocol), Encoding = EncodingOption.Parse(parse.GetValue(encoding)), PhoneSpec = phone },
            },
            parse.GetValue(report)?.FullName,
            Console.Out,
            Console.Error,
            cancellationToken));
        return new Command("scenario", "Scenario files: steps and expectations run against the mock MDM and emulated devices") { check, run };
    }

    internal static async Task<int> RunAsync(IEnumerable<FileInfo> files, ScenarioExecutionOptions options, string? reportPath, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        try
        {
            return await RunCoreAsync(files, options, reportPath, output, error, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The command boundary: whatever a server did is a sentence, never a stack trace (docs/scenarios.md).
            await error.WriteLineAsync($"scenario run: {CommandBoundary.Describe(e)}").ConfigureAwait(false);
            return 1;
        }
    }

    private static async Task<int> RunCoreAsync(IEnumerable<FileInfo> files, ScenarioExecutionOptions options, string? reportPath, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        // The scenarios' devices count on the meter DeviceAgent.Emulator (docs/emulator.md "Logs and metrics").
        using var metrics = new EmulatorMetrics();
        options = options with { Devices = options.Devices with { Metrics = options.Devices.Metrics ?? metrics } };
        // Every file is checked before anything runs (docs/scenarios.md "Strictness").
        var scenarios = new List<Scenario>();
        foreach (var file in files)
        {
            try
            {
                scenarios.Add(ScenarioParser.ParseFile(file.FullName));
            }
            catch (Exception e) when (e is ScenarioFormatException or FileNotFoundException or DirectoryNotFoundException)
            {
                error.WriteLine(e.Message);
                return 2;
            }
        }

        if (options.ServerUrl is { } serverUrl)
        {
            // What the server offers is found out once, and every scenario checked against it, before anything starts.
            var server = await ExternalServer.ProbeAsync(serverUrl, options.ApiKey, options.Trust, options.PinResetServiceUrl, cancellationToken).ConfigureAwait(false);
            output.WriteLine(server.Describe());
            var refusals = scenarios.SelectMany(s => ScenarioRequirements.Refusals(s, serverUrl, server.Offer.AdminApi, server.Offer.ClockControl)).ToList();
            if (refusals.Count > 0)
            {
                error.WriteLine($"scenario run: refused before start: {refusals.Count} step(s) need what {serverUrl} does not offer:");
                foreach (var refusal in refusals)
                {
                    error.WriteLine($"  {refusal}");
                }

                return 2;
            }

            options = options with { Server = server };
        }

        var results = new List<ScenarioResult>();
        foreach (var scenario in scenarios)
        {
            output.WriteLine($"== {scenario.Name} ({Path.GetFileName(scenario.SourcePath)})");
            var result = await ScenarioExecution.RunAsync(scenario, options, step => output.WriteLine(Describe(step)), cancellationToken).ConfigureAwait(false);
            results.Add(result);
            foreach (var warning in result.ProtocolWarnings)
            {
                output.WriteLine($"   protocol warning: {warning}");
            }

            output.WriteLine(result.Passed
                ? $"   PASSED in {result.Duration.TotalSeconds:0.0}s"
                : $"   FAILED at {result.FirstProblem!.Step.Position}: {result.FirstProblem.Message}");
        }

        if (reportPath is not null)
        {
            // A run against --server records how its certificates were verified, so --insecure shows in CI (docs/emulator.md "Trust").
            var properties = options.ServerUrl is null ? null : new Dictionary<string, string> { ["server-certificates"] = options.Trust.Describe() };
            JUnitReport.Write(results, reportPath, properties);
            output.WriteLine($"JUnit report: {reportPath}");
        }

        var failed = results.Count(r => !r.Passed);
        output.WriteLine($"{results.Count - failed} passed, {failed} failed, {results.Sum(r => r.ProtocolWarnings.Count)} protocol warnings");
        return failed == 0 ? 0 : 1;
    }

    private static string Describe(StepResult step)
    {
        var mark = step.Outcome switch
        {
            StepOutcome.Passed => "ok  ",
            StepOutcome.Failed => "FAIL",
            StepOutcome.Errored => "ERR ",
            _ => "skip",
        };
        var line = $"   {mark} {step.Step.Kind}: {step.Step.Describe()}";
        return step.Message is null || step.Outcome == StepOutcome.Passed ? line : $"{line}\n         {step.Message}";
    }

    internal static int Check(IEnumerable<FileInfo> files, TextWriter output, TextWriter error)
    {
        var bad = 0;
        foreach (var file in files)
        {
            try
            {
                var scenario = ScenarioParser.ParseFile(file.FullName);
                output.WriteLine($"{file.FullName}: {scenario.Name} ({scenario.Steps.Count} steps)");
            }
            catch (ScenarioFormatException e)
            {
                bad++;
                error.WriteLine(e.Message);
            }
            catch (FileNotFoundException e)
            {
                bad++;
                error.WriteLine(e.Message);
            }
        }

        return bad == 0 ? 0 : 1;
    }
}

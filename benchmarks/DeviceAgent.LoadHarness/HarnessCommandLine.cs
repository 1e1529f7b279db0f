using System.CommandLine;
using System.Globalization;

namespace DeviceAgent.LoadHarness;

/// <summary>
/// The harness's command line (benchmarks/README.md), parsed by System.CommandLine like every program of the
/// repository: `DeviceAgent.LoadHarness [options]` runs a load run, `baseline-server` the plain Kestrel baseline.
/// A value out of range is an error naming the option.
/// </summary>
public static class HarnessCommandLine
{
    public static RootCommand Create()
    {
        var defaults = new HarnessOptions();
        var devices = Int("--devices", "Emulated devices enrolled and driven.", defaults.Devices, 1, 1_000_000);
        var concurrency = Int("--concurrency", "Concurrent requests in flight, the same for ours and the baseline.", defaults.Concurrency, 1, 4096);
        var rounds = Int("--rounds", "Most session rounds per device in the session phase.", defaults.RoundsPerDevice, 1, 1000);
        var passcodeEvery = Int("--passcode-every", "Every n-th round of a device is a New passcode round; the others queue a Lock.", defaults.PasscodeEvery, 1, 1000);
        var duration = Int("--duration", "Longest session phase, seconds.", (int)defaults.SessionPhaseLimit.TotalSeconds, 1, 3600);
        var enrollLimit = Int("--enroll-limit", "Longest enrollment phase, seconds.", (int)defaults.EnrollPhaseLimit.TotalSeconds, 1, 7200);
        var baseline = Int("--baseline", "Length of the baseline measurement, seconds.", (int)defaults.BaselineDuration.TotalSeconds, 1, 600);
        var seed = Int("--seed", "Seed of every device's random source.", defaults.Seed, 0, int.MaxValue);
        var pbkdf2 = Int("--pbkdf2", "PBKDF2 iterations of the emulated NGC containers.", defaults.Pbkdf2Iterations, 1, 1_000_000);
        var mockMdm = new Option<string>("--mockmdm") { Description = "Path of MockMdm.dll (default: next to the repository's build output).", HelpName = "FILE" };
        var json = new Option<string>("--json") { Description = "Write the report as JSON to this file too.", HelpName = "FILE" };
        var root = new RootCommand("Load harness: emulated devices over loopback HTTP against MockMdm in its own process, plus a plain Kestrel baseline (benchmarks/README.md).")
        {
            devices, concurrency, rounds, passcodeEvery, duration, enrollLimit, baseline, seed, pbkdf2, mockMdm, json,
            CreateBaselineServer(),
        };
        root.SetAction(async (parse, cancellationToken) =>
        {
            var options = new HarnessOptions
            {
                Devices = parse.GetValue(devices),
                Concurrency = parse.GetValue(concurrency),
                RoundsPerDevice = parse.GetValue(rounds),
                PasscodeEvery = parse.GetValue(passcodeEvery),
                SessionPhaseLimit = TimeSpan.FromSeconds(parse.GetValue(duration)),
                EnrollPhaseLimit = TimeSpan.FromSeconds(parse.GetValue(enrollLimit)),
                BaselineDuration = TimeSpan.FromSeconds(parse.GetValue(baseline)),
                Seed = parse.GetValue(seed),
                Pbkdf2Iterations = parse.GetValue(pbkdf2),
                MockMdmPath = parse.GetValue(mockMdm),
                JsonReportPath = parse.GetValue(json),
            };
            var report = await new LoadRun(options, Console.Out).RunAsync(cancellationToken).ConfigureAwait(false);
            Console.WriteLine(report.ToText());
            if (options.JsonReportPath is { } path)
            {
                await File.WriteAllTextAsync(path, report.ToJson(), cancellationToken).ConfigureAwait(false);
            }

            return report.TotalErrors == 0 ? 0 : 1;
        });
        return root;
    }

    /// <summary>`baseline-server --response-bytes n --urls URL`: the baseline endpoint, started by the harness in its own process.</summary>
    private static Command CreateBaselineServer()
    {
        var responseBytes = Int("--response-bytes", "Size of every answer's body, bytes.", 1024, 0, 64 * 1024 * 1024);
        var urls = new Option<string>("--urls") { Description = "Kestrel URLs, ';'-separated.", HelpName = "URL[;URL]", DefaultValueFactory = _ => "http://127.0.0.1:5090" };
        var command = new Command("baseline-server", "Run the plain Kestrel baseline endpoint until killed.") { responseBytes, urls };
        command.SetAction(parse => BaselineServer.Run(parse.GetValue(responseBytes), parse.GetValue(urls)!));
        return command;
    }

    /// <summary>An integer option with its default and range; a value that is not a whole number in range is an error naming the option.</summary>
    private static Option<int> Int(string name, string description, int defaultValue, int min, int max) => new(name)
    {
        Description = description,
        HelpName = "N",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            var text = result.Tokens.Single().Value;
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
            {
                return value;
            }

            result.AddError($"{name} must be a whole number from {min} to {max}, not '{text}'");
            return defaultValue;
        },
    };
}

using System.Globalization;

namespace DeviceAgent.LoadHarness;

/// <summary>What one load run does; every loop it drives is bounded by a count and a time (benchmarks/README.md).</summary>
public sealed record HarnessOptions
{
    /// <summary>Emulated devices enrolled and driven.</summary>
    public int Devices { get; init; } = 1000;

    /// <summary>Concurrent requests in flight (devices working at once), the same for ours and the baseline.</summary>
    public int Concurrency { get; init; } = 64;

    /// <summary>Most session rounds per device in the session phase.</summary>
    public int RoundsPerDevice { get; init; } = 3;

    /// <summary>Every n-th round of a device is a New passcode round (LockAndRecoverPIN + NewPINValue); the others queue a Lock.</summary>
    public int PasscodeEvery { get; init; } = 3;

    /// <summary>Longest time of the session phase; it stops early when every device did its rounds.</summary>
    public TimeSpan SessionPhaseLimit { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Longest time of the enrollment phase.</summary>
    public TimeSpan EnrollPhaseLimit { get; init; } = TimeSpan.FromSeconds(600);

    /// <summary>Length of the baseline measurement.</summary>
    public TimeSpan BaselineDuration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Seed of every device's random source.</summary>
    public int Seed { get; init; } = 8;

    /// <summary>PBKDF2 iterations of the emulated NGC containers.</summary>
    public int Pbkdf2Iterations { get; init; } = 1;

    /// <summary>Path of MockMdm.dll; null finds it next to the repository's build output.</summary>
    public string? MockMdmPath { get; init; }

    /// <summary>Where the JSON report goes, or null for none.</summary>
    public string? JsonReportPath { get; init; }

    /// <summary>Reads --devices, --concurrency, --rounds, --passcode-every, --duration, --enroll-limit, --baseline, --seed, --pbkdf2, --mockmdm, --json.</summary>
    public static HarnessOptions Parse(IReadOnlyList<string> args)
    {
        var options = new HarnessOptions();
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Int(int min, int max)
            {
                var name = args[i];
                var text = Value();
                return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
                    ? n
                    : throw new ArgumentException($"{name} must be an integer from {min} to {max}, not '{text}'");
            }

            options = args[i] switch
            {
                "--devices" => options with { Devices = Int(1, 1_000_000) },
                "--concurrency" => options with { Concurrency = Int(1, 4096) },
                "--rounds" => options with { RoundsPerDevice = Int(1, 1000) },
                "--passcode-every" => options with { PasscodeEvery = Int(1, 1000) },
                "--duration" => options with { SessionPhaseLimit = TimeSpan.FromSeconds(Int(1, 3600)) },
                "--enroll-limit" => options with { EnrollPhaseLimit = TimeSpan.FromSeconds(Int(1, 7200)) },
                "--baseline" => options with { BaselineDuration = TimeSpan.FromSeconds(Int(1, 600)) },
                "--seed" => options with { Seed = Int(0, int.MaxValue) },
                "--pbkdf2" => options with { Pbkdf2Iterations = Int(1, 1_000_000) },
                "--mockmdm" => options with { MockMdmPath = Value() },
                "--json" => options with { JsonReportPath = Value() },
                _ => throw new ArgumentException(
                    $"unknown option '{args[i]}' (known: --devices, --concurrency, --rounds, --passcode-every, --duration, --enroll-limit, --baseline, --seed, --pbkdf2, --mockmdm, --json)"),
            };
        }

        return options;
    }
}

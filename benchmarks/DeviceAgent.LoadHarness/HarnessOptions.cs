namespace DeviceAgent.LoadHarness;

/// <summary>What one load run does; every loop it drives is bounded by a count and a time (benchmarks/README.md); HarnessCommandLine reads it from the command line.</summary>
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
}

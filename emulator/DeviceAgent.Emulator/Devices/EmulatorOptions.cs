using DeviceAgent.Csp;
using DeviceAgent.Ngc.Software;

namespace DeviceAgent.Emulator.Devices;

/// <summary>Settings shared by every device of a run (docs/emulator.md).</summary>
public sealed record EmulatorOptions
{
    /// <summary>The clock devices (and an embedded server) read.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Run seed: the same seed and device name give the same device (IDs, IMEI, PINs).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>PBKDF2 iterations of the software NGC provider; fleets lower it to keep CPU time small.</summary>
    public int Pbkdf2Iterations { get; init; } = SoftwareNgcOptions.DefaultPbkdf2Iterations;

    /// <summary>Where NGC containers are stored (one sub-folder per device); null keeps them in memory.</summary>
    public string? StateDirectory { get; init; }

    /// <summary>Wait before the first connection retry (w7 INITIALBACKOFFTIME); short in tests and demos.</summary>
    public TimeSpan InitialBackoffTime { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Connection retries (w7 CONNRETRYFREQ).</summary>
    public int ConnRetryFreq { get; init; } = 1;

    /// <summary>CSP handlers for a device (PassportForWork, RemoteLock ...); called once per device.</summary>
    public Func<EmulatedDevice, IEnumerable<ICspHandler>>? CspHandlers { get; init; }
}

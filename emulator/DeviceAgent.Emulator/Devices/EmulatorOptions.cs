using DeviceAgent.Emulator.Observability;
using DeviceAgent.Ngc;
using DeviceAgent.Ngc.Software;
using DeviceAgent.SyncML;
using Microsoft.Extensions.Logging;
using MockMdm.PinReset;

namespace DeviceAgent.Emulator.Devices;

/// <summary>Settings shared by every device of a run (docs/emulator.md).</summary>
public sealed record EmulatorOptions
{
    /// <summary>The clock devices (and an embedded server) read.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Run seed: the same seed and device name give the same device (IDs, IMEI, PINs).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>The device spec of the run's phones (`--device-spec FILE`); a device's own <see cref="DeviceSpec.Phone"/> wins. Default: the embedded spec.</summary>
    public DeviceAgent.Dm.PhoneSpec PhoneSpec { get; init; } = DeviceAgent.Dm.PhoneSpec.Default;

    /// <summary>PBKDF2 iterations of the software NGC provider; fleets lower it to keep CPU time small.</summary>
    public int Pbkdf2Iterations { get; init; } = SoftwareNgcOptions.DefaultPbkdf2Iterations;

    /// <summary>Algorithm of the Hello keys devices create (RSA-2048 as on a phone; fleets may choose ECDSA P-256, which is cheaper to generate).</summary>
    public NgcKeyAlgorithm HelloKeyAlgorithm { get; init; } = NgcKeyAlgorithm.Rsa2048;

    /// <summary>Where NGC containers are stored (one sub-folder per device); null keeps them in memory.</summary>
    public string? StateDirectory { get; init; }

    /// <summary>Wait before the first connection retry (w7 INITIALBACKOFFTIME); short in tests and demos.</summary>
    public TimeSpan InitialBackoffTime { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Connection retries (w7 CONNRETRYFREQ).</summary>
    public int ConnRetryFreq { get; init; } = 1;

    /// <summary>
    /// The Microsoft PIN reset service devices call for LockAndRecoverPIN: the embedded server's hosted instance, so the
    /// consent an admin gives on the server is what devices see. Null gives each device a private one (no tenant consented).
    /// Devices reach it through <see cref="InProcessPinResetServiceClient"/>.
    /// </summary>
    public IPinResetService? PinResetService { get; init; }

    /// <summary>
    /// A PIN reset service client every device uses instead of <see cref="PinResetService"/>: the service over HTTP(S)
    /// (<see cref="DeviceAgent.PinReset.HttpPinResetServiceClient"/>, --pin-reset-service; docs/emulator.md "PIN reset
    /// service"). Shared by the run's devices; its owner disposes it.
    /// </summary>
    public DeviceAgent.PinReset.IPinResetServiceClient? PinResetServiceClient { get; init; }

    /// <summary>
    /// The encoding devices send OMA-DM messages in, whatever enrollment provisioned; null follows the provisioning
    /// document's w7 DEFAULTENCODING (XML when it has none), as Windows does (docs/emulator.md "Encoding").
    /// </summary>
    public SyncMLEncoding? Encoding { get; init; }

    /// <summary>When true a server message that breaks a protocol check fails the device's session instead of only being counted (docs/session.md "Protocol checks").</summary>
    public bool FailOnProtocolWarnings { get; init; }

    /// <summary>
    /// How devices authenticate at enrollment: the MS-MDE2 policies they offer and their credentials (docs/emulator.md
    /// "Enrollment authentication"). Null: Federated through the server's STS, as against the mock.
    /// </summary>
    public EnrollmentCredentials? EnrollmentCredentials { get; init; }

    /// <summary>Pre-generated enrollment key pairs devices draw from; null: each device generates its own RSA key (docs/emulator.md).</summary>
    public EnrollmentKeyPool? EnrollmentKeys { get; init; }

    /// <summary>The meter devices count sessions, command statuses, enrollments and passcode actions on; null counts nothing (docs/emulator.md "Logs and metrics").</summary>
    public EmulatorMetrics? Metrics { get; init; }

    /// <summary>Where devices' DM clients and enrollment log (docs/session.md "Logs and metrics"); null logs nothing.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }
}

/// <summary>What a device offers and presents at enrollment (MS-MDE2 AuthPolicies; docs/reference/enrollment.md §9).</summary>
public sealed record EnrollmentCredentials
{
    /// <summary>The policies offered, in order of preference; null offers those the credentials below allow, and Federated.</summary>
    public IReadOnlyList<DeviceAgent.Enrollment.EnrollmentAuthPolicy>? AuthPolicies { get; init; }

    /// <summary>The user's password for OnPremise.</summary>
    public string? Password { get; init; }

    /// <summary>A Federated token to send instead of asking the server's STS (e.g. one a real STS issued).</summary>
    public string? UserToken { get; init; }

    /// <summary>The certificate (with private key) for the Certificate policy.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? Certificate { get; init; }
}

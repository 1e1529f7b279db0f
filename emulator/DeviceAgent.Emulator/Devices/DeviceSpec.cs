using DeviceAgent.Dm;
using DeviceAgent.Ngc.Policy;
using DeviceAgent.Protocol;

namespace DeviceAgent.Emulator.Devices;

/// <summary>What kind of device to emulate; everything not given here is drawn from the seed.</summary>
public sealed record DeviceSpec
{
    /// <summary>The device's name in scenarios, logs and artifact folders.</summary>
    public required string Name { get; init; }

    public JoinType Join { get; init; } = JoinType.AzureADJoined;

    /// <summary>Major.Minor.Build or Major.Minor.Build.QFE; 10.0.15063 (Windows 10 Mobile Creators Update) by default.</summary>
    public string OsBuild { get; init; } = DeviceDefaults.OsBuild;

    /// <summary>windows10mobile (default) or windows10 (a desktop, for not-applicable assignments).</summary>
    public string Platform { get; init; } = DeviceDefaults.Platform;

    /// <summary>The signed-in user's UPN, or null when nobody is signed in.</summary>
    public string? User { get; init; }

    /// <summary>PIN complexity configured on the device before enrollment (e.g. by the join's tenant defaults).</summary>
    public PinComplexity LocalPinPolicy { get; init; } = PinComplexity.Unconfigured;

    /// <summary>The user's Windows Hello PIN; null draws one that meets the policy from the seed.</summary>
    public string? InitialPin { get; init; }

    /// <summary>Entra tenant the device or user belongs to (GUID), or null.</summary>
    public string? TenantId { get; init; }

    /// <summary>The phone's device spec (hardware, OS, apps, how per-device values are drawn); null: the run's (<see cref="EmulatorOptions.PhoneSpec"/>).</summary>
    public PhoneSpec? Phone { get; init; }

    /// <summary>
    /// The device's number in its run, distinct for every device of the run: its IMEI serial and the NIC half of its
    /// MAC addresses are numbered from it, so no two devices of a run share them (docs/emulator.md "Device specification").
    /// </summary>
    public int Number { get; init; }

    public bool IsMobile => Platform.Equals("windows10mobile", StringComparison.OrdinalIgnoreCase);
}

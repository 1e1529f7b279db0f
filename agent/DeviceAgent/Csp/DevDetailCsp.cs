using System.Globalization;
using DeviceAgent.Dm;

namespace DeviceAgent.Csp;

/// <summary>
/// ./DevDetail (docs/reference/devinfo-devdetail.md §2): values from the device profile. The node set is the DDF set's (1703: no 1809+
/// nodes, which answer 404). DeviceName is the only writable node: a Replace takes effect at the next restart, as on
/// Windows 10 Mobile (<see cref="Restart"/>).
/// </summary>
public sealed class DevDetailCsp : CspHandler
{
    private const string DeviceNamePath = "Ext/Microsoft/DeviceName";

    private readonly DeviceProfile _profile;
    private readonly TimeProvider _time;

    /// <summary>Serves ./DevDetail for <paramref name="profile"/>; the time provider answers Ext/Microsoft/LocalTime.</summary>
    public DevDetailCsp(DeviceProfile profile, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(time);
        _profile = profile;
        _time = time;
        DeviceName = profile.DeviceName;
    }

    /// <summary>./DevDetail.</summary>
    public override IReadOnlyList<string> Roots { get; } = ["./DevDetail"];

    /// <summary>The device name in effect (DevDetail/Ext/Microsoft/DeviceName answers it).</summary>
    public string DeviceName { get; private set; }

    /// <summary>A name set by Replace that applies at the next restart, or null.</summary>
    public string? PendingDeviceName { get; private set; }

    /// <summary>The device restarted: a pending DeviceName takes effect.</summary>
    public void Restart()
    {
        if (PendingDeviceName is { } name)
        {
            DeviceName = name;
            PendingDeviceName = null;
        }
    }

    /// <summary>Answers DevDetail leaves from the device profile and the clock; other nodes come from the tree.</summary>
    public override ValueTask<CspReadResult> GetAsync(CspContext context, CancellationToken cancellationToken) => new(Read(context));

    /// <summary>Refuses writes except a Replace of DeviceName, which waits for the next restart.</summary>
    public override ValueTask<CspResult> OnWritingAsync(CspWriteContext context, CancellationToken cancellationToken) => new(Check(context));

    private CspReadResult Read(CspContext context) => context.RelativePath switch
    {
        // 0 = no limit (DDF description).
        "URI/MaxDepth" or "URI/MaxTotLen" or "URI/MaxSegLen" => CspReadResult.Of("0"),
        "DevTyp" => CspReadResult.Of(_profile.DeviceType),
        "OEM" => CspReadResult.Of(_profile.Oem),
        "FwV" => CspReadResult.Of(_profile.FirmwareVersion),
        "SwV" => CspReadResult.Of(_profile.OsBuild),
        "HwV" => CspReadResult.Of(_profile.HardwareVersion),
        "LrgObj" => CspReadResult.Of("true"),
        "Ext/Microsoft/MobileID" => CspReadResult.Of(_profile.Imsi),
        "Ext/Microsoft/RadioSwV" => CspReadResult.Of(_profile.RadioSoftwareVersion),
        "Ext/Microsoft/Resolution" => CspReadResult.Of(_profile.Resolution),
        "Ext/Microsoft/CommercializationOperator" => CspReadResult.Of(_profile.CommercializationOperator),
        "Ext/Microsoft/ProcessorArchitecture" => CspReadResult.Of(Number(_profile.ProcessorArchitecture)),
        "Ext/Microsoft/ProcessorType" => CspReadResult.Of(Number(_profile.ProcessorType)),
        "Ext/Microsoft/OSPlatform" => CspReadResult.Of(_profile.OsPlatform),
        "Ext/Microsoft/LocalTime" => CspReadResult.Of(_time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)),
        DeviceNamePath => CspReadResult.Of(DeviceName),
        "Ext/Microsoft/TotalStorage" => CspReadResult.Of(Number(_profile.TotalStorageMb)),
        "Ext/Microsoft/TotalRAM" => CspReadResult.Of(Number(_profile.TotalRamMb)),
        "Ext/WLANMACAddress" => CspReadResult.Of(_profile.WlanMacAddress),
        "Ext/VoLTEServiceSetting" => CspReadResult.Of(_profile.VoLteServiceSetting ? "true" : "false"),
        "Ext/WlanIPv4Address" => CspReadResult.Of(_profile.WlanIPv4Address),
        "Ext/WlanIPv6Address" => CspReadResult.Of(_profile.WlanIPv6Address),
        "Ext/WlanDnsSuffix" => CspReadResult.Of(_profile.WlanDnsSuffix),
        "Ext/WlanSubnetMask" => CspReadResult.Of(_profile.WlanSubnetMask),
        "Ext/DeviceHardwareData" => CspReadResult.Of(_profile.DeviceHardwareData),
        _ => CspReadResult.FromTree,
    };

    private CspResult Check(CspWriteContext context)
    {
        if (context.RelativePath != DeviceNamePath || context.Kind != CspWriteKind.Replace)
        {
            return CspResult.Ok;
        }

        if (string.IsNullOrWhiteSpace(context.NewValue))
        {
            return CspResult.Fail(SyncML.StatusCodes.CommandFailed);
        }

        var previous = PendingDeviceName;
        PendingDeviceName = context.NewValue;
        return CspResult.Success(() => PendingDeviceName = previous);
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}

using System.Globalization;
using DeviceAgent.Dm;

namespace DeviceAgent.Csp;

/// <summary>
/// The generic DDF-backed store of every CSP that has no handler of its own (docs/csp-coverage.md "Generic store").
/// The executor already checks access type, format, allowed values, occurrence and scope against the DDF and keeps
/// settings in the tree; this store adds what only the device knows: a Get of a device-owned leaf (Get is the only
/// access, nothing stored) answers the device's value from its <see cref="DeviceProfile"/>, else the DDF DefaultValue,
/// else the value a device with nothing to report gives for the format (docs/csp-coverage.md lists the choices).
/// The executor answers an Exec it routes here with <see cref="DmExecutorOptions.UnimplementedExecStatus"/>.
/// </summary>
public sealed class DdfNodeStore : CspHandler
{
    private readonly Dictionary<string, Func<string?>> _deviceValues;
    private readonly TimeProvider _time;

    /// <summary>A store answering device-owned leaves from <paramref name="profile"/>; <paramref name="time"/> dates time- and date-format leaves with nothing to report.</summary>
    public DdfNodeStore(DeviceProfile profile, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _deviceValues = DeviceValues(profile);
    }

    /// <summary>
    /// Creates the instances of dynamic nodes that the device itself names (DeviceStatus CSP page): its cellular
    /// identity under CellularIdentities/{IMEI} and its Wi-Fi adapter under NetworkIdentifiers/{MacAddress}.
    /// </summary>
    public static void CreateDeviceInstances(DmTree tree, DeviceProfile profile)
    {
        ArgumentNullException.ThrowIfNull(tree);
        ArgumentNullException.ThrowIfNull(profile);
        tree.Change(() =>
        {
            Create(tree, "./Device/Vendor/MSFT/DeviceStatus/CellularIdentities", profile.Imei);
            Create(tree, "./Device/Vendor/MSFT/DeviceStatus/NetworkIdentifiers", profile.WlanMacAddress);
            return true;
        });

        static void Create(DmTree tree, string parentPath, string? name)
        {
            if (name is not null && tree.Find(parentPath) is { Schema.DynamicChild: { } dynamic } parent && parent.FindChild(name) is null)
            {
                parent.CreateChild(name, dynamic);
            }
        }
    }

    /// <summary>None: the executor routes to this store every CSP node that no other handler's root covers.</summary>
    public override IReadOnlyList<string> Roots { get; } = [];

    /// <summary>Answers a Get-only leaf with the device's value, else the DDF DefaultValue, else what a device with nothing to report gives for the format; stored values come from the tree.</summary>
    public override ValueTask<CspReadResult> GetAsync(CspContext context, CancellationToken cancellationToken)
    {
        var schema = context.Schema;
        if (schema.IsInterior || context.Node?.Value is not null || !IsDeviceOwned(schema))
        {
            return new(CspReadResult.FromTree);
        }

        if (_deviceValues.TryGetValue(Key(schema), out var value))
        {
            return new(CspReadResult.Of(value()));
        }

        if (schema.Definition?.DefaultValue is { } fallback)
        {
            return new(CspReadResult.Of(schema.Format == DdfFormat.Bool ? fallback.ToLowerInvariant() : fallback));
        }

        return new(CspReadResult.Of(NothingToReport(schema.Format)));
    }

    /// <summary>A leaf only the device writes: the DDF allows Get and nothing else.</summary>
    public static bool IsDeviceOwned(DmSchemaNode schema) =>
        !schema.IsInterior && (schema.AccessType & ~DdfAccessType.Get) == DdfAccessType.None && (schema.AccessType & DdfAccessType.Get) != 0;

    /// <summary>The node's path from its CSP root with dynamic segments written {}: "DeviceStatus/CellularIdentities/{}/IMSI".</summary>
    public static string Key(DmSchemaNode schema)
    {
        var names = new List<string>();
        for (var s = schema; s is not null && !s.IsSynthetic; s = s.Parent)
        {
            names.Add(s.IsDynamicName ? "{}" : s.Name);
        }

        names.Reverse();
        return string.Join('/', names);
    }

    // What a device answers for a status it has nothing to report in (no failure, no count, no text).
    private string? NothingToReport(DdfFormat format) => format switch
    {
        DdfFormat.Int or DdfFormat.Float => "0",
        DdfFormat.Bool => "false",
        DdfFormat.Time => _time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        DdfFormat.Date => _time.GetUtcNow().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DdfFormat.Null => null,
        _ => "",
    };

    // Device-owned values from the device's specification, by CSP-relative path (CSP pages named in docs/csp-coverage.md).
    private static Dictionary<string, Func<string?>> DeviceValues(DeviceProfile p)
    {
        static string N(int value) => value.ToString(CultureInfo.InvariantCulture);
        static string F(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);
        static string B(bool value) => value ? "true" : "false";
        return new Dictionary<string, Func<string?>>(StringComparer.Ordinal)
        {
            // DeviceStatus CSP.
            ["DeviceStatus/SecureBootState"] = () => N(p.SecureBootState),
            ["DeviceStatus/CellularIdentities/{}/IMSI"] = () => p.Imsi,
            ["DeviceStatus/CellularIdentities/{}/ICCID"] = () => p.Iccid,
            ["DeviceStatus/CellularIdentities/{}/PhoneNumber"] = () => p.PhoneNumber,
            ["DeviceStatus/CellularIdentities/{}/CommercializationOperator"] = () => p.CommercializationOperator,
            ["DeviceStatus/CellularIdentities/{}/RoamingStatus"] = () => B(false),
            ["DeviceStatus/CellularIdentities/{}/RoamingCompliance"] = () => B(true),
            ["DeviceStatus/NetworkIdentifiers/{}/IPAddressV4"] = () => p.WlanIPv4Address,
            ["DeviceStatus/NetworkIdentifiers/{}/IPAddressV6"] = () => p.WlanIPv6Address,
            ["DeviceStatus/NetworkIdentifiers/{}/IsConnected"] = () => B(p.WlanIPv4Address is not null),
            ["DeviceStatus/NetworkIdentifiers/{}/Type"] = () => N(2), // 2 = WLAN (DeviceStatus CSP page)
            ["DeviceStatus/Compliance/EncryptionCompliance"] = () => B(p.StorageEncrypted),
            ["DeviceStatus/OS/Edition"] = () => N(p.OsEdition),
            ["DeviceStatus/Battery/Status"] = () => N(p.BatteryStatus),
            ["DeviceStatus/Battery/EstimatedChargeRemaining"] = () => N(p.BatteryChargePercent),
            ["DeviceStatus/Battery/EstimatedRuntime"] = () => N(p.BatteryRuntimeSeconds),
            ["DeviceStatus/TPM/SpecificationVersion"] = () => p.TpmSpecificationVersion,
            // WindowsLicensing CSP.
            ["WindowsLicensing/Edition"] = () => N(p.OsEdition),
            ["WindowsLicensing/LicenseKeyType"] = () => p.LicenseKeyType,
            // HealthAttestation CSP: TPM ready (1), no attestation asked for yet (Status 0).
            ["HealthAttestation/TpmReadyStatus"] = () => N(p.TpmSpecificationVersion is null ? 0 : 1),
            // RemoteFind CSP: the phone's last known position.
            ["RemoteFind/Location/Latitude"] = () => F(p.Latitude),
            ["RemoteFind/Location/Longitude"] = () => F(p.Longitude),
            ["RemoteFind/Location/Altitude"] = () => F(p.Altitude),
            ["RemoteFind/Location/Accuracy"] = () => N(p.LocationAccuracyMeters),
            ["RemoteFind/Location/AltitudeAccuracy"] = () => N(p.LocationAccuracyMeters * 2),
        };
    }
}

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

        var key = Key(schema);
        if (key == CspVersionsKey)
        {
            return new(CspReadResult.Of(CspVersions(context.Tree.Schema)));
        }

        if (_deviceValues.TryGetValue(key, out var value))
        {
            return new(CspReadResult.Of(value()));
        }

        if (s_idleValues.TryGetValue(key, out var idle))
        {
            return new(CspReadResult.Of(idle.Value));
        }

        if (schema.Definition?.DefaultValue is { } fallback)
        {
            return new(CspReadResult.Of(schema.Format == DdfFormat.Bool ? fallback.ToLowerInvariant() : fallback));
        }

        return new(CspReadResult.Of(NothingToReport(schema.Format)));
    }

    /// <summary>
    /// True when a Get of <paramref name="schema"/> (a device-owned leaf this store serves) would answer the format's
    /// nothing-to-report value: neither the device spec, nor <see cref="IdleValues"/>, nor the DDF gives it one.
    /// Only leaves under instances a server creates (an SCEP request's status ...) should; tests hold that true.
    /// </summary>
    public bool AnswersNothingToReport(DmSchemaNode schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var key = Key(schema);
        return key != CspVersionsKey && !_deviceValues.ContainsKey(key) && !s_idleValues.ContainsKey(key) && schema.Definition?.DefaultValue is null;
    }

    /// <summary>
    /// Device-owned status leaves that no device spec field feeds, with the value an idle Windows 10 Mobile phone
    /// answers and why (docs/csp-coverage.md "Generic store"). An empty value is an empty list or nothing issued yet.
    /// </summary>
    public static IReadOnlyDictionary<string, (string Value, string Why)> IdleValues => s_idleValues;

    private static readonly Dictionary<string, (string Value, string Why)> s_idleValues = new(StringComparer.Ordinal)
    {
        ["DeviceStatus/UAC/Status"] = ("0", "Windows 10 Mobile has no User Account Control: off"),
        ["DeviceStatus/DomainName"] = ("", "the phone is joined to no domain (DDF: the name \"if any\")"),
        ["DeviceStatus/DeviceGuard/VirtualizationBasedSecurityHwReq"] = ("8", "no Hyper-V on a phone (8: Hyper-V not available)"),
        ["DeviceStatus/DeviceGuard/VirtualizationBasedSecurityStatus"] = ("2", "VBS needs a 64-bit architecture (2); the phone is 32-bit ARM"),
        ["DeviceStatus/DeviceGuard/LsaCfgCredGuardStatus"] = ("4", "Credential Guard cannot run without VBS (4: VBS not running)"),
        ["DynamicManagement/ActiveList"] = ("", "no dynamic management context is active"),
        ["EnterpriseDataProtection/Status"] = ("0", "no Windows Information Protection policy applied"),
        ["EnterpriseModernAppManagement/AppManagement/LastScanError"] = ("0", "no update scan has failed"),
        ["HealthAttestation/Status"] = ("0", "no health attestation requested yet (uninitialized)"),
        ["HealthAttestation/Certificate"] = ("", "no health certificate issued yet"),
        ["HealthAttestation/CorrelationID"] = ("", "no health attestation requested yet"),
        ["HealthAttestation/CurrentProtocolVersion"] = ("3", "our choice: no document found gives the 1709 client's protocol version"),
        ["HealthAttestation/MaxSupportedProtocolVersion"] = ("3", "our choice: no document found gives the 1709 client's protocol version"),
        ["Messaging/Auditing/Messages/Data"] = ("", "no message audited"),
        ["NetworkQoSPolicy/Version"] = ("1", "the DDF says only \"Version information\"; our choice: 1"),
        ["Reporting/EnterpriseDataProtection/RetrieveByTimeRange/Logs"] = ("", "no audit log entries"),
        ["Reporting/EnterpriseDataProtection/RetrieveByCount/Logs"] = ("", "no audit log entries"),
        ["Reporting/SecurityAuditing/RetrieveByTimeRange/Logs"] = ("", "no audit log entries"),
        ["Reporting/SecurityAuditing/RetrieveByCount/Logs"] = ("", "no audit log entries"),
        ["WindowsLicensing/Status"] = ("4", "no edition upgrade requested: 4 = Unknown (DDF description)"),
    };

    private const string CspVersionsKey = "DeviceManageability/Capabilities/CSPVersions";

    /// <summary>
    /// DeviceManageability/Capabilities/CSPVersions: every CSP of the device's tree with its version, the version of the
    /// DDF's root DFType ("com.microsoft/1.3/MDM/DMClient" gives 1.3), else 1.0. The DeviceManageability CSP page
    /// states the content, not the layout; the element and attribute names are our choice (docs/csps.md).
    /// </summary>
    public static string CspVersions(DmSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var builder = new System.Text.StringBuilder("<DeviceManageability><Capabilities><CSPVersions>");
        Append(schema.Root);
        builder.Append("</CSPVersions></Capabilities></DeviceManageability>");
        return builder.ToString();

        void Append(DmSchemaNode node)
        {
            foreach (var child in node.Children)
            {
                if (child.IsSynthetic)
                {
                    Append(child);
                    continue;
                }

                var version = VersionOf(child.Definition!.MimeType) ?? VersionOf(child.Definition.DdfName) ?? "1.0";
                builder.Append("<CSP Node=\"").Append(System.Security.SecurityElement.Escape(child.Path)).Append("\" Version=\"").Append(version).Append("\"/>");
            }
        }

        static string? VersionOf(string? type)
        {
            // "com.microsoft/<version>/MDM/<CSP>" (the DFType of the DDF downloads that carry one).
            var parts = type?.Split('/');
            return parts is { Length: >= 4 } && parts[0] == "com.microsoft" && Version.TryParse(parts[1], out _) ? parts[1] : null;
        }
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
        static string B(bool value) => value ? "true" : "false";
        return new Dictionary<string, Func<string?>>(StringComparer.Ordinal)
        {
            // DeviceStatus CSP.
            ["DeviceStatus/SecureBootState"] = () => N(p.SecureBootState),
            ["DeviceStatus/CellularIdentities/{}/IMSI"] = () => p.Imsi,
            ["DeviceStatus/CellularIdentities/{}/ICCID"] = () => p.Iccid,
            ["DeviceStatus/CellularIdentities/{}/PhoneNumber"] = () => p.PhoneNumber,
            ["DeviceStatus/CellularIdentities/{}/CommercializationOperator"] = () => p.CommercializationOperator,
            ["DeviceStatus/CellularIdentities/{}/RoamingStatus"] = () => B(p.Roaming),
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
        };
    }
}

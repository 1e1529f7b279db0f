namespace DeviceAgent.Dm;

/// <summary>How a value whose Meta/Format differs from the node's DDF DFFormat is treated (docs/reference/omadm.md §10; docs/dm-tree.md).</summary>
public enum DmFormatMode
{
    /// <summary>Coerce the Data to the node's format (True/true/1 to a bool leaf); 415 only when it cannot be read as that format.</summary>
    Lenient,

    /// <summary>415 whenever Meta/Format (default chr) differs from the DDF DFFormat.</summary>
    Strict,
}

/// <summary>
/// What a device reports about itself (DevInfo, DevDetail, DMClient) and how its DM tree behaves. Values are what the
/// device answers; null means the node answers 404 (e.g. no cellular radio: no MobileID).
/// </summary>
public sealed record DeviceProfile
{
    /// <summary>DevInfo/Man: the OEM name.</summary>
    public required string Manufacturer { get; init; }

    /// <summary>DevInfo/Mod: the model as the operator names it.</summary>
    public required string Model { get; init; }

    /// <summary>DevDetail/DevTyp: the model name as the manufacturer tracks it (SystemProductName).</summary>
    public required string DeviceType { get; init; }

    /// <summary>DevDetail/OEM.</summary>
    public required string Oem { get; init; }

    /// <summary>DevDetail/SwV: the OS build, Major.Minor.Build.QFE (e.g. 10.0.15063.297); also selects the DDF set.</summary>
    public required string OsBuild { get; init; }

    /// <summary>DevDetail/Ext/Microsoft/OSPlatform.</summary>
    public string OsPlatform { get; init; } = "Windows 10 Mobile";

    /// <summary>DevInfo/DevId: the GUID the device uses as SyncHdr Source/LocURI (or the IMEI with DMAcc UseHwDevID).</summary>
    public required string DevId { get; init; }

    /// <summary>DMClient/HWDevID and DMClient/Provider/{ProviderID}/HWDevID.</summary>
    public required string HwDevId { get; init; }

    /// <summary>The phone's IMEI (reported as DevId when DMAcc UseHwDevID is set).</summary>
    public string? Imei { get; init; }

    /// <summary>DevDetail/Ext/Microsoft/MobileID (the IMSI), or null without a SIM.</summary>
    public string? Imsi { get; init; }

    /// <summary>DevInfo/Lang (RFC 1766).</summary>
    public string Language { get; init; } = "en-US";

    /// <summary>DevInfo/DmV: the management client revision.</summary>
    public string DmV { get; init; } = "1.3";

    /// <summary>DevDetail/FwV.</summary>
    public required string FirmwareVersion { get; init; }

    /// <summary>DevDetail/HwV.</summary>
    public required string HardwareVersion { get; init; }

    /// <summary>DevDetail/Ext/Microsoft/RadioSwV.</summary>
    public string? RadioSoftwareVersion { get; init; }

    /// <summary>DevDetail/Ext/Microsoft/CommercializationOperator, or null when the phone has none.</summary>
    public string? CommercializationOperator { get; init; }

    /// <summary>DevDetail/Ext/Microsoft/DeviceName.</summary>
    public string DeviceName { get; init; } = "Windows Phone";

    /// <summary>DevDetail/Ext/Microsoft/Resolution, WidthxHeight.</summary>
    public string Resolution { get; init; } = "1440x2560";

    /// <summary>DevDetail/Ext/Microsoft/ProcessorArchitecture: SYSTEM_INFO wProcessorArchitecture (5 = ARM).</summary>
    public int ProcessorArchitecture { get; init; } = 5;

    /// <summary>DevDetail/Ext/Microsoft/ProcessorType: SYSTEM_INFO dwProcessorType.</summary>
    public int ProcessorType { get; init; }

    /// <summary>DevDetail/Ext/Microsoft/TotalRAM in MB.</summary>
    public int TotalRamMb { get; init; } = 3072;

    /// <summary>DevDetail/Ext/Microsoft/TotalStorage in MB.</summary>
    public int TotalStorageMb { get; init; } = 32768;

    /// <summary>Free storage in MB (no node of the 1703/1709 DDFs reports it; docs/emulator.md).</summary>
    public int FreeStorageMb { get; init; } = 16384;

    /// <summary>DevDetail/Ext/WLANMACAddress: 12 hex digits.</summary>
    public string? WlanMacAddress { get; init; }

    /// <summary>The Bluetooth adapter's address, 12 hex digits (no node of the 1703/1709 DDFs reports it; docs/emulator.md).</summary>
    public string? BluetoothMacAddress { get; init; }

    /// <summary>DevDetail/Ext/Microsoft WLAN IPv4 address, or null when the device reports none.</summary>
    public string? WlanIPv4Address { get; init; }
    /// <summary>DevDetail/Ext/Microsoft WLAN IPv6 address, or null.</summary>
    public string? WlanIPv6Address { get; init; }
    /// <summary>DevDetail/Ext/Microsoft WLAN DNS suffix, or null.</summary>
    public string? WlanDnsSuffix { get; init; }
    /// <summary>DevDetail/Ext/Microsoft WLAN subnet mask, or null.</summary>
    public string? WlanSubnetMask { get; init; }

    /// <summary>DevDetail/Ext/VoLTEServiceSetting.</summary>
    public bool VoLteServiceSetting { get; init; }

    /// <summary>DevDetail/Ext/DeviceHardwareData: base64 hardware blob (1703+).</summary>
    public string? DeviceHardwareData { get; init; }

    /// <summary>True for an Azure AD (Entra) joined device.</summary>
    public bool AzureAdJoined { get; init; } = true;

    /// <summary>DMClient/Provider/{ProviderID}/AADDeviceID (the Entra device id) for a joined device.</summary>
    public string? AadDeviceId { get; init; }

    /// <summary>DMClient/Provider/{ProviderID}/EnrollmentType ("Device" or "Full").</summary>
    public string EnrollmentType { get; init; } = "Full";

    /// <summary>The user signed in at boot (owner of ./User), or null.</summary>
    public string? SignedInUser { get; init; }

    /// <summary>The signed-in user's security identifier, as app inventory lists registered users (Users).</summary>
    public string UserSid { get; init; } = "S-1-5-21-1-2-3-1001";

    /// <summary>
    /// The OS edition as GetProductInfo numbers it (DeviceStatus/OS/Edition, WindowsLicensing/Edition): 104 (0x68)
    /// Windows 10 Mobile, 133 (0x85) Windows 10 Mobile Enterprise.
    /// </summary>
    public int OsEdition { get; init; } = 104;

    /// <summary>WindowsLicensing/LicenseKeyType: how the installed edition is licensed ("OEM" for a phone's own licence).</summary>
    public string LicenseKeyType { get; init; } = "OEM";

    /// <summary>DeviceStatus/SecureBootState: 0 not supported, 1 enabled, 2 disabled.</summary>
    public int SecureBootState { get; init; } = 1;

    /// <summary>DeviceStatus/Compliance/EncryptionCompliance: device storage encrypted.</summary>
    public bool StorageEncrypted { get; init; } = true;

    /// <summary>DeviceStatus/TPM/SpecificationVersion, or null without a TPM.</summary>
    public string? TpmSpecificationVersion { get; init; } = "2.0";

    /// <summary>SIM card serial number (DeviceStatus/CellularIdentities/{IMEI}/ICCID), or null without a SIM.</summary>
    public string? Iccid { get; init; }

    /// <summary>The SIM's phone number (DeviceStatus/CellularIdentities/{IMEI}/PhoneNumber), or null.</summary>
    public string? PhoneNumber { get; init; }

    /// <summary>DeviceStatus/CellularIdentities/{IMEI}/RoamingStatus.</summary>
    public bool Roaming { get; init; }

    /// <summary>DeviceStatus/Battery/Status (Win32_Battery BatteryStatus: 1 discharging, 2 on AC power).</summary>
    public int BatteryStatus { get; init; } = 1;

    /// <summary>DeviceStatus/Battery/EstimatedChargeRemaining in percent.</summary>
    public int BatteryChargePercent { get; init; } = 80;

    /// <summary>DeviceStatus/Battery/EstimatedRuntime in seconds.</summary>
    public int BatteryRuntimeSeconds { get; init; } = 36000;

    /// <summary>RemoteFind/Location: the phone's last known position (WGS 84 degrees, metres).</summary>
    public double Latitude { get; init; } = 47.6396;

    /// <summary>RemoteFind/Location longitude in WGS 84 degrees.</summary>
    public double Longitude { get; init; } = -122.1283;

    /// <summary>RemoteFind/Location altitude in metres.</summary>
    public double Altitude { get; init; } = 56;

    /// <summary>RemoteFind/Location accuracy radius in metres.</summary>
    public int LocationAccuracyMeters { get; init; } = 20;

    /// <summary>RemoteFind/Location/AltitudeAccuracy in metres.</summary>
    public int AltitudeAccuracyMeters { get; init; } = 40;

    /// <summary>How old the last location fix is when a server asks (RemoteFind/Location/Age).</summary>
    public TimeSpan LocationFixAge { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The packaged apps on the phone (EnterpriseModernAppManagement AppManagement inventory).</summary>
    public IReadOnlyList<InstalledApp> InstalledApps { get; init; } = [];

    /// <summary>The DDF set ("1703", "1709", "2025-02"); null chooses it from <see cref="OsBuild"/>.</summary>
    public string? DdfSet { get; init; }

    /// <summary>How this device treats Format mismatches.</summary>
    public DmFormatMode FormatMode { get; init; } = DmFormatMode.Lenient;
}

/// <summary>Ready-made device profiles of the embedded default spec (<see cref="PhoneSpec.Default"/>), drawn from a seeded random source (same seed, same device).</summary>
public static class DeviceProfiles
{
    /// <summary>The signed-in user of the ready-made profiles unless the caller names another.</summary>
    public const string DefaultUser = "user@contoso.onmicrosoft.com";

    /// <summary>
    /// An Azure AD joined Windows 10 Mobile phone on the Creators Update (10.0.15063) of the default spec (an
    /// illustrative Lumia 950-class phone); <paramref name="signedInUser"/> is the signed-in user (null: nobody).
    /// </summary>
    public static DeviceProfile Win10Mobile1703(Random random, string? signedInUser = DefaultUser) =>
        PhoneSpec.Default.CreateProfile(random, null, signedInUser);

    /// <summary>
    /// The same phone on the Fall Creators Update feature release of Windows 10 Mobile (10.0.15254), the last one;
    /// drawn from <paramref name="random"/> like <see cref="Win10Mobile1703"/>.
    /// </summary>
    public static DeviceProfile Win10Mobile1709(Random random, string? signedInUser = DefaultUser) =>
        AsWin10Mobile1709(Win10Mobile1703(random, signedInUser));

    /// <summary>A 1703 profile moved to the 1709 release (OS build 10.0.15254.490); the firmware stays the device spec's.</summary>
    public static DeviceProfile AsWin10Mobile1709(DeviceProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return profile with { OsBuild = "10.0.15254.490" };
    }
}

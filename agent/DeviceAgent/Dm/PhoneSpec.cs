using System.Globalization;
using System.Text;

namespace DeviceAgent.Dm;

/// <summary>A range of whole numbers a per-device value is drawn from (both ends included).</summary>
public readonly record struct SpecRange(int Min, int Max)
{
    /// <summary>A value of the range drawn from <paramref name="random"/>.</summary>
    public int Draw(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return random.Next(Min, Max + 1);
    }
}

/// <summary>Where an app package comes from, as EnterpriseModernAppManagement files it under AppManagement (Enterprise app management page).</summary>
public enum AppOrigin
{
    /// <summary>Acquired from the Microsoft Store (AppManagement/AppStore).</summary>
    AppStore,

    /// <summary>Not acquired from the Store (AppManagement/nonStore).</summary>
    NonStore,

    /// <summary>Part of the OS, read-only (AppManagement/System).</summary>
    System,
}

/// <summary>
/// An app package installed on the phone, as EnterpriseModernAppManagement reports it under
/// AppManagement/{origin}/{PackageFamilyName}/{PackageFullName} (EnterpriseModernAppManagement CSP page).
/// </summary>
public sealed record InstalledApp
{
    /// <summary>The package family name: identity name, '_', publisher ID (Microsoft.WindowsCalculator_8wekyb3d8bbwe).</summary>
    public required string PackageFamilyName { get; init; }

    /// <summary>AppStore, nonStore or System.</summary>
    public required AppOrigin Origin { get; init; }

    /// <summary>The package version, four numbers (10.1705.1301.0).</summary>
    public required string Version { get; init; }

    /// <summary>The package's processor architecture as package names write it (arm, x86, x64, neutral).</summary>
    public required string Architecture { get; init; }

    /// <summary>The publisher's distinguished name.</summary>
    public string Publisher { get; init; } = MicrosoftPublisher;

    /// <summary>True for a framework package (IsFramework 1).</summary>
    public bool IsFramework { get; init; }

    /// <summary>When the package was installed (InstallDate).</summary>
    public DateTimeOffset InstallDate { get; init; }

    /// <summary>The publisher DN of Microsoft's packages.</summary>
    public const string MicrosoftPublisher = "CN=Microsoft Corporation, O=Microsoft Corporation, L=Redmond, S=Washington, C=US";

    /// <summary>The package identity name: the family name before its last '_'.</summary>
    public string Name => PackageFamilyName[..PackageFamilyName.LastIndexOf('_')];

    /// <summary>The publisher ID: the family name after its last '_'.</summary>
    public string PublisherId => PackageFamilyName[(PackageFamilyName.LastIndexOf('_') + 1)..];

    /// <summary>The package full name: Name_Version_Architecture_ResourceId_PublisherId (main packages have no resource ID).</summary>
    public string PackageFullName => $"{Name}_{Version}_{Architecture}__{PublisherId}";

    /// <summary>
    /// Where the package lives on a Windows 10 Mobile phone: OS apps in C:\Windows\SystemApps\{family name}, others in
    /// C:\Data\Programs\WindowsApps\{full name} (our choice, docs/csps.md "EnterpriseModernAppManagement").
    /// </summary>
    public string InstallLocation => Origin == AppOrigin.System
        ? $@"C:\Windows\SystemApps\{PackageFamilyName}"
        : $@"C:\Data\Programs\WindowsApps\{PackageFullName}";

    /// <summary>The AppManagement child this origin is filed under: AppStore, nonStore or System.</summary>
    public string OriginNodeName => OriginName(Origin);

    /// <summary>The AppManagement node name of <paramref name="origin"/>.</summary>
    public static string OriginName(AppOrigin origin) => origin switch
    {
        AppOrigin.AppStore => "AppStore",
        AppOrigin.NonStore => "nonStore",
        _ => "System",
    };
}

/// <summary>
/// The place of a device in its run: devices of one run share <see cref="RunSeed"/> and have distinct numbers, so
/// identifiers numbered from it (the IMEI serial, the NIC half of the MAC addresses) never repeat within the run.
/// </summary>
public readonly record struct DeviceNumber(int RunSeed, int Number);

/// <summary>
/// A phone's specification (the YAML of docs/emulator.md "Device specification"): what the hardware and OS are, and
/// how per-device values (IMEI, MAC addresses, battery, free storage, location) are drawn. <see cref="CreateProfile"/>
/// turns it into one device's <see cref="DeviceProfile"/>. <see cref="Default"/> is the embedded Lumia 950-class spec.
/// </summary>
public sealed record PhoneSpec
{
    /// <summary>The file name of the embedded default spec, as errors in it name it.</summary>
    public const string DefaultSpecName = "default-phone.yaml";

    private static readonly Lazy<PhoneSpec> s_default = new(LoadDefault);

    /// <summary>The embedded default spec: an illustrative 2017 Lumia 950-class Windows 10 Mobile phone.</summary>
    public static PhoneSpec Default => s_default.Value;

    /// <summary>Where the spec was read from (a file path, or <see cref="DefaultSpecName"/>).</summary>
    public string Source { get; init; } = DefaultSpecName;

    /// <summary>DevInfo/Mod.</summary>
    public required string Model { get; init; }
    /// <summary>DevInfo/Man.</summary>
    public required string Manufacturer { get; init; }
    /// <summary>DevDetail/OEM.</summary>
    public required string Oem { get; init; }
    /// <summary>DevDetail/DevTyp.</summary>
    public required string DeviceType { get; init; }
    /// <summary>DevDetail/HwV.</summary>
    public required string HardwareVersion { get; init; }
    /// <summary>DevDetail/FwV.</summary>
    public required string FirmwareVersion { get; init; }
    /// <summary>DevDetail/Ext/Microsoft/RadioSwV.</summary>
    public required string RadioSoftwareVersion { get; init; }
    /// <summary>DevDetail/Ext/Microsoft/ProcessorArchitecture.</summary>
    public required int ProcessorArchitecture { get; init; }
    /// <summary>DevDetail/Ext/Microsoft/ProcessorType.</summary>
    public required int ProcessorType { get; init; }
    /// <summary>DevDetail/Ext/Microsoft/TotalRAM in MB.</summary>
    public required int RamMb { get; init; }
    /// <summary>DevDetail/Ext/Microsoft/TotalStorage in MB.</summary>
    public required int TotalStorageMb { get; init; }
    /// <summary>Free storage in MB, drawn per device.</summary>
    public required SpecRange FreeStorageMb { get; init; }
    /// <summary>DevDetail/Ext/Microsoft/Resolution, WidthxHeight.</summary>
    public required string Resolution { get; init; }
    /// <summary>DevDetail/Ext/Microsoft/OSPlatform.</summary>
    public required string OsPlatform { get; init; }
    /// <summary>DeviceStatus/OS/Edition and WindowsLicensing/Edition (GetProductInfo number).</summary>
    public required int OsEdition { get; init; }
    /// <summary>WindowsLicensing/LicenseKeyType.</summary>
    public required string LicenseKeyType { get; init; }
    /// <summary>DevInfo/Lang.</summary>
    public required string Language { get; init; }
    /// <summary>DeviceStatus/Battery/Status (Win32_Battery BatteryStatus).</summary>
    public required int BatteryStatus { get; init; }
    /// <summary>DeviceStatus/Battery/EstimatedChargeRemaining, drawn per device.</summary>
    public required SpecRange BatteryLevelPercent { get; init; }
    /// <summary>Hours a full battery lasts; EstimatedRuntime is the level's share of it.</summary>
    public required int BatteryFullRuntimeHours { get; init; }
    /// <summary>The IMEI's 8-digit type allocation code.</summary>
    public required string ImeiTac { get; init; }
    /// <summary>IMSI pattern: digits, '#' for a digit drawn per device (15 in all).</summary>
    public required string ImsiPattern { get; init; }
    /// <summary>ICCID pattern of 18 digits ('#' drawn); the Luhn check digit is appended.</summary>
    public required string IccidPattern { get; init; }
    /// <summary>Phone number pattern ('+' then digits, '#' drawn).</summary>
    public required string PhoneNumberPattern { get; init; }
    /// <summary>DeviceStatus/CellularIdentities CommercializationOperator and DevDetail's.</summary>
    public required string CommercializationOperator { get; init; }
    /// <summary>DeviceStatus/CellularIdentities RoamingStatus.</summary>
    public required bool Roaming { get; init; }
    /// <summary>DevDetail/Ext/VoLTEServiceSetting.</summary>
    public required bool VoLte { get; init; }
    /// <summary>The Wi-Fi adapter's OUI: 3 bytes.</summary>
    public required byte[] WifiMacPrefix { get; init; }
    /// <summary>The Wi-Fi network: the device's address is drawn in it.</summary>
    public required Ipv4Network WifiNetwork { get; init; }
    /// <summary>DevDetail/Ext/WlanDnsSuffix.</summary>
    public required string WifiDnsSuffix { get; init; }
    /// <summary>The Bluetooth adapter's OUI: 3 bytes.</summary>
    public required byte[] BluetoothMacPrefix { get; init; }
    /// <summary>DeviceStatus/SecureBootState: 0 not supported, 1 enabled, 2 disabled.</summary>
    public required int SecureBootState { get; init; }
    /// <summary>DeviceStatus/TPM/SpecificationVersion, or null without a TPM.</summary>
    public required string? TpmVersion { get; init; }
    /// <summary>DeviceStatus/Compliance/EncryptionCompliance.</summary>
    public required bool StorageEncrypted { get; init; }
    /// <summary>The centre of the devices' positions, WGS 84 degrees.</summary>
    public required double Latitude { get; init; }
    /// <summary>The centre's longitude, WGS 84 degrees.</summary>
    public required double Longitude { get; init; }
    /// <summary>Altitude in metres.</summary>
    public required double AltitudeMeters { get; init; }
    /// <summary>RemoteFind Accuracy in metres.</summary>
    public required int AccuracyMeters { get; init; }
    /// <summary>RemoteFind AltitudeAccuracy in metres.</summary>
    public required int AltitudeAccuracyMeters { get; init; }
    /// <summary>Devices are placed within this distance (metres) of the centre.</summary>
    public required int SpreadMeters { get; init; }
    /// <summary>How old the last location fix is when a server asks.</summary>
    public required TimeSpan FixAge { get; init; }
    /// <summary>The in-box apps.</summary>
    public required IReadOnlyList<InstalledApp> Apps { get; init; }

    /// <summary>
    /// One device of this spec. Values are drawn from <paramref name="random"/> (the device's seeded source) in a fixed
    /// order; with <paramref name="number"/> the IMEI serial and the MACs' NIC halves are the run's base plus the
    /// device number, so devices of one run never share them (without it they are drawn). Values drawn after the
    /// identity come from a second source seeded by the IMEI, so the caller's stream is the same for every spec.
    /// </summary>
    public DeviceProfile CreateProfile(Random random, DeviceNumber? number = null, string? signedInUser = DeviceProfiles.DefaultUser)
    {
        ArgumentNullException.ThrowIfNull(random);
        var devId = NewGuid(random).ToString("D");
        var hwDevId = Hex(random, 32);
        var drawnSerial = int.Parse(Digits(random, 6), CultureInfo.InvariantCulture);
        var imsi = Fill(random, ImsiPattern);
        var drawnMac = Bytes(random, 6);
        var host = random.Next(2, 254);
        var ipv6 = "fe80::" + Hex(random, 2).ToLowerInvariant() + ":" + Hex(random, 2).ToLowerInvariant();
        var hardwareData = Convert.ToBase64String(Bytes(random, 96));
        var aadDeviceId = NewGuid(random).ToString("D");

        var runBase = number is { } n ? new Random(n.RunSeed).Next(1 << 24) : 0;
        var serial = number is { } s ? (runBase + s.Number) % 1_000_000 : drawnSerial;
        var nic = number is { } m ? (runBase + m.Number) & 0xFFFFFF : (drawnMac[3] << 16) | (drawnMac[4] << 8) | drawnMac[5];
        var imei = WithLuhn(ImeiTac + serial.ToString("D6", CultureInfo.InvariantCulture));
        var spare = new Random((int)(long.Parse(imei, CultureInfo.InvariantCulture) % int.MaxValue));
        var iccid = WithLuhn(Fill(spare, IccidPattern));
        var phoneNumber = Fill(spare, PhoneNumberPattern);
        var level = BatteryLevelPercent.Draw(spare);
        var free = FreeStorageMb.Draw(spare);
        var (latitude, longitude) = Offset(spare);
        var userSid = string.Create(CultureInfo.InvariantCulture, $"S-1-5-21-{spare.Next()}-{spare.Next()}-{spare.Next()}-1001");
        return new DeviceProfile
        {
            Manufacturer = Manufacturer,
            Model = Model,
            DeviceType = DeviceType,
            Oem = Oem,
            OsBuild = "10.0.15063.297",
            OsPlatform = OsPlatform,
            DevId = devId,
            HwDevId = hwDevId,
            Imei = imei,
            Imsi = imsi,
            Language = Language,
            FirmwareVersion = FirmwareVersion,
            HardwareVersion = HardwareVersion,
            RadioSoftwareVersion = RadioSoftwareVersion,
            CommercializationOperator = CommercializationOperator,
            Resolution = Resolution,
            ProcessorArchitecture = ProcessorArchitecture,
            ProcessorType = ProcessorType,
            TotalRamMb = RamMb,
            TotalStorageMb = TotalStorageMb,
            FreeStorageMb = Math.Min(free, TotalStorageMb),
            WlanMacAddress = Mac(WifiMacPrefix, nic),
            BluetoothMacAddress = Mac(BluetoothMacPrefix, (nic + 1) & 0xFFFFFF),
            WlanIPv4Address = WifiNetwork.Host(host),
            WlanSubnetMask = WifiNetwork.Mask,
            WlanDnsSuffix = WifiDnsSuffix,
            WlanIPv6Address = ipv6,
            DeviceHardwareData = hardwareData,
            AadDeviceId = aadDeviceId,
            SignedInUser = signedInUser,
            UserSid = userSid,
            OsEdition = OsEdition,
            LicenseKeyType = LicenseKeyType,
            SecureBootState = SecureBootState,
            StorageEncrypted = StorageEncrypted,
            TpmSpecificationVersion = TpmVersion,
            Iccid = iccid,
            PhoneNumber = phoneNumber,
            Roaming = Roaming,
            VoLteServiceSetting = VoLte,
            BatteryStatus = BatteryStatus,
            BatteryChargePercent = level,
            BatteryRuntimeSeconds = level * BatteryFullRuntimeHours * 36,
            Latitude = latitude,
            Longitude = longitude,
            Altitude = AltitudeMeters,
            LocationAccuracyMeters = AccuracyMeters,
            AltitudeAccuracyMeters = AltitudeAccuracyMeters,
            LocationFixAge = FixAge,
            InstalledApps = Apps,
        };
    }

    // A point within SpreadMeters of the centre, uniform over the disc (metres to degrees on a sphere of 6371 km).
    private (double Latitude, double Longitude) Offset(Random random)
    {
        var distance = SpreadMeters * Math.Sqrt(random.NextDouble());
        var bearing = 2 * Math.PI * random.NextDouble();
        const double metresPerDegree = 6_371_000 * Math.PI / 180;
        var latitude = Latitude + (distance * Math.Cos(bearing) / metresPerDegree);
        var longitude = Longitude + (distance * Math.Sin(bearing) / (metresPerDegree * Math.Cos(Latitude * Math.PI / 180)));
        return (Math.Round(latitude, 6), Math.Round(longitude, 6));
    }

    private static PhoneSpec LoadDefault()
    {
        using var stream = typeof(PhoneSpec).Assembly.GetManifestResourceStream("Dm/" + DefaultSpecName)
            ?? throw new InvalidOperationException($"the embedded {DefaultSpecName} is missing");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return PhoneSpecReader.Parse(reader.ReadToEnd(), DefaultSpecName);
    }

    /// <summary>A 15-digit IMEI (or an 18-digit ICCID body) completed with its Luhn check digit.</summary>
    public static string WithLuhn(string digits)
    {
        ArgumentNullException.ThrowIfNull(digits);
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            // Doubling starts at the digit next to the check digit, i.e. the last of the body.
            var digit = digits[digits.Length - 1 - i] - '0';
            if (i % 2 == 0)
            {
                digit *= 2;
                if (digit > 9)
                {
                    digit -= 9;
                }
            }

            sum += digit;
        }

        return digits + (char)('0' + ((10 - (sum % 10)) % 10));
    }

    /// <summary>True when the last digit of <paramref name="number"/> is its Luhn check digit.</summary>
    public static bool IsLuhnValid(string number)
    {
        ArgumentNullException.ThrowIfNull(number);
        return number.Length > 1 && number.All(char.IsAsciiDigit) && WithLuhn(number[..^1]) == number;
    }

    private static string Fill(Random random, string pattern)
    {
        var builder = new StringBuilder(pattern.Length);
        foreach (var c in pattern)
        {
            builder.Append(c == '#' ? (char)('0' + random.Next(10)) : c);
        }

        return builder.ToString();
    }

    private static string Mac(byte[] prefix, int nic) =>
        Convert.ToHexString([prefix[0], prefix[1], prefix[2], (byte)(nic >> 16), (byte)(nic >> 8), (byte)nic]);

    private static Guid NewGuid(Random random) => new(Bytes(random, 16));

    private static byte[] Bytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string Hex(Random random, int byteCount) => Convert.ToHexString(Bytes(random, byteCount));

    private static string Digits(Random random, int count) => Fill(random, new string('#', count));
}

/// <summary>An IPv4 network of a device spec (192.168.1.0/24): the device's address is drawn in it.</summary>
public readonly record struct Ipv4Network(uint Address, int PrefixLength)
{
    /// <summary>The subnet mask in dotted form.</summary>
    public string Mask => Dotted(PrefixLength == 0 ? 0 : uint.MaxValue << (32 - PrefixLength));

    /// <summary>The address of host <paramref name="drawn"/> (2 to 253), folded into the network's host range.</summary>
    public string Host(int drawn)
    {
        var hosts = PrefixLength >= 31 ? 1u : (1u << (32 - PrefixLength)) - 2;
        return Dotted(Address + 1 + ((uint)(drawn - 1) % hosts));
    }

    /// <summary>Parses "a.b.c.d/n" (n from 8 to 30, host bits zero); null when malformed.</summary>
    public static Ipv4Network? TryParse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) || prefix is < 8 or > 30)
        {
            return null;
        }

        var parts = text[..slash].Split('.');
        uint address = 0;
        if (parts.Length != 4)
        {
            return null;
        }

        foreach (var part in parts)
        {
            if (!byte.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var octet))
            {
                return null;
            }

            address = (address << 8) | octet;
        }

        return (address & ~(uint.MaxValue << (32 - prefix))) == 0 ? new Ipv4Network(address, prefix) : null;
    }

    private static string Dotted(uint value) =>
        string.Create(CultureInfo.InvariantCulture, $"{value >> 24}.{(value >> 16) & 255}.{(value >> 8) & 255}.{value & 255}");
}

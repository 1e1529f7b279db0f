using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DeviceAgent.Dm;

/// <summary>A device spec that cannot be used: the message starts with "file:line:column:".</summary>
public sealed class PhoneSpecFormatException : Exception
{
    /// <summary>A problem at <paramref name="file"/>:<paramref name="line"/>:<paramref name="column"/>.</summary>
    public PhoneSpecFormatException(string file, int line, int column, string reason, Exception? inner = null)
        : base($"{file}:{line}:{column}: {reason}", inner)
    {
        File = file;
        Line = line;
        Column = column;
        Reason = reason;
    }

    /// <summary>The spec file.</summary>
    public string File { get; }

    /// <summary>1-based line of the problem.</summary>
    public int Line { get; }

    /// <summary>1-based column of the problem.</summary>
    public int Column { get; }

    /// <summary>The problem without the position.</summary>
    public string Reason { get; }
}

/// <summary>
/// Reads a device spec (docs/emulator.md "Device specification") strictly: every field is required unless a default is
/// documented, an unknown field, a wrong type or an out-of-range value is an error naming file, line and column.
/// </summary>
public static partial class PhoneSpecReader
{
    /// <summary>Largest spec file accepted; specs are hand-written, so anything bigger is a mistake.</summary>
    public const int MaxFileBytes = 256 * 1024;

    /// <summary>Reads the spec file at <paramref name="path"/>.</summary>
    /// <exception cref="PhoneSpecFormatException">The file is not a valid spec (or is missing).</exception>
    public static PhoneSpec ReadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new PhoneSpecFormatException(path, 1, 1, "device spec file not found");
        }

        if (info.Length > MaxFileBytes)
        {
            throw new PhoneSpecFormatException(path, 1, 1, $"file is larger than {MaxFileBytes} bytes");
        }

        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Reads a spec from <paramref name="yaml"/>; <paramref name="file"/> names it in errors.</summary>
    /// <exception cref="PhoneSpecFormatException">The text is not a valid spec.</exception>
    public static PhoneSpec Parse(string yaml, string file)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(file);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new PhoneSpecFormatException(file, (int)e.Start.Line, (int)e.Start.Column, $"not valid YAML: {e.Message}", e);
        }

        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new PhoneSpecFormatException(file, 1, 1, "a device spec is one YAML mapping (model: ..., manufacturer: ..., ...)");
        }

        var r = new Fields(root, file, "spec");
        var processor = r.Object("processor");
        var storage = r.Object("storage");
        var os = r.Object("os");
        var battery = r.Object("battery");
        var cellular = r.Object("cellular");
        var wifi = r.Object("wifi");
        var bluetooth = r.Object("bluetooth");
        var security = r.Object("security");
        var location = r.Object("location");
        var installed = r.Time("apps-installed");
        var spec = new PhoneSpec
        {
            Source = file,
            Model = r.Text("model"),
            Manufacturer = r.Text("manufacturer"),
            Oem = r.Text("oem"),
            DeviceType = r.Text("device-type"),
            HardwareVersion = r.Text("hardware-version"),
            FirmwareVersion = r.Text("firmware-version"),
            RadioSoftwareVersion = r.Text("radio-software-version"),
            ProcessorArchitecture = processor.Int("architecture", 0, 65535),
            ProcessorType = processor.Int("type", 0, int.MaxValue),
            RamMb = r.Int("ram-mb", 256, 1 << 20),
            TotalStorageMb = storage.Int("total-mb", 1024, 1 << 24),
            FreeStorageMb = storage.Range("free-mb", 0, 1 << 24),
            Resolution = r.Matching("resolution", ResolutionPattern(), "WIDTHxHEIGHT such as 1440x2560"),
            OsPlatform = os.Text("platform"),
            OsEdition = os.Int("edition", 0, 0xFFFF),
            LicenseKeyType = os.Text("license-key-type"),
            Language = r.Matching("language", LanguagePattern(), "an RFC 1766 tag such as en-US"),
            BatteryStatus = battery.Int("status", 1, 11),
            BatteryLevelPercent = battery.Range("level-percent", 0, 100),
            BatteryFullRuntimeHours = battery.Int("full-runtime-hours", 1, 1000),
            ImeiTac = cellular.Matching("imei-tac", TacPattern(), "8 digits (the type allocation code)"),
            ImsiPattern = cellular.Matching("imsi", ImsiPatternRule(), "15 digits or '#' (drawn), e.g. 310260#########"),
            IccidPattern = cellular.Matching("iccid", IccidPatternRule(), "18 digits or '#' (drawn); the check digit is appended"),
            PhoneNumberPattern = cellular.Matching("phone-number", PhonePatternRule(), "'+' and 7 to 15 digits or '#', e.g. +1425#######"),
            CommercializationOperator = cellular.Text("commercialization-operator"),
            Roaming = cellular.Bool("roaming"),
            VoLte = cellular.Bool("volte"),
            WifiMacPrefix = wifi.MacPrefix("mac-prefix"),
            WifiNetwork = wifi.Network("ipv4-network"),
            WifiDnsSuffix = wifi.Text("dns-suffix"),
            BluetoothMacPrefix = bluetooth.MacPrefix("mac-prefix"),
            SecureBootState = security.Int("secure-boot", 0, 2),
            TpmVersion = security.OptionalText("tpm-version"),
            StorageEncrypted = security.Bool("storage-encrypted"),
            Latitude = location.Double("latitude", -90, 90),
            Longitude = location.Double("longitude", -180, 180),
            AltitudeMeters = location.Double("altitude-m", -500, 9000),
            AccuracyMeters = location.Int("accuracy-m", 0, 1000),
            AltitudeAccuracyMeters = location.Int("altitude-accuracy-m", 0, 1000),
            SpreadMeters = location.Int("spread-m", 0, 100_000),
            FixAge = TimeSpan.FromSeconds(location.Int("fix-age-s", 0, 86_400)),
            Apps = ReadApps(r, installed),
        };
        foreach (var part in new[] { processor, storage, os, battery, cellular, wifi, bluetooth, security, location, r })
        {
            part.Done();
        }

        if (spec.FreeStorageMb.Max > spec.TotalStorageMb)
        {
            throw storage.Error("free-mb", $"free storage ({spec.FreeStorageMb.Max} MB) exceeds total-mb ({spec.TotalStorageMb})");
        }

        return spec;
    }

    private static List<InstalledApp> ReadApps(Fields spec, DateTimeOffset installed)
    {
        var apps = new List<InstalledApp>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var node in spec.Sequence("apps"))
        {
            var app = spec.Item(node, "app");
            var familyName = app.Matching("package-family-name", FamilyNamePattern(), "Name_PublisherId such as Microsoft.WindowsCalculator_8wekyb3d8bbwe");
            if (!names.Add(familyName))
            {
                throw app.Error("package-family-name", $"app {familyName} is listed twice");
            }

            apps.Add(new InstalledApp
            {
                PackageFamilyName = familyName,
                Origin = app.Choice("origin", new Dictionary<string, AppOrigin>(StringComparer.Ordinal)
                {
                    ["AppStore"] = AppOrigin.AppStore,
                    ["nonStore"] = AppOrigin.NonStore,
                    ["System"] = AppOrigin.System,
                }),
                Version = app.Matching("version", VersionPattern(), "four numbers such as 10.1705.1301.0"),
                Architecture = app.Choice("architecture", new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["arm"] = "arm", ["x86"] = "x86", ["x64"] = "x64", ["neutral"] = "neutral",
                }),
                Publisher = app.OptionalText("publisher") ?? InstalledApp.MicrosoftPublisher,
                IsFramework = app.OptionalBool("framework") ?? false,
                InstallDate = installed,
            });
            app.Done();
        }

        return apps;
    }

    [GeneratedRegex(@"^[1-9][0-9]{1,4}x[1-9][0-9]{1,4}$")]
    private static partial Regex ResolutionPattern();

    [GeneratedRegex(@"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$")]
    private static partial Regex LanguagePattern();

    [GeneratedRegex(@"^[0-9]{8}$")]
    private static partial Regex TacPattern();

    [GeneratedRegex(@"^[0-9#]{15}$")]
    private static partial Regex ImsiPatternRule();

    [GeneratedRegex(@"^[0-9#]{18}$")]
    private static partial Regex IccidPatternRule();

    [GeneratedRegex(@"^\+[0-9#]{7,15}$")]
    private static partial Regex PhonePatternRule();

    [GeneratedRegex(@"^[A-Za-z0-9.\-]{3,50}_[a-z0-9]{13}$")]
    private static partial Regex FamilyNamePattern();

    [GeneratedRegex(@"^[0-9]{1,5}\.[0-9]{1,5}\.[0-9]{1,5}\.[0-9]{1,5}$")]
    private static partial Regex VersionPattern();

    [GeneratedRegex(@"^[0-9A-Fa-f]{2}([:-]?[0-9A-Fa-f]{2}){2}$")]
    private static partial Regex MacPrefixPattern();

    // One YAML mapping read strictly: Done() rejects every field nobody asked for.
    private sealed class Fields
    {
        private readonly YamlMappingNode _node;
        private readonly string _file;
        private readonly string _what;
        private readonly HashSet<string> _read = new(StringComparer.Ordinal);

        public Fields(YamlMappingNode node, string file, string what)
        {
            _node = node;
            _file = file;
            _what = what;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var key in node.Children.Keys)
            {
                if (key is not YamlScalarNode { Value: { } name } || !seen.Add(name))
                {
                    throw At(key, $"{what}: field names must be plain text, each given once");
                }
            }
        }

        public PhoneSpecFormatException At(YamlNode node, string reason) =>
            new(_file, (int)node.Start.Line, (int)node.Start.Column, reason);

        public PhoneSpecFormatException Error(string key, string reason) => At(Node(key) ?? _node, $"{_what}: {reason}");

        private YamlNode? Node(string key)
        {
            _read.Add(key);
            return _node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;
        }

        private YamlNode Required(string key) =>
            Node(key) ?? throw At(_node, $"{_what}: field '{key}' is required");

        public Fields Object(string key) => Required(key) is YamlMappingNode mapping
            ? new Fields(mapping, _file, key)
            : throw At(Node(key)!, $"{_what}: field '{key}' must be a mapping (key: value lines)");

        public Fields Item(YamlNode node, string what) => node is YamlMappingNode mapping
            ? new Fields(mapping, _file, what)
            : throw At(node, $"{what}: each entry is a mapping (key: value lines)");

        public IEnumerable<YamlNode> Sequence(string key) => Required(key) is YamlSequenceNode sequence
            ? sequence.Children
            : throw At(Node(key)!, $"{_what}: field '{key}' must be a list");

        public string Text(string key) => OptionalText(key) ?? throw At(_node, $"{_what}: field '{key}' is required");

        public string? OptionalText(string key)
        {
            var node = Node(key);
            if (node is null)
            {
                return null;
            }

            if (node is not YamlScalarNode scalar)
            {
                throw At(node, $"{_what}: field '{key}' must be a single value");
            }

            return string.IsNullOrWhiteSpace(scalar.Value) ? throw At(node, $"{_what}: field '{key}' is empty") : scalar.Value;
        }

        public string Matching(string key, Regex pattern, string expected)
        {
            var text = Text(key);
            return pattern.IsMatch(text) ? text : throw At(Node(key)!, $"{_what}: field '{key}' must be {expected}, not '{text}'");
        }

        public int Int(string key, int min, int max)
        {
            var text = Text(key);
            return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
                ? value
                : throw At(Node(key)!, $"{_what}: field '{key}' must be a whole number from {min} to {max}, not '{text}'");
        }

        public double Double(string key, double min, double max)
        {
            var text = Text(key);
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
                ? value
                : throw At(Node(key)!, $"{_what}: field '{key}' must be a number from {min} to {max}, not '{text}'");
        }

        public bool Bool(string key) =>
            OptionalBool(key) ?? throw At(_node, $"{_what}: field '{key}' is required (true or false)");

        public bool? OptionalBool(string key) => OptionalText(key) switch
        {
            null => null,
            "true" => true,
            "false" => false,
            var other => throw At(Node(key)!, $"{_what}: field '{key}' must be true or false, not '{other}'"),
        };

        public DateTimeOffset Time(string key)
        {
            var text = Text(key);
            return DateTimeOffset.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
                ? value
                : throw At(Node(key)!, $"{_what}: field '{key}' must be a UTC time such as 2017-04-05T12:00:00Z, not '{text}'");
        }

        public T Choice<T>(string key, Dictionary<string, T> choices)
        {
            var text = Text(key);
            return choices.TryGetValue(text, out var value)
                ? value
                : throw At(Node(key)!, $"{_what}: field '{key}' must be one of {string.Join(", ", choices.Keys)}, not '{text}'");
        }

        public SpecRange Range(string key, int min, int max)
        {
            var node = Required(key);
            if (node is YamlScalarNode)
            {
                var fixedValue = Int(key, min, max);
                return new SpecRange(fixedValue, fixedValue);
            }

            var range = Object(key);
            var result = new SpecRange(range.Int("min", min, max), range.Int("max", min, max));
            range.Done();
            return result.Min <= result.Max ? result : throw At(node, $"{key}: min ({result.Min}) is greater than max ({result.Max})");
        }

        public byte[] MacPrefix(string key)
        {
            var text = Matching(key, MacPrefixPattern(), "3 bytes of hex such as A8:44:81");
            var bytes = Convert.FromHexString(text.Replace(":", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal));
            // A unicast address: bit 0 of the first byte is the group bit (IEEE 802).
            return (bytes[0] & 1) == 0 ? bytes : throw At(Node(key)!, $"{_what}: field '{key}' is a multicast prefix (first byte odd): '{text}'");
        }

        public Ipv4Network Network(string key)
        {
            var text = Text(key);
            return Ipv4Network.TryParse(text) ?? throw At(Node(key)!, $"{_what}: field '{key}' must be a network such as 192.168.1.0/24 (prefix 8 to 30), not '{text}'");
        }

        public void Done()
        {
            foreach (var key in _node.Children.Keys.OfType<YamlScalarNode>())
            {
                if (key.Value is { } name && !_read.Contains(name))
                {
                    throw At(key, $"{_what}: unknown field '{name}' (known: {string.Join(", ", _read.Order(StringComparer.Ordinal))})");
                }
            }
        }
    }
}

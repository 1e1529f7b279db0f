using DeviceAgent.Dm;

namespace DeviceAgent.Tests.Dm;

/// <summary>The device spec (docs/emulator.md "Device specification"): the embedded default, seeding, strict reading.</summary>
[TestFixture]
public sealed class PhoneSpecTests
{
    [Test]
    public void TheEmbeddedDefaultIsALumia950ClassPhoneWithInBoxApps()
    {
        var spec = PhoneSpec.Default;
        Assert.Multiple(() =>
        {
            Assert.That(spec.Model, Is.EqualTo("Lumia 950"));
            Assert.That(spec.DeviceType, Is.EqualTo("RM-1104"));
            Assert.That(spec.RamMb, Is.EqualTo(3072));
            Assert.That(spec.Resolution, Is.EqualTo("1440x2560"));
            Assert.That(spec.Apps.Select(a => a.PackageFamilyName), Does.Contain("Microsoft.WindowsCalculator_8wekyb3d8bbwe"));
            Assert.That(spec.Apps.Single(a => a.Name == "Microsoft.WindowsCalculator").PackageFullName,
                Is.EqualTo("Microsoft.WindowsCalculator_10.1705.1301.0_arm__8wekyb3d8bbwe"));
        });
    }

    [Test]
    public void DevicesOfOneRunHaveDistinctValidImeisAndMacsAndValuesInTheSpecsRanges()
    {
        var spec = PhoneSpec.Default;
        var profiles = Enumerable.Range(0, 2000).Select(n => spec.CreateProfile(new Random(n * 7919), new DeviceNumber(42, n))).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(profiles.Select(p => p.Imei).Distinct().Count(), Is.EqualTo(profiles.Count), "distinct IMEIs");
            Assert.That(profiles.All(p => p.Imei!.Length == 15 && p.Imei.StartsWith(spec.ImeiTac, StringComparison.Ordinal) && PhoneSpec.IsLuhnValid(p.Imei)), "15 digits, the TAC, a Luhn check digit");
            Assert.That(profiles.All(p => p.Iccid!.Length == 19 && PhoneSpec.IsLuhnValid(p.Iccid)), "19-digit ICCIDs with a Luhn check digit");
            Assert.That(profiles.Select(p => p.WlanMacAddress).Distinct().Count(), Is.EqualTo(profiles.Count), "distinct Wi-Fi MACs");
            Assert.That(profiles.Select(p => p.BluetoothMacAddress).Distinct().Count(), Is.EqualTo(profiles.Count), "distinct Bluetooth MACs");
            Assert.That(profiles.All(p => p.WlanMacAddress!.StartsWith("A84481", StringComparison.Ordinal) && p.WlanMacAddress != p.BluetoothMacAddress));
            Assert.That(profiles.All(p => p.BatteryChargePercent is >= 15 and <= 100), "battery level in the spec's range");
            Assert.That(profiles.Select(p => p.BatteryChargePercent).Distinct().Count(), Is.GreaterThan(50), "battery levels vary");
            Assert.That(profiles.All(p => p.BatteryRuntimeSeconds == p.BatteryChargePercent * 20 * 36), "runtime is the level's share of 20 hours");
            Assert.That(profiles.All(p => p.FreeStorageMb is >= 6144 and <= 24576));
            Assert.That(profiles.All(p => Math.Abs(p.Latitude - spec.Latitude) < 0.03 && Math.Abs(p.Longitude - spec.Longitude) < 0.05), "within 3 km of the centre");
            Assert.That(profiles.Select(p => p.Imsi).All(i => i!.Length == 15 && i.StartsWith("310260", StringComparison.Ordinal)));
            Assert.That(profiles.Select(p => p.PhoneNumber).All(n => n!.Length == 12 && n.StartsWith("+1425", StringComparison.Ordinal)));
        });
    }

    [Test]
    public void TheSameSeedAndNumberGiveTheSameDevice()
    {
        var a = PhoneSpec.Default.CreateProfile(new Random(5), new DeviceNumber(1, 3));
        var b = PhoneSpec.Default.CreateProfile(new Random(5), new DeviceNumber(1, 3));
        var c = PhoneSpec.Default.CreateProfile(new Random(5), new DeviceNumber(1, 4));
        Assert.Multiple(() =>
        {
            Assert.That(b, Is.EqualTo(a));
            Assert.That(c.Imei, Is.Not.EqualTo(a.Imei));
        });
    }

    [Test]
    public void TheSpecsDrawsLeaveTheCallersRandomStreamAsTheDefaultSpecDoes()
    {
        // Values drawn after the profile (PINs, NGC secrets) must not depend on the spec (docs/emulator.md).
        var yaml = DefaultYaml().Replace("model: Lumia 950", "model: Lumia 640 XL", StringComparison.Ordinal)
            .Replace("level-percent: { min: 15, max: 100 }", "level-percent: 50", StringComparison.Ordinal);
        var other = PhoneSpecReader.Parse(yaml, "other.yaml");
        var r1 = new Random(9);
        var r2 = new Random(9);
        _ = PhoneSpec.Default.CreateProfile(r1);
        var profile = other.CreateProfile(r2);
        Assert.Multiple(() =>
        {
            Assert.That(r2.Next(), Is.EqualTo(r1.Next()));
            Assert.That(profile.Model, Is.EqualTo("Lumia 640 XL"));
            Assert.That(profile.BatteryChargePercent, Is.EqualTo(50));
        });
    }

    [TestCase("model: Lumia 950", "model: Lumia 950\nmodell: typo", 7, 1, "unknown field 'modell'")]
    [TestCase("ram-mb: 3072", "ram-mb: lots", 16, 9, "field 'ram-mb' must be a whole number")]
    [TestCase("  status: 1 ", "  status: 12 ", 27, 11, "field 'status' must be a whole number from 1 to 11")]
    [TestCase("  imei-tac: \"35465207\"", "  imei-tac: \"3546520\"", 31, 13, "field 'imei-tac' must be 8 digits")]
    [TestCase("  storage-encrypted: true", "  storage-encrypted: yes", 47, 22, "must be true or false")]
    [TestCase("  mac-prefix: \"A8:44:81\"                  # the NIC", "  mac-prefix: \"A9:44:81\"                  # the NIC", 39, 15, "multicast prefix")]
    [TestCase("resolution: 1440x2560", "resolution: [1440, 2560]", 20, 13, "field 'resolution' must be a single value")]
    [TestCase("  free-mb: { min: 6144, max: 24576 }", "  free-mb: { min: 6144, max: 40000 }", 19, 12, "exceeds total-mb")]
    [TestCase("    origin: AppStore\n    version: 10.1705.1301.0", "    origin: Store\n    version: 10.1705.1301.0", 70, 13, "field 'origin' must be one of AppStore, nonStore, System")]
    public void ABadSpecIsAnErrorWithFileLineAndColumn(string find, string replace, int line, int column, string reason)
    {
        var yaml = DefaultYaml();
        Assert.That(yaml, Does.Contain(find), "the test edits the default spec");
        var e = Assert.Throws<PhoneSpecFormatException>(() => PhoneSpecReader.Parse(yaml.Replace(find, replace, StringComparison.Ordinal), "phone.yaml"))!;
        Assert.Multiple(() =>
        {
            Assert.That(e.Message, Does.StartWith($"phone.yaml:{line}:{column}: "));
            Assert.That(e.Reason, Does.Contain(reason));
        });
    }

    [Test]
    public void AMissingFieldAndAMissingFileAreNamed()
    {
        var missing = Assert.Throws<PhoneSpecFormatException>(() => PhoneSpecReader.Parse(DefaultYaml().Replace("oem: Microsoft Mobile", "", StringComparison.Ordinal), "phone.yaml"))!;
        var noFile = Assert.Throws<PhoneSpecFormatException>(() => PhoneSpecReader.ReadFile("/nonexistent/phone.yaml"))!;
        Assert.Multiple(() =>
        {
            Assert.That(missing.Message, Does.StartWith("phone.yaml:6:1: spec: field 'oem' is required"));
            Assert.That(noFile.Message, Is.EqualTo("/nonexistent/phone.yaml:1:1: device spec file not found"));
        });
    }

    private static string DefaultYaml()
    {
        using var stream = typeof(PhoneSpec).Assembly.GetManifestResourceStream("Dm/" + PhoneSpec.DefaultSpecName)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

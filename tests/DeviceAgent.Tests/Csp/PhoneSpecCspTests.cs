using System.Globalization;
using System.Xml.Linq;
using DeviceAgent.Csp;
using DeviceAgent.Dm;
using DeviceAgent.Ngc;
using DeviceAgent.Ngc.Software;
using DeviceAgent.SyncML;
using DeviceAgent.Testing;
using static DeviceAgent.Tests.Dm.DmTestDevice;

namespace DeviceAgent.Tests.Csp;

/// <summary>RemoteFind, RemoteRing, the EnterpriseModernAppManagement inventory and DeviceManageability from the device spec (docs/csps.md).</summary>
[TestFixture]
public sealed class PhoneSpecCspTests
{
    private const string RemoteFind = "./Vendor/MSFT/RemoteFind";
    private const string AppManagement = "./Vendor/MSFT/EnterpriseModernAppManagement/AppManagement";

    private TestClock _clock = null!;
    private StandardDevice _device = null!;
    private int _cmdId;

    [SetUp]
    public async Task CreateDevice()
    {
        _clock = new TestClock(new DateTimeOffset(2017, 7, 26, 10, 30, 0, TimeSpan.Zero));
        _device = await StandardDevice.CreateAsync(DeviceProfiles.Win10Mobile1703(new Random(11)), new Random(11), new WindowsHelloOptions
        {
            Time = _clock,
            Ngc = new SoftwareNgcOptions { Pbkdf2Iterations = 1, KeyAlgorithm = NgcKeyAlgorithm.EcdsaP256 },
        });
    }

    private async Task<IReadOnlyList<SyncMLCommand>> RunAsync(params SyncMLCommand[] commands) =>
        await _device.Executor.ExecuteAsync(commands, "1", CancellationToken.None);

    private string Next() => (++_cmdId).ToString(CultureInfo.InvariantCulture);

    private async Task<string> ValueAsync(string uri)
    {
        var answers = await RunAsync(Get(Next(), uri));
        var status = answers.OfType<Status>().Single().Data;
        return status == "200" ? SingleResult(answers).Data?.Value ?? "" : "status " + status;
    }

    private async Task<string> StatusAsync(SyncMLCommand command) => (await RunAsync(command)).OfType<Status>().Single().Data!;

    [Test]
    public async Task RemoteFindAnswersTheSpecsLocationFromOneFixPerMessage()
    {
        var p = _device.Profile;
        var answers = await RunAsync(Get(Next(), RemoteFind + "/Location/Latitude", RemoteFind + "/Location/Longitude", RemoteFind + "/Location/Altitude",
            RemoteFind + "/Location/Accuracy", RemoteFind + "/Location/AltitudeAccuracy", RemoteFind + "/Location/Age"));
        var values = answers.OfType<Results>().Single().Items.Select(i => i.Data?.Value).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(answers.OfType<Status>().Select(s => s.Data), Is.All.EqualTo("200"));
            Assert.That(double.Parse(values[0]!, CultureInfo.InvariantCulture), Is.EqualTo(p.Latitude).Within(1e-6));
            Assert.That(double.Parse(values[1]!, CultureInfo.InvariantCulture), Is.EqualTo(p.Longitude).Within(1e-6));
            Assert.That(values[2], Is.EqualTo("56"));
            Assert.That(values[3], Is.EqualTo("20"));
            Assert.That(values[4], Is.EqualTo("40"));
            Assert.That(values[5], Is.EqualTo(TimeSpan.FromSeconds(120).Ticks.ToString(CultureInfo.InvariantCulture)), "the spec's fix age in 100 ns");
        });
    }

    [Test]
    public async Task RemoteFindSettingsHoldForTheSessionAndRejectValuesOutsideThePagesRange()
    {
        Assert.Multiple(async () =>
        {
            Assert.That(await ValueAsync(RemoteFind + "/DesiredAccuracy"), Is.EqualTo("50"));
            Assert.That(await StatusAsync(Replace(Next(), RemoteFind + "/DesiredAccuracy", "1001", "int")), Is.EqualTo("500"));
            Assert.That(await StatusAsync(Replace(Next(), RemoteFind + "/Timeout", "1801", "int")), Is.EqualTo("500"));
            Assert.That(await StatusAsync(Replace(Next(), RemoteFind + "/DesiredAccuracy", "10", "int")), Is.EqualTo("200"));
            Assert.That(await ValueAsync(RemoteFind + "/DesiredAccuracy"), Is.EqualTo("10"));
        });
        _device.RemoteFind.EndSession();
        Assert.That(await ValueAsync(RemoteFind + "/DesiredAccuracy"), Is.EqualTo("50"), "not retained after the session");
    }

    [Test]
    public async Task AFixOlderThanMaximumAgeIsRetakenUnlessTimeoutIsZero()
    {
        Assert.That(await StatusAsync(Replace(Next(), RemoteFind + "/MaximumAge", "1", "int")), Is.EqualTo("200"));
        Assert.That(await ValueAsync(RemoteFind + "/Location/Age"), Is.EqualTo("0"), "the 2-minute-old fix is older than 1 minute: a new fix");
        _clock.Advance(TimeSpan.FromSeconds(30));
        Assert.That(await ValueAsync(RemoteFind + "/Location/Age"), Is.EqualTo(TimeSpan.FromSeconds(30).Ticks.ToString(CultureInfo.InvariantCulture)));
        Assert.That(await StatusAsync(Replace(Next(), RemoteFind + "/Timeout", "0", "int")), Is.EqualTo("200"));
        _clock.Advance(TimeSpan.FromMinutes(5));
        Assert.That(await ValueAsync(RemoteFind + "/Location/Age"), Is.EqualTo(TimeSpan.FromSeconds(330).Ticks.ToString(CultureInfo.InvariantCulture)), "no time for a new fix: the old one");
    }

    [Test]
    public async Task ExecRingRingsThePhoneAndGetStillAnswers()
    {
        DateTimeOffset? rang = null;
        _device.RemoteRing.Rang += at => rang = at;
        Assert.Multiple(async () =>
        {
            Assert.That(await StatusAsync(Exec(Next(), "./User/Vendor/MSFT/RemoteRing/Ring")), Is.EqualTo("200"));
            Assert.That(rang, Is.EqualTo(_clock.GetUtcNow()));
            Assert.That(_device.RemoteRing.Rings, Has.Count.EqualTo(1));
            Assert.That(await StatusAsync(Get(Next(), "./User/Vendor/MSFT/RemoteRing/Ring")), Is.EqualTo("200"));
            Assert.That(await StatusAsync(Replace(Next(), "./User/Vendor/MSFT/RemoteRing/Ring", "x")), Is.EqualTo("405"));
        });
    }

    [Test]
    public async Task InBoxAppsAreUnderTheirOriginWithTheSpecsValues()
    {
        var calculator = _device.Profile.InstalledApps.Single(a => a.Name == "Microsoft.WindowsCalculator");
        var package = $"{AppManagement}/AppStore/{calculator.PackageFamilyName}/{calculator.PackageFullName}";
        Assert.Multiple(async () =>
        {
            Assert.That(await ValueAsync(AppManagement), Is.EqualTo("AppStore/nonStore/System").Or.EqualTo("AppStore/System/nonStore").Or.Contains("AppStore"));
            Assert.That((await ValueAsync(AppManagement + "/System")).Split('/'), Does.Contain("Microsoft.MicrosoftEdge_8wekyb3d8bbwe"));
            Assert.That(await ValueAsync(package + "/Name"), Is.EqualTo("Microsoft.WindowsCalculator"));
            Assert.That(await ValueAsync(package + "/Version"), Is.EqualTo("10.1705.1301.0"));
            Assert.That(await ValueAsync(package + "/Architecture"), Is.EqualTo("arm"));
            Assert.That(await ValueAsync(package + "/InstallLocation"), Is.EqualTo(@"C:\Data\Programs\WindowsApps\" + calculator.PackageFullName));
            Assert.That(await ValueAsync(package + "/Users"), Is.EqualTo(_device.Profile.UserSid + ":2"));
            Assert.That(await ValueAsync(package + "/InstallDate"), Is.EqualTo("2017-04-05T12:00:00Z"));
        });
    }

    [Test]
    public async Task AppInventoryResultsFollowTheQuery()
    {
        var all = XElement.Parse(await ValueAsync(AppManagement + "/AppInventoryResults"));
        Assert.That(await StatusAsync(Replace(Next(), AppManagement + "/AppInventoryQuery",
            "<Inventory Output=\"PackageDetails|RequiresReinstall\" Source=\"System\" PackageTypeFilter=\"Main\"/>", "xml")), Is.EqualTo("200"));
        var system = XElement.Parse(await ValueAsync(AppManagement + "/AppInventoryResults"));
        Assert.That(await StatusAsync(Replace(Next(), AppManagement + "/AppInventoryQuery",
            "<Inventory Source=\"AppStore\" PackageTypeFilter=\"Framework\" PackageFamilyName=\"vclibs\"/>", "xml")), Is.EqualTo("200"));
        var frameworks = XElement.Parse(await ValueAsync(AppManagement + "/AppInventoryResults"));
        var edge = system.Elements("Package").Single(e => (string?)e.Attribute("PackageFamilyName") == "Microsoft.MicrosoftEdge_8wekyb3d8bbwe");
        Assert.Multiple(() =>
        {
            Assert.That(all.Elements("Package").Count(), Is.EqualTo(_device.Profile.InstalledApps.Count), "the default query lists Main, Bundle and Framework packages of every source");
            Assert.That(all.Elements("Package").First().Attributes().Select(a => a.Name.LocalName), Is.EqualTo(new[] { "PackageFamilyName", "PackageFullName" }), "PackageNames");
            Assert.That(system.Elements("Package").Select(e => (string?)e.Attribute("Origin")), Is.All.EqualTo("System"));
            Assert.That((string?)edge.Attribute("Version"), Is.EqualTo("40.15063.0.0"));
            Assert.That((string?)edge.Attribute("InstallLocation"), Is.EqualTo(@"C:\Windows\SystemApps\Microsoft.MicrosoftEdge_8wekyb3d8bbwe"));
            Assert.That((string?)edge.Attribute("RequiresReinstall"), Is.EqualTo("0"));
            Assert.That(frameworks.Elements("Package").Select(e => (string?)e.Attribute("PackageFamilyName")), Is.EqualTo(new[] { "Microsoft.VCLibs.140.00_8wekyb3d8bbwe" }));
        });
    }

    [TestCase("<Inventory Output=\"Everything\"/>")]
    [TestCase("<Inventory Source=\"Store\"/>")]
    [TestCase("<Inventory Colour=\"red\"/>")]
    [TestCase("<Query/>")]
    [TestCase("<Inventory")]
    [TestCase("<!DOCTYPE Inventory [<!ENTITY x \"y\">]><Inventory Source=\"&x;\"/>")]
    public async Task AQueryThePageDoesNotDescribeIsRefusedAndTheOldOneStays(string query)
    {
        Assert.That(await StatusAsync(Replace(Next(), AppManagement + "/AppInventoryQuery", "<Inventory Source=\"System\"/>", "xml")), Is.EqualTo("200"));
        Assert.That(await StatusAsync(Replace(Next(), AppManagement + "/AppInventoryQuery", query, "xml")), Is.Not.EqualTo("200"));
        var results = XElement.Parse(await ValueAsync(AppManagement + "/AppInventoryResults"));
        Assert.That(results.Elements("Package").Count(), Is.EqualTo(2), "still the System query");
    }

    [Test]
    public async Task CspVersionsListsEveryCspOfThePhoneWithItsDdfVersion()
    {
        var xml = XElement.Parse(await ValueAsync("./Vendor/MSFT/DeviceManageability/Capabilities/CSPVersions"));
        var csps = xml.Descendants("CSP").ToDictionary(e => (string)e.Attribute("Node")!, e => (string)e.Attribute("Version")!);
        Assert.Multiple(() =>
        {
            Assert.That(csps["./Device/Vendor/MSFT/DMClient"], Is.EqualTo("1.3"));
            Assert.That(csps["./Device/Vendor/MSFT/RemoteFind"], Is.EqualTo("1.0"));
            Assert.That(csps.Keys, Does.Contain("./DevDetail").And.Contain("./User/Vendor/MSFT/RemoteRing"));
        });
    }
}

using DeviceAgent.Csp;
using DeviceAgent.Dm;
using DeviceAgent.SyncML;
using DeviceAgent.Tests.Dm;
using static DeviceAgent.Tests.Dm.DmTestDevice;

namespace DeviceAgent.Tests.Csp;

public class StandardCspTests
{
    private static string? Value(DmTestDevice device, string uri, out string? format)
    {
        var answers = device.Run(Get("9", uri));
        var status = answers.OfType<Status>().Single().Data;
        if (status != "200")
        {
            format = null;
            return "status " + status;
        }

        var item = SingleResult(answers);
        format = item.Meta!.Format;
        return item.Data?.Value;
    }

    [Test]
    public void DevInfoAnswersTheProfile()
    {
        var device = new DmTestDevice();
        var p = device.Profile;

        Assert.Multiple(() =>
        {
            Assert.That(Value(device, "./DevInfo/DevId", out var format), Is.EqualTo(p.DevId));
            Assert.That(format, Is.EqualTo("chr"));
            Assert.That(Value(device, "./DevInfo/Man", out _), Is.EqualTo("Microsoft Mobile"));
            Assert.That(Value(device, "./DevInfo/Mod", out _), Is.EqualTo("Lumia 950"));
            Assert.That(Value(device, "./DevInfo/DmV", out _), Is.EqualTo("1.3"));
            Assert.That(Value(device, "./DevInfo/Lang", out _), Is.EqualTo("en-US"));
            Assert.That(Value(device, "./DevInfo/Ext/ICCID", out _), Is.EqualTo("status 404"));
        });
    }

    [Test]
    public void DevInfoDevIdIsTheImeiWhenADmAccountSetsUseHwDevId()
    {
        var device = new DmTestDevice();

        Assert.That(device.RunDescribed(Add("2", "./SyncML/DMAcc/ABCDEF/Ext/Microsoft/UseHwDevID", "true", "bool")), Is.EqualTo(new[] { "Status 2 Add 200" }));

        Assert.That(Value(device, "./DevInfo/DevId", out _), Is.EqualTo(device.Profile.Imei));
    }

    [Test]
    public void DevDetailAnswersThe1703NodeSet()
    {
        var device = new DmTestDevice();
        var p = device.Profile;

        Assert.Multiple(() =>
        {
            Assert.That(Value(device, "./DevDetail/SwV", out _), Is.EqualTo("10.0.15063.297"));
            Assert.That(Value(device, "./DevDetail/DevTyp", out _), Is.EqualTo("RM-1104"));
            Assert.That(Value(device, "./DevDetail/LrgObj", out var lrgFormat), Is.EqualTo("true"));
            Assert.That(lrgFormat, Is.EqualTo("bool"));
            Assert.That(Value(device, "./DevDetail/URI/MaxDepth", out _), Is.EqualTo("0"));
            Assert.That(Value(device, "./DevDetail/Ext/Microsoft/ProcessorArchitecture", out var archFormat), Is.EqualTo("5"));
            Assert.That(archFormat, Is.EqualTo("int"));
            Assert.That(Value(device, "./DevDetail/Ext/Microsoft/OSPlatform", out _), Is.EqualTo("Windows 10 Mobile"));
            Assert.That(Value(device, "./DevDetail/Ext/Microsoft/LocalTime", out _), Is.EqualTo("2017-07-26T10:30:00Z"));
            Assert.That(Value(device, "./DevDetail/Ext/Microsoft/MobileID", out _), Is.EqualTo(p.Imsi));
            Assert.That(Value(device, "./DevDetail/Ext/DeviceHardwareData", out _), Is.EqualTo(p.DeviceHardwareData));
            Assert.That(Value(device, "./DevDetail/Ext/Microsoft/TotalRAM", out _), Is.EqualTo("3072"));
            Assert.That(Value(device, "./DevDetail/Ext/Microsoft/DNSComputerName", out _), Is.EqualTo("status 404"));
            Assert.That(Value(device, "./DevDetail/Ext/Microsoft/SMBIOSSerialNumber", out _), Is.EqualTo("status 404"));
        });
    }

    [Test]
    public void DevDetailWithoutASimHasNoMobileId()
    {
        var profile = DeviceProfiles.Win10Mobile1703(new Random(3)) with { Imsi = null, CommercializationOperator = null };
        var tree = DmTree.ForProfile(profile);
        var executor = new DmCommandExecutor(tree, StandardCsps.Create(profile, TimeProvider.System));

        var answers = executor.Execute([Get("2", "./DevDetail/Ext/Microsoft/MobileID"), Get("3", "./DevDetail/Ext/Microsoft/CommercializationOperator")], "1");

        Assert.That(Describe(answers), Is.EqualTo(new[] { "Status 2 Get 404", "Status 3 Get 404" }));
    }

    [Test]
    public void DeviceNameReplaceTakesEffectAtRestart()
    {
        var device = new DmTestDevice();
        var devDetail = (DevDetailCsp)StandardCspsOf(device).Single(h => h is DevDetailCsp);

        Assert.That(device.RunDescribed(Replace("2", "./DevDetail/Ext/Microsoft/DeviceName", "Alice's phone")), Is.EqualTo(new[] { "Status 2 Replace 200" }));
        Assert.That(Value(device, "./DevDetail/Ext/Microsoft/DeviceName", out _), Is.EqualTo("Windows Phone"));

        devDetail.Restart();

        Assert.That(Value(device, "./DevDetail/Ext/Microsoft/DeviceName", out _), Is.EqualTo("Alice's phone"));
    }

    [Test]
    public void DmClientAnswersDeviceOwnedNodesAndPushChannel()
    {
        var device = new DmTestDevice();
        const string provider = "./Vendor/MSFT/DMClient/Provider/MS DM Server";

        Assert.That(device.RunDescribed(Add("2", provider, format: "node")), Is.EqualTo(new[] { "Status 2 Add 200" }));
        Assert.Multiple(() =>
        {
            Assert.That(Value(device, "./Vendor/MSFT/DMClient/HWDevID", out _), Is.EqualTo(device.Profile.HwDevId));
            Assert.That(Value(device, provider + "/AADDeviceID", out _), Is.EqualTo(device.Profile.AadDeviceId));
            Assert.That(Value(device, provider + "/EnrollmentType", out _), Is.EqualTo("Full"));
            Assert.That(Value(device, provider + "/Push/Status", out _), Is.EqualTo("status 404"), "no Push node yet");
        });

        Assert.That(device.RunDescribed(Add("3", provider + "/Push/PFN", "Contoso.MDM_8wekyb3d8bbwe")), Is.EqualTo(new[] { "Status 3 Add 200" }));

        Assert.Multiple(() =>
        {
            Assert.That(Value(device, provider + "/Push/Status", out var format), Is.EqualTo("0"));
            Assert.That(format, Is.EqualTo("int"));
            Assert.That(Value(device, provider + "/Push/ChannelURI", out _), Does.StartWith("https://db5.notify.windows.com/?token="));
            Assert.That(device.RunDescribed(Replace("4", provider + "/Push/ChannelURI", "x")), Is.EqualTo(new[] { "Status 4 Replace 405" }));
        });
    }

    [Test]
    public void DmClientPollScheduleHasTheDdfDefaultsAndTheServersValues()
    {
        var device = new DmTestDevice();
        const string poll = "./Vendor/MSFT/DMClient/Provider/MDM/Poll";

        Assert.That(DmClientCsp.GetPollSchedule(device.Tree, "MDM"), Is.EqualTo(DmClientPollSchedule.Default));

        var described = device.RunDescribed(
            Add("2", poll + "/IntervalForFirstSetOfRetries", "3", "int"),
            Add("3", poll + "/NumberOfFirstRetries", "-1", "int"),
            Add("4", poll + "/PollOnLogin", "true", "bool"));

        Assert.That(described, Is.EqualTo(new[] { "Status 2 Add 200", "Status 3 Add 500", "Status 4 Add 200" }));
        Assert.That(DmClientCsp.GetPollSchedule(device.Tree, "MDM"), Is.EqualTo(DmClientPollSchedule.Default with { IntervalForFirstSetOfRetries = 3, PollOnLogin = true }));
    }

    [Test]
    public void DmClientUnenrollIsRecordedAndRolledBackInAFailedAtomic()
    {
        var device = new DmTestDevice();
        var dmClient = (DmClientCsp)StandardCspsOf(device).Single(h => h is DmClientCsp);
        device.Run(Add("1", "./Vendor/MSFT/DMClient/Provider/MDM", format: "node"));

        Assert.That(device.RunDescribed(Atomic("2", Exec("3", "./Vendor/MSFT/DMClient/Provider/MDM/Unenroll"), Get("4", "./DevInfo/Man"))),
            Is.EqualTo(new[] { "Status 2 Atomic 507", "Status 3 Exec 216", "Status 4 Get 500" }));
        Assert.That(dmClient.PendingUnenrollments, Is.Empty);

        Assert.That(device.RunDescribed(Exec("5", "./Vendor/MSFT/DMClient/Unenroll", "MDM"), Exec("6", "./Vendor/MSFT/DMClient/Unenroll", "Other")),
            Is.EqualTo(new[] { "Status 5 Exec 200", "Status 6 Exec 404" }));
        Assert.That(dmClient.TakePendingUnenrollments(), Is.EqualTo(new[] { "MDM" }));
    }

    [Test]
    public void TheSameSeedGivesTheSameDevice()
    {
        var first = DeviceProfiles.Win10Mobile1703(new Random(5));
        var second = DeviceProfiles.Win10Mobile1703(new Random(5));

        Assert.That(second, Is.EqualTo(first));
        Assert.That(DeviceProfiles.Win10Mobile1703(new Random(5)).DevId, Is.Not.EqualTo(DeviceProfiles.Win10Mobile1703(new Random(6)).DevId));
    }

    private static IEnumerable<ICspHandler> StandardCspsOf(DmTestDevice device) => device.Handlers;
}

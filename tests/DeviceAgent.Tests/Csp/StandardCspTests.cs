using DeviceAgent.Csp;
using DeviceAgent.Dm;
using DeviceAgent.SyncML;
using DeviceAgent.Tests.Dm;
using static DeviceAgent.Tests.Dm.DmTestDevice;

namespace DeviceAgent.Tests.Csp;

public class StandardCspTests
{
    private static async Task<(string? Value, string? Format)> ValueAsync(DmTestDevice device, string uri)
    {
        var answers = await device.RunAsync(Get("9", uri));
        var status = answers.OfType<Status>().Single().Data;
        if (status != "200")
        {
            return ("status " + status, null);
        }

        var item = SingleResult(answers);
        return (item.Data?.Value, item.Meta!.Format);
    }

    [Test]
    public async Task DevInfoAnswersTheProfile()
    {
        var device = new DmTestDevice();
        var p = device.Profile;

        await Assert.MultipleAsync(async () =>
        {
            var (valueFormat, format) = await ValueAsync(device, "./DevInfo/DevId");
            Assert.That(valueFormat, Is.EqualTo(p.DevId));
            Assert.That(format, Is.EqualTo("chr"));
            Assert.That((await ValueAsync(device, "./DevInfo/Man")).Value, Is.EqualTo("Microsoft Mobile"));
            Assert.That((await ValueAsync(device, "./DevInfo/Mod")).Value, Is.EqualTo("Lumia 950"));
            Assert.That((await ValueAsync(device, "./DevInfo/DmV")).Value, Is.EqualTo("1.3"));
            Assert.That((await ValueAsync(device, "./DevInfo/Lang")).Value, Is.EqualTo("en-US"));
            Assert.That((await ValueAsync(device, "./DevInfo/Ext/ICCID")).Value, Is.EqualTo("status 404"));
        });
    }

    [Test]
    public async Task DevInfoDevIdIsTheImeiWhenADmAccountSetsUseHwDevId()
    {
        var device = new DmTestDevice();

        Assert.That((await device.RunDescribedAsync(Add("2", "./SyncML/DMAcc/ABCDEF/Ext/Microsoft/UseHwDevID", "true", "bool"))), Is.EqualTo(new[] { "Status 2 Add 200" }));

        Assert.That((await ValueAsync(device, "./DevInfo/DevId")).Value, Is.EqualTo(device.Profile.Imei));
    }

    [Test]
    public async Task DevDetailAnswersThe1703NodeSet()
    {
        var device = new DmTestDevice();
        var p = device.Profile;

        await Assert.MultipleAsync(async () =>
        {
            Assert.That((await ValueAsync(device, "./DevDetail/SwV")).Value, Is.EqualTo("10.0.15063.297"));
            Assert.That((await ValueAsync(device, "./DevDetail/DevTyp")).Value, Is.EqualTo("RM-1104"));
            var (valueLrgFormat, lrgFormat) = await ValueAsync(device, "./DevDetail/LrgObj");
            Assert.That(valueLrgFormat, Is.EqualTo("true"));
            Assert.That(lrgFormat, Is.EqualTo("bool"));
            Assert.That((await ValueAsync(device, "./DevDetail/URI/MaxDepth")).Value, Is.EqualTo("0"));
            var (valueArchFormat, archFormat) = await ValueAsync(device, "./DevDetail/Ext/Microsoft/ProcessorArchitecture");
            Assert.That(valueArchFormat, Is.EqualTo("5"));
            Assert.That(archFormat, Is.EqualTo("int"));
            Assert.That((await ValueAsync(device, "./DevDetail/Ext/Microsoft/OSPlatform")).Value, Is.EqualTo("Windows 10 Mobile"));
            Assert.That((await ValueAsync(device, "./DevDetail/Ext/Microsoft/LocalTime")).Value, Is.EqualTo("2017-07-26T10:30:00Z"));
            Assert.That((await ValueAsync(device, "./DevDetail/Ext/Microsoft/MobileID")).Value, Is.EqualTo(p.Imsi));
            Assert.That((await ValueAsync(device, "./DevDetail/Ext/DeviceHardwareData")).Value, Is.EqualTo(p.DeviceHardwareData));
            Assert.That((await ValueAsync(device, "./DevDetail/Ext/Microsoft/TotalRAM")).Value, Is.EqualTo("3072"));
            Assert.That((await ValueAsync(device, "./DevDetail/Ext/Microsoft/DNSComputerName")).Value, Is.EqualTo("status 404"));
            Assert.That((await ValueAsync(device, "./DevDetail/Ext/Microsoft/SMBIOSSerialNumber")).Value, Is.EqualTo("status 404"));
        });
    }

    [Test]
    public async Task DevDetailWithoutASimHasNoMobileId()
    {
        var profile = DeviceProfiles.Win10Mobile1703(new Random(3)) with { Imsi = null, CommercializationOperator = null };
        var tree = DmTree.ForProfile(profile);
        var executor = new DmCommandExecutor(tree, StandardCsps.Create(profile, TimeProvider.System));

        var answers = (await executor.ExecuteAsync([Get("2", "./DevDetail/Ext/Microsoft/MobileID"), Get("3", "./DevDetail/Ext/Microsoft/CommercializationOperator")], "1", CancellationToken.None));

        Assert.That(Describe(answers), Is.EqualTo(new[] { "Status 2 Get 404", "Status 3 Get 404" }));
    }

    [Test]
    public async Task DeviceNameReplaceTakesEffectAtRestart()
    {
        var device = new DmTestDevice();
        var devDetail = (DevDetailCsp)StandardCspsOf(device).Single(h => h is DevDetailCsp);

        Assert.That((await device.RunDescribedAsync(Replace("2", "./DevDetail/Ext/Microsoft/DeviceName", "Alice's phone"))), Is.EqualTo(new[] { "Status 2 Replace 200" }));
        Assert.That((await ValueAsync(device, "./DevDetail/Ext/Microsoft/DeviceName")).Value, Is.EqualTo("Windows Phone"));

        devDetail.Restart();

        Assert.That((await ValueAsync(device, "./DevDetail/Ext/Microsoft/DeviceName")).Value, Is.EqualTo("Alice's phone"));
    }

    [Test]
    public async Task DmClientAnswersDeviceOwnedNodesAndPushChannel()
    {
        var device = new DmTestDevice();
        const string provider = "./Vendor/MSFT/DMClient/Provider/MS DM Server";

        Assert.That((await device.RunDescribedAsync(Add("2", provider, format: "node"))), Is.EqualTo(new[] { "Status 2 Add 200" }));
        await Assert.MultipleAsync(async () =>
        {
            Assert.That((await ValueAsync(device, "./Vendor/MSFT/DMClient/HWDevID")).Value, Is.EqualTo(device.Profile.HwDevId));
            Assert.That((await ValueAsync(device, provider + "/AADDeviceID")).Value, Is.EqualTo(device.Profile.AadDeviceId));
            Assert.That((await ValueAsync(device, provider + "/EnrollmentType")).Value, Is.EqualTo("Full"));
            Assert.That((await ValueAsync(device, provider + "/Push/Status")).Value, Is.EqualTo("status 404"), "no Push node yet");
        });

        Assert.That((await device.RunDescribedAsync(Add("3", provider + "/Push/PFN", "Contoso.MDM_8wekyb3d8bbwe"))), Is.EqualTo(new[] { "Status 3 Add 200" }));

        await Assert.MultipleAsync(async () =>
        {
            var (valueFormat, format) = await ValueAsync(device, provider + "/Push/Status");
            Assert.That(valueFormat, Is.EqualTo("0"));
            Assert.That(format, Is.EqualTo("int"));
            Assert.That((await ValueAsync(device, provider + "/Push/ChannelURI")).Value, Does.StartWith("https://db5.notify.windows.com/?token="));
            Assert.That((await device.RunDescribedAsync(Replace("4", provider + "/Push/ChannelURI", "x"))), Is.EqualTo(new[] { "Status 4 Replace 405" }));
        });
    }

    [Test]
    public async Task DmClientPollScheduleHasTheDdfDefaultsAndTheServersValues()
    {
        var device = new DmTestDevice();
        const string poll = "./Vendor/MSFT/DMClient/Provider/MDM/Poll";

        Assert.That(DmClientCsp.GetPollSchedule(device.Tree, "MDM"), Is.EqualTo(DmClientPollSchedule.Default));

        var described = (await device.RunDescribedAsync(
            Add("2", poll + "/IntervalForFirstSetOfRetries", "3", "int"),
            Add("3", poll + "/NumberOfFirstRetries", "-1", "int"),
            Add("4", poll + "/PollOnLogin", "true", "bool")));

        Assert.That(described, Is.EqualTo(new[] { "Status 2 Add 200", "Status 3 Add 500", "Status 4 Add 200" }));
        Assert.That(DmClientCsp.GetPollSchedule(device.Tree, "MDM"), Is.EqualTo(DmClientPollSchedule.Default with { IntervalForFirstSetOfRetries = 3, PollOnLogin = true }));
    }

    [Test]
    public async Task DmClientUnenrollIsRecordedAndRolledBackInAFailedAtomic()
    {
        var device = new DmTestDevice();
        var dmClient = (DmClientCsp)StandardCspsOf(device).Single(h => h is DmClientCsp);
        await device.RunAsync(Add("1", "./Vendor/MSFT/DMClient/Provider/MDM", format: "node"));

        Assert.That((await device.RunDescribedAsync(Atomic("2", Exec("3", "./Vendor/MSFT/DMClient/Provider/MDM/Unenroll"), Get("4", "./DevInfo/Man")))),
            Is.EqualTo(new[] { "Status 2 Atomic 507", "Status 3 Exec 216", "Status 4 Get 500" }));
        Assert.That(dmClient.PendingUnenrollments, Is.Empty);

        Assert.That((await device.RunDescribedAsync(Exec("5", "./Vendor/MSFT/DMClient/Unenroll", "MDM"), Exec("6", "./Vendor/MSFT/DMClient/Unenroll", "Other"))),
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

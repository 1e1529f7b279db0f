using DeviceAgent.Dm;
using DeviceAgent.SyncML;
using DeviceAgent.Tests.Dm;
using static DeviceAgent.Tests.Dm.DmTestDevice;

namespace DeviceAgent.Tests.Csp;

/// <summary>The Policy CSP of the release: Config and Result of every area, device and user scope (docs/csps.md "Policy CSP").</summary>
public class PolicyCspTests
{
    private static async Task<string> ValueAsync(DmTestDevice device, string uri)
    {
        var answers = await device.RunAsync(Get("9", uri));
        var status = answers.OfType<Status>().Single().Data;
        return status == "200" ? SingleResult(answers).Data?.Value ?? "" : "status " + status;
    }

    [Test]
    public async Task Result_answers_the_default_until_Config_sets_the_policy_and_again_after_Delete()
    {
        var device = new DmTestDevice();
        const string config = "./Device/Vendor/MSFT/Policy/Config/Camera/AllowCamera";
        const string result = "./Device/Vendor/MSFT/Policy/Result/Camera/AllowCamera";

        Assert.That(await ValueAsync(device, result), Is.EqualTo("1"), "the DDF default: camera allowed");
        Assert.That(await device.RunDescribedAsync(Replace("2", config, "0", "int")), Is.EqualTo(new[] { "Status 2 Replace 200" }));
        Assert.That(await ValueAsync(device, result), Is.EqualTo("0"));
        Assert.That(await device.RunDescribedAsync(Delete("3", config)), Is.EqualTo(new[] { "Status 3 Delete 200" }));
        Assert.That(await ValueAsync(device, result), Is.EqualTo("1"));
    }

    [Test]
    public async Task User_scope_policies_have_their_own_Config_and_Result()
    {
        var device = new DmTestDevice();
        const string config = "./User/Vendor/MSFT/Policy/Config/Experience/AllowWindowsSpotlight";

        Assert.That(await device.RunDescribedAsync(Replace("2", config, "0", "int")), Is.EqualTo(new[] { "Status 2 Replace 200" }));

        Assert.Multiple(async () =>
        {
            Assert.That(await ValueAsync(device, "./User/Vendor/MSFT/Policy/Result/Experience/AllowWindowsSpotlight"), Is.EqualTo("0"));
            Assert.That(await ValueAsync(device, "./Device/Vendor/MSFT/Policy/Config/Experience/AllowWindowsSpotlight"), Is.EqualTo("status 404"), "a user policy has no device node");
        });
    }

    [Test]
    public async Task Result_is_read_only_and_values_outside_the_allowed_range_are_refused()
    {
        var device = new DmTestDevice();

        Assert.Multiple(async () =>
        {
            Assert.That(await device.RunDescribedAsync(Replace("2", "./Device/Vendor/MSFT/Policy/Result/Camera/AllowCamera", "0", "int")), Is.EqualTo(new[] { "Status 2 Replace 405" }));
            Assert.That((await device.RunDescribedAsync(Replace("3", "./Device/Vendor/MSFT/Policy/Config/Camera/AllowCamera", "7", "int"))).Single(), Does.Not.EndWith(" 200"));
            Assert.That(await ValueAsync(device, "./Device/Vendor/MSFT/Policy/Result/Camera/AllowCamera"), Is.EqualTo("1"));
        });
    }

    [TestCase("1703", 40, 9)]
    [TestCase("1709", 40, 9)]
    public void Every_release_area_that_the_phone_carries_is_mounted_in_Config_and_Result(string release, int minDeviceAreas, int minUserAreas)
    {
        var build = release == "1703" ? "10.0.15063.297" : "10.0.15254.1";
        var schema = DmSchema.For(DdfSet.ByName(release), OsBuild.Parse(build));

        Assert.Multiple(() =>
        {
            Assert.That(schema.Find("./Device/Vendor/MSFT/Policy/Config")!.Children, Has.Count.GreaterThanOrEqualTo(minDeviceAreas));
            Assert.That(schema.Find("./User/Vendor/MSFT/Policy/Config")!.Children, Has.Count.GreaterThanOrEqualTo(minUserAreas));
            Assert.That(schema.Find("./Device/Vendor/MSFT/Policy/Result")!.Children.Select(c => c.Name),
                Is.EquivalentTo(schema.Find("./Device/Vendor/MSFT/Policy/Config")!.Children.Select(c => c.Name)));
            Assert.That(schema.Find("./Device/Vendor/MSFT/Policy/ConfigOperations"), Is.Null, "ADMX ingestion is desktop only");
            Assert.That(schema.Find("./User/Vendor/MSFT/Policy/Config/AttachmentManager"), Is.Null, "ADMX-backed policies are not on the phone");
        });
    }
}

using DeviceAgent.Dm;
using DeviceAgent.SyncML;
using static DeviceAgent.Tests.Dm.DmTestDevice;

namespace DeviceAgent.Tests.Dm;

/// <summary>
/// DmCommandExecutor details the mutation-testing pass found unpinned (docs/testing.md "Mutation testing"): the exact
/// value a lenient or strict format check stores (docs/dm-tree.md "Formats"), which answers are not commands, and when a
/// DDF default answers a Get.
/// </summary>
public class ExecutorValueAndAnswerTests
{
    private const string Recovery = DevicePolicies + "/EnablePinRecovery";
    private const string MinimumLength = DevicePolicies + "/PINComplexity/MinimumPINLength";

    [TestCase(" TRUE ", "true")]
    [TestCase("0", "false")]
    [TestCase("1", "true")]
    [TestCase("False", "false")]
    public async Task Lenient_mode_stores_a_bool_in_its_canonical_form(string sent, string stored)
    {
        var device = new DmTestDevice(new DmExecutorOptions { FormatMode = DmFormatMode.Lenient });

        Assert.That(await device.RunDescribedAsync(Add("2", Recovery, sent, "bool")), Is.EqualTo(new[] { "Status 2 Add 200" }));
        Assert.That(device.Tree.Find(Recovery)!.Value, Is.EqualTo(stored));
    }

    [TestCase("1")]
    [TestCase("0")]
    [TestCase(" true")]
    public async Task Strict_mode_takes_only_true_or_false_for_a_bool(string sent)
    {
        var device = new DmTestDevice(new DmExecutorOptions { FormatMode = DmFormatMode.Strict });

        Assert.That(await device.RunDescribedAsync(Add("2", Recovery, sent, "bool")), Is.EqualTo(new[] { "Status 2 Add 415" }));
        Assert.That(device.Tree.Find(Recovery), Is.Null);
    }

    [TestCase(DmFormatMode.Lenient, " +7 ", "Status 2 Add 200", "7")]
    [TestCase(DmFormatMode.Strict, "+7", "Status 2 Add 200", "7")]
    [TestCase(DmFormatMode.Strict, "007", "Status 2 Add 200", "7")]
    [TestCase(DmFormatMode.Strict, " 7", "Status 2 Add 415", null)]
    [TestCase(DmFormatMode.Lenient, "7.0", "Status 2 Add 415", null)]
    public async Task An_int_is_stored_as_its_invariant_number(DmFormatMode mode, string sent, string answer, string? stored)
    {
        var device = new DmTestDevice(new DmExecutorOptions { FormatMode = mode });

        Assert.That(await device.RunDescribedAsync(Add("2", MinimumLength, sent, "int")), Is.EqualTo(new[] { answer }));
        Assert.That(device.Tree.Find(MinimumLength)?.Value, Is.EqualTo(stored));
    }

    [Test]
    public async Task Strict_mode_reads_an_absent_Format_as_chr()
    {
        var strict = new DmTestDevice(new DmExecutorOptions { FormatMode = DmFormatMode.Strict });
        const string deviceName = "./DevDetail/Ext/Microsoft/DeviceName";

        // DeviceName is chr in the DDF: no Format at all is accepted, a bool Format is not.
        Assert.That(await strict.RunDescribedAsync(Replace("2", deviceName, "phone"), Replace("3", deviceName, "true", "bool")),
            Is.EqualTo(new[] { "Status 2 Replace 200", "Status 3 Replace 415" }));
        Assert.That(strict.Tree.Find(deviceName)!.Value, Is.EqualTo("phone"));
    }

    [Test]
    public async Task Status_and_Results_from_the_server_are_not_commands_and_get_no_answer()
    {
        var device = new DmTestDevice();
        var status = new Status { CmdID = "2", MsgRef = "1", CmdRef = "1", Cmd = "Alert", Data = "200" };
        var results = new Results { CmdID = "3", CmdRef = "4" };
        results.Items.Add(new Item { Source = new LocationElement("./DevInfo/Man"), Data = new Data("x") });

        Assert.That(await device.RunDescribedAsync(status, results, Get("4", "./DevInfo/Man")),
            Is.EqualTo(new[] { "Status 4 Get 200", "Results 4" }));
    }

    [Test]
    public async Task A_DDF_default_answers_only_once_the_parent_of_the_setting_exists()
    {
        var device = new DmTestDevice(new DmExecutorOptions { UnsetLeafGet = DmUnsetLeafGet.DefaultValue });
        const string minimum = MinimumLength;

        // No tenant yet: two levels are missing, so there is nothing to default.
        Assert.That(await device.RunDescribedAsync(Get("2", minimum)), Is.EqualTo(new[] { "Status 2 Get 404" }));
        await device.RunAsync(Add("3", Recovery, "true", "bool"));
        // PINComplexity itself is still missing.
        Assert.That(await device.RunDescribedAsync(Get("4", minimum)), Is.EqualTo(new[] { "Status 4 Get 404" }));
        await device.RunAsync(Add("5", DevicePolicies + "/PINComplexity", format: "node"));

        var answers = await device.RunAsync(Get("6", minimum));

        Assert.That(Describe(answers), Is.EqualTo(new[] { "Status 6 Get 200", "Results 6" }));
        Assert.That((SingleResult(answers).Data!.Value, SingleResult(answers).Meta!.Format), Is.EqualTo(("4", "int")));
        Assert.That(device.Tree.Find(minimum), Is.Null, "a default is answered, not stored");
    }

    [Test]
    public async Task Strict_mode_takes_the_Format_of_the_Item_before_that_of_the_command()
    {
        var device = new DmTestDevice(new DmExecutorOptions { FormatMode = DmFormatMode.Strict });
        var fromCommand = Add("2", Recovery, "true");
        fromCommand.Meta = new Meta { Format = "bool" };
        var itemWins = Add("3", Recovery, "false", "bool");
        itemWins.Meta = new Meta { Format = "chr" };
        itemWins.CmdID = "3";
        var itemLoses = Add("4", DevicePolicies + "/RequireSecurityDevice", "true", "chr");
        itemLoses.Meta = new Meta { Format = "bool" };

        Assert.That(await device.RunDescribedAsync(fromCommand, Delete("5", Recovery), itemWins, itemLoses),
            Is.EqualTo(new[] { "Status 2 Add 200", "Status 5 Delete 200", "Status 3 Add 200", "Status 4 Add 415" }));
        Assert.That(device.Tree.Find(Recovery)!.Value, Is.EqualTo("false"));
    }
}

using DeviceAgent.Dm;
using DeviceAgent.SyncML;
using static DeviceAgent.Tests.Dm.DmTestDevice;

namespace DeviceAgent.Tests.Dm;

public class DmCommandExecutorTests
{
    private const string Recovery = DevicePolicies + "/EnablePinRecovery";

    [Test]
    public async Task AddCreatesMissingParentsAndGetReadsTheValueBack()
    {
        var device = new DmTestDevice();

        var answers = (await device.RunAsync(Add("2", Recovery, "true", "bool"), Get("3", Recovery)));

        Assert.That(Describe(answers), Is.EqualTo(new[] { "Status 2 Add 200", "Status 3 Get 200", "Results 3" }));
        var result = SingleResult(answers);
        await Assert.MultipleAsync(async () =>
        {
            Assert.That(result.Source!.LocURI, Is.EqualTo(Recovery));
            Assert.That(result.Meta!.Format, Is.EqualTo("bool"));
            Assert.That(result.Meta.Type, Is.EqualTo("text/plain"));
            Assert.That(result.Data!.Value, Is.EqualTo("true"));
            Assert.That(answers.OfType<Status>().All(s => s.MsgRef == "1" && s.CmdID is null), Is.True);
        });
    }

    [Test]
    public async Task AddOfAnExistingNodeIs418()
    {
        var device = new DmTestDevice();

        Assert.That((await device.RunDescribedAsync(Add("2", Recovery, "true", "bool"), Add("3", Recovery, "false", "bool"))),
            Is.EqualTo(new[] { "Status 2 Add 200", "Status 3 Add 418" }));
        Assert.That(device.Tree.Find(Recovery)!.Value, Is.EqualTo("true"));
    }

    [Test]
    public async Task ReplaceOverwritesAnExistingNodeAndIs404OnAMissingOne()
    {
        var device = new DmTestDevice();

        var described = (await device.RunDescribedAsync(
            Add("2", Recovery, "true", "bool"),
            Replace("3", Recovery, "false", "bool"),
            Replace("4", DevicePolicies + "/RequireSecurityDevice", "true", "bool")));

        Assert.That(described, Is.EqualTo(new[] { "Status 2 Add 200", "Status 3 Replace 200", "Status 4 Replace 404" }));
        Assert.That(device.Tree.Find(Recovery)!.Value, Is.EqualTo("false"));
    }

    [Test]
    public async Task ReplaceCreatesAMissingPolicyCspSetting()
    {
        var device = new DmTestDevice();
        const string uri = "./Device/Vendor/MSFT/Policy/Config/DeviceLock/MinDevicePasswordLength";

        Assert.That((await device.RunDescribedAsync(Replace("2", uri, "6", "int"))), Is.EqualTo(new[] { "Status 2 Replace 200" }));
        Assert.That(device.Tree.Find(uri)!.Value, Is.EqualTo("6"));
    }

    [Test]
    public async Task DeleteRemovesTheWholeSubtree()
    {
        var device = new DmTestDevice();
        var tenant = "./Device/Vendor/MSFT/PassportForWork/" + Tenant;

        var described = (await device.RunDescribedAsync(
            Add("2", Recovery, "true", "bool"),
            Add("3", DevicePolicies + "/PINComplexity/MinimumPINLength", "6", "int"),
            Delete("4", tenant),
            Get("5", Recovery),
            Get("6", tenant),
            Delete("7", tenant)));

        Assert.That(described, Is.EqualTo(new[]
        {
            "Status 2 Add 200", "Status 3 Add 200", "Status 4 Delete 200", "Status 5 Get 404", "Status 6 Get 404", "Status 7 Delete 404",
        }));
    }

    [Test]
    public async Task GetOfAnInteriorNodeListsItsChildrenWithFormatNode()
    {
        var device = new DmTestDevice();
        var other = "0a1b2c3d-0000-4000-8000-000000000001";
        await device.RunAsync(Add("2", Recovery, "true", "bool"), Add("3", "./Device/Vendor/MSFT/PassportForWork/" + other, format: "node"));

        var answers = (await device.RunAsync(Get("4", "./Device/Vendor/MSFT/PassportForWork"), Get("5", "./Device/Vendor/MSFT"), Get("6", "./DevInfo")));

        var results = answers.OfType<Results>().Select(r => r.Items.Single()).ToArray();
        await Assert.MultipleAsync(async () =>
        {
            Assert.That(results[0].Data!.Value, Is.EqualTo("Biometrics/" + Tenant + "/" + other));
            Assert.That(results[0].Meta!.Format, Is.EqualTo("node"));
            // Every Windows 10 Mobile CSP the device creates with ./Vendor/MSFT, no desktop-only one (docs/csp-coverage.md).
            Assert.That(results[1].Data!.Value.Split('/'), Is.SupersetOf(new[] { "DMClient", "PassportForWork", "RemoteLock", "Policy", "DeviceStatus", "WindowsLicensing" }));
            Assert.That(results[1].Data!.Value.Split('/'), Has.None.EqualTo("Defender"));
            Assert.That(results[2].Data!.Value, Is.EqualTo("DevId/Man/Mod/DmV/Lang"));
            Assert.That(results[2].Meta!.Type, Is.EqualTo("urn:oma:mo:oma-dm-devinfo:1.0"));
        });
    }

    [Test]
    public async Task ChildNamesAreUriEncodedInTheChildList()
    {
        var device = new DmTestDevice();
        await device.RunAsync(Add("2", "./Device/Vendor/MSFT/DMClient/Provider/MS%20DM%20Server", format: "node"));

        var answers = (await device.RunAsync(Get("3", "./Device/Vendor/MSFT/DMClient/Provider")));

        Assert.That(SingleResult(answers).Data!.Value, Is.EqualTo("MS%20DM%20Server"));
        Assert.That(device.Tree.Find("./Device/Vendor/MSFT/DMClient/Provider")!.Children.Single().Name, Is.EqualTo("MS DM Server"));
    }

    [Test]
    public async Task GetOfAnUnsetLeafIs404OrTheDdfDefaultWhenConfigured()
    {
        var notFound = new DmTestDevice();
        var withDefault = new DmTestDevice(new DmExecutorOptions { UnsetLeafGet = DmUnsetLeafGet.DefaultValue });
        foreach (var device in new[] { notFound, withDefault })
        {
            await device.RunAsync(Add("2", Recovery, "true", "bool"));
        }

        Assert.That((await notFound.RunDescribedAsync(Get("3", DevicePolicies + "/UsePassportForWork"))), Is.EqualTo(new[] { "Status 3 Get 404" }));
        var answers = (await withDefault.RunAsync(Get("3", DevicePolicies + "/UsePassportForWork")));
        Assert.That(Describe(answers), Is.EqualTo(new[] { "Status 3 Get 200", "Results 3" }));
        Assert.That(SingleResult(answers).Data!.Value, Is.EqualTo("true"));
    }

    [TestCase("./DevInfo/DevId", "Replace")]
    [TestCase("./DevDetail/Ext/Microsoft/DeviceName", "Add")]
    [TestCase("./DevInfo/DevId", "Delete")]
    [TestCase("./DevInfo/DevId", "Exec")]
    [TestCase("./Device/Vendor/MSFT/RemoteLock/NewPINValue", "Replace")]
    [TestCase("./Device/Vendor/MSFT/PassportForWork", "Delete")]
    [TestCase("./Device/Vendor/MSFT", "Add")]
    public async Task ACommandTheAccessTypeLacksIs405(string uri, string command)
    {
        var device = new DmTestDevice();
        var before = device.Dump();
        SyncMLCommand cmd = command switch
        {
            "Replace" => Replace("2", uri, "x"),
            "Add" => Add("2", uri, "x"),
            "Delete" => Delete("2", uri),
            _ => Exec("2", uri),
        };

        Assert.That((await device.RunDescribedAsync(cmd)), Is.EqualTo(new[] { $"Status 2 {command} 405" }));
        Assert.That(device.Dump(), Is.EqualTo(before));
    }

    [TestCase("./cimv2/Win32_Processor")]
    [TestCase("./Device/Vendor/MSFT/Registry")]
    [TestCase("./Vendor/MSFT/NoSuchCsp/Node")]
    [TestCase("./DevDetail/Ext/Microsoft/DNSComputerName")]
    [TestCase("./DevDetail/Ext/Microsoft/SMBIOSSerialNumber")]
    [TestCase("./Device/Vendor/MSFT/passportforwork")]
    [TestCase("./Device/Vendor/MSFT/PassportForWork/DeviceUnlock/GroupA")]
    public async Task AnUnknownNodeIs404(string uri)
    {
        var device = new DmTestDevice();

        Assert.That((await device.RunDescribedAsync(Get("2", uri), Add("3", uri, "1"))), Is.EqualTo(new[] { "Status 2 Get 404", "Status 3 Add 404" }));
    }

    [TestCase("./device/vendor/MSFT/DMClient/HWDevID")]
    [TestCase("./VENDOR/msft/DMClient/HWDevID")]
    [TestCase("Vendor/MSFT/DMClient/HWDevID")]
    [TestCase("./Device/Vendor/MSFT/DMClient/HWDevID")]
    public async Task ScopeRootsMatchIgnoringCase(string uri)
    {
        var device = new DmTestDevice();

        var answers = (await device.RunAsync(Get("2", uri)));

        Assert.That(Describe(answers), Is.EqualTo(new[] { "Status 2 Get 200", "Results 2" }));
        Assert.That(SingleResult(answers).Source!.LocURI, Is.EqualTo(uri), "Results name the URI as the server sent it");
    }

    [TestCase("/Device/Vendor/MSFT/DMClient", 400)]
    [TestCase("./Device/Vendor/MSFT/DMClient/", 400)]
    [TestCase("./Device/./Vendor/MSFT", 400)]
    [TestCase("./DevDetail?list=Struct", 406)]
    public async Task AnInvalidUriIsRefused(string uri, int status)
    {
        var device = new DmTestDevice();

        Assert.That((await device.RunDescribedAsync(Get("2", uri))), Is.EqualTo(new[] { $"Status 2 Get {status}" }));
    }

    [Test]
    public async Task AnItemWithoutTargetIs400()
    {
        var device = new DmTestDevice();
        var get = new Get { CmdID = "2" };
        get.Items.Add(new Item());

        Assert.That((await device.RunDescribedAsync(get, new Get { CmdID = "3" })), Is.EqualTo(new[] { "Status 2 Get 400", "Status 3 Get 400" }));
    }

    [Test]
    public async Task LenientModeCoercesAChrTrueToABoolLeaf()
    {
        var device = new DmTestDevice();

        Assert.That((await device.RunDescribedAsync(Add("2", Recovery, "True", "chr"), Add("3", DevicePolicies + "/RequireSecurityDevice", "1"))),
            Is.EqualTo(new[] { "Status 2 Add 200", "Status 3 Add 200" }));
        Assert.That(device.Tree.Find(Recovery)!.Value, Is.EqualTo("true"));
        Assert.That(device.Tree.Find(DevicePolicies + "/RequireSecurityDevice")!.Value, Is.EqualTo("true"));
    }

    [Test]
    public async Task StrictModeRefusesAFormatMismatchWith415()
    {
        var device = new DmTestDevice(new DmExecutorOptions { FormatMode = DmFormatMode.Strict });
        var before = device.Dump();

        var described = (await device.RunDescribedAsync(
            Add("2", Recovery, "True", "chr"),
            Add("3", Recovery, "true"),
            Add("4", DevicePolicies + "/PINComplexity/MinimumPINLength", "6", "chr")));

        Assert.That(described, Is.EqualTo(new[] { "Status 2 Add 415", "Status 3 Add 415", "Status 4 Add 415" }));
        Assert.That(device.Dump(), Is.EqualTo(before));
        Assert.That((await device.RunDescribedAsync(Add("5", Recovery, "True", "bool"))), Is.EqualTo(new[] { "Status 5 Add 200" }));
    }

    [Test]
    public async Task AValueThatIsNotOfTheNodesFormatIs415InEitherMode()
    {
        var device = new DmTestDevice();

        Assert.That((await device.RunDescribedAsync(Add("2", Recovery, "maybe", "bool"), Add("3", DevicePolicies + "/PINComplexity/History", "ten", "int"))),
            Is.EqualTo(new[] { "Status 2 Add 415", "Status 3 Add 415" }));
    }

    [Test]
    public async Task OutOfRangeAndUnknownEnumValuesFailWithTheConfiguredStatus()
    {
        var byDefault = new DmTestDevice();
        var configured = new DmTestDevice(new DmExecutorOptions { ValidationFailureStatus = 400 });
        var commands = new Func<SyncMLCommand[]>(() =>
        [
            Add("2", DevicePolicies + "/PINComplexity/MinimumPINLength", "3", "int"),
            Add("3", DevicePolicies + "/PINComplexity/UppercaseLetters", "3", "int"),
            Add("4", DevicePolicies + "/PINComplexity/Expiration", "730", "int"),
        ]);

        Assert.That((await byDefault.RunDescribedAsync(commands())), Is.EqualTo(new[] { "Status 2 Add 500", "Status 3 Add 500", "Status 4 Add 200" }));
        Assert.That((await configured.RunDescribedAsync(commands())), Is.EqualTo(new[] { "Status 2 Add 400", "Status 3 Add 400", "Status 4 Add 200" }));
        Assert.That(byDefault.Tree.Find(DevicePolicies + "/PINComplexity/MinimumPINLength"), Is.Null, "a refused Add creates no parents");
    }

    [Test]
    public async Task AlertsTheDeviceAcceptsAre200OthersAre406()
    {
        var device = new DmTestDevice();

        var described = (await device.RunDescribedAsync(
            new Alert { CmdID = "2", Data = "1100" },
            new Alert { CmdID = "3", Data = "1101" },
            new Alert { CmdID = "4" }));

        Assert.That(described, Is.EqualTo(new[] { "Status 2 Alert 200", "Status 3 Alert 406", "Status 4 Alert 400" }));
    }

    [Test]
    public async Task CopyIsNotSupported()
    {
        var device = new DmTestDevice();
        var copy = WithItems(new Copy(), "2", new Item { Target = new LocationElement(Recovery), Source = new LocationElement(Recovery) });

        Assert.That((await device.RunDescribedAsync(copy)), Is.EqualTo(new[] { "Status 2 Copy 406" }));
    }

    [Test]
    public async Task AnUnknownElementIs400()
    {
        var device = new DmTestDevice();
        var unknown = new UnknownCommand("Frobnicate", "<Frobnicate><CmdID>2</CmdID></Frobnicate>") { CmdID = "2" };

        Assert.That((await device.RunDescribedAsync(unknown, Get("3", "./DevInfo/Man"))), Is.EqualTo(new[] { "Status 2 Frobnicate 400", "Status 3 Get 200", "Results 3" }));
    }

    [Test]
    public async Task AMissingCmdIdIs400WithAnEmptyCmdRef()
    {
        var device = new DmTestDevice();
        var add = Add("", Recovery, "true", "bool");
        add.CmdID = null;

        var answers = (await device.RunAsync(add));

        Assert.That(Describe(answers), Is.EqualTo(new[] { "Status  Add 400" }));
        Assert.That(((Status)answers[0]).CmdRef, Is.EqualTo(""));
        Assert.That(device.Tree.Find(Recovery), Is.Null);
    }

    [Test]
    public async Task ItemsWithDifferentOutcomesGetOneStatusEach()
    {
        var device = new DmTestDevice();

        var answers = (await device.RunAsync(Get("2", "./DevInfo/Man", "./DevInfo/Nope", "./DevInfo/Mod")));

        Assert.That(Describe(answers), Is.EqualTo(new[]
        {
            "Status 2 Get 200 ./DevInfo/Man", "Status 2 Get 404 ./DevInfo/Nope", "Status 2 Get 200 ./DevInfo/Mod", "Results 2",
        }));
        Assert.That(answers.OfType<Results>().Single().Items.Select(i => i.Source!.LocURI), Is.EqualTo(new[] { "./DevInfo/Man", "./DevInfo/Mod" }));
    }

    [Test]
    public async Task ItemsWithTheSameOutcomeShareOneStatus()
    {
        var device = new DmTestDevice();

        Assert.That((await device.RunDescribedAsync(Get("2", "./DevInfo/Man", "./DevInfo/Mod"))), Is.EqualTo(new[] { "Status 2 Get 200", "Results 2" }));
    }

    [Test]
    public async Task NoRespSuppressesTheStatus()
    {
        var device = new DmTestDevice();
        var add = Add("2", Recovery, "true", "bool");
        add.NoResp = true;

        Assert.That((await device.RunDescribedAsync(add, Get("3", Recovery))), Is.EqualTo(new[] { "Status 3 Get 200", "Results 3" }));
    }

    [Test]
    public async Task SequenceRunsInOrderAndAnswersItselfFirst()
    {
        var device = new DmTestDevice();

        var described = (await device.RunDescribedAsync(Sequence("2",
            Add("3", Recovery, "true", "bool"),
            Get("4", Recovery),
            Delete("5", Recovery),
            Get("6", Recovery))));

        Assert.That(described, Is.EqualTo(new[]
        {
            "Status 2 Sequence 200", "Status 3 Add 200", "Status 4 Get 200", "Results 4", "Status 5 Delete 200", "Status 6 Get 404",
        }));
    }

    [Test]
    public async Task UserTreeBelongsToTheSignedInUser()
    {
        var device = new DmTestDevice(user: null);
        var uri = UserPolicies + "/EnablePinRecovery";

        Assert.That((await device.RunDescribedAsync(Add("2", uri, "true", "bool"))), Is.EqualTo(new[] { "Status 2 Add 405" }), "nobody signed in");

        device.Tree.SignIn("alice@contoso.com");
        Assert.That((await device.RunDescribedAsync(Add("3", uri, "true", "bool"))), Is.EqualTo(new[] { "Status 3 Add 200" }));

        device.Tree.SignIn("bob@contoso.com");
        Assert.That((await device.RunDescribedAsync(Get("4", uri), Get("5", "./user/Vendor/MSFT/PassportForWork"))),
            Is.EqualTo(new[] { "Status 4 Get 404", "Status 5 Get 200", "Results 5" }));

        device.Tree.SignIn("alice@contoso.com");
        Assert.That((await device.RunDescribedAsync(Get("6", uri))), Is.EqualTo(new[] { "Status 6 Get 200", "Results 6" }));
        Assert.That(device.Tree.Find(DevicePolicies + "/EnablePinRecovery"), Is.Null, "the user tree is not the device tree");
    }
}

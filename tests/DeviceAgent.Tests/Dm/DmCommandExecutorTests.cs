using DeviceAgent.Dm;
using DeviceAgent.SyncML;
using static DeviceAgent.Tests.Dm.DmTestDevice;

namespace DeviceAgent.Tests.Dm;

public class DmCommandExecutorTests
{
    private const string Recovery = DevicePolicies + "/EnablePinRecovery";

    [Test]
    public void AddCreatesMissingParentsAndGetReadsTheValueBack()
    {
        var device = new DmTestDevice();

        var answers = device.Run(Add("2", Recovery, "true", "bool"), Get("3", Recovery));

        Assert.That(Describe(answers), Is.EqualTo(new[] { "Status 2 Add 200", "Status 3 Get 200", "Results 3" }));
        var result = SingleResult(answers);
        Assert.Multiple(() =>
        {
            Assert.That(result.Source!.LocURI, Is.EqualTo(Recovery));
            Assert.That(result.Meta!.Format, Is.EqualTo("bool"));
            Assert.That(result.Meta.Type, Is.EqualTo("text/plain"));
            Assert.That(result.Data!.Value, Is.EqualTo("true"));
            Assert.That(answers.OfType<Status>().All(s => s.MsgRef == "1" && s.CmdID is null), Is.True);
        });
    }

    [Test]
    public void AddOfAnExistingNodeIs418()
    {
        var device = new DmTestDevice();

        Assert.That(device.RunDescribed(Add("2", Recovery, "true", "bool"), Add("3", Recovery, "false", "bool")),
            Is.EqualTo(new[] { "Status 2 Add 200", "Status 3 Add 418" }));
        Assert.That(device.Tree.Find(Recovery)!.Value, Is.EqualTo("true"));
    }

    [Test]
    public void ReplaceOverwritesAnExistingNodeAndIs404OnAMissingOne()
    {
        var device = new DmTestDevice();

        var described = device.RunDescribed(
            Add("2", Recovery, "true", "bool"),
            Replace("3", Recovery, "false", "bool"),
            Replace("4", DevicePolicies + "/RequireSecurityDevice", "true", "bool"));

        Assert.That(described, Is.EqualTo(new[] { "Status 2 Add 200", "Status 3 Replace 200", "Status 4 Replace 404" }));
        Assert.That(device.Tree.Find(Recovery)!.Value, Is.EqualTo("false"));
    }

    [Test]
    public void ReplaceCreatesAMissingPolicyCspSetting()
    {
        var device = new DmTestDevice();
        const string uri = "./Device/Vendor/MSFT/Policy/Config/DeviceLock/MinDevicePasswordLength";

        Assert.That(device.RunDescribed(Replace("2", uri, "6", "int")), Is.EqualTo(new[] { "Status 2 Replace 200" }));
        Assert.That(device.Tree.Find(uri)!.Value, Is.EqualTo("6"));
    }

    [Test]
    public void DeleteRemovesTheWholeSubtree()
    {
        var device = new DmTestDevice();
        var tenant = "./Device/Vendor/MSFT/PassportForWork/" + Tenant;

        var described = device.RunDescribed(
            Add("2", Recovery, "true", "bool"),
            Add("3", DevicePolicies + "/PINComplexity/MinimumPINLength", "6", "int"),
            Delete("4", tenant),
            Get("5", Recovery),
            Get("6", tenant),
            Delete("7", tenant));

        Assert.That(described, Is.EqualTo(new[]
        {
            "Status 2 Add 200", "Status 3 Add 200", "Status 4 Delete 200", "Status 5 Get 404", "Status 6 Get 404", "Status 7 Delete 404",
        }));
    }

    [Test]
    public void GetOfAnInteriorNodeListsItsChildrenWithFormatNode()
    {
        var device = new DmTestDevice();
        var other = "0a1b2c3d-0000-4000-8000-000000000001";
        device.Run(Add("2", Recovery, "true", "bool"), Add("3", "./Device/Vendor/MSFT/PassportForWork/" + other, format: "node"));

        var answers = device.Run(Get("4", "./Device/Vendor/MSFT/PassportForWork"), Get("5", "./Device/Vendor/MSFT"), Get("6", "./DevInfo"));

        var results = answers.OfType<Results>().Select(r => r.Items.Single()).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(results[0].Data!.Value, Is.EqualTo("Biometrics/" + Tenant + "/" + other));
            Assert.That(results[0].Meta!.Format, Is.EqualTo("node"));
            Assert.That(results[1].Data!.Value, Is.EqualTo("DMClient/PassportForWork/RemoteLock/Policy"));
            Assert.That(results[2].Data!.Value, Is.EqualTo("DevId/Man/Mod/DmV/Lang"));
            Assert.That(results[2].Meta!.Type, Is.EqualTo("urn:oma:mo:oma-dm-devinfo:1.0"));
        });
    }

    [Test]
    public void ChildNamesAreUriEncodedInTheChildList()
    {
        var device = new DmTestDevice();
        device.Run(Add("2", "./Device/Vendor/MSFT/DMClient/Provider/MS%20DM%20Server", format: "node"));

        var answers = device.Run(Get("3", "./Device/Vendor/MSFT/DMClient/Provider"));

        Assert.That(SingleResult(answers).Data!.Value, Is.EqualTo("MS%20DM%20Server"));
        Assert.That(device.Tree.Find("./Device/Vendor/MSFT/DMClient/Provider")!.Children.Single().Name, Is.EqualTo("MS DM Server"));
    }

    [Test]
    public void GetOfAnUnsetLeafIs404OrTheDdfDefaultWhenConfigured()
    {
        var notFound = new DmTestDevice();
        var withDefault = new DmTestDevice(new DmExecutorOptions { UnsetLeafGet = DmUnsetLeafGet.DefaultValue });
        foreach (var device in new[] { notFound, withDefault })
        {
            device.Run(Add("2", Recovery, "true", "bool"));
        }

        Assert.That(notFound.RunDescribed(Get("3", DevicePolicies + "/UsePassportForWork")), Is.EqualTo(new[] { "Status 3 Get 404" }));
        var answers = withDefault.Run(Get("3", DevicePolicies + "/UsePassportForWork"));
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
    public void ACommandTheAccessTypeLacksIs405(string uri, string command)
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

        Assert.That(device.RunDescribed(cmd), Is.EqualTo(new[] { $"Status 2 {command} 405" }));
        Assert.That(device.Dump(), Is.EqualTo(before));
    }

    [TestCase("./cimv2/Win32_Processor")]
    [TestCase("./Device/Vendor/MSFT/Registry")]
    [TestCase("./Vendor/MSFT/NoSuchCsp/Node")]
    [TestCase("./DevDetail/Ext/Microsoft/DNSComputerName")]
    [TestCase("./DevDetail/Ext/Microsoft/SMBIOSSerialNumber")]
    [TestCase("./Device/Vendor/MSFT/passportforwork")]
    [TestCase("./Device/Vendor/MSFT/PassportForWork/DeviceUnlock/GroupA")]
    public void AnUnknownNodeIs404(string uri)
    {
        var device = new DmTestDevice();

        Assert.That(device.RunDescribed(Get("2", uri), Add("3", uri, "1")), Is.EqualTo(new[] { "Status 2 Get 404", "Status 3 Add 404" }));
    }

    [TestCase("./device/vendor/MSFT/DMClient/HWDevID")]
    [TestCase("./VENDOR/msft/DMClient/HWDevID")]
    [TestCase("Vendor/MSFT/DMClient/HWDevID")]
    [TestCase("./Device/Vendor/MSFT/DMClient/HWDevID")]
    public void ScopeRootsMatchIgnoringCase(string uri)
    {
        var device = new DmTestDevice();

        var answers = device.Run(Get("2", uri));

        Assert.That(Describe(answers), Is.EqualTo(new[] { "Status 2 Get 200", "Results 2" }));
        Assert.That(SingleResult(answers).Source!.LocURI, Is.EqualTo(uri), "Results name the URI as the server sent it");
    }

    [TestCase("/Device/Vendor/MSFT/DMClient", 400)]
    [TestCase("./Device/Vendor/MSFT/DMClient/", 400)]
    [TestCase("./Device/./Vendor/MSFT", 400)]
    [TestCase("./DevDetail?list=Struct", 406)]
    public void AnInvalidUriIsRefused(string uri, int status)
    {
        var device = new DmTestDevice();

        Assert.That(device.RunDescribed(Get("2", uri)), Is.EqualTo(new[] { $"Status 2 Get {status}" }));
    }

    [Test]
    public void AnItemWithoutTargetIs400()
    {
        var device = new DmTestDevice();
        var get = new Get { CmdID = "2" };
        get.Items.Add(new Item());

        Assert.That(device.RunDescribed(get, new Get { CmdID = "3" }), Is.EqualTo(new[] { "Status 2 Get 400", "Status 3 Get 400" }));
    }

    [Test]
    public void LenientModeCoercesAChrTrueToABoolLeaf()
    {
        var device = new DmTestDevice();

        Assert.That(device.RunDescribed(Add("2", Recovery, "True", "chr"), Add("3", DevicePolicies + "/RequireSecurityDevice", "1")),
            Is.EqualTo(new[] { "Status 2 Add 200", "Status 3 Add 200" }));
        Assert.That(device.Tree.Find(Recovery)!.Value, Is.EqualTo("true"));
        Assert.That(device.Tree.Find(DevicePolicies + "/RequireSecurityDevice")!.Value, Is.EqualTo("true"));
    }

    [Test]
    public void StrictModeRefusesAFormatMismatchWith415()
    {
        var device = new DmTestDevice(new DmExecutorOptions { FormatMode = DmFormatMode.Strict });
        var before = device.Dump();

        var described = device.RunDescribed(
            Add("2", Recovery, "True", "chr"),
            Add("3", Recovery, "true"),
            Add("4", DevicePolicies + "/PINComplexity/MinimumPINLength", "6", "chr"));

        Assert.That(described, Is.EqualTo(new[] { "Status 2 Add 415", "Status 3 Add 415", "Status 4 Add 415" }));
        Assert.That(device.Dump(), Is.EqualTo(before));
        Assert.That(device.RunDescribed(Add("5", Recovery, "True", "bool")), Is.EqualTo(new[] { "Status 5 Add 200" }));
    }

    [Test]
    public void AValueThatIsNotOfTheNodesFormatIs415InEitherMode()
    {
        var device = new DmTestDevice();

        Assert.That(device.RunDescribed(Add("2", Recovery, "maybe", "bool"), Add("3", DevicePolicies + "/PINComplexity/History", "ten", "int")),
            Is.EqualTo(new[] { "Status 2 Add 415", "Status 3 Add 415" }));
    }

    [Test]
    public void OutOfRangeAndUnknownEnumValuesFailWithTheConfiguredStatus()
    {
        var byDefault = new DmTestDevice();
        var configured = new DmTestDevice(new DmExecutorOptions { ValidationFailureStatus = 400 });
        var commands = new Func<SyncMLCommand[]>(() =>
        [
            Add("2", DevicePolicies + "/PINComplexity/MinimumPINLength", "3", "int"),
            Add("3", DevicePolicies + "/PINComplexity/UppercaseLetters", "3", "int"),
            Add("4", DevicePolicies + "/PINComplexity/Expiration", "730", "int"),
        ]);

        Assert.That(byDefault.RunDescribed(commands()), Is.EqualTo(new[] { "Status 2 Add 500", "Status 3 Add 500", "Status 4 Add 200" }));
        Assert.That(configured.RunDescribed(commands()), Is.EqualTo(new[] { "Status 2 Add 400", "Status 3 Add 400", "Status 4 Add 200" }));
        Assert.That(byDefault.Tree.Find(DevicePolicies + "/PINComplexity/MinimumPINLength"), Is.Null, "a refused Add creates no parents");
    }

    [Test]
    public void AlertsTheDeviceAcceptsAre200OthersAre406()
    {
        var device = new DmTestDevice();

        var described = device.RunDescribed(
            new Alert { CmdID = "2", Data = "1100" },
            new Alert { CmdID = "3", Data = "1101" },
            new Alert { CmdID = "4" });

        Assert.That(described, Is.EqualTo(new[] { "Status 2 Alert 200", "Status 3 Alert 406", "Status 4 Alert 400" }));
    }

    [Test]
    public void CopyIsNotSupported()
    {
        var device = new DmTestDevice();
        var copy = WithItems(new Copy(), "2", new Item { Target = new LocationElement(Recovery), Source = new LocationElement(Recovery) });

        Assert.That(device.RunDescribed(copy), Is.EqualTo(new[] { "Status 2 Copy 406" }));
    }

    [Test]
    public void AnUnknownElementIs400()
    {
        var device = new DmTestDevice();
        var unknown = new UnknownCommand("Frobnicate", "<Frobnicate><CmdID>2</CmdID></Frobnicate>") { CmdID = "2" };

        Assert.That(device.RunDescribed(unknown, Get("3", "./DevInfo/Man")), Is.EqualTo(new[] { "Status 2 Frobnicate 400", "Status 3 Get 200", "Results 3" }));
    }

    [Test]
    public void AMissingCmdIdIs400WithAnEmptyCmdRef()
    {
        var device = new DmTestDevice();
        var add = Add("", Recovery, "true", "bool");
        add.CmdID = null;

        var answers = device.Run(add);

        Assert.That(Describe(answers), Is.EqualTo(new[] { "Status  Add 400" }));
        Assert.That(((Status)answers[0]).CmdRef, Is.EqualTo(""));
        Assert.That(device.Tree.Find(Recovery), Is.Null);
    }

    [Test]
    public void ItemsWithDifferentOutcomesGetOneStatusEach()
    {
        var device = new DmTestDevice();

        var answers = device.Run(Get("2", "./DevInfo/Man", "./DevInfo/Nope", "./DevInfo/Mod"));

        Assert.That(Describe(answers), Is.EqualTo(new[]
        {
            "Status 2 Get 200 ./DevInfo/Man", "Status 2 Get 404 ./DevInfo/Nope", "Status 2 Get 200 ./DevInfo/Mod", "Results 2",
        }));
        Assert.That(answers.OfType<Results>().Single().Items.Select(i => i.Source!.LocURI), Is.EqualTo(new[] { "./DevInfo/Man", "./DevInfo/Mod" }));
    }

    [Test]
    public void ItemsWithTheSameOutcomeShareOneStatus()
    {
        var device = new DmTestDevice();

        Assert.That(device.RunDescribed(Get("2", "./DevInfo/Man", "./DevInfo/Mod")), Is.EqualTo(new[] { "Status 2 Get 200", "Results 2" }));
    }

    [Test]
    public void NoRespSuppressesTheStatus()
    {
        var device = new DmTestDevice();
        var add = Add("2", Recovery, "true", "bool");
        add.NoResp = true;

        Assert.That(device.RunDescribed(add, Get("3", Recovery)), Is.EqualTo(new[] { "Status 3 Get 200", "Results 3" }));
    }

    [Test]
    public void SequenceRunsInOrderAndAnswersItselfFirst()
    {
        var device = new DmTestDevice();

        var described = device.RunDescribed(Sequence("2",
            Add("3", Recovery, "true", "bool"),
            Get("4", Recovery),
            Delete("5", Recovery),
            Get("6", Recovery)));

        Assert.That(described, Is.EqualTo(new[]
        {
            "Status 2 Sequence 200", "Status 3 Add 200", "Status 4 Get 200", "Results 4", "Status 5 Delete 200", "Status 6 Get 404",
        }));
    }

    [Test]
    public void UserTreeBelongsToTheSignedInUser()
    {
        var device = new DmTestDevice(user: null);
        var uri = UserPolicies + "/EnablePinRecovery";

        Assert.That(device.RunDescribed(Add("2", uri, "true", "bool")), Is.EqualTo(new[] { "Status 2 Add 405" }), "nobody signed in");

        device.Tree.SignIn("alice@contoso.com");
        Assert.That(device.RunDescribed(Add("3", uri, "true", "bool")), Is.EqualTo(new[] { "Status 3 Add 200" }));

        device.Tree.SignIn("bob@contoso.com");
        Assert.That(device.RunDescribed(Get("4", uri), Get("5", "./user/Vendor/MSFT/PassportForWork")),
            Is.EqualTo(new[] { "Status 4 Get 404", "Status 5 Get 200", "Results 5" }));

        device.Tree.SignIn("alice@contoso.com");
        Assert.That(device.RunDescribed(Get("6", uri)), Is.EqualTo(new[] { "Status 6 Get 200", "Results 6" }));
        Assert.That(device.Tree.Find(DevicePolicies + "/EnablePinRecovery"), Is.Null, "the user tree is not the device tree");
    }
}

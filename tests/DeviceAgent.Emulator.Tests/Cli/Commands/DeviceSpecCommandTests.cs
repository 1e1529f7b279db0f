using DeviceAgent.Cli.Commands;
using DeviceAgent.Dm;
using DeviceAgent.Emulator.Fleet;
using DeviceAgent.Emulator.Scenarios;
using DeviceAgent.Emulator.Server;

namespace DeviceAgent.Emulator.Tests.Cli.Commands;

/// <summary>`--device-spec FILE` on fleet, device tree and in scenario files (docs/emulator.md "Device specification").</summary>
public class DeviceSpecCommandTests : CliTestBase
{
    private string LumiaSpec() => SendCommandTests.WriteSpec(this,
        ("model: Lumia 950 ", "model: Lumia 640 XL "),
        ("imei-tac: \"35465207\"", "imei-tac: \"35220406\""));

    [Test]
    [CancelAfter(240_000)]
    public async Task AFleetOfTheSpecsPhonesAnswersNoneOfTheServersOwnCommands404(CancellationToken cancellationToken)
    {
        // Issue 13 "Done when": the mock server's inventory and push registration succeed on every phone of a fleet.
        var phone = PhoneSpecReader.ReadFile(LumiaSpec());
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = await FleetCommands.RunAsync(new FleetOptions { Devices = 3, Concurrency = 3, Seed = 4 }, FleetAction.Enroll, null,
            MockMdm.MockMdmOptions.DefaultApiKey, live: false, output, error, cancellationToken, EmbeddedHost.TestServer, phone: phone);

        var summary = output.ToString();
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.Zero, summary + error);
            Assert.That(summary, Does.Match(@"commands 200\s+[1-9]"));
            Assert.That(summary, Does.Not.Contain("commands 404"), summary);
            Assert.That(summary, Does.Not.Contain("commands 405").And.Not.Contain("commands 500"), summary);
        });
    }

    [Test]
    public void FleetRefusesABadSpecBeforeStarting()
    {
        var bad = WriteFile("bad.yaml", "model: [1, 2]\n");
        var (exit, output, _) = Run("fleet", "--devices", "1", "--device-spec", bad);
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(2));
            Assert.That(output, Does.Not.Contain("embedded mock MDM"), "nothing started");
        });
    }

    [Test]
    public void DeviceTreeShowsTheSpecsIdentitiesAndApps()
    {
        var (exit, output, error) = Run("device", "tree", "--device-spec", LumiaSpec(), "./Vendor/MSFT");

        Assert.That(exit, Is.Zero, error);
        Assert.Multiple(() =>
        {
            Assert.That(output, Does.Match(@"\./Device/Vendor/MSFT/DeviceStatus/CellularIdentities/35220406[0-9]{7} \(node\)"));
            Assert.That(output, Does.Contain("./Device/Vendor/MSFT/EnterpriseModernAppManagement/AppManagement/System/Microsoft.MicrosoftEdge_8wekyb3d8bbwe/Microsoft.MicrosoftEdge_40.15063.0.0_neutral__8wekyb3d8bbwe (node)"));
        });
    }

    [Test]
    public void AScenarioDeclaresADevicesSpecRelativeToItsFile()
    {
        var spec = LumiaSpec();
        var scenario = WriteFile("s.yaml", $"""
            name: spec
            steps:
              - enroll: {"{"} device: p1, join: azure-ad-joined, device-spec: {Path.GetFileName(spec)} {"}"}
            """);

        var parsed = ScenarioParser.ParseFile(scenario);

        Assert.That(((EnrollStep)parsed.Steps[0]).Phone!.Model, Is.EqualTo("Lumia 640 XL"));
    }

    [Test]
    public void AScenarioWithABadSpecNamesTheSpecFilesLineAndColumn()
    {
        var spec = SendCommandTests.WriteSpec(this, ("  level-percent: { min: 15, max: 100 }", "  level-percent: { min: 15, max: 101 }"));
        var scenario = WriteFile("s.yaml", """
            name: spec
            steps:
              - enroll: { device: p1, join: azure-ad-joined, device-spec: phone-spec.yaml }
            """);

        var e = Assert.Throws<ScenarioFormatException>(() => ScenarioParser.ParseFile(scenario))!;

        Assert.That(e.Message, Does.StartWith($"{spec}:28:34: level-percent: field 'max' must be a whole number from 0 to 100, not '101' (device spec of the enroll step at {scenario}:3:"));
    }
}

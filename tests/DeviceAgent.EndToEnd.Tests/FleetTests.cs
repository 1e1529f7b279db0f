using DeviceAgent.Emulator.Devices;
using DeviceAgent.Emulator.Fleet;
using DeviceAgent.Emulator.Server;
using DeviceAgent.Ngc;

namespace DeviceAgent.EndToEnd.Tests;

/// <summary>A large fleet enrolls and completes a New passcode round against the embedded server without an error (counts only, no timing).</summary>
public class FleetTests
{
    [TestCase(1000)]
    public async Task A_fleet_enrolls_and_completes_a_new_passcode_round(int devices)
    {
        await using var mdm = await EmbeddedMdm.StartAsync(new EmbeddedMdmOptions { Host = EmbeddedHost.TestServer, Keys = Keys.Material });
        using var transport = mdm.CreateDeviceTransport();
        using var api = new MdmApiClient(mdm.BaseUrl, mdm.ApiKey, mdm.CreateApiHandler());
        var work = new FleetWork(api, transport, new EmulatorOptions
        {
            Seed = 5,
            Pbkdf2Iterations = 1,
            HelloKeyAlgorithm = NgcKeyAlgorithm.EcdsaP256,
            EnrollmentKeys = new EnrollmentKeyPool(2),
            PinResetService = mdm.PinResetService,
        }, FleetAction.NewPasscode);
        await work.PrepareAsync(CancellationToken.None);

        var snapshot = await new FleetRunner(new FleetOptions { Devices = devices, Concurrency = 8, Seed = 5 }, TimeProvider.System).RunAsync(work.RunDeviceAsync);

        Assert.Multiple(() =>
        {
            Assert.That(snapshot.Errors, Is.Zero, () => string.Join("\n", snapshot.ErrorSamples.Take(5)));
            Assert.That(snapshot.Enrolled, Is.EqualTo(devices));
            Assert.That(snapshot.ActionsDone, Is.EqualTo(devices));
            Assert.That(snapshot.Sessions, Is.EqualTo(2 * devices));
            Assert.That(snapshot.Finished, Is.EqualTo(devices));
            // The server's own commands (inventory, push registration) all find their nodes (docs/csps.md "DMAcc and DMClient").
            Assert.That(snapshot.CommandsByStatus.Keys, Has.No.Member("404"), () => string.Join(", ", snapshot.CommandsByStatus));
        });
    }
}

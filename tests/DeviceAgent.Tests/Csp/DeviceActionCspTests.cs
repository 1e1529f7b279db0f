using DeviceAgent.Csp;
using DeviceAgent.Dm;
using DeviceAgent.SyncML;
using static DeviceAgent.Tests.Csp.HelloTestDevice;

namespace DeviceAgent.Tests.Csp;

/// <summary>
/// Reboot and RemoteWipe Exec requests wait for the end of the session: on a tree described by a small DDF written
/// here from the Reboot and RemoteWipe CSP pages, and on the 1703 phone.
/// </summary>
public sealed class DeviceActionCspTests
{
    private const string Ddf = """
        <MgmtTree><VerDTD>1.2</VerDTD>
          <Node><NodeName>Reboot</NodeName><Path>./Device/Vendor/MSFT</Path>
            <DFProperties><AccessType><Get/></AccessType><DFFormat><node/></DFFormat></DFProperties>
            <Node><NodeName>RebootNow</NodeName>
              <DFProperties><AccessType><Exec/><Get/></AccessType><DFFormat><null/></DFFormat></DFProperties>
            </Node>
          </Node>
          <Node><NodeName>RemoteWipe</NodeName><Path>./Vendor/MSFT</Path>
            <DFProperties><AccessType><Get/></AccessType><DFFormat><node/></DFFormat></DFProperties>
            <Node><NodeName>doWipe</NodeName>
              <DFProperties><AccessType><Exec/></AccessType><DFFormat><chr/></DFFormat></DFProperties>
            </Node>
            <Node><NodeName>doWipePersistProvisionedData</NodeName>
              <DFProperties><AccessType><Exec/></AccessType><DFFormat><chr/></DFFormat></DFProperties>
            </Node>
          </Node>
        </MgmtTree>
        """;

    private static (DmCommandExecutor Executor, RebootCsp Reboot, RemoteWipeCsp Wipe) Device()
    {
        var set = new DdfSet("device-actions", [DdfLoader.Load(Ddf, "device-actions.xml")]);
        var tree = new DmTree(DmSchema.Create(set, OsBuild.Parse("10.0.15063.297")));
        var reboot = new RebootCsp();
        var wipe = new RemoteWipeCsp();
        return (new DmCommandExecutor(tree, [reboot, wipe]), reboot, wipe);
    }

    [Test]
    public async Task RebootNowAndDoWipeAnswer200AndWaitToBeTaken()
    {
        var (executor, reboot, wipe) = Device();

        var answers = await executor.ExecuteAsync(
            [Command<Exec>("1", "./Vendor/MSFT/Reboot/RebootNow"), Command<Exec>("2", "./Vendor/MSFT/RemoteWipe/doWipe")], "1", CancellationToken.None);

        Assert.That(answers.StatusOf("1"), Is.EqualTo(StatusCodes.Ok));
        Assert.That(answers.StatusOf("2"), Is.EqualTo(StatusCodes.Ok));
        Assert.That(reboot.TakePending(), Is.EqualTo(new[] { RebootCsp.RebootNow }));
        Assert.That(wipe.TakePending(), Is.EqualTo(new[] { RemoteWipeCsp.DoWipe }));
        Assert.That(reboot.Pending, Is.Empty, "taken once");
    }

    [Test]
    public async Task AWipeInsideAFailedAtomicIsWithdrawn()
    {
        var (executor, _, wipe) = Device();
        var atomic = new Atomic { CmdID = "1" };
        atomic.Commands.Add(Command<Exec>("2", "./Vendor/MSFT/RemoteWipe/doWipe"));
        atomic.Commands.Add(Command<Exec>("3", "./Vendor/MSFT/RemoteWipe/NoSuchNode"));

        var answers = await executor.ExecuteAsync([atomic], "1", CancellationToken.None);

        Assert.That(answers.StatusOf("1"), Is.EqualTo(StatusCodes.AtomicFailed));
        Assert.That(wipe.Pending, Is.Empty);
    }

    [Test]
    public async Task OnThe1703PhoneRebootNowAndDoWipeReachTheirHandlers()
    {
        var device = await CreateAsync();

        var answers = await device.SendAsync(Command<Exec>("1", "./Vendor/MSFT/Reboot/RebootNow"), Command<Exec>("2", "./Vendor/MSFT/RemoteWipe/doWipe"));

        Assert.That(answers.StatusOf("1"), Is.EqualTo(StatusCodes.Ok));
        Assert.That(answers.StatusOf("2"), Is.EqualTo(StatusCodes.Ok));
        Assert.That(device.Reboot.TakePending(), Is.EqualTo(new[] { RebootCsp.RebootNow }));
        Assert.That(device.RemoteWipe.TakePending(), Is.EqualTo(new[] { RemoteWipeCsp.DoWipe }));
    }
}

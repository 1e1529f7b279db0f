using DeviceAgent.Session;
using DeviceAgent.SyncML;

namespace DeviceAgent.Tests.Session;

/// <summary>Wires a DmClient to a ScriptedDmServer, a TestDmExecutor and a TestClock.</summary>
internal abstract class SessionTestBase
{
    protected const string DevId = "6A3F1C2B9E8D4F7A";
    protected const string HWDevID = "A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60718293A4B5C6D7E8F90";

    protected ScriptedDmServer Server { get; private set; } = null!;
    protected TestDmExecutor Executor { get; private set; } = null!;
    protected TestClock Time { get; private set; } = null!;
    protected DmClient Client { get; private set; } = null!;
    protected DmClientOptions Options { get; private set; } = null!;

    [SetUp]
    public void CreateClient()
    {
        // NUnit reuses the fixture instance between tests: every test starts with a fresh tree and clock.
        Executor = new TestDmExecutor();
        Time = new TestClock();
        Configure(o => o);
    }

    [TearDown]
    public void DisposeClient()
    {
        Client.Dispose();
        Server.Dispose();
    }

    protected void Configure(Func<DmClientOptions, DmClientOptions> change)
    {
        Client?.Dispose();
        Server?.Dispose();
        Server = new ScriptedDmServer();
        Options = change(new DmClientOptions
        {
            ServerUrl = new Uri(Server.ServerUrl),
            Device = new DmDeviceIdentity(DevId, "Microsoft", "Lumia 950") { HWDevID = HWDevID },
        });
        Client = new DmClient(Server, Options, Executor, Time, new Random(42));
    }

    /// <summary>Starts a session; Server.ExpectEndAsync awaits its result.</summary>
    protected void Start(DmSessionTrigger? trigger = null) =>
        _ = Server.Watch(Client.RunSessionAsync(trigger ?? DmSessionTrigger.ClientInitiated));

    /// <summary>Answers package 1 with statuses and the given commands, as server package 2.</summary>
    protected static ServerMessageBuilder Acknowledge(DmServerRequest request) =>
        request.Reply().StatusForSyncHdr().StatusForCommands();

    protected static T[] Of<T>(DmServerRequest request) => request.Commands.OfType<T>().ToArray();

    protected static void AssertHeaderStatusFirst(DmServerRequest request, string serverMsgId)
    {
        var first = request.Commands.FirstOrDefault() as Status;
        Assert.That(first, Is.Not.Null, "The SyncHdr status comes first (docs/reference/omadm.md §8).");
        Assert.Multiple(() =>
        {
            Assert.That(first!.CmdRef, Is.EqualTo("0"));
            Assert.That(first.Cmd, Is.EqualTo("SyncHdr"));
            Assert.That(first.MsgRef, Is.EqualTo(serverMsgId));
            Assert.That(first.Data, Is.EqualTo("200"));
        });
    }

    protected static Status StatusFor(DmServerRequest request, string cmdRef) =>
        request.Commands.OfType<Status>().Single(s => s.CmdRef == cmdRef && s.Cmd != "SyncHdr");
}

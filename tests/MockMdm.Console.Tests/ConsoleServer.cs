using DeviceAgent.Session;
using DeviceAgent.Emulator.Devices;
using DeviceAgent.Emulator.Server;
using DeviceAgent.Testing;

namespace MockMdm.Console.Tests;

/// <summary>
/// An embedded MockMdm on real Kestrel at 127.0.0.1 (ephemeral port, plain HTTP, in memory) on a manual clock, and the
/// emulated Windows 10 Mobile phones that enroll with it: each uses the server's hosted PIN reset service and publishes
/// its NGC event log to the console.
/// </summary>
internal sealed class ConsoleServer : IAsyncDisposable
{
    public const string ApiKey = "console-test-key";
    public const int Seed = 7;

    /// <summary>Server and device time at start: the console's "Shown until" is seven days after it.</summary>
    public static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    // Generating the CA and PIN reset service keys dominates a server's start; every test shares one set.
    private static readonly Lazy<MdmKeyMaterial> s_keys = new(() => MdmKeyMaterial.Create(new TestClock(Start)));

    private readonly List<(EmulatedDevice Device, IDisposable? Published)> _devices = [];
    private readonly IDeviceTransport _transport;

    private ConsoleServer(EmbeddedMdm mdm, TestClock clock)
    {
        Mdm = mdm;
        Clock = clock;
        _transport = mdm.CreateDeviceTransport();
    }

    public EmbeddedMdm Mdm { get; }

    /// <summary>The clock of the server and its devices; the test advances it for the seven-day expiry.</summary>
    public TestClock Clock { get; }

    /// <summary>http://127.0.0.1:port/</summary>
    public Uri BaseAddress => Mdm.BaseUrl;

    public static async Task<ConsoleServer> StartAsync()
    {
        var clock = new TestClock(Start);
        var mdm = await EmbeddedMdm.StartAsync(new EmbeddedMdmOptions
        {
            Host = EmbeddedHost.Kestrel,
            Tls = false, // the browser talks plain HTTP; devices are told apart by the device token of their w7 ADDR
            Time = clock,
            Seed = Seed,
            ApiKey = ApiKey,
            Keys = s_keys.Value,
        }).ConfigureAwait(false);
        return new ConsoleServer(mdm, clock);
    }

    /// <summary>
    /// Builds an emulated phone (or a desktop, with <c>Platform = "windows10"</c>) and enrolls it by MS-MDE2 with its own
    /// key; unless <paramref name="publishEventLog"/> is false, its NGC event log shows in the console.
    /// </summary>
    public async Task<EmulatedDevice> EnrollAsync(DeviceSpec spec, bool publishEventLog = true)
    {
        var device = await EmulatedDevice.CreateAsync(spec, new EmulatorOptions
        {
            Time = Clock,
            Seed = Seed,
            PinResetService = Mdm.PinResetService,
            Pbkdf2Iterations = 10,
            InitialBackoffTime = TimeSpan.FromMilliseconds(50),
        });
        _devices.Add((device, null));
        await device.EnrollAsync(_transport).ConfigureAwait(false);
        if (publishEventLog)
        {
            _devices[^1] = (device, Mdm.PublishEventLog(device));
        }

        return device;
    }

    /// <summary>One client-initiated session, which must succeed.</summary>
    public static async Task<DmSessionResult> SyncAsync(EmulatedDevice device)
    {
        // Retries wait on the manual clock, which only the test moves: a session stuck there fails instead of hanging.
        var session = await device.SyncAsync().WaitAsync(TimeSpan.FromMinutes(1)).ConfigureAwait(false);
        Assert.That(session.Succeeded, Is.True, $"{device.Name}: {session.Reason}");
        return session;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (device, published) in _devices)
        {
            published?.Dispose();
            device.Dispose();
        }

        _transport.Dispose();
        await Mdm.DisposeAsync().ConfigureAwait(false);
    }
}

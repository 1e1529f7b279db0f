using DeviceAgent.Emulator.Devices;
using DeviceAgent.Emulator.Fleet;
using DeviceAgent.Emulator.Server;
using DeviceAgent.Protocol;

namespace DeviceAgent.Testing;

/// <summary>How <see cref="MdmTestServer.StartAsync"/> starts its embedded mock MDM.</summary>
public sealed record EmbeddedServerOptions
{
    /// <summary>
    /// The clock the server and its phones read: <see cref="TimeProvider.System"/> (default), or a fake clock such as
    /// Microsoft.Extensions.Time.Testing's FakeTimeProvider that the test advances (passcode visibility, poll schedules).
    /// </summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Seed of the server's IDs and of every phone's identity and PINs: the same seed gives the same run.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>
    /// False (default): the server runs in the test's process without sockets (ASP.NET Core TestHost), so tests in
    /// parallel never compete for ports. True: Kestrel on 127.0.0.1 with an ephemeral port, https with mutual TLS.
    /// </summary>
    public bool RealSockets { get; init; }
}

/// <summary>How <see cref="MdmTestServer.ConnectAsync"/> reaches a server the test did not start.</summary>
public sealed record ExistingServerOptions
{
    /// <summary>The key of MockMdm's admin API (header api-key), used for actions and PIN recovery set-up.</summary>
    public string ApiKey { get; init; } = MockMdm.MockMdmOptions.DefaultApiKey;

    /// <summary>Which server certificates phones and the API client accept: the system store (default), extra roots, or insecure.</summary>
    public ServerTrust Trust { get; init; } = ServerTrust.SystemStore;

    /// <summary>The phones' clock (the server keeps its own).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Seed of every phone's identity and PINs.</summary>
    public int Seed { get; init; } = 1;
}

/// <summary>What kind of phone <see cref="MdmTestServer.EnrollPhoneAsync"/> builds; everything not given is drawn from the seed and the name.</summary>
public sealed record PhoneOptions
{
    /// <summary>The signed-in user (UPN); null: "{name}@contoso.com".</summary>
    public string? User { get; init; }

    /// <summary>Azure AD joined (default; the console's resetPasscode is then New passcode) or workplace joined (Reset passcode).</summary>
    public JoinType Join { get; init; } = JoinType.AzureADJoined;

    /// <summary>The PIN complexity set on the phone before enrollment; the PIN reset service's 6-character PIN fails a longer minimum.</summary>
    public DeviceAgent.Ngc.Policy.PinComplexity PinPolicy { get; init; } = DeviceAgent.Ngc.Policy.PinComplexity.Unconfigured;

    /// <summary>The user's Windows Hello PIN; null draws one that meets <see cref="PinPolicy"/>.</summary>
    public string? Pin { get; init; }

    /// <summary>Windows build, 10.0.15063 (Windows 10 Mobile Creators Update) by default.</summary>
    public string OsBuild { get; init; } = "10.0.15063";
}

/// <summary>
/// A mock MDM for one test: an embedded MockMdm started in the test's process (<see cref="StartAsync"/>) or a server
/// at a URL (<see cref="ConnectAsync"/>), the phones enrolled in it, and its admin API. Each instance has its own server,
/// store, clock and phones, so parallel tests do not share state; disposing it disposes the phones and stops an
/// embedded server. Built on DeviceAgent.Emulator's EmbeddedMdm, EmulatedDevice and MdmApiClient (docs/testing-library.md).
/// </summary>
public sealed class MdmTestServer : IAsyncDisposable
{
    // Key generation is most of a server's start-up; servers on the system clock share one CA and service key.
    private static readonly Lazy<MdmKeyMaterial> s_systemClockKeys = new(() => MdmKeyMaterial.Create(TimeProvider.System), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly IDeviceTransport _transport;
    private readonly EmulatorOptions _devices;
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly List<TestPhone> _phones = [];
    private readonly Lock _gate = new();
    private int _disposed;

    private MdmTestServer(EmbeddedMdm? embedded, MdmApiClient api, IDeviceTransport transport, EmulatorOptions devices)
    {
        Embedded = embedded;
        Api = api;
        _transport = transport;
        _devices = devices;
    }

    /// <summary>Starts an embedded mock MDM (in-memory store) and returns it ready for <see cref="EnrollPhoneAsync"/>.</summary>
    public static async Task<MdmTestServer> StartAsync(EmbeddedServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new EmbeddedServerOptions();
        var keys = ReferenceEquals(options.Clock, TimeProvider.System) ? s_systemClockKeys.Value : null;
        var embedded = await EmbeddedMdm.StartAsync(new EmbeddedMdmOptions
        {
            Host = options.RealSockets ? EmbeddedHost.Kestrel : EmbeddedHost.TestServer,
            Time = options.Clock,
            Seed = options.Seed,
            Keys = keys,
        }, cancellationToken).ConfigureAwait(false);
        return new MdmTestServer(embedded, new MdmApiClient(embedded.BaseUrl, embedded.ApiKey, embedded.CreateApiHandler()), embedded.CreateDeviceTransport(),
            PhoneSettings(options.Clock, options.Seed) with { PinResetService = embedded.PinResetService });
    }

    /// <summary>
    /// A server the test did not start, at <paramref name="serverUrl"/> (your own, or a `deviceagent mdm serve`):
    /// phones enroll over MS-MDE2 and sync over OMA-DM with real sockets. Actions and <see cref="EnablePinRecoveryAsync"/>
    /// use MockMdm's admin API; against another server, queue actions your own way and call <see cref="TestPhone.SyncAsync"/>.
    /// Phones call the PIN reset service the server hosts over HTTP (docs/pin-reset.md "Wire"); a server that hosts none
    /// leaves LockAndRecoverPIN failing with the reason in the phone's NGC log.
    /// </summary>
    public static async Task<MdmTestServer> ConnectAsync(Uri serverUrl, ExistingServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(serverUrl);
        options ??= new ExistingServerOptions();
        var server = await ExternalServer.ProbeAsync(serverUrl, options.ApiKey, options.Trust, pinResetService: null, cancellationToken).ConfigureAwait(false);
        return new MdmTestServer(null, new MdmApiClient(serverUrl, options.ApiKey, options.Trust.CreateHandler()),
            new SocketDeviceTransport(serverUrl, options.Trust), PhoneSettings(options.Clock, options.Seed) with { PinResetServiceClient = server.CreatePinResetClient() });
    }

    /// <summary>The embedded server (its services, console NGC logs, recorded pushes), or null for a server at a URL.</summary>
    public EmbeddedMdm? Embedded { get; }

    /// <summary>The server's admin REST API (Graph-shaped, /api/...).</summary>
    public MdmApiClient Api { get; }

    /// <summary>The server's base URL (TestHost's http://localhost/ for an in-process server).</summary>
    public Uri ServerUrl => Api.BaseUrl;

    /// <summary>The clock the phones read (and an embedded server).</summary>
    public TimeProvider Clock => _devices.Time;

    /// <summary>The phones enrolled so far.</summary>
    public IReadOnlyList<TestPhone> Phones
    {
        get
        {
            lock (_gate)
            {
                return [.. _phones];
            }
        }
    }

    /// <summary>
    /// What New passcode needs on the server side: the tenant's admin consents to both PIN reset applications and an
    /// EnablePinRecovery profile is assigned to all devices (phones receive it at their next session). MockMdm only.
    /// </summary>
    public Task EnablePinRecoveryAsync(CancellationToken cancellationToken = default) =>
        new FleetWork(Api, _transport, _devices, FleetAction.NewPasscode).PrepareAsync(cancellationToken);

    /// <summary>
    /// Builds an emulated Windows 10 Mobile phone named <paramref name="name"/> (unique per server) and enrolls it over
    /// MS-MDE2; the server's refusal is an <see cref="EnrollmentFaultException"/>. The phone has run no session yet.
    /// </summary>
    public async Task<TestPhone> EnrollPhoneAsync(string name, PhoneOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        options ??= new PhoneOptions();
        lock (_gate)
        {
            // Identity comes from the seed and the name: two phones of one name would be one device to the server.
            if (!_names.Add(name))
            {
                throw new ArgumentException($"a phone named '{name}' is already enrolled in this server", nameof(name));
            }
        }

        EmulatedDevice? device = null;
        try
        {
            device = await EmulatedDevice.CreateAsync(new DeviceSpec
            {
                Name = name,
                Join = options.Join,
                User = options.User ?? $"{name}@contoso.com",
                LocalPinPolicy = options.PinPolicy,
                InitialPin = options.Pin,
                OsBuild = options.OsBuild,
            }, _devices, cancellationToken).ConfigureAwait(false);
            await device.EnrollAsync(_transport, cancellationToken).ConfigureAwait(false);
            var phone = new TestPhone(this, device, Embedded?.PublishEventLog(device));
            lock (_gate)
            {
                _phones.Add(phone);
            }

            return phone;
        }
        catch
        {
            device?.Dispose();
            lock (_gate)
            {
                _names.Remove(name);
            }

            throw;
        }
    }

    /// <summary>Disposes every phone, the API client and the transport, and stops an embedded server.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var phone in Phones)
        {
            phone.Dispose();
        }

        Api.Dispose();
        _transport.Dispose();
        if (Embedded is not null)
        {
            await Embedded.DisposeAsync().ConfigureAwait(false);
        }

        // The PIN reset service client a server at a URL gave its phones (ExternalServer: the caller disposes it).
        (_devices.PinResetServiceClient as IDisposable)?.Dispose();
    }

    // Test phones trade some fidelity for time, as fleets do: cheap PIN hashing (docs/emulator.md "Fleets"); short backoff.
    private static EmulatorOptions PhoneSettings(TimeProvider clock, int seed) => new()
    {
        Time = clock,
        Seed = seed,
        Pbkdf2Iterations = 10,
        InitialBackoffTime = TimeSpan.FromMilliseconds(200),
    };
}

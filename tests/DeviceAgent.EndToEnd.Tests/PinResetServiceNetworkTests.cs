using DeviceAgent.Emulator.Devices;
using DeviceAgent.Emulator.Scenarios;
using DeviceAgent.Emulator.Server;
using DeviceAgent.Protocol;
using DeviceAgent.Testing;
using Microsoft.AspNetCore.Builder;
using MockMdm.PinReset;

namespace DeviceAgent.EndToEnd.Tests;

/// <summary>
/// Issue 14 item 4, done-when: the seed flow (New passcode on 6- and 7-character policies, Reset passcode on a personal
/// phone) passes with the PIN reset service in its own Kestrel instance on a real loopback port, reached by devices only
/// over HTTP (--pin-reset-service; docs/pin-reset.md "Wire"), while the mock MDM runs embedded with mutual TLS.
/// </summary>
[NonParallelizable]
public sealed class PinResetServiceNetworkTests
{
    private CountingService _service = null!;
    private WebApplication _app = null!;
    private Uri _url = null!;

    [OneTimeSetUp]
    public async Task StartServiceAsync()
    {
        _service = new CountingService(new PinResetService());
        _app = PinResetServer.Build(new PinResetServerOptions { Urls = ["http://127.0.0.1:0"], Service = _service });
        await _app.StartAsync();
        _url = new Uri(_app.Urls.First());
    }

    [OneTimeTearDown]
    public async Task StopServiceAsync()
    {
        await _app.DisposeAsync();
        _service.Inner.Dispose();
    }

    [TestCase("pin-reset-aadj-recover-min6.yaml", 1)]
    [TestCase("pin-reset-aadj-recover-min7.yaml", 1)]
    [TestCase("pin-reset-wpj-reset-min6.yaml", 0)]
    [CancelAfter(240_000)]
    public async Task The_seed_flow_passes_with_the_service_in_its_own_server(string file, int releases, CancellationToken cancellationToken)
    {
        var scenario = ScenarioParser.ParseFile(Path.Combine(RepoPaths.Scenarios, file));
        var before = _service.Releases;
        var consentsBefore = _service.ConsentDecisions;

        var result = await ScenarioExecution.RunAsync(scenario, new ScenarioExecutionOptions
        {
            Embedded = new EmbeddedMdmOptions { Host = EmbeddedHost.Kestrel, Tls = true, Keys = Keys.Material },
            Devices = new EmulatorOptions { Pbkdf2Iterations = 10, InitialBackoffTime = TimeSpan.FromMilliseconds(50) },
            PinResetServiceUrl = _url,
        }, cancellationToken: cancellationToken);

        Assert.That(result.Passed, Is.True, () => result.FirstProblem is { } p ? $"{p.Outcome}: {p.Detail}" : "");
        // LockAndRecoverPIN went over the network to this service (the 7-character case too: the service released the
        // protector, the device refused its 6-character PIN); LockAndResetPIN needs no service.
        Assert.That(_service.Releases - before, Is.EqualTo(releases));
        Assert.That(_service.ConsentDecisions - consentsBefore, Is.EqualTo(2), "the scenario's two consent steps reached the service");
    }

    /// <summary>Counts what devices and admins asked of the service over HTTP.</summary>
    private sealed class CountingService(PinResetService inner) : IPinResetService
    {
        private int _releases;
        private int _consents;

        public PinResetService Inner => inner;

        public int Releases => Volatile.Read(ref _releases);

        public int ConsentDecisions => Volatile.Read(ref _consents);

        public void SetConsent(string tenantId, PinResetApplication application, bool granted)
        {
            Interlocked.Increment(ref _consents);
            inner.SetConsent(tenantId, application, granted);
        }

        public bool HasConsent(string tenantId, PinResetApplication application) => inner.HasConsent(tenantId, application);

        public void AddTenant(string tenantId) => inner.AddTenant(tenantId);

        public byte[] GetPublicKey() => inner.GetPublicKey();

        public PinRecoveryResult RecoverProtector(string tenantId, byte[] encryptedProtector)
        {
            Interlocked.Increment(ref _releases);
            return inner.RecoverProtector(tenantId, encryptedProtector);
        }

        public string GeneratePin(Random random) => inner.GeneratePin(random);
    }
}

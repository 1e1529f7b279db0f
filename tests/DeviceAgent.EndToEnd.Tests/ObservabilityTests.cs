using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using DeviceAgent.Emulator.Devices;
using DeviceAgent.Emulator.Observability;
using DeviceAgent.Emulator.Server;
using DeviceAgent.Protocol;
using DeviceAgent.Tests.Support;

namespace DeviceAgent.EndToEnd.Tests;

/// <summary>The emulator's meter and the device's logs after real enrollments and sessions (docs/emulator.md "Logs and metrics").</summary>
public class ObservabilityTests
{
    [Test]
    [CancelAfter(60_000)]
    public async Task One_phone_enrolling_syncing_and_locked_is_counted_exactly(CancellationToken cancellationToken)
    {
        using var metrics = new EmulatorMetrics();
        using var recorded = new RecordedMeasurements(metrics.Meter);
        using var logs = new RecordingLoggerProvider();
        await using var mdm = await EmbeddedMdm.StartAsync(new EmbeddedMdmOptions { Host = EmbeddedHost.TestServer, Keys = Keys.Material }, cancellationToken);
        using var transport = mdm.CreateDeviceTransport();
        using var device = await EmulatedDevice.CreateAsync(
            new DeviceSpec { Name = "phone1", User = "alice@contoso.com" },
            new EmulatorOptions { Pbkdf2Iterations = 10, PinResetService = mdm.PinResetService, Metrics = metrics, LoggerFactory = logs },
            cancellationToken);
        using var api = new MdmApiClient(mdm.BaseUrl, mdm.ApiKey, mdm.CreateApiHandler());

        await device.EnrollAsync(transport, cancellationToken);
        var first = await device.SyncAsync(cancellationToken: cancellationToken);
        await api.RequestActionAsync(device.ManagedDeviceId!, "remoteLock", null, cancellationToken);
        var second = await device.SyncAsync(cancellationToken: cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(first.Succeeded && second.Succeeded, Is.True, first.Reason + " / " + second.Reason);
            Assert.That(recorded.Sum("deviceagent.enrollments"), Is.EqualTo(new Dictionary<string, long> { ["result=enrolled,subcode="] = 1 }));
            Assert.That(recorded.Sum("deviceagent.omadm.sessions"), Is.EqualTo(new Dictionary<string, long> { ["outcome=Completed"] = 2 }));
            // Session 1 answers the enrollment's queue (docs/mock-mdm.md "Enrollment"): the Get of seven DevDetail leaves (200)
            // and the Sequence (200) whose Replace of Push/PFN and Get of Push/ChannelURI find no DMClient/Provider/MockMdm/Push
            // node in the emulated tree (404 each); session 2 answers the RemoteLock Exec (200).
            Assert.That(recorded.Sum("deviceagent.omadm.commands"), Is.EqualTo(new Dictionary<string, long> { ["status=200"] = 3, ["status=404"] = 2 }));
            Assert.That(recorded.Sum("deviceagent.passcode_actions"), Is.EqualTo(new Dictionary<string, long> { ["action=Lock,result=succeeded"] = 1 }));
            Assert.That(logs.WithEvent(201), Has.Count.EqualTo(2), "each session logs its start");
            Assert.That(logs.WithEvent(207), Has.Count.EqualTo(2), "each session logs its end");
            Assert.That(logs.WithEvent(204).Select(e => e.Message), Is.EqualTo(new[]
            {
                $"OMA-DM session {first.SessionID}: answered Replace 7 on ./Vendor/MSFT/DMClient/Provider/MockMdm/Push/PFN with status 404",
                $"OMA-DM session {first.SessionID}: answered Get 8 on ./Vendor/MSFT/DMClient/Provider/MockMdm/Push/ChannelURI with status 404",
            }));
            Assert.That(logs.WithEvent(201).Concat(logs.WithEvent(207)).Select(e => e.Category), Is.All.EqualTo("DeviceAgent.Session.DmClient"));
            Assert.That(logs.WithEvent(101).Select(e => e.Message.Split(' ')[2]), Is.EqualTo(new[] { "discovery", "token", "policy", "enrollment" }));
            Assert.That(logs.WithEvent(103).Single().Message, Is.EqualTo($"Device enrolled: management server {device.Enrollment!.ManagementServerUrl}"));
            Assert.That(logs.WithEvent(101).Concat(logs.WithEvent(103)).Select(e => e.Category), Is.All.EqualTo("DeviceAgent.Enrollment.EnrollmentClient"));
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task A_refused_enrollment_is_counted_and_logged_with_its_step_and_subcode(CancellationToken cancellationToken)
    {
        using var metrics = new EmulatorMetrics();
        using var recorded = new RecordedMeasurements(metrics.Meter);
        using var logs = new RecordingLoggerProvider();
        await using var mdm = await EmbeddedMdm.StartAsync(new EmbeddedMdmOptions { Host = EmbeddedHost.TestServer, Keys = Keys.Material }, cancellationToken);
        using var transport = mdm.CreateDeviceTransport();
        using var device = await EmulatedDevice.CreateAsync(
            new DeviceSpec { Name = "old", User = "bob@contoso.com", OsBuild = "10.0.14393" },
            new EmulatorOptions { Pbkdf2Iterations = 10, Metrics = metrics, LoggerFactory = logs },
            cancellationToken);

        Assert.ThrowsAsync<EnrollmentFaultException>(() => device.EnrollAsync(transport, cancellationToken));

        Assert.That(recorded.Sum("deviceagent.enrollments"), Is.EqualTo(new Dictionary<string, long> { ["result=refused,subcode=DeviceNotSupported"] = 1 }));
        var refused = logs.WithEvent(102).Single();
        Assert.That(refused.Message, Does.StartWith("Enrollment refused at discovery: DeviceNotSupported: ").And.Contain("14393"));
    }

    /// <summary>Listens to one meter instance and sums each instrument's measurements by their tags ("k=v,k=v" in tag order).</summary>
    private sealed class RecordedMeasurements : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentDictionary<(string Instrument, string Tags), long> _sums = new();

        public RecordedMeasurements(Meter meter)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter, meter))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            {
                var key = string.Join(",", tags.ToArray().Select(t => $"{t.Key}={t.Value}"));
                _sums.AddOrUpdate((instrument.Name, key), value, (_, sum) => sum + value);
            });
            _listener.Start();
        }

        public Dictionary<string, long> Sum(string instrument) =>
            _sums.Where(p => p.Key.Instrument == instrument).ToDictionary(p => p.Key.Tags, p => p.Value);

        public void Dispose() => _listener.Dispose();
    }
}

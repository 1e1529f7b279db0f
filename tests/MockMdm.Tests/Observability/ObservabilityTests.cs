using System.Diagnostics.Metrics;
using DeviceAgent.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MockMdm.Observability;
using MockMdm.Tests.Support;

namespace MockMdm.Tests.Observability;

/// <summary>The DeviceAgent.MockMdm meter counts exactly what happened; refusals are logged with their reasons (docs/mock-mdm.md "Logs and metrics").</summary>
public class ObservabilityTests
{
    [Test]
    [CancelAfter(60_000)]
    public async Task AnEnrollmentASessionAndTwoActionRequests_AreCountedExactly(CancellationToken cancellationToken)
    {
        await using var mdm = await TestMdm.StartAsync();
        using var recorder = new MeterRecorder(mdm.App.Services.GetRequiredService<IMeterFactory>());

        var (_, id) = await Fixtures.EnrolledAndSyncedAsync(mdm);
        using var queued = await mdm.SendJsonAsync(HttpMethod.Post, $"/api/deviceManagement/managedDevices/{id}/resetPasscode", null);
        using var refused = await mdm.SendJsonAsync(HttpMethod.Post, "/api/deviceManagement/managedDevices/no-such-device/remoteLock", null);

        Assert.Multiple(() =>
        {
            Assert.That((int)queued.StatusCode, Is.EqualTo(204));
            Assert.That((int)refused.StatusCode, Is.EqualTo(404));
            Assert.That(recorder.Sum("mockmdm.enrollments", ("result", "enrolled"), ("step", "enrollment")), Is.EqualTo(1));
            Assert.That(recorder.Sum("mockmdm.enrollments", ("result", "refused")), Is.Zero);
            Assert.That(recorder.Sum("mockmdm.omadm.sessions"), Is.EqualTo(1));
            Assert.That(recorder.Sum("mockmdm.omadm.commands", ("status", "200")), Is.EqualTo(2), "the inventory Get and the push Sequence");
            Assert.That(recorder.Sum("mockmdm.omadm.commands"), Is.EqualTo(2));
            Assert.That(recorder.Sum("mockmdm.actions", ("action", "resetPasscode"), ("result", "queued")), Is.EqualTo(1));
            Assert.That(recorder.Sum("mockmdm.actions", ("action", "remoteLock"), ("result", "refused")), Is.EqualTo(1));
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task ARefusedEnrollment_IsLoggedWithItsReason_AndCounted(CancellationToken cancellationToken)
    {
        using var logs = new RecordingLoggerProvider();
        await using var mdm = await TestMdm.StartAsync(configure: b => b.Logging.AddProvider(logs));
        using var recorder = new MeterRecorder(mdm.App.Services.GetRequiredService<IMeterFactory>());

        Assert.ThrowsAsync<EnrollmentFaultException>(() => mdm.EnrollAsync(deviceType: "WindowsPhone", osVersion: "10.0.14393.0"));

        var refusals = logs.Entries.Where(e => e.EventId.Id == 101).ToList();
        Assert.That(refusals, Has.Count.EqualTo(1));
        Assert.Multiple(() =>
        {
            Assert.That(refusals[0].Level, Is.EqualTo(LogLevel.Warning));
            Assert.That(refusals[0].Message, Does.Contain("discovery").And.Contain("DeviceNotSupported").And.Contain("older than 15063"));
            Assert.That(recorder.Sum("mockmdm.enrollments", ("result", "refused"), ("step", "discovery")), Is.EqualTo(1));
            Assert.That(recorder.Sum("mockmdm.enrollments", ("result", "enrolled")), Is.Zero);
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task ARequestWithoutDeviceTokenOrCredentials_IsLoggedAsRefusedWithTheReason(CancellationToken cancellationToken)
    {
        using var logs = new RecordingLoggerProvider();
        await using var mdm = await TestMdm.StartAsync(configure: b => b.Logging.AddProvider(logs));
        using var client = mdm.Server.CreateClient();
        const string message = "<SyncML xmlns=\"SYNCML:SYNCML1.2\"><SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto><SessionID>1</SessionID><MsgID>1</MsgID>" +
                               "<Target><LocURI>http://mdm.test/ManagementServer/MDM.svc</LocURI></Target><Source><LocURI>DEV-X</LocURI></Source></SyncHdr>" +
                               "<SyncBody><Alert><CmdID>1</CmdID><Data>1201</Data></Alert><Final/></SyncBody></SyncML>";
        using var content = new StringContent(message, System.Text.Encoding.UTF8, "application/vnd.syncml.dm+xml");

        using var response = await client.PostAsync(new Uri(TestMdm.BaseUrl, "/ManagementServer/MDM.svc"), content, cancellationToken);

        // Neither a Windows identity nor OMA-DM credentials: a SyncML 407 with a Chal (docs/omadm-clients.md "Refusals").
        Assert.That((int)response.StatusCode, Is.EqualTo(200));
        Assert.That(logs.Entries.Where(e => e.EventId.Id == 207).Select(e => e.Message), Has.One.Contains("status 407").And.Contains("no credentials"));
    }

    /// <summary>Records the measurements of one server's meter (its IMeterFactory's), so parallel tests do not mix.</summary>
    private sealed class MeterRecorder : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly List<(string Name, long Value, KeyValuePair<string, object?>[] Tags)> _measurements = [];

        public MeterRecorder(IMeterFactory factory)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == MockMdmMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, factory))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            {
                lock (_measurements)
                {
                    _measurements.Add((instrument.Name, value, tags.ToArray()));
                }
            });
            _listener.Start();
        }

        public long Sum(string instrument, params (string Key, string Value)[] tags)
        {
            lock (_measurements)
            {
                return _measurements
                    .Where(m => m.Name == instrument && tags.All(t => m.Tags.Any(k => k.Key == t.Key && Equals(k.Value, t.Value))))
                    .Sum(m => m.Value);
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}

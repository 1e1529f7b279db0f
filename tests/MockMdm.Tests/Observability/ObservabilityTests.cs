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
    public async Task ARequestWithoutDeviceToken_IsLoggedAsRefusedWithTheReason(CancellationToken cancellationToken)
    {
        using var logs = new RecordingLoggerProvider();
        await using var mdm = await TestMdm.StartAsync(configure: b => b.Logging.AddProvider(logs));
        using var client = mdm.Server.CreateClient();

        using var response = await client.PostAsync(new Uri(TestMdm.BaseUrl, "/ManagementServer/MDM.svc"), new ByteArrayContent([]), cancellationToken);

        Assert.That((int)response.StatusCode, Is.EqualTo(401));
        Assert.That(logs.Entries.Where(e => e.EventId.Id == 201).Select(e => e.Message), Has.One.Contains("HTTP 401").And.Contains("no device token"));
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

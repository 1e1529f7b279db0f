using DeviceAgent.Ngc;
using DeviceAgent.Ngc.Software;

namespace DeviceAgent.Tests.Ngc;

public sealed class NgcEventLogTests
{
    private TestClock _time = null!;

    [SetUp]
    public void ResetClock() => _time = new TestClock();

    [Test]
    public void An_event_prints_as_one_line_with_time_source_operation_outcome_and_user()
    {
        var log = new NgcEventLog(_time);
        var entry = log.Append(NgcOperation.RecoverPin, NgcOutcome.InvalidPinTooFewCharacters, "alice");
        Assert.That(entry.ToString(), Is.EqualTo(
            "2017-06-01T12:00:00.000Z Microsoft.Windows.Security.NGC.KspSvc RecoverPin InvalidPinTooFewCharacters user=alice"));
    }

    [Test]
    public void Users_and_details_with_spaces_or_line_breaks_are_quoted_so_one_event_stays_one_line()
    {
        var log = new NgcEventLog(_time, source: "Custom.Source");
        var entry = log.Append(NgcOperation.CreateKey, NgcOutcome.Success, "Alice Smith", "key=a\nb");
        Assert.That(entry.ToString(), Is.EqualTo("2017-06-01T12:00:00.000Z Custom.Source CreateKey Success user=\"Alice Smith\" \"key=a\\nb\""));
    }

    [Test]
    public void A_source_with_white_space_is_refused()
    {
        Assert.Throws<ArgumentException>(() => _ = new NgcEventLog(_time, source: "two words"));
    }

    [Test]
    public async Task Queries_filter_by_operation_outcome_and_user()
    {
        var log = new NgcEventLog(_time);
        log.Append(NgcOperation.VerifyPin, NgcOutcome.IncorrectPin, "alice");
        _time.Advance(TimeSpan.FromSeconds(1));
        log.Append(NgcOperation.VerifyPin, NgcOutcome.Success, "alice");
        log.Append(NgcOperation.VerifyPin, NgcOutcome.IncorrectPin, "bob");
        await Assert.MultipleAsync(async () =>
        {
            Assert.That(log.Query(operation: NgcOperation.VerifyPin), Has.Count.EqualTo(3));
            Assert.That(log.Query(outcome: NgcOutcome.IncorrectPin), Has.Count.EqualTo(2));
            Assert.That(log.Query(outcome: NgcOutcome.IncorrectPin, userId: "bob"), Has.Count.EqualTo(1));
            Assert.That(log.Query(operation: NgcOperation.Sign), Is.Empty);
            Assert.That(log.Events[1].Time, Is.EqualTo(_time.GetUtcNow()));
        });
    }

    [Test]
    public void The_oldest_events_are_dropped_beyond_capacity()
    {
        var log = new NgcEventLog(_time, capacity: 2);
        log.Append(NgcOperation.Lock, NgcOutcome.Success, "1");
        log.Append(NgcOperation.Lock, NgcOutcome.Success, "2");
        log.Append(NgcOperation.Lock, NgcOutcome.Success, "3");
        Assert.That(log.Events.Select(e => e.UserId), Is.EqualTo(new[] { "2", "3" }));
        Assert.That(log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(2));
    }

    [Test]
    public async Task The_decorator_logs_every_operation_with_its_outcome_and_never_the_pin()
    {
        var log = new NgcEventLog(_time);
        var storage = new LoggingNgcKeyStorage(new SoftwareNgcKeyStorage(new SoftwareNgcOptions { Pbkdf2Iterations = 1, TimeProvider = _time }), log);
        await storage.CreateContainerAsync("alice", "24680");
        await storage.VerifyPinAsync("alice", "13579");
        await storage.ChangePinAsync("alice", "24680", "12");

        Assert.That(
            log.Events.Select(e => (e.Operation, e.Outcome)),
            Is.EqualTo(new[]
            {
                (NgcOperation.CreateContainer, NgcOutcome.Success),
                (NgcOperation.VerifyPin, NgcOutcome.IncorrectPin),
                (NgcOperation.ChangePin, NgcOutcome.InvalidPinTooFewCharacters),
            }));
        Assert.That(log.ToString(), Does.Not.Contain("24680").And.Not.Contain("13579"));
    }

    [Test]
    public async Task The_decorator_logs_a_provider_exception_as_DeviceError_and_rethrows()
    {
        var directory = Path.Combine(Path.GetTempPath(), "ngc-log-" + Guid.NewGuid().ToString("N"));
        var log = new NgcEventLog(_time);
        var storage = new LoggingNgcKeyStorage(new SoftwareNgcKeyStorage(new SoftwareNgcOptions { Directory = directory, Pbkdf2Iterations = 1 }), log);
        await storage.CreateContainerAsync("alice", "2468");
        Directory.Delete(directory, recursive: true);

        Assert.That(async () => await storage.ChangePinAsync("alice", "2468", "1357"), Throws.InstanceOf<IOException>());
        Assert.That(log.Query(operation: NgcOperation.ChangePin, outcome: NgcOutcome.DeviceError), Has.Count.EqualTo(1));
    }
}

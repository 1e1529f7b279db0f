using DeviceAgent.Emulator.Fleet;

namespace DeviceAgent.Emulator.Tests.Fleet;

public class FleetRunnerTests
{
    [Test]
    public async Task Every_device_runs_once_and_no_more_than_the_concurrency_at_a_time()
    {
        var running = 0;
        var maxRunning = 0;
        var seen = new System.Collections.Concurrent.ConcurrentBag<int>();
        var runner = new FleetRunner(new FleetOptions { Devices = 40, Concurrency = 3 }, TimeProvider.System);

        var result = await runner.RunAsync(async (ctx, ct) =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref maxRunning, now);
            seen.Add(ctx.Index);
            await Task.Delay(1, ct);
            ctx.Metrics.Enrolled();
            Interlocked.Decrement(ref running);
        });

        Assert.That(seen.Order(), Is.EqualTo(Enumerable.Range(0, 40)));
        Assert.That(maxRunning, Is.InRange(1, 3));
        Assert.That(result.Enrolled, Is.EqualTo(40));
        Assert.That(result.Finished, Is.EqualTo(40));
    }

    [Test]
    public async Task A_failing_device_is_an_error_and_the_others_go_on()
    {
        var runner = new FleetRunner(new FleetOptions { Devices = 5, Concurrency = 2 }, TimeProvider.System);

        var result = await runner.RunAsync((ctx, _) => ctx.Index == 2 ? throw new InvalidOperationException("enrollment refused") : Task.CompletedTask);

        Assert.That(result.Errors, Is.EqualTo(1));
        Assert.That(result.ErrorSamples, Is.EqualTo(new[] { "device-0003: enrollment refused" }));
        Assert.That(result.Finished, Is.EqualTo(5));
    }

    [Test]
    public void Percentiles_use_the_nearest_rank()
    {
        var values = Enumerable.Range(1, 100).Select(i => (double)i).ToList();
        Assert.That(FleetMetrics.Percentile(values, 50), Is.EqualTo(50));
        Assert.That(FleetMetrics.Percentile(values, 95), Is.EqualTo(95));
        Assert.That(FleetMetrics.Percentile(values, 99), Is.EqualTo(99));
        Assert.That(FleetMetrics.Percentile([7.0], 99), Is.EqualTo(7));
        Assert.That(FleetMetrics.Percentile([], 50), Is.Null);
    }

    [Test]
    public void Summary_lists_commands_by_status_and_latency()
    {
        var metrics = new FleetMetrics();
        metrics.CommandStatus("200");
        metrics.CommandStatus("200");
        metrics.CommandStatus("404");
        metrics.ExchangeLatency(TimeSpan.FromMilliseconds(12));
        metrics.ActionDone();

        var text = FleetSummary.ToText(metrics.Snapshot(), 1);

        // Columns are as wide as the longest metric name ("protocol warnings").
        Assert.That(text, Does.Match(@"commands 200\s+2\n").And.Match(@"commands 404\s+1\n"));
        Assert.That(text, Does.Match(@"latency p99\s+12\.0 ms"));
        Assert.That(text, Does.Match(@"actions done\s+1\n"));
        Assert.That(text, Does.Match(@"protocol warnings\s+0\n"));
    }

    [TestCase(0, 1)]
    [TestCase(1, 0)]
    public void Bad_options_are_refused(int devices, int concurrency) =>
        Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => new FleetRunner(new FleetOptions { Devices = devices, Concurrency = concurrency }, TimeProvider.System).RunAsync((_, _) => Task.CompletedTask));

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}

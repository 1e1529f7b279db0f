using DeviceAgent.Emulator.Fleet;

namespace DeviceAgent.Emulator.Tests.Fleet;

public class FleetRunnerTests
{
    [Test]
    [CancelAfter(30_000)]
    public async Task Every_device_runs_once_and_no_more_than_the_concurrency_at_a_time(CancellationToken cancellationToken)
    {
        var running = 0;
        var maxRunning = 0;
        var seen = new System.Collections.Concurrent.ConcurrentBag<int>();
        // The first devices wait until three run at once: a runner below the concurrency never gets there (the test
        // times out), one above it lets a fourth in before they go on.
        var threeRunning = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runner = new FleetRunner(new FleetOptions { Devices = 40, Concurrency = 3 }, TimeProvider.System);

        var result = await runner.RunAsync(async (ctx, ct) =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref maxRunning, now);
            seen.Add(ctx.Index);
            if (now == 3)
            {
                threeRunning.TrySetResult();
            }

            await threeRunning.Task.WaitAsync(ct);
            await Task.Delay(1, ct);
            ctx.Metrics.Enrolled();
            Interlocked.Decrement(ref running);
        }, cancellationToken);

        Assert.That(seen.Order(), Is.EqualTo(Enumerable.Range(0, 40)));
        Assert.That(maxRunning, Is.EqualTo(3));
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

    [Test]
    [Description("docs/emulator.md \"Fleets\": linear ramp-up, device i starts no earlier than RampUp * i / Devices")]
    [CancelAfter(30_000)]
    public async Task Devices_start_on_a_linear_ramp(CancellationToken cancellationToken)
    {
        var clock = new TestClock();
        var start = clock.GetUtcNow();
        var started = new System.Collections.Concurrent.ConcurrentDictionary<int, TimeSpan>();
        var runner = new FleetRunner(new FleetOptions { Devices = 4, Concurrency = 4, RampUp = TimeSpan.FromSeconds(8) }, clock);

        var run = runner.RunAsync((ctx, _) =>
        {
            started[ctx.Index] = clock.GetUtcNow() - start;
            return Task.CompletedTask;
        }, cancellationToken);
        for (var i = 1; i < 4; i++)
        {
            await clock.WaitForTimerAsync(TimeSpan.FromSeconds(2)).WaitAsync(cancellationToken);
            while (started.Count < i)
            {
                // Device i - 1 was released by the last Advance; its work runs on the thread pool.
                await Task.Yield();
                cancellationToken.ThrowIfCancellationRequested();
            }

            Assert.That(started.Keys.Order(), Is.EqualTo(Enumerable.Range(0, i)), $"before {i * 2} s only devices 0..{i - 1} started");
            clock.Advance(TimeSpan.FromMilliseconds(1999));
            Assert.That(started, Has.Count.EqualTo(i), "not a millisecond early");
            clock.Advance(TimeSpan.FromMilliseconds(1));
        }

        await run.WaitAsync(cancellationToken);

        Assert.That(started.OrderBy(p => p.Key).Select(p => p.Value),
            Is.EqualTo(new[] { TimeSpan.Zero, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(6) }));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}

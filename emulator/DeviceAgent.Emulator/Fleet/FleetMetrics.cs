using System.Collections.Concurrent;

namespace DeviceAgent.Emulator.Fleet;

/// <summary>Counters a fleet run collects from all devices at once (thread-safe).</summary>
public sealed class FleetMetrics
{
    /// <summary>At most this many error messages are kept; the count keeps counting.</summary>
    public const int MaxKeptErrors = 50;

    private readonly ConcurrentDictionary<string, int> _commandsByStatus = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly List<double> _latenciesMs = [];
    private readonly Lock _latencyGate = new();
    private int _started;
    private int _finished;
    private int _enrolled;
    private int _sessions;
    private int _actionsDone;
    private int _actionsFailed;
    private int _errorCount;
    private int _protocolWarnings;
    private readonly ConcurrentQueue<string> _warnings = new();

    public void DeviceStarted() => Interlocked.Increment(ref _started);

    public void DeviceFinished() => Interlocked.Increment(ref _finished);

    public void Enrolled() => Interlocked.Increment(ref _enrolled);

    public void SessionCompleted() => Interlocked.Increment(ref _sessions);

    public void ActionDone() => Interlocked.Increment(ref _actionsDone);

    public void ActionFailed() => Interlocked.Increment(ref _actionsFailed);

    /// <summary>Counts a device's answer to one server command by its status code (200, 404, 500 ...).</summary>
    public void CommandStatus(string code) => _commandsByStatus.AddOrUpdate(code, 1, (_, n) => n + 1);

    /// <summary>Time from sending a device message to receiving the server's answer.</summary>
    public void ExchangeLatency(TimeSpan latency)
    {
        lock (_latencyGate)
        {
            _latenciesMs.Add(latency.TotalMilliseconds);
        }
    }

    /// <summary>Counts what a server sent that breaks OMA-DM 1.2 (docs/session.md "Protocol checks"); the first few are kept as samples.</summary>
    public void ProtocolWarning(string device, string message)
    {
        Interlocked.Increment(ref _protocolWarnings);
        if (_warnings.Count < MaxKeptErrors)
        {
            _warnings.Enqueue($"{device}: {message}");
        }
    }

    public void Error(string device, string message)
    {
        Interlocked.Increment(ref _errorCount);
        if (_errors.Count < MaxKeptErrors)
        {
            _errors.Enqueue($"{device}: {message}");
        }
    }

    public FleetSnapshot Snapshot()
    {
        double[] latencies;
        lock (_latencyGate)
        {
            latencies = [.. _latenciesMs];
        }

        Array.Sort(latencies);
        return new FleetSnapshot(
            Volatile.Read(ref _started),
            Volatile.Read(ref _finished),
            Volatile.Read(ref _enrolled),
            Volatile.Read(ref _sessions),
            new SortedDictionary<string, int>(_commandsByStatus, StringComparer.Ordinal),
            Volatile.Read(ref _actionsDone),
            Volatile.Read(ref _actionsFailed),
            Volatile.Read(ref _errorCount),
            [.. _errors],
            latencies.Length,
            Percentile(latencies, 50),
            Percentile(latencies, 95),
            Percentile(latencies, 99))
        {
            ProtocolWarnings = Volatile.Read(ref _protocolWarnings),
            ProtocolWarningSamples = [.. _warnings],
        };
    }

    /// <summary>Nearest-rank percentile of sorted values; null when there are none.</summary>
    public static double? Percentile(IReadOnlyList<double> sorted, int percentile)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0)
        {
            return null;
        }

        var rank = (int)Math.Ceiling(percentile / 100.0 * sorted.Count);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }
}

/// <summary>A consistent-enough view of <see cref="FleetMetrics"/> for progress and the summary table.</summary>
public sealed record FleetSnapshot(
    int Started,
    int Finished,
    int Enrolled,
    int Sessions,
    IReadOnlyDictionary<string, int> CommandsByStatus,
    int ActionsDone,
    int ActionsFailed,
    int Errors,
    IReadOnlyList<string> ErrorSamples,
    int Exchanges,
    double? LatencyP50Ms,
    double? LatencyP95Ms,
    double? LatencyP99Ms)
{
    /// <summary>Server messages that broke a protocol check, over all devices (docs/session.md "Protocol checks").</summary>
    public int ProtocolWarnings { get; init; }

    /// <summary>The first few of them, "device: reason".</summary>
    public IReadOnlyList<string> ProtocolWarningSamples { get; init; } = [];
}

namespace DeviceAgent.Emulator.Devices;

/// <summary>
/// The clock a scenario or demo shares between the server and its devices: wall time plus an offset that
/// advance-time moves forward (never back). Timestamps and timers stay real, so latency measurements and HTTP
/// timeouts are unaffected by jumps of days.
/// </summary>
public sealed class EmulatorClock(TimeProvider inner) : TimeProvider
{
    private long _offsetTicks;

    public EmulatorClock()
        : this(System)
    {
    }

    /// <summary>How far the clock has been moved forward.</summary>
    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow() + Offset;

    public override long GetTimestamp() => inner.GetTimestamp();

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        inner.CreateTimer(callback, state, dueTime, period);

    public void Advance(TimeSpan by)
    {
        if (by < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(by), by, "the clock only moves forward");
        }

        Interlocked.Add(ref _offsetTicks, by.Ticks);
    }
}

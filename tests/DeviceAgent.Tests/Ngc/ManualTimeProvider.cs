namespace DeviceAgent.Tests.Ngc;

/// <summary>A clock that moves only when a test says so.</summary>
public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset now = start;

    /// <summary>Starts at 2017-06-01 12:00 UTC (Windows 10 Mobile Creators Update era).</summary>
    public ManualTimeProvider()
        : this(new DateTimeOffset(2017, 6, 1, 12, 0, 0, TimeSpan.Zero))
    {
    }

    /// <inheritdoc/>
    public override DateTimeOffset GetUtcNow() => now;

    /// <summary>Moves the clock forward.</summary>
    public void Advance(TimeSpan by) => now += by;
}

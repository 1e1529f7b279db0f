namespace DeviceAgent.Emulator.Devices;

/// <summary>
/// DMClient/Provider/{id}/Poll: a first set of polls, a second set, then a long-run interval (docs/reference/enrollment.md; the MS-MDE2
/// sample provisions 8 polls 15 minutes apart, 5 polls 3 minutes apart... then every 1560 minutes; the long-run interval must be at least 1440).
/// </summary>
public sealed record PollSchedule(int NumberOfFirstRetries, TimeSpan IntervalForFirstSetOfRetries, int NumberOfSecondRetries, TimeSpan IntervalForSecondSetOfRetries, TimeSpan IntervalForRemainingScheduledRetries)
{
    public static PollSchedule Default { get; } = new(8, TimeSpan.FromMinutes(15), 5, TimeSpan.FromMinutes(3), TimeSpan.FromMinutes(1560));

    /// <summary>The wait before scheduled poll number <paramref name="poll"/> (0-based, counted from enrollment).</summary>
    public TimeSpan IntervalBefore(int poll)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(poll);
        if (poll < NumberOfFirstRetries)
        {
            return IntervalForFirstSetOfRetries;
        }

        return poll < NumberOfFirstRetries + NumberOfSecondRetries ? IntervalForSecondSetOfRetries : IntervalForRemainingScheduledRetries;
    }
}

using DeviceAgent.Csp;

namespace DeviceAgent.Emulator.Devices;

/// <summary>
/// DMClient/Provider/{id}/Poll as the phone's clock runs it: a first set of polls, a second set, then the long-run
/// interval (docs/reference/enrollment.md; the MS-MDE2 sample provisions 8 polls 15 minutes apart, 5 polls 3 minutes
/// apart, then every 1560 minutes). Which set a poll falls in, and when a count of 0 repeats forever, is
/// <see cref="DmClientPollSchedule.IntervalBefore"/> (the DMClient DDF descriptions).
/// </summary>
public sealed record PollSchedule(DmClientPollSchedule Provisioned)
{
    /// <summary>The MS-MDE2 sample's schedule, what a phone without an enrollment reports.</summary>
    public static PollSchedule Default { get; } = new(new DmClientPollSchedule(15, 8, 3, 5, 1560, 0, false, false));

    /// <summary>The wait before scheduled poll number <paramref name="poll"/> (0-based, counted from enrollment); null once the schedule has ended.</summary>
    public TimeSpan? IntervalBefore(int poll) => Provisioned.IntervalBefore(poll) is { } minutes ? TimeSpan.FromMinutes(minutes) : null;
}

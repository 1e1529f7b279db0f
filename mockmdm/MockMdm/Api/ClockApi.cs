using System.Text.Json;

namespace MockMdm.Api;

/// <summary>The server's clock plus an offset that only moves forward (MockMdmOptions.ClockControl).</summary>
public sealed class AdjustableClock(TimeProvider inner) : TimeProvider
{
    private long _offsetTicks;

    /// <summary>How far the clock has been moved.</summary>
    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow() + Offset;

    // Timestamps and timers stay real, so timeouts are not shortened by a jump of days.
    public override long GetTimestamp() => inner.GetTimestamp();

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        inner.CreateTimer(callback, state, dueTime, period);

    /// <summary>Moves the clock forward.</summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        Interlocked.Add(ref _offsetTicks, by.Ticks);
    }
}

/// <summary>
/// /api/testing/clock (MockMdm extension, lab servers with --clock-control true): GET the server's time, POST
/// {"advanceSeconds": N} to move it forward, as a scenario's advance-time does against a running server
/// (docs/mock-mdm.md "Testing clock"). Without clock control both answer 404.
/// </summary>
internal static class ClockApi
{
    /// <summary>The longest single move: ten years.</summary>
    private const double MaxAdvanceSeconds = 10 * 366 * 24 * 3600.0;

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/testing/clock", (MockMdmOptions options) => options.TimeProvider is AdjustableClock clock ? State(clock) : Off());
        api.MapPost("/testing/clock", async (HttpRequest request, MockMdmOptions options) =>
        {
            if (options.TimeProvider is not AdjustableClock clock)
            {
                return Off();
            }

            var (body, error) = await ApiSupport.ReadObjectAsync(request).ConfigureAwait(false);
            if (error is not null)
            {
                return error;
            }

            if (!body.TryGetProperty("advanceSeconds", out var seconds) || seconds.ValueKind != JsonValueKind.Number
                || !seconds.TryGetDouble(out var value) || value is < 0 or > MaxAdvanceSeconds)
            {
                return ApiSupport.BadRequest($"'advanceSeconds' must be a number of seconds from 0 to {MaxAdvanceSeconds:0} (the clock only moves forward)");
            }

            clock.Advance(TimeSpan.FromSeconds(value));
            return State(clock);
        });
    }

    private static IResult State(AdjustableClock clock) =>
        Results.Json(new { utcNow = clock.GetUtcNow(), offsetSeconds = clock.Offset.TotalSeconds });

    private static IResult Off() =>
        ApiSupport.NotFound("clock control is off on this server (start it with --clock-control true to let clients move its clock)");
}

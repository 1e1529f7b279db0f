using Microsoft.Extensions.Time.Testing;

namespace DeviceAgent.Testing;

/// <summary>
/// The tests' clock: the framework's <see cref="FakeTimeProvider"/> (time moves only when a test calls Advance), plus
/// what session tests need and FakeTimeProvider does not offer: waiting until the code under test has armed a timer
/// (a backoff, a poll), so the test advances time only once the timer exists.
/// </summary>
public sealed class TestClock : FakeTimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<TimeSpan> _armed = [];
    private readonly List<(TimeSpan Due, TaskCompletionSource Armed)> _waiters = [];

    /// <summary>A clock standing at <paramref name="start"/>.</summary>
    public TestClock(DateTimeOffset start)
        : base(start)
    {
    }

    /// <summary>A clock standing at 2017-06-01 12:00 UTC, when Windows 10 Mobile Creators Update (15063) was current.</summary>
    public TestClock()
        : this(new DateTimeOffset(2017, 6, 1, 12, 0, 0, TimeSpan.Zero))
    {
    }

    /// <summary>Completes once a timer with exactly <paramref name="dueTime"/> is armed (or already was).</summary>
    public Task WaitForTimerAsync(TimeSpan dueTime)
    {
        lock (_gate)
        {
            if (_armed.Contains(dueTime))
            {
                return Task.CompletedTask;
            }

            var armed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((dueTime, armed));
            return armed.Task;
        }
    }

    /// <inheritdoc/>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ObservedTimer(this, base.CreateTimer(callback, state, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan));
        timer.Change(dueTime, period);
        return timer;
    }

    private void Armed(TimeSpan dueTime)
    {
        List<TaskCompletionSource> release;
        lock (_gate)
        {
            _armed.Add(dueTime);
            release = _waiters.Where(w => w.Due == dueTime).Select(w => w.Armed).ToList();
            _waiters.RemoveAll(w => w.Due == dueTime);
        }

        foreach (var waiter in release)
        {
            waiter.TrySetResult();
        }
    }

    private void Disarmed(TimeSpan dueTime)
    {
        lock (_gate)
        {
            _armed.Remove(dueTime);
        }
    }

    /// <summary>The fake timer, reporting each (re)arming to the clock.</summary>
    private sealed class ObservedTimer(TestClock clock, ITimer inner) : ITimer
    {
        private TimeSpan? _due;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            if (_due is { } previous)
            {
                clock.Disarmed(previous);
                _due = null;
            }

            var changed = inner.Change(dueTime, period);
            if (dueTime != Timeout.InfiniteTimeSpan)
            {
                _due = dueTime;
                clock.Armed(dueTime);
            }

            return changed;
        }

        public void Dispose()
        {
            Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}

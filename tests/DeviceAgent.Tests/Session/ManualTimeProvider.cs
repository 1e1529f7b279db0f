namespace DeviceAgent.Tests.Session;

/// <summary>A TimeProvider whose clock moves only when a test calls Advance; tests can wait until a timer is armed.</summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private readonly object _gate = new();
    private readonly List<ManualTimer> _timers = [];
    private readonly List<(TimeSpan Due, TaskCompletionSource Armed)> _waiters = [];
    private DateTimeOffset _now = new(2025, 3, 1, 8, 0, 0, TimeSpan.Zero);

    /// <summary>Due times of every timer created so far, in creation order.</summary>
    public List<TimeSpan> ArmedDueTimes { get; } = [];

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Completes once a timer with exactly <paramref name="dueTime"/> is armed (or already was).</summary>
    public Task WaitForTimerAsync(TimeSpan dueTime)
    {
        lock (_gate)
        {
            if (_timers.Any(t => t.Armed && t.DueTime == dueTime))
            {
                return Task.CompletedTask;
            }

            var armed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((dueTime, armed));
            return armed.Task;
        }
    }

    public void Advance(TimeSpan by)
    {
        List<ManualTimer> due;
        lock (_gate)
        {
            _now += by;
            due = _timers.Where(t => t.Armed && t.FireAt <= _now).ToList();
            foreach (var timer in due)
            {
                timer.Armed = false;
            }
        }

        foreach (var timer in due)
        {
            timer.Fire();
        }
    }

    private void Arm(ManualTimer timer, TimeSpan dueTime)
    {
        List<TaskCompletionSource> release;
        lock (_gate)
        {
            timer.DueTime = dueTime;
            timer.FireAt = _now + dueTime;
            timer.Armed = true;
            if (!_timers.Contains(timer))
            {
                _timers.Add(timer);
            }

            ArmedDueTimes.Add(dueTime);
            release = _waiters.Where(w => w.Due == dueTime).Select(w => w.Armed).ToList();
            _waiters.RemoveAll(w => w.Due == dueTime);
        }

        foreach (var waiter in release)
        {
            waiter.TrySetResult();
        }
    }

    private void Disarm(ManualTimer timer)
    {
        lock (_gate)
        {
            timer.Armed = false;
            _timers.Remove(timer);
        }
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public bool Armed { get; set; }
        public TimeSpan DueTime { get; set; }
        public DateTimeOffset FireAt { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            if (dueTime == Timeout.InfiniteTimeSpan)
            {
                owner.Disarm(this);
            }
            else
            {
                owner.Arm(this, dueTime);
            }

            return true;
        }

        public void Fire() => callback(state);

        public void Dispose() => owner.Disarm(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}

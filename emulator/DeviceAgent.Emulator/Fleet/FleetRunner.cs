namespace DeviceAgent.Emulator.Fleet;

/// <summary>How many devices, how many at once, and how fast they join.</summary>
public sealed record FleetOptions
{
    public int Devices { get; init; } = 10;

    /// <summary>Devices working at the same time.</summary>
    public int Concurrency { get; init; } = 32;

    /// <summary>Device i starts no earlier than RampUp * i / Devices after the run starts.</summary>
    public TimeSpan RampUp { get; init; } = TimeSpan.Zero;

    public int Seed { get; init; } = 1;

    /// <summary>A server message that breaks a protocol check fails the device's session (docs/session.md "Protocol checks").</summary>
    public bool FailOnProtocolWarnings { get; init; }

    /// <summary>The encoding devices send OMA-DM messages in; null follows the provisioning document (docs/emulator.md "Encoding").</summary>
    public DeviceAgent.SyncML.SyncMLEncoding? Encoding { get; init; }

    public void Validate()
    {
        if (Devices < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Devices), Devices, "a fleet has at least one device");
        }

        if (Concurrency < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Concurrency), Concurrency, "concurrency is at least 1");
        }

        if (RampUp < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(RampUp), RampUp, "ramp-up cannot be negative");
        }
    }
}

/// <summary>What one device's work gets: its index (0-based), the run's seed and the shared metrics.</summary>
public sealed record FleetDeviceContext(int Index, int Seed, FleetMetrics Metrics)
{
    /// <summary>The device's name in logs and errors.</summary>
    public string Name => $"device-{Index + 1:D4}";
}

/// <summary>
/// Runs one piece of work per device with bounded concurrency and a linear ramp-up. A device whose work throws is
/// counted as an error and the run goes on; the run's result is the metrics snapshot at the end.
/// </summary>
public sealed class FleetRunner(FleetOptions options, TimeProvider time)
{
    public FleetMetrics Metrics { get; } = new();

    public async Task<FleetSnapshot> RunAsync(Func<FleetDeviceContext, CancellationToken, Task> deviceWork, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deviceWork);
        options.Validate();
        using var slots = new SemaphoreSlim(options.Concurrency);
        var start = time.GetTimestamp();
        var tasks = new List<Task>(options.Devices);
        for (var i = 0; i < options.Devices; i++)
        {
            var due = options.Devices == 1 ? TimeSpan.Zero : options.RampUp * i / options.Devices;
            var wait = due - time.GetElapsedTime(start);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
            }

            await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            var context = new FleetDeviceContext(i, options.Seed, Metrics);
            tasks.Add(RunOneAsync(context, deviceWork, slots, cancellationToken));
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
        return Metrics.Snapshot();
    }

    private async Task RunOneAsync(FleetDeviceContext context, Func<FleetDeviceContext, CancellationToken, Task> deviceWork, SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        Metrics.DeviceStarted();
        try
        {
            await Task.Yield();
            await deviceWork(context, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // The inner exception often says what really happened (the TLS or socket error under an HttpRequestException).
            Metrics.Error(context.Name, e.InnerException is { } inner && !e.Message.Contains(inner.Message, StringComparison.Ordinal) ? $"{e.Message} ({inner.Message})" : e.Message);
        }
        finally
        {
            Metrics.DeviceFinished();
            slots.Release();
        }
    }
}

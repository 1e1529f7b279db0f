namespace DeviceAgent.Emulator.Scenarios;

/// <summary>The server and devices a scenario acts on; one world per scenario run.</summary>
public interface IScenarioWorld : IAsyncDisposable
{
    /// <summary>Runs one step; a failed expectation throws <see cref="ScenarioExpectationException"/>, anything else is an error.</summary>
    Task ExecuteAsync(ScenarioStep step, CancellationToken cancellationToken);
}

/// <summary>An expectation step whose observed state differs from the expected one.</summary>
public sealed class ScenarioExpectationException(string message) : Exception(message);

/// <summary>How one step ended.</summary>
public enum StepOutcome
{
    Passed,

    /// <summary>An expectation did not hold.</summary>
    Failed,

    /// <summary>The step could not run (server error, protocol error, bad reference).</summary>
    Errored,

    /// <summary>Not run because an earlier step failed.</summary>
    Skipped,
}

/// <summary>The result of one step.</summary>
public sealed record StepResult(ScenarioStep Step, StepOutcome Outcome, TimeSpan Duration, string? Message, string? Detail);

/// <summary>The result of one scenario run.</summary>
public sealed record ScenarioResult(Scenario Scenario, IReadOnlyList<StepResult> Steps, DateTimeOffset StartedAt, TimeSpan Duration)
{
    public bool Passed => Steps.All(s => s.Outcome == StepOutcome.Passed);

    public StepResult? FirstProblem => Steps.FirstOrDefault(s => s.Outcome is StepOutcome.Failed or StepOutcome.Errored);

    /// <summary>What the server sent that broke OMA-DM 1.2, over the scenario's devices, "device: reason" (docs/session.md "Protocol checks").</summary>
    public IReadOnlyList<string> ProtocolWarnings { get; init; } = [];
}

/// <summary>Runs a scenario's steps in order; the first failed or errored step ends the run and the rest are reported skipped.</summary>
public sealed class ScenarioRunner(TimeProvider wallClock)
{
    /// <summary>Called after each step (progress output).</summary>
    public event Action<StepResult>? StepCompleted;

    public async Task<ScenarioResult> RunAsync(Scenario scenario, IScenarioWorld world, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(world);
        var startedAt = wallClock.GetUtcNow();
        var start = wallClock.GetTimestamp();
        var results = new List<StepResult>(scenario.Steps.Count);
        var stopped = false;
        foreach (var step in scenario.Steps)
        {
            if (stopped)
            {
                results.Add(new StepResult(step, StepOutcome.Skipped, TimeSpan.Zero, "not run: an earlier step failed", null));
                continue;
            }

            var stepStart = wallClock.GetTimestamp();
            StepResult result;
            try
            {
                await world.ExecuteAsync(step, cancellationToken).ConfigureAwait(false);
                result = new StepResult(step, StepOutcome.Passed, wallClock.GetElapsedTime(stepStart), null, null);
            }
            catch (ScenarioExpectationException e)
            {
                result = new StepResult(step, StepOutcome.Failed, wallClock.GetElapsedTime(stepStart), e.Message, $"{step.Position}: {step.Describe()}\n{e.Message}");
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // The message carries the inner exception's too (a TLS or socket error under an HttpRequestException).
                var message = e.InnerException is { } inner && !e.Message.Contains(inner.Message, StringComparison.Ordinal)
                    ? $"{e.GetType().Name}: {e.Message} ({inner.Message})"
                    : $"{e.GetType().Name}: {e.Message}";
                result = new StepResult(step, StepOutcome.Errored, wallClock.GetElapsedTime(stepStart), message, $"{step.Position}: {step.Describe()}\n{e}");
            }

            stopped = result.Outcome != StepOutcome.Passed;
            results.Add(result);
            StepCompleted?.Invoke(result);
        }

        return new ScenarioResult(scenario, results, startedAt, wallClock.GetElapsedTime(start));
    }
}

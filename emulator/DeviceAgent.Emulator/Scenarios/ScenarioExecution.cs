using DeviceAgent.Emulator.Devices;
using DeviceAgent.Emulator.Server;

namespace DeviceAgent.Emulator.Scenarios;

/// <summary>Where `scenario run` runs a scenario: an embedded server (one per scenario) or a MockMdm at a URL.</summary>
public sealed record ScenarioExecutionOptions
{
    /// <summary>A running MockMdm to use instead of an embedded one.</summary>
    public Uri? ServerUrl { get; init; }

    /// <summary>The API key of <see cref="ServerUrl"/>.</summary>
    public string ApiKey { get; init; } = MockMdm.MockMdmOptions.DefaultApiKey;

    /// <summary>How the embedded server is hosted (Kestrel with mutual TLS by default).</summary>
    public EmbeddedMdmOptions Embedded { get; init; } = new();

    /// <summary>Device settings; the scenario's seed and the shared clock are set per scenario.</summary>
    public EmulatorOptions Devices { get; init; } = new();

    /// <summary>How TLS certificates of <see cref="ServerUrl"/> are verified (--trust-root, --insecure; docs/emulator.md "Trust").</summary>
    public ServerTrust Trust { get; init; } = ServerTrust.SystemStore;

    /// <summary>Where each scenario's devices save their trace and NGC log (a sub-folder per scenario), or null.</summary>
    public string? ArtifactsDirectory { get; init; }
}

/// <summary>Runs one parsed scenario in a fresh world and saves the devices' artifacts (docs/scenarios.md "Running").</summary>
public static class ScenarioExecution
{
    public static async Task<ScenarioResult> RunAsync(Scenario scenario, ScenarioExecutionOptions options, Action<StepResult>? stepCompleted = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(options);
        await using var world = options.ServerUrl is { } url
            ? MdmScenarioWorld.ForServer(scenario, url, options.ApiKey, options.Devices, options.Trust)
            : await MdmScenarioWorld.StartEmbeddedAsync(scenario, options.Embedded, options.Devices, cancellationToken).ConfigureAwait(false);
        var runner = new ScenarioRunner(TimeProvider.System);
        if (stepCompleted is not null)
        {
            runner.StepCompleted += stepCompleted;
        }

        var result = await runner.RunAsync(scenario, world, cancellationToken).ConfigureAwait(false);
        if (options.ArtifactsDirectory is { } dir)
        {
            var folder = Path.Combine(dir, Path.GetFileNameWithoutExtension(scenario.SourcePath));
            foreach (var device in world.Devices.Values)
            {
                device.SaveArtifacts(folder);
            }
        }

        return result with
        {
            ProtocolWarnings = [.. world.Devices.Values.SelectMany(d => d.ProtocolWarnings.Select(w => $"{d.Name}: {w}"))],
        };
    }
}

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

    /// <summary>A standalone PIN reset service devices call instead of the server's hosted one (--pin-reset-service); consent steps go there too.</summary>
    public Uri? PinResetServiceUrl { get; init; }

    /// <summary><see cref="ServerUrl"/> already probed (the CLI probes once per run); null probes per scenario.</summary>
    public ExternalServer? Server { get; init; }

    /// <summary>Where each scenario's devices save their trace and NGC log (a sub-folder per scenario), or null.</summary>
    public string? ArtifactsDirectory { get; init; }
}

/// <summary>A scenario needs what its server does not offer; one sentence per refused step (docs/scenarios.md "Servers without the mock's API").</summary>
public sealed class ScenarioRefusedException(IReadOnlyList<string> refusals)
    : Exception(string.Join(Environment.NewLine, refusals))
{
    public IReadOnlyList<string> Refusals { get; } = refusals;
}

/// <summary>Runs one parsed scenario in a fresh world and saves the devices' artifacts (docs/scenarios.md "Running").</summary>
public static class ScenarioExecution
{
    /// <summary>Runs <paramref name="scenario"/>; against --server, refuses it whole (<see cref="ScenarioRefusedException"/>) when a step needs what the server lacks.</summary>
    public static async Task<ScenarioResult> RunAsync(Scenario scenario, ScenarioExecutionOptions options, Action<StepResult>? stepCompleted = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(options);
        MdmScenarioWorld world;
        if (options.ServerUrl is { } url)
        {
            var server = options.Server ?? await ExternalServer.ProbeAsync(url, options.ApiKey, options.Trust, options.PinResetServiceUrl, cancellationToken).ConfigureAwait(false);
            var refusals = ScenarioRequirements.Refusals(scenario, url, server.Offer.AdminApi, server.Offer.ClockControl);
            if (refusals.Count > 0)
            {
                throw new ScenarioRefusedException(refusals);
            }

            world = MdmScenarioWorld.ForServer(scenario, server, options.Devices);
        }
        else if (options.PinResetServiceUrl is { } service)
        {
            world = await MdmScenarioWorld.StartEmbeddedAsync(scenario, options.Embedded, options.Devices, new PinResetServiceEndpoint(service, options.Trust), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            world = await MdmScenarioWorld.StartEmbeddedAsync(scenario, options.Embedded, options.Devices, cancellationToken).ConfigureAwait(false);
        }

        await using var owned = world;
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

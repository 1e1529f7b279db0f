using DeviceAgent.Emulator.Devices;
using DeviceAgent.Emulator.Scenarios;
using DeviceAgent.Emulator.Server;
using DeviceAgent.Testing;

namespace DeviceAgent.EndToEnd.Tests;

/// <summary>Every shipped scenario (scenarios/*.yaml) runs over TestHost and over Kestrel on 127.0.0.1 with mutual TLS.</summary>
[Parallelizable(ParallelScope.None)]
public class ScenarioTests
{
    public static IEnumerable<TestCaseData> Scenarios()
    {
        var files = Directory.GetFiles(RepoPaths.Scenarios, "*.yaml").Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            throw new InvalidOperationException($"no scenarios in {RepoPaths.Scenarios}");
        }

        foreach (var file in files)
        {
            var name = Path.GetFileNameWithoutExtension(file);
            yield return new TestCaseData(file, EmbeddedHost.TestServer).SetName($"{name} (TestHost)");
            yield return new TestCaseData(file, EmbeddedHost.Kestrel).SetName($"{name} (Kestrel, mutual TLS)");
        }
    }

    [TestCaseSource(nameof(Scenarios))]
    public async Task Shipped_scenario_passes(string file, EmbeddedHost host)
    {
        var scenario = ScenarioParser.ParseFile(file);

        var result = await ScenarioExecution.RunAsync(scenario, new ScenarioExecutionOptions
        {
            Embedded = new EmbeddedMdmOptions { Host = host, Tls = true, Keys = Keys.Material },
            Devices = new EmulatorOptions { Pbkdf2Iterations = 10, InitialBackoffTime = TimeSpan.FromMilliseconds(50) },
        });

        Assert.That(result.Passed, Is.True, () => result.FirstProblem is { } p ? $"{p.Outcome}: {p.Detail}" : "");
        Assert.That(result.Steps, Has.Count.EqualTo(scenario.Steps.Count));
    }

    [Test]
    public async Task A_broken_expectation_fails_the_run_and_skips_the_rest()
    {
        var scenario = ScenarioParser.Parse("""
            name: wrong expectation
            steps:
              - create-tenant: { name: contoso, domain: contoso.com }
              - enroll: { device: phone1, join: workplace-joined, user: alice@contoso.com }
              - expect-lock: { device: phone1, locked: true }
              - sync: { device: phone1 }
            """, "inline.yaml");

        var result = await ScenarioExecution.RunAsync(scenario, new ScenarioExecutionOptions
        {
            Embedded = new EmbeddedMdmOptions { Host = EmbeddedHost.TestServer, Keys = Keys.Material },
            Devices = new EmulatorOptions { Pbkdf2Iterations = 10 },
        });

        Assert.That(result.Passed, Is.False);
        Assert.That(result.Steps.Select(s => s.Outcome), Is.EqualTo(new[] { StepOutcome.Passed, StepOutcome.Passed, StepOutcome.Failed, StepOutcome.Skipped }));
        Assert.That(result.FirstProblem!.Message, Does.Contain("phone1 is unlocked"));
    }
}

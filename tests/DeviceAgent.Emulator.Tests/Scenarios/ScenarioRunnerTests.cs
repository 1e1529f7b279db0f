using System.Xml.Linq;
using DeviceAgent.Emulator.Scenarios;

namespace DeviceAgent.Emulator.Tests.Scenarios;

public class ScenarioRunnerTests
{
    private sealed class ScriptedWorld(Func<ScenarioStep, Exception?> outcome) : IScenarioWorld
    {
        public List<ScenarioStep> Ran { get; } = [];

        public Task ExecuteAsync(ScenarioStep step, CancellationToken cancellationToken)
        {
            Ran.Add(step);
            return outcome(step) is { } e ? Task.FromException(e) : Task.CompletedTask;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private static readonly Scenario s_three = ScenarioParser.Parse("""
        name: three
        steps:
          - sync:
          - expect-lock: { device: p, locked: true }
          - sync:
        """, "three.yaml");

    [Test]
    public async Task Failed_expectation_stops_the_run_and_skips_the_rest()
    {
        var world = new ScriptedWorld(s => s is ExpectLockStep ? new ScenarioExpectationException("p is unlocked") : null);

        var result = await new ScenarioRunner(TimeProvider.System).RunAsync(s_three, world);

        Assert.That(result.Passed, Is.False);
        Assert.That(world.Ran, Has.Count.EqualTo(2));
        Assert.That(result.Steps.Select(s => s.Outcome), Is.EqualTo(new[] { StepOutcome.Passed, StepOutcome.Failed, StepOutcome.Skipped }));
        Assert.That(result.FirstProblem!.Message, Is.EqualTo("p is unlocked"));
    }

    [Test]
    public async Task Other_exceptions_are_errors_not_failures()
    {
        var world = new ScriptedWorld(s => s is SyncStep ? new InvalidOperationException("server said 500") : null);

        var result = await new ScenarioRunner(TimeProvider.System).RunAsync(s_three, world);

        Assert.That(result.Steps[0].Outcome, Is.EqualTo(StepOutcome.Errored));
        Assert.That(result.Steps[0].Message, Does.Contain("server said 500"));
    }

    [Test]
    public async Task JUnit_report_has_a_suite_per_scenario_and_a_case_per_step()
    {
        var failing = await new ScenarioRunner(TimeProvider.System).RunAsync(s_three, new ScriptedWorld(s => s is ExpectLockStep ? new ScenarioExpectationException("p is unlocked") : null));
        var passing = await new ScenarioRunner(TimeProvider.System).RunAsync(s_three with { Name = "ok" }, new ScriptedWorld(_ => null));

        var xml = JUnitReport.Build([failing, passing]);

        var root = xml.Root!;
        Assert.That(root.Name.LocalName, Is.EqualTo("testsuites"));
        Assert.That((int)root.Attribute("tests")!, Is.EqualTo(6));
        Assert.That((int)root.Attribute("failures")!, Is.EqualTo(1));
        Assert.That((int)root.Attribute("skipped")!, Is.EqualTo(1));
        var suites = root.Elements("testsuite").ToList();
        Assert.That(suites.Select(s => (string)s.Attribute("name")!), Is.EqualTo(new[] { "three", "ok" }));
        var failure = suites[0].Elements("testcase").ElementAt(1).Element("failure")!;
        Assert.That((string)failure.Attribute("message")!, Is.EqualTo("p is unlocked"));
        Assert.That(failure.Value, Does.Contain("three.yaml:4:5"));
        Assert.That(suites[1].Descendants("failure"), Is.Empty);
        Assert.That((string)suites[0].Elements("testcase").First().Attribute("time")!, Does.Match(@"^\d+\.\d{3}$"));
        Assert.That(XDocument.Parse(xml.ToString()).Root!.Name.LocalName, Is.EqualTo("testsuites"));
    }
}

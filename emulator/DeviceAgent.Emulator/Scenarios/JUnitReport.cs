using System.Globalization;
using System.Xml.Linq;

namespace DeviceAgent.Emulator.Scenarios;

/// <summary>
/// Writes scenario results as JUnit XML (the de-facto schema CI servers read): one testsuite per scenario, one testcase
/// per step, failure for an unmet expectation, error for a step that could not run, skipped for the steps after it.
/// </summary>
public static class JUnitReport
{
    /// <summary>The report; each of <paramref name="properties"/> (e.g. how server certificates were verified) becomes a JUnit property of every suite.</summary>
    public static XDocument Build(IReadOnlyList<ScenarioResult> results, IReadOnlyDictionary<string, string>? properties = null)
    {
        ArgumentNullException.ThrowIfNull(results);
        var suites = new XElement("testsuites",
            new XAttribute("name", "deviceagent scenarios"),
            new XAttribute("tests", results.Sum(r => r.Steps.Count)),
            new XAttribute("failures", results.Sum(r => Count(r, StepOutcome.Failed))),
            new XAttribute("errors", results.Sum(r => Count(r, StepOutcome.Errored))),
            new XAttribute("skipped", results.Sum(r => Count(r, StepOutcome.Skipped))),
            new XAttribute("time", Seconds(results.Aggregate(TimeSpan.Zero, (t, r) => t + r.Duration))));
        foreach (var result in results)
        {
            var suite = new XElement("testsuite",
                new XAttribute("name", result.Scenario.Name),
                new XAttribute("tests", result.Steps.Count),
                new XAttribute("failures", Count(result, StepOutcome.Failed)),
                new XAttribute("errors", Count(result, StepOutcome.Errored)),
                new XAttribute("skipped", Count(result, StepOutcome.Skipped)),
                new XAttribute("time", Seconds(result.Duration)),
                new XAttribute("timestamp", result.StartedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture)),
                new XAttribute("file", result.Scenario.SourcePath));
            if (properties is { Count: > 0 })
            {
                suite.Add(new XElement("properties", properties.Select(p => new XElement("property", new XAttribute("name", p.Key), new XAttribute("value", p.Value)))));
            }

            if (result.ProtocolWarnings.Count > 0)
            {
                // Counted in the report, not failed: failing is the devices' choice (FailOnProtocolWarnings, docs/session.md).
                suite.Add(new XElement("system-out", string.Concat(result.ProtocolWarnings.Select(w => $"protocol warning: {w}\n"))));
            }

            var index = 0;
            foreach (var step in result.Steps)
            {
                index++;
                var testcase = new XElement("testcase",
                    new XAttribute("classname", result.Scenario.Name),
                    new XAttribute("name", $"{index:D2} {step.Step.Kind}: {step.Step.Describe()}"),
                    new XAttribute("file", step.Step.Position.File),
                    new XAttribute("line", step.Step.Position.Line),
                    new XAttribute("time", Seconds(step.Duration)));
                switch (step.Outcome)
                {
                    case StepOutcome.Failed:
                        testcase.Add(new XElement("failure", new XAttribute("message", step.Message ?? ""), new XAttribute("type", "expectation"), step.Detail ?? ""));
                        break;
                    case StepOutcome.Errored:
                        testcase.Add(new XElement("error", new XAttribute("message", step.Message ?? ""), new XAttribute("type", "error"), step.Detail ?? ""));
                        break;
                    case StepOutcome.Skipped:
                        testcase.Add(new XElement("skipped", new XAttribute("message", step.Message ?? "")));
                        break;
                }

                suite.Add(testcase);
            }

            suites.Add(suite);
        }

        return new XDocument(new XDeclaration("1.0", "utf-8", null), suites);
    }

    public static void Write(IReadOnlyList<ScenarioResult> results, string path, IReadOnlyDictionary<string, string>? properties = null)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        using var stream = File.Create(path);
        Build(results, properties).Save(stream);
    }

    private static int Count(ScenarioResult r, StepOutcome outcome) => r.Steps.Count(s => s.Outcome == outcome);

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture);
}

using System.Xml.Linq;
using DeviceAgent.Cli.Commands;
using DeviceAgent.Emulator.Scenarios;
using DeviceAgent.Emulator.Server;
using DeviceAgent.Emulator.Traces;

namespace DeviceAgent.Emulator.Tests.Cli;

/// <summary>`deviceagent scenario run` as docs/scenarios.md "Running" and "Report" state it.</summary>
public class ScenarioRunCommandTests
{
    private const string Passing = """
        name: enroll and sync
        seed: 3
        steps:
          - create-tenant: { name: contoso, domain: contoso.com }
          - enroll: { device: phone1, join: azure-ad-joined }
          - sync: { device: phone1 }
          - expect-lock: { device: phone1, locked: false }
        """;

    private const string Failing = """
        name: wrong expectation
        seed: 4
        steps:
          - create-tenant: { name: contoso, domain: contoso.com }
          - enroll: { device: phone2, join: workplace-joined }
          - expect-lock: { device: phone2, locked: true }
          - sync: { device: phone2 }
        """;

    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("deviceagent-scenario-run-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private FileInfo Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return new FileInfo(path);
    }

    private static ScenarioExecutionOptions Options(string artifacts) => new()
    {
        Embedded = new EmbeddedMdmOptions { Tls = false },
        ArtifactsDirectory = artifacts,
    };

    [Test]
    [Description("docs/scenarios.md \"Running\": every file is checked first, exit 2 on a format error, nothing runs")]
    [CancelAfter(60_000)]
    public async Task A_format_error_in_any_file_is_exit_code_2_and_nothing_runs(CancellationToken cancellationToken)
    {
        var good = Write("good.yaml", Passing);
        var bad = Write("bad.yaml", "name: bad\nsteps:\n  - sync: { devise: p }\n");
        var artifacts = Path.Combine(_dir, "artifacts");
        var report = Path.Combine(_dir, "junit.xml");
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = await ScenarioCommands.RunAsync([good, bad], Options(artifacts), report, output, error, cancellationToken);

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error.ToString(), Is.EqualTo($"{bad.FullName}:3:13: sync: unknown field 'devise' (known: device, sessions)" + Environment.NewLine));
        Assert.That(output.ToString(), Is.Empty, "the good file before the bad one did not run");
        Assert.That(Directory.Exists(artifacts), Is.False);
        Assert.That(File.Exists(report), Is.False);
    }

    [Test]
    [Description("docs/scenarios.md \"Running\" (--artifacts, exit codes) and \"Report\" (--report JUnit XML)")]
    [CancelAfter(300_000)]
    public async Task Artifacts_and_report_are_written_for_every_scenario_and_a_failure_is_exit_code_1(CancellationToken cancellationToken)
    {
        var passing = Write("passing.yaml", Passing);
        var failing = Write("failing.yaml", Failing);
        var artifacts = Path.Combine(_dir, "artifacts");
        var report = Path.Combine(_dir, "junit.xml");
        var output = new StringWriter();

        var exit = await ScenarioCommands.RunAsync([passing, failing], Options(artifacts), report, output, new StringWriter(), cancellationToken);

        Assert.That(exit, Is.EqualTo(1), output.ToString());
        Assert.That(output.ToString(), Does.EndWith("1 passed, 1 failed, 0 protocol warnings" + Environment.NewLine));

        // --artifacts: DIR/<scenario file>/<device>/ holds the device's SyncML trace and NGC event log.
        var trace1 = Path.Combine(artifacts, "passing", "phone1", "syncml-trace.xml");
        var log2 = Path.Combine(artifacts, "failing", "phone2", "ngc-events.log");
        Assert.That(File.Exists(Path.Combine(artifacts, "passing", "phone1", "ngc-events.log")), Is.True);
        Assert.That(File.Exists(Path.Combine(artifacts, "failing", "phone2", "syncml-trace.xml")), Is.True);
        Assert.That(File.ReadAllText(log2), Does.Contain("CreateContainer"));
        var traced = SyncMLTrace.Read(File.ReadAllText(trace1));
        Assert.That(traced.Select(m => m.Problem), Is.All.Null);
        Assert.That(traced.Select(m => m.Session).Distinct(), Is.EqualTo(new[] { 1 }), "one sync step, one session");
        Assert.That(traced.Select(m => m.MsgId), Is.EqualTo(new[] { "1", "1", "2", "2" }), "package 1 to 4 of the one session");

        // --report: one testsuite per scenario, one testcase per step, the unmet expectation a failure, the rest skipped.
        var root = XDocument.Load(report).Root!;
        Assert.That(root.Name.LocalName, Is.EqualTo("testsuites"));
        var suites = root.Elements("testsuite").ToList();
        Assert.That(suites.Select(s => (string)s.Attribute("name")!), Is.EqualTo(new[] { "enroll and sync", "wrong expectation" }));
        Assert.That(suites.Select(s => ((int)s.Attribute("tests")!, (int)s.Attribute("failures")!, (int)s.Attribute("errors")!, (int)s.Attribute("skipped")!)),
            Is.EqualTo(new[] { (4, 0, 0, 0), (4, 1, 0, 1) }));
        Assert.That((string)suites[1].Elements("testcase").ElementAt(2).Element("failure")!.Attribute("message")!, Does.Contain("phone2"));
    }
}

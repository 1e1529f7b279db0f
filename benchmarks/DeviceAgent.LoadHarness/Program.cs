// The load harness (benchmarks/README.md): `dotnet DeviceAgent.LoadHarness.dll [--devices n] [--concurrency c] ...`.
// `baseline-server` runs the plain Kestrel baseline endpoint (started by the harness itself in its own process).
using DeviceAgent.LoadHarness;

if (args.Length > 0 && args[0] == "baseline-server")
{
    BaselineServer.Run(args[1..]);
    return 0;
}

HarnessOptions options;
try
{
    options = HarnessOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

var report = await new LoadRun(options, Console.Out).RunAsync(CancellationToken.None).ConfigureAwait(false);
Console.WriteLine(report.ToText());
if (options.JsonReportPath is { } path)
{
    await File.WriteAllTextAsync(path, report.ToJson()).ConfigureAwait(false);
}

return report.TotalErrors == 0 ? 0 : 1;

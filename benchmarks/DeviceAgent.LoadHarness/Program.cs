// The load harness (benchmarks/README.md): `dotnet DeviceAgent.LoadHarness.dll [--devices n] [--concurrency c] ...`;
// `--help` lists every option. `baseline-server` runs the plain Kestrel baseline endpoint (started by the harness
// itself in its own process).
return await DeviceAgent.LoadHarness.HarnessCommandLine.Create().Parse(args).InvokeAsync().ConfigureAwait(false);

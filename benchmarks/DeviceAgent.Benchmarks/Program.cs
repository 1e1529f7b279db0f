if (args is ["interleaved-codec"])
{
    DeviceAgent.Benchmarks.SyncML.InterleavedCodecRatio.Run();
    return;
}

// typeof a benchmark class, not Program: the referenced MockMdm (Web SDK) has a public Program of its own.
BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(DeviceAgent.Benchmarks.Dm.DmTreeBenchmarks).Assembly).Run(args);

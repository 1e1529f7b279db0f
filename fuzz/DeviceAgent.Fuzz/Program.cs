using System.Runtime.InteropServices;
using DeviceAgent.Fuzzing;
using SharpFuzz;

namespace DeviceAgent.Fuzz;

/// <summary>
/// The afl-fuzz driver (fuzz/run.sh). `DeviceAgent.Fuzz TARGET` runs one target under afl-fuzz's fork server;
/// `replay TARGET FILE|DIR...` runs inputs without afl (to check a finding or a fix); `seeds SEEDS_DIR CORPUS_DIR` writes the seed
/// inputs that come from a live in-process enrollment and session (fuzz/README.md "Seeds").
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args is ["replay", var name, .. var paths] && paths.Length > 0)
        {
            return Replay(Target(name), paths);
        }

        if (args is ["seeds", var directory, var corpus])
        {
            FuzzSeeds.Write(directory, corpus);
            return 0;
        }

        if (args is [var targetName])
        {
            var target = Target(targetName);
            PrepareBeforeAfl(target);
            Fuzzer.OutOfProcess.Run(stream =>
            {
                using var buffer = new MemoryStream();
                stream.CopyTo(buffer);
                target.Run(buffer.ToArray());
            });
            return 0;
        }

        Console.Error.WriteLine("usage: DeviceAgent.Fuzz TARGET | replay TARGET FILE|DIR... | seeds SEEDS_DIR CORPUS_DIR");
        Console.Error.WriteLine("targets:");
        foreach (var t in FuzzTargets.All)
        {
            Console.Error.WriteLine($"  {t.Name,-14} {t.Description}");
        }

        return 2;
    }

    /// <summary>
    /// Runs the target's set-up before the fork server starts, so afl-fuzz does not time it as the first input. The
    /// instrumented assemblies write coverage to SharpFuzz.Common.Trace.SharedMem, which Fuzzer.OutOfProcess.Run points
    /// at afl's shared memory and which is null until then: the set-up writes to a scratch map of afl's size instead
    /// (never freed: a background thread of the set-up may still write to it).
    /// </summary>
    private static unsafe void PrepareBeforeAfl(FuzzTarget target)
    {
        SharpFuzz.Common.Trace.SharedMem = (byte*)NativeMemory.AllocZeroed(AflMapSize);
        target.Prepare();
    }

    /// <summary>afl's coverage map size (MAP_SIZE), which SharpFuzz's instrumentation indexes.</summary>
    private const int AflMapSize = 1 << 16;

    private static FuzzTarget Target(string name) =>
        FuzzTargets.Find(name) ?? throw new ArgumentException($"no fuzz target '{name}'", nameof(name));

    private static int Replay(FuzzTarget target, string[] paths)
    {
        var failed = 0;
        var files = paths.SelectMany(p => Directory.Exists(p) ? Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories) : [p]).Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            try
            {
                Console.WriteLine($"{target.Run(File.ReadAllBytes(file)),-8} {file}");
            }
            catch (Exception e) // replay reports every finding and goes on; afl mode lets them crash the process
            {
                failed++;
                Console.WriteLine($"CRASH    {file}: {e.GetType().FullName}: {e.Message}");
                Console.WriteLine(e.StackTrace);
            }
        }

        return failed == 0 ? 0 : 1;
    }
}

using System.Diagnostics;
using DeviceAgent.SyncML;

namespace DeviceAgent.Benchmarks.SyncML;

/// <summary>
/// The read ratio of our codec to the XDocument baseline, measured in alternating batches in one process. On a shared
/// machine whose speed drifts (this one's varies by up to 2x within minutes), BenchmarkDotNet measures the baseline and
/// our reader minutes apart; alternating batches see the same conditions, so their ratio is the stable figure.
/// Run: <c>dotnet run -c Release --project benchmarks/DeviceAgent.Benchmarks -- interleaved-codec</c>.
/// </summary>
internal static class InterleavedCodecRatio
{
    private const int Pairs = 100;

    public static void Run()
    {
        foreach (var (name, model) in new[] { ("Package10", BenchmarkMessages.Package10()), ("Package200", BenchmarkMessages.Package200()) })
        {
            byte[] bytes = SyncMLWriter.ToBytes(model);
            if (!SyncMLEquivalence.AreEqual(SyncMLReader.ReadMessage(bytes), XDocumentSyncMLCodec.Read(bytes), out string difference))
            {
                throw new InvalidOperationException("the baseline codec disagrees with ours: " + difference);
            }

            int batch = Math.Max(1, 400_000 / bytes.Length); // a few milliseconds of work per batch
            Func<object> ours = () => SyncMLReader.ReadMessage(bytes);
            Func<object> baseline = () => XDocumentSyncMLCodec.Read(bytes);

            // Warm up past tiered compilation (tier-1 code with dynamic PGO) before measuring.
            var warmup = Stopwatch.StartNew();
            while (warmup.Elapsed < TimeSpan.FromSeconds(3))
            {
                ours();
                baseline();
            }

            var ratios = new double[Pairs];
            double bestOurs = double.MaxValue, bestBaseline = double.MaxValue;
            for (int i = 0; i < Pairs; i++)
            {
                double o = MicrosecondsPerRead(ours, batch), b = MicrosecondsPerRead(baseline, batch);
                ratios[i] = b / o;
                bestOurs = Math.Min(bestOurs, o);
                bestBaseline = Math.Min(bestBaseline, b);
            }

            Array.Sort(ratios);
            long allocatedOurs = BytesPerRead(ours), allocatedBaseline = BytesPerRead(baseline);
            Console.WriteLine(
                $"{name} ({bytes.Length} bytes): read {ratios[Pairs / 2]:F2}x faster (median of {Pairs} alternating pairs; " +
                $"quartiles {ratios[Pairs / 4]:F2}x-{ratios[3 * Pairs / 4]:F2}x; best batches {bestOurs:F1} us vs {bestBaseline:F1} us), " +
                $"allocating {(double)allocatedBaseline / allocatedOurs:F2}x less ({allocatedOurs} B vs {allocatedBaseline} B)");
        }
    }

    private static double MicrosecondsPerRead(Func<object> read, int count)
    {
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < count; i++) read();
        return watch.Elapsed.TotalMicroseconds / count;
    }

    private static long BytesPerRead(Func<object> read)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) read();
        return (GC.GetAllocatedBytesForCurrentThread() - before) / 100;
    }
}

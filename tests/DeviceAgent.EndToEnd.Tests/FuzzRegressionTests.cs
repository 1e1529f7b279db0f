using DeviceAgent.Fuzzing;

namespace DeviceAgent.EndToEnd.Tests;

/// <summary>
/// Replays the fuzzing campaign's regression inputs (tests/corpus/fuzz/&lt;target&gt;/: every crash and hang afl-fuzz
/// found, and a few inputs of each target's corpus) through the same entry points afl-fuzz ran (fuzz/DeviceAgent.Fuzzing).
/// A file's name starts with the outcome it must have: "accepted-" or "rejected-" (refused with the target's
/// documented exception); any other exception, or a run longer than the limit, fails (fuzz/README.md).
/// </summary>
public sealed class FuzzRegressionTests
{
    private static string CorpusRoot => Path.Combine(RepoPaths.Root, "tests", "corpus", "fuzz");

    public static IEnumerable<TestCaseData> Inputs() =>
        FuzzTargets.All.SelectMany(target =>
            Directory.Exists(Path.Combine(CorpusRoot, target.Name))
                ? Directory.EnumerateFiles(Path.Combine(CorpusRoot, target.Name)).Order(StringComparer.Ordinal)
                    .Select(file => new TestCaseData(target.Name, Path.GetFileName(file)).SetName($"Fuzz regression {target.Name}/{Path.GetFileName(file)}"))
                : []);

    [TestCaseSource(nameof(Inputs))]
    [CancelAfter(60_000)]
    public async Task Input_ends_with_its_recorded_outcome(string targetName, string fileName, CancellationToken cancellationToken)
    {
        var target = FuzzTargets.Find(targetName)!;
        var input = await File.ReadAllBytesAsync(Path.Combine(CorpusRoot, targetName, fileName), cancellationToken);
        var expected = fileName.StartsWith("accepted-", StringComparison.Ordinal) ? FuzzOutcome.Accepted
            : fileName.StartsWith("rejected-", StringComparison.Ordinal) ? FuzzOutcome.Rejected
            : throw new AssertionException($"{fileName}: the name must start with accepted- or rejected-");

        // The target runs synchronously (as under afl-fuzz); a hang is caught by the wait, not by the target.
        var outcome = await Task.Run(() => target.Run(input), cancellationToken).WaitAsync(cancellationToken);

        Assert.That(outcome, Is.EqualTo(expected));
    }

    [Test]
    public void Every_target_has_regression_inputs()
    {
        Assert.That(FuzzTargets.All.Where(t => !Directory.Exists(Path.Combine(CorpusRoot, t.Name)) || !Directory.EnumerateFiles(Path.Combine(CorpusRoot, t.Name)).Any())
            .Select(t => t.Name), Is.Empty, "targets without inputs in tests/corpus/fuzz");
    }
}

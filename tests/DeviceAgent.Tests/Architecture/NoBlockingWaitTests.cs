using System.Text.RegularExpressions;
using DeviceAgent.Testing;

namespace DeviceAgent.Tests.Architecture;

/// <summary>
/// Execution is asynchronous end to end (docs/session.md "Asynchronous execution"): no source file of the repository
/// blocks on a task with .Wait(), .Result or GetAwaiter().GetResult(). Only a Program.cs (a process entry point) may.
/// </summary>
public sealed partial class NoBlockingWaitTests
{
    private static readonly string[] s_folders = ["agent", "emulator", "mockmdm", "benchmarks", "tests"];

    [Test]
    public void No_source_file_blocks_on_a_task()
    {
        var offenders = new List<string>();
        foreach (var folder in s_folders)
        {
            foreach (var path in Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, folder), "*.cs", SearchOption.AllDirectories))
            {
                if (IsBuildOutput(path) || Path.GetFileName(path) == "Program.cs")
                {
                    continue;
                }

                offenders.AddRange(BlockingWaits(File.ReadAllText(path)).Select(line => $"{Path.GetRelativePath(RepoPaths.Root, path)}:{line}"));
            }
        }

        Assert.That(offenders, Is.Empty, "blocking waits on tasks (await them instead)");
    }

    [TestCase("var x = task.Result;", 1)]
    [TestCase("task.Wait();", 1)]
    [TestCase("gate.Wait(TimeSpan.FromSeconds(1));", 1)]
    [TestCase("Task.WaitAll(a, b);", 1)]
    [TestCase("return op.AsTask().GetAwaiter().GetResult();", 1)]
    [TestCase("return op.GetAwaiter()\n    .GetResult();", 1)]
    [TestCase("return exchange.Result();", 0)]
    [TestCase("if (x is { Result: var r })", 0)]
    [TestCase("// a comment about task.Result and .Wait()", 0)]
    [TestCase("var summary = \"call .Wait() and .Result\";", 0)]
    [TestCase("var total = outcome.ResultItems;", 0)]
    public void The_scan_finds_blocking_waits_and_nothing_else(string code, int expected) =>
        Assert.That(BlockingWaits(code).Count(), Is.EqualTo(expected));

    /// <summary>Line numbers of blocking waits in C# source (comments and string literals do not count).</summary>
    internal static IEnumerable<int> BlockingWaits(string source)
    {
        var code = CommentOrString().Replace(source, m => new string('\n', m.Value.Count(c => c == '\n')));
        foreach (Match match in Blocking().Matches(code))
        {
            yield return 1 + code.AsSpan(0, match.Index).Count('\n');
        }
    }

    private static bool IsBuildOutput(string path) =>
        path.Split(Path.DirectorySeparatorChar).Any(part => part is "obj" or "bin");

    // Comments, verbatim/raw/regular strings and char literals, removed before the scan.
    [GeneratedRegex("""//[^\n]*|/\*.*?\*/|@"(?:[^"]|"")*"|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)'""", RegexOptions.Singleline)]
    private static partial Regex CommentOrString();

    // .Wait(...), .Result not called as a method, Task.WaitAll/WaitAny, GetAwaiter().GetResult().
    [GeneratedRegex(@"\.Wait\s*\(|\.Result\b(?!\s*\()|\bTask\.Wait(?:All|Any)\s*\(|GetAwaiter\s*\(\s*\)\s*\.\s*GetResult\s*\(")]
    private static partial Regex Blocking();
}

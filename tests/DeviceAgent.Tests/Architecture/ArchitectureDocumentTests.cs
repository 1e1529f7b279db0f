using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace DeviceAgent.Tests.Architecture;

/// <summary>docs/architecture.md's table of projects is true to the .csproj files: every project has a row, and each row lists exactly its ProjectReferences.</summary>
public sealed partial class ArchitectureDocumentTests
{
    [Test]
    public void Every_project_is_in_the_table_with_exactly_its_project_references()
    {
        var documented = DocumentedReferences();
        var actual = ProjectFiles().ToDictionary(p => Path.GetFileNameWithoutExtension(p), References, StringComparer.Ordinal);

        Assert.Multiple(() =>
        {
            Assert.That(documented.Keys, Is.EquivalentTo(actual.Keys), "docs/architecture.md lists every project of the repository, and only those");
            foreach (var (project, references) in actual)
            {
                if (documented.TryGetValue(project, out var listed))
                {
                    Assert.That(listed, Is.EquivalentTo(references), $"docs/architecture.md: the references of {project}");
                }
            }
        });
    }

    private static Dictionary<string, string[]> DocumentedReferences()
    {
        var lines = File.ReadAllLines(Path.Combine(RepoPaths.Root, "docs", "architecture.md"));
        var start = Array.FindIndex(lines, l => l.Contains("architecture-table", StringComparison.Ordinal));
        Assert.That(start, Is.GreaterThanOrEqualTo(0), "docs/architecture.md has its marked table");
        var rows = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(start + 3).TakeWhile(l => l.StartsWith('|')))
        {
            var cells = line.Split('|').Select(c => c.Trim()).ToArray();
            var references = cells[3] == "(none)" ? [] : cells[3].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            rows.Add(cells[1], references);
        }

        return rows;
    }

    private static IEnumerable<string> ProjectFiles() =>
        Directory.EnumerateFiles(RepoPaths.Root, "*.csproj", SearchOption.AllDirectories)
            .Where(p => !ObjOrBin().IsMatch(p));

    private static string[] References(string project) =>
        XDocument.Load(project).Descendants("ProjectReference")
            .Select(r => Path.GetFileNameWithoutExtension(((string?)r.Attribute("Include") ?? "").Replace('\\', '/')))
            .ToArray();

    [GeneratedRegex(@"[\\/](obj|bin|TestResults)[\\/]")]
    private static partial Regex ObjOrBin();
}

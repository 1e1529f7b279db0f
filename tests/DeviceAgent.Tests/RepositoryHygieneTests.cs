namespace DeviceAgent.Tests;

/// <summary>
/// The repository stands alone: no file may point at material beside it (the folder of shared notes a clone does not
/// have, or the old external engineering reference). What the code cites lives in docs/reference/, the SyncML corpus
/// in tests/corpus/syncml/.
/// </summary>
public sealed class RepositoryHygieneTests
{
    // Built from pieces so that this file does not match itself.
    private static readonly string[] s_outsideReferences =
    [
        "../" + "shared",
        "shared" + "/corpus",
        "shared" + "/reference",
        "/work/" + "shared",
        "protocol" + ".md",
    ];

    private static readonly HashSet<string> s_textExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".cs", ".md", ".yaml", ".yml", ".json", ".xml", ".xsd", ".props", ".targets", ".csproj", ".sln", ".sh", ".js",
        ".html", ".css", ".txt", ".editorconfig", ".gitattributes", ".gitignore",
    };

    private static readonly HashSet<string> s_skippedDirectories = new(StringComparer.Ordinal)
    {
        ".git", "bin", "obj", "TestResults", "BenchmarkDotNet.Artifacts", "node_modules",
    };

    [Test]
    public void No_file_refers_to_material_outside_the_repository()
    {
        var findings = new List<string>();
        foreach (string file in TextFiles(RepoPaths.Root))
        {
            string[] lines = File.ReadAllLines(file);
            for (int i = 0; i < lines.Length; i++)
            {
                foreach (string reference in s_outsideReferences)
                {
                    if (lines[i].Contains(reference, StringComparison.OrdinalIgnoreCase))
                    {
                        findings.Add($"{Path.GetRelativePath(RepoPaths.Root, file)}:{i + 1}: refers to '{reference}'");
                    }
                }
            }
        }

        Assert.That(findings, Is.Empty,
            "Files refer to material outside the repository (cite docs/reference/ or a public document instead):" +
            Environment.NewLine + string.Join(Environment.NewLine, findings));
    }

    [Test]
    public void The_design_document_is_cited_in_the_repository()
    {
        // The design document lives in docs/; a citation of the bare file name meant the copy beside the repository.
        var bare = new System.Text.RegularExpressions.Regex(@"(?<![\w/.-])" + "design" + @"\.md");
        var findings = new List<string>();
        foreach (string file in TextFiles(RepoPaths.Root))
        {
            string[] lines = File.ReadAllLines(file);
            for (int i = 0; i < lines.Length; i++)
            {
                if (bare.IsMatch(lines[i]))
                {
                    findings.Add($"{Path.GetRelativePath(RepoPaths.Root, file)}:{i + 1}: cite docs/design.md");
                }
            }
        }

        Assert.That(findings, Is.Empty, string.Join(Environment.NewLine, findings));
    }

    [Test]
    public void The_scan_sees_the_repository_text_files()
    {
        // Guards the test above against scanning nothing (a wrong root or filter would make it pass vacuously).
        var files = TextFiles(RepoPaths.Root).Select(f => Path.GetRelativePath(RepoPaths.Root, f).Replace('\\', '/')).ToList();
        Assert.That(files, Does.Contain("README.md").And.Contain("docs/reference/omadm.md").And.Contain("tests/corpus/syncml/README.md"));
        Assert.That(files.Count(f => f.EndsWith(".cs", StringComparison.Ordinal)), Is.GreaterThan(100));
    }

    private static IEnumerable<string> TextFiles(string directory)
    {
        foreach (string file in Directory.EnumerateFiles(directory))
        {
            string name = Path.GetFileName(file);
            if (s_textExtensions.Contains(Path.GetExtension(file)) || s_textExtensions.Contains(name) || name == "run")
            {
                yield return file;
            }
        }

        foreach (string sub in Directory.EnumerateDirectories(directory))
        {
            if (s_skippedDirectories.Contains(Path.GetFileName(sub)))
            {
                continue;
            }

            foreach (string file in TextFiles(sub))
            {
                yield return file;
            }
        }
    }
}

using System.Xml.Linq;

namespace MockMdm.Tests.Architecture;

/// <summary>
/// Dependencies point one way (docs/mock-mdm.md "Dependencies"): the server and its PIN reset service know the device
/// only through the shared DeviceAgent.Protocol (and the SyncML codec), and nothing in agent/ knows the server. Read
/// from the project files, following references transitively, and from the built assemblies.
/// </summary>
public sealed class DependencyDirectionTests
{
    /// <summary>What projects under mockmdm/ may reference in agent/.</summary>
    private static readonly string[] s_sharedAgentProjects =
    [
        "agent/DeviceAgent.Protocol/DeviceAgent.Protocol.csproj",
        "agent/DeviceAgent.SyncML/DeviceAgent.SyncML.csproj",
    ];

    private static readonly string[] s_serverAssemblyNames = ["MockMdm", "MockMdm.PinReset"];

    [Test]
    public void ServerProjects_ReferenceOnlyTheSharedAssembliesOfAgent()
    {
        foreach (var project in ProjectsUnder("mockmdm"))
        {
            var intoAgent = Closure(project).Where(p => p.StartsWith("agent/", StringComparison.Ordinal)).ToList();
            Assert.That(intoAgent, Is.SubsetOf(s_sharedAgentProjects),
                $"{project} reaches into agent/ beyond the shared assemblies (chain of ProjectReference)");
        }
    }

    [Test]
    public void AgentProjects_DoNotReferenceTheServer()
    {
        foreach (var project in ProjectsUnder("agent"))
        {
            Assert.That(Closure(project).Where(p => p.StartsWith("mockmdm/", StringComparison.Ordinal)), Is.Empty,
                $"{project} references the mock server side");
        }
    }

    [Test]
    public void SharedProtocolAssembly_ReferencesNoProject()
    {
        Assert.That(Closure("agent/DeviceAgent.Protocol/DeviceAgent.Protocol.csproj"), Is.Empty);
    }

    [Test]
    public void BuiltServerAssemblies_DoNotReferenceTheDeviceAgentAssembly()
    {
        var assemblies = new[] { typeof(MockMdmServer).Assembly, typeof(MockMdm.PinReset.PinResetService).Assembly };
        Assert.That(assemblies.Select(a => a.GetName().Name), Is.EquivalentTo(s_serverAssemblyNames));
        foreach (var assembly in assemblies)
        {
            var names = assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();
            Assert.That(names, Has.None.EqualTo("DeviceAgent").And.None.EqualTo("DeviceAgent.Emulator"),
                $"{assembly.GetName().Name} references the device side");
        }
    }

    private static List<string> ProjectsUnder(string folder)
    {
        var projects = Directory.GetFiles(Path.Combine(RepoPaths.Root, folder), "*.csproj", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(Relative)
            .ToList();
        Assert.That(projects, Is.Not.Empty, $"no projects under {folder}/");
        return projects;
    }

    /// <summary>Every project <paramref name="project"/> references, directly or through others (repository-relative, '/').</summary>
    private static HashSet<string> Closure(string project)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var current))
        {
            foreach (var reference in DirectReferences(current))
            {
                if (seen.Add(reference))
                {
                    pending.Push(reference);
                }
            }
        }

        return seen;
    }

    private static List<string> DirectReferences(string project)
    {
        var path = Path.Combine(RepoPaths.Root, project);
        var directory = Path.GetDirectoryName(path)!;
        return XDocument.Load(path).Descendants("ProjectReference")
            .Select(r => (string?)r.Attribute("Include") ?? throw new InvalidDataException($"{project}: ProjectReference without Include"))
            .Select(include => Relative(Path.GetFullPath(Path.Combine(directory, include.Replace('\\', Path.DirectorySeparatorChar)))))
            .ToList();
    }

    private static string Relative(string fullPath) =>
        Path.GetRelativePath(RepoPaths.Root, fullPath).Replace(Path.DirectorySeparatorChar, '/');
}

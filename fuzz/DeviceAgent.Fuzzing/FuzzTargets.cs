using DeviceAgent.Fuzzing.Targets;

namespace DeviceAgent.Fuzzing;

/// <summary>Every fuzz target, by name (fuzz/README.md lists them with their campaign figures).</summary>
public static class FuzzTargets
{
    /// <summary>The targets in the order fuzz/README.md lists them.</summary>
    public static IReadOnlyList<FuzzTarget> All { get; } =
    [
        new SyncMLXmlTarget(),
        new WbxmlTarget(),
        new DdfTarget(),
        new EnrollmentClientTarget(),
        new EnrollmentServerTarget(),
        new ProvisioningDocumentTarget(),
        new ScenarioTarget(),
        new DeviceMessageTarget(),
    ];

    /// <summary>The target called <paramref name="name"/>, or null.</summary>
    public static FuzzTarget? Find(string name) => All.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.Ordinal));
}

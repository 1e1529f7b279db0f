using DeviceAgent.Ngc;
using DeviceAgent.Ngc.Software;

namespace DeviceAgent.Tests.Ngc;

/// <summary>The conformance suite against the in-memory software provider.</summary>
[TestFixture]
public sealed class SoftwareNgcKeyStorageConformanceTests : NgcKeyStorageConformanceTests
{
    /// <inheritdoc/>
    protected override INgcKeyStorage CreateStorage(NgcConformanceEnvironment environment) =>
        new SoftwareNgcKeyStorage(new SoftwareNgcOptions
        {
            Pbkdf2Iterations = 10,
            LockoutThreshold = NgcConformanceEnvironment.LockoutThreshold,
            KeyAlgorithm = NgcKeyAlgorithm.EcdsaP256,
            TimeProvider = environment.Time,
            PolicySource = environment.Policy,
        });
}

/// <summary>The conformance suite against the software provider persisting to a _directory, behind the logging decorator.</summary>
[TestFixture]
public sealed class PersistedSoftwareNgcKeyStorageConformanceTests : NgcKeyStorageConformanceTests
{
    private string? _directory;

    /// <inheritdoc/>
    protected override INgcKeyStorage CreateStorage(NgcConformanceEnvironment environment)
    {
        _directory = Path.Combine(Path.GetTempPath(), "ngc-conformance-" + Guid.NewGuid().ToString("N"));
        var inner = new SoftwareNgcKeyStorage(new SoftwareNgcOptions
        {
            Directory = _directory,
            Pbkdf2Iterations = 10,
            LockoutThreshold = NgcConformanceEnvironment.LockoutThreshold,
            KeyAlgorithm = NgcKeyAlgorithm.EcdsaP256,
            TimeProvider = environment.Time,
            PolicySource = environment.Policy,
        });
        return new LoggingNgcKeyStorage(inner, new NgcEventLog(environment.Time));
    }

    /// <inheritdoc/>
    protected override Task CleanUpAsync()
    {
        if (_directory is not null && Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }

        return Task.CompletedTask;
    }
}

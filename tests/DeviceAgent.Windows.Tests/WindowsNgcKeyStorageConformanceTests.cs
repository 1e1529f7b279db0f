using DeviceAgent.Ngc;
using DeviceAgent.Tests.Ngc;

namespace DeviceAgent.Windows.Tests;

/// <summary>
/// The NGC conformance suite against KeyCredentialManager. Creating a key prompts for the Windows Hello gesture, so
/// the fixture runs only when asked to (<see cref="OptInVariable"/>=1) on Windows with Hello set up; elsewhere every
/// test is ignored with the reason.
/// </summary>
[TestFixture]
public sealed class WindowsNgcKeyStorageConformanceTests : NgcKeyStorageConformanceTests
{
    /// <summary>Environment variable that opts in to the interactive Windows Hello tests.</summary>
    public const string OptInVariable = "DEVICEAGENT_WINDOWS_HELLO_TESTS";

    private const string Prefix = "DeviceAgent.Tests.";
    private static readonly string[] s_keyNames = ["k1", "k2", "a", "b", "absent"];

    [OneTimeSetUp]
    public async Task RequireWindowsHello()
    {
        if (!WindowsPlatform.IsSupported)
        {
            Assert.Ignore(WindowsPlatform.NotSupportedReason);
            return;
        }

        if (Environment.GetEnvironmentVariable(OptInVariable) != "1")
        {
            Assert.Ignore($"These tests prompt for the Windows Hello gesture; set {OptInVariable}=1 to run them.");
        }

        if (!await WindowsNgcKeyStorage.IsSupportedAsync())
        {
            Assert.Ignore("Windows Hello is not set up for the signed-in user (KeyCredentialManager.IsSupportedAsync is false).");
        }
    }

    /// <inheritdoc/>
    protected override INgcKeyStorage CreateStorage(NgcConformanceEnvironment environment) =>
        WindowsPlatform.IsSupported ? new WindowsNgcKeyStorage(Prefix) : throw new PlatformNotSupportedException(WindowsPlatform.NotSupportedReason);

    /// <inheritdoc/>
    protected override async Task CleanUpAsync()
    {
        if (Storage is null || !WindowsPlatform.IsSupported)
        {
            return;
        }

        foreach (var name in s_keyNames)
        {
            await Storage.DeleteKeyAsync(User, name);
        }
    }
}

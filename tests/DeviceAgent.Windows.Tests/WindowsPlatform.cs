using System.Runtime.Versioning;

namespace DeviceAgent.Windows.Tests;

/// <summary>Whether this machine can run the Windows provider at all.</summary>
internal static class WindowsPlatform
{
    /// <summary>Why the Windows tests are ignored elsewhere.</summary>
    public const string NotSupportedReason =
        "The Windows NGC provider (KeyCredentialManager) runs only on Windows 10 1809 (10.0.17763) or later; these tests are ignored on this OS.";

    /// <summary>Windows 10 1809 or later.</summary>
    [SupportedOSPlatformGuard("windows10.0.17763.0")]
    public static bool IsSupported => OperatingSystem.IsWindowsVersionAtLeast(10, 0, 17763);
}

using System.Globalization;

namespace MockMdm.Enrollment;

/// <summary>Which devices may enroll and which can take passcode actions (docs/reference/enrollment.md and 4).</summary>
public static class DevicePlatform
{
    /// <summary>MS-MDE2 DeviceType of Windows 10 Mobile.</summary>
    public const string WindowsPhone = "WindowsPhone";

    /// <summary>MS-MDE2 DeviceType of desktop Windows.</summary>
    public const string Desktop = "CIMClient_Windows";

    /// <summary>Windows 10 Creators Update (1703): the first build with RemoteLock/LockAndRecoverPIN.</summary>
    public const int MinimumBuild = 15063;

    /// <summary>The build number (third part of "10.0.15063.0"), or null when the text is not a Windows version.</summary>
    public static int? BuildOf(string? version)
    {
        if (string.IsNullOrWhiteSpace(version))
        {
            return null;
        }

        var parts = version.Trim().Split('.');
        if (parts.Length < 3 || parts.Length > 4
            || !parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            return null;
        }

        return int.Parse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture);
    }

    /// <summary>Why the device may not enroll, or null when it may.</summary>
    public static string? EnrollmentRefusal(string? deviceType, string? osVersion)
    {
        if (deviceType is not (WindowsPhone or Desktop))
        {
            return $"DeviceType '{deviceType}' is not supported: this server enrolls {WindowsPhone} (Windows 10 Mobile) and {Desktop} (Windows desktop)";
        }

        var build = BuildOf(osVersion);
        if (build is null)
        {
            return $"the OS version '{osVersion}' is not a Windows version (expected e.g. 10.0.15063.0)";
        }

        return build < MinimumBuild
            ? $"Windows build {build} is older than {MinimumBuild} (Windows 10 Creators Update, version 1703), the oldest build this server enrolls"
            : null;
    }

    /// <summary>Why a passcode action cannot run on the device, or null when it can (Intune: Windows 10 Mobile, Creators Update or later).</summary>
    public static string? PasscodeRefusal(DeviceRecord device)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (device.DeviceType != WindowsPhone)
        {
            return $"passcode reset is supported only on Windows 10 Mobile (DeviceType {WindowsPhone}); this device is {device.DeviceType}";
        }

        var build = BuildOf(device.OsVersion);
        return build is null || build < MinimumBuild
            ? $"passcode reset needs Windows 10 Mobile build {MinimumBuild} (Creators Update) or later; this device runs {device.OsVersion}"
            : null;
    }
}

namespace DeviceAgent.Emulator.Devices;

/// <summary>What an emulated device is unless its spec (a scenario, a fleet) says otherwise.</summary>
public static class DeviceDefaults
{
    /// <summary>Windows 10 Mobile Creators Update (docs/reference/devinfo-devdetail.md §2 identity checklist).</summary>
    public const string OsBuild = "10.0.15063";

    public const string Platform = "windows10mobile";
}

using DeviceAgent.Emulator.Server;

namespace DeviceAgent.EndToEnd.Tests;

/// <summary>One CA and PIN reset service key for every embedded server of the test run (key generation dominates a server's start).</summary>
internal static class Keys
{
    private static readonly Lazy<MdmKeyMaterial> s_shared = new(() => MdmKeyMaterial.Create());

    public static MdmKeyMaterial Material => s_shared.Value;
}

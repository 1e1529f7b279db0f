using DeviceAgent.Dm;

namespace DeviceAgent.Csp;

/// <summary>Composition of the CSP handlers every emulated device has (DevInfo, DevDetail, DMClient).</summary>
public static class StandardCsps
{
    /// <summary>The standard handlers for <paramref name="profile"/>; add PassportForWork, RemoteLock ... beside them.</summary>
    public static IReadOnlyList<ICspHandler> Create(DeviceProfile profile, TimeProvider time) =>
        [new DevInfoCsp(profile), new DevDetailCsp(profile, time), new DmClientCsp(profile)];
}

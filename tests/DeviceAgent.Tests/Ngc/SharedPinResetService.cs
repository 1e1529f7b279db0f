using DeviceAgent.PinReset;

namespace DeviceAgent.Tests.Ngc;

/// <summary>One service (one RSA key generation) for every test; tests keep apart by using fresh tenant IDs.</summary>
public static class SharedPinResetService
{
    private static readonly Lazy<PinResetService> Lazy = new(() => new PinResetService());

    /// <summary>The shared service.</summary>
    public static PinResetService Instance => Lazy.Value;

    /// <summary>A new tenant that consented both applications.</summary>
    public static string ConsentedTenant()
    {
        var tenant = Guid.NewGuid().ToString("D");
        Instance.SetConsent(tenant, PinResetApplication.Service, true);
        Instance.SetConsent(tenant, PinResetApplication.Client, true);
        return tenant;
    }
}

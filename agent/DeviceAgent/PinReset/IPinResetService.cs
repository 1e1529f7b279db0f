namespace DeviceAgent.PinReset;

/// <summary>The two Entra enterprise applications a tenant must consent for PIN recovery (reference protocol.md 5.1).</summary>
public enum PinResetApplication
{
    /// <summary>"Microsoft Pin Reset Service Production", client_id b8456c59-1230-44c7-a4a2-99b085333e84.</summary>
    Service,

    /// <summary>"Microsoft Pin Reset Client Production", client_id 9115dd05-fad5-4f9c-acc7-305d08b1b04e.</summary>
    Client,
}

/// <summary>
/// The Microsoft PIN reset service as a component with no HTTP in its contract: the mock MDM hosts it (tenants,
/// consent endpoints), devices use it to protect and recover their PIN reset protector (reference protocol.md 5.3).
/// </summary>
public interface IPinResetService
{
    /// <summary>Records an admin's consent decision for one application in one tenant (tenant ID kept as given, compared case-insensitively).</summary>
    void SetConsent(string tenantId, PinResetApplication application, bool granted);

    /// <summary>Whether the tenant has consented the application.</summary>
    bool HasConsent(string tenantId, PinResetApplication application);
}

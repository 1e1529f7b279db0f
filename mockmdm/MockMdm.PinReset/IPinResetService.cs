using DeviceAgent.Protocol;

namespace MockMdm.PinReset;

/// <summary>The two Entra enterprise applications a tenant must consent for PIN recovery (reference docs/reference/pin-reset.md §1).</summary>
public enum PinResetApplication
{
    /// <summary>"Microsoft Pin Reset Service Production", client_id b8456c59-1230-44c7-a4a2-99b085333e84.</summary>
    Service,

    /// <summary>"Microsoft Pin Reset Client Production", client_id 9115dd05-fad5-4f9c-acc7-305d08b1b04e.</summary>
    Client,
}

/// <summary>The client IDs (Entra application IDs) of the two applications (docs/reference/pin-reset.md §1).</summary>
public static class PinResetApplicationIds
{
    /// <summary>client_id of "Microsoft Pin Reset Service Production".</summary>
    public const string Service = "b8456c59-1230-44c7-a4a2-99b085333e84";

    /// <summary>client_id of "Microsoft Pin Reset Client Production".</summary>
    public const string Client = "9115dd05-fad5-4f9c-acc7-305d08b1b04e";

    /// <summary>The application a client_id names (any case, surrounding spaces ignored), or null.</summary>
    public static PinResetApplication? ApplicationOf(string? clientId) => clientId?.Trim().ToLowerInvariant() switch
    {
        Service => PinResetApplication.Service,
        Client => PinResetApplication.Client,
        _ => null,
    };

    /// <summary>The client_id of <paramref name="application"/>.</summary>
    public static string ClientIdOf(PinResetApplication application) => application switch
    {
        PinResetApplication.Service => Service,
        PinResetApplication.Client => Client,
        _ => throw new ArgumentOutOfRangeException(nameof(application), application, "Unknown PIN reset application."),
    };
}

/// <summary>
/// The Microsoft PIN reset service as a component with no HTTP in its contract: the mock MDM hosts it (tenants,
/// consent endpoints), devices use it through a client of their own to protect and recover their PIN reset protector
/// (docs/reference/pin-reset.md §3).
/// </summary>
public interface IPinResetService
{
    /// <summary>Records an admin's consent decision for one application in one tenant (tenant ID kept as given, compared case-insensitively); the tenant becomes known.</summary>
    void SetConsent(string tenantId, PinResetApplication application, bool granted);

    /// <summary>Whether the tenant has consented the application.</summary>
    bool HasConsent(string tenantId, PinResetApplication application);

    /// <summary>Makes a tenant known to the service without consenting anything.</summary>
    void AddTenant(string tenantId);

    /// <summary>The service's RSA public key (DER SubjectPublicKeyInfo) that devices encrypt recovery protectors to (docs/reference/pin-reset.md §3 step 2).</summary>
    byte[] GetPublicKey();

    /// <summary>
    /// Decrypts a device's recovery protector (docs/reference/pin-reset.md §3 step 3) for <paramref name="tenantId"/>, or names why not:
    /// unknown tenant, a missing consent (Service is checked before Client), a blob that does not decrypt, or a blob
    /// sealed for another tenant.
    /// </summary>
    PinRecoveryResult RecoverProtector(string tenantId, byte[] encryptedProtector);

    /// <summary>A PIN with the service's own fixed complexity (<see cref="PinGenerationProfile"/>), drawn from <paramref name="random"/>.</summary>
    string GeneratePin(Random random);
}

namespace DeviceAgent.Protocol;

/// <summary>
/// The HTTP shape of the PIN reset service, spoken by the device's client (DeviceAgent.PinReset) and the service
/// (MockMdm.PinReset): paths relative to the service's base URL, JSON property names and limits. Microsoft publishes no
/// wire format for its service; this one is the project's own, modelled on the exchange docs/reference/pin-reset.md §3
/// describes (docs/pin-reset.md "Wire").
/// </summary>
public static class PinResetWire
{
    /// <summary>Where the mock MDM server hosts the service's device endpoints: {server base URL}pinreset/ is the service's base URL.</summary>
    public const string HostedPrefix = "pinreset";

    /// <summary>GET: the service's public key (docs/reference/pin-reset.md §3 step 2).</summary>
    public const string PublicKeyPath = "v1/publickey";

    /// <summary>POST: a PIN with the service's own complexity (docs/pin-reset.md).</summary>
    public const string PinPath = "v1/pin";

    /// <summary>Most bytes of a request body the service reads, and of an answer the client reads.</summary>
    public const int MaxBodyBytes = 16 * 1024;

    /// <summary>JSON: the public key, base64 of DER SubjectPublicKeyInfo.</summary>
    public const string SubjectPublicKeyInfo = "subjectPublicKeyInfo";

    /// <summary>JSON: the encrypted protector (request) , base64.</summary>
    public const string EncryptedProtector = "encryptedProtector";

    /// <summary>JSON: the released protector (answer), base64.</summary>
    public const string Protector = "protector";

    /// <summary>JSON: a <see cref="PinRecoveryOutcome"/> name, on every answer of a release.</summary>
    public const string Outcome = "outcome";

    /// <summary>JSON: the device's seed for PIN generation (optional, a 32-bit integer), so emulated runs are reproducible.</summary>
    public const string Seed = "seed";

    /// <summary>JSON: the generated PIN.</summary>
    public const string Pin = "pin";

    /// <summary>JSON: a consent decision (bool).</summary>
    public const string Granted = "granted";

    /// <summary>JSON: the error object of a refused request ({"error":{"code","message"}}, the Graph shape the mock server uses).</summary>
    public const string Error = "error";

    /// <summary>POST: release of a recovery protector for <paramref name="tenantId"/> (docs/reference/pin-reset.md §3 step 3).</summary>
    public static string RecoverPath(string tenantId) => $"v1/tenants/{Uri.EscapeDataString(tenantId)}/recoveryprotector";

    /// <summary>GET (state) and PUT (make known) one tenant of the standalone service.</summary>
    public static string TenantPath(string tenantId) => $"v1/tenants/{Uri.EscapeDataString(tenantId)}";

    /// <summary>PUT: an admin's consent decision for one application, named by its client_id (docs/reference/pin-reset.md §1).</summary>
    public static string ConsentPath(string tenantId, string clientId) =>
        $"v1/tenants/{Uri.EscapeDataString(tenantId)}/consent/{Uri.EscapeDataString(clientId)}";

    /// <summary>
    /// The HTTP status a release answers with: 200 released, 404 unknown tenant, 403 a consent missing, 422 a blob the
    /// service cannot open or that belongs to another tenant.
    /// </summary>
    public static int StatusOf(PinRecoveryOutcome outcome) => outcome switch
    {
        PinRecoveryOutcome.Success => 200,
        PinRecoveryOutcome.UnknownTenant => 404,
        PinRecoveryOutcome.ServiceConsentMissing or PinRecoveryOutcome.ClientConsentMissing => 403,
        PinRecoveryOutcome.BadBlob or PinRecoveryOutcome.TenantMismatch => 422,
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Unknown PIN recovery outcome."),
    };
}

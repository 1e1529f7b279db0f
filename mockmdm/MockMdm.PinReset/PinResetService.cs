using System.Security.Cryptography;
using DeviceAgent.Protocol;

namespace MockMdm.PinReset;

/// <summary>
/// In-process emulation of the Microsoft PIN reset service (docs/reference/pin-reset.md §1, §3): _tenants and their consent to the two
/// applications, the service's RSA _key pair, release of recovery protectors, and PIN generation. Thread-safe.
/// </summary>
public sealed class PinResetService : IPinResetService, IDisposable
{
    private readonly RSA _key;
    private readonly byte[] _publicKey;
    private readonly Dictionary<string, HashSet<PinResetApplication>> _tenants = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Creates the service with a new RSA-2048 _key pair, or with <paramref name="key"/> (which it then owns).</summary>
    public PinResetService(PinGenerationProfile? profile = null, RSA? key = null)
    {
        Profile = profile ?? PinGenerationProfile.Default;
        _ = Profile.Generate(new Random(0)); // an impossible profile fails here, not at the first reset
        _key = key ?? RSA.Create(2048);
        if (_key.KeySize < 2048)
        {
            throw new ArgumentException($"The service key must be at least 2048 bits, not {_key.KeySize}.", nameof(key));
        }

        _publicKey = _key.ExportSubjectPublicKeyInfo();
    }

    /// <summary>The complexity of the PINs the service generates.</summary>
    public PinGenerationProfile Profile { get; }

    /// <inheritdoc/>
    public void SetConsent(string tenantId, PinResetApplication application, bool granted)
    {
        var tenant = RecoveryProtectorEnvelope.NormalizeTenant(tenantId);
        if (!Enum.IsDefined(application))
        {
            throw new ArgumentOutOfRangeException(nameof(application), application, "Unknown PIN reset application.");
        }

        lock (_gate)
        {
            var consents = Tenant(tenant);
            if (granted)
            {
                consents.Add(application);
            }
            else
            {
                consents.Remove(application);
            }
        }
    }

    /// <inheritdoc/>
    public bool HasConsent(string tenantId, PinResetApplication application)
    {
        var tenant = RecoveryProtectorEnvelope.NormalizeTenant(tenantId);
        lock (_gate)
        {
            return _tenants.TryGetValue(tenant, out var consents) && consents.Contains(application);
        }
    }

    /// <inheritdoc/>
    public void AddTenant(string tenantId)
    {
        var tenant = RecoveryProtectorEnvelope.NormalizeTenant(tenantId);
        lock (_gate)
        {
            _ = Tenant(tenant);
        }
    }

    /// <inheritdoc/>
    public byte[] GetPublicKey() => (byte[])_publicKey.Clone();

    /// <inheritdoc/>
    public PinRecoveryResult RecoverProtector(string tenantId, byte[] encryptedProtector)
    {
        var tenant = RecoveryProtectorEnvelope.NormalizeTenant(tenantId);
        ArgumentNullException.ThrowIfNull(encryptedProtector);
        lock (_gate)
        {
            if (!_tenants.TryGetValue(tenant, out var consents))
            {
                return PinRecoveryResult.Refused(PinRecoveryOutcome.UnknownTenant);
            }

            if (!consents.Contains(PinResetApplication.Service))
            {
                return PinRecoveryResult.Refused(PinRecoveryOutcome.ServiceConsentMissing);
            }

            if (!consents.Contains(PinResetApplication.Client))
            {
                return PinRecoveryResult.Refused(PinRecoveryOutcome.ClientConsentMissing);
            }

            if (!RecoveryProtectorEnvelope.TryOpen(_key, encryptedProtector, out var protector, out var sealedFor))
            {
                return PinRecoveryResult.Refused(PinRecoveryOutcome.BadBlob);
            }

            if (sealedFor != tenant)
            {
                CryptographicOperations.ZeroMemory(protector);
                return PinRecoveryResult.Refused(PinRecoveryOutcome.TenantMismatch);
            }

            return new PinRecoveryResult(PinRecoveryOutcome.Success, protector);
        }
    }

    /// <inheritdoc/>
    public string GeneratePin(Random random) => Profile.Generate(random);

    /// <summary>The private _key as PKCS#8, for a host that persists the service across restarts.</summary>
    public byte[] ExportPkcs8PrivateKey() => _key.ExportPkcs8PrivateKey();

    /// <inheritdoc/>
    public void Dispose() => _key.Dispose();

    private HashSet<PinResetApplication> Tenant(string tenant)
    {
        if (!_tenants.TryGetValue(tenant, out var consents))
        {
            consents = [];
            _tenants.Add(tenant, consents);
        }

        return consents;
    }
}

using System.Security.Cryptography;
using System.Text;

namespace DeviceAgent.Protocol;

/// <summary>
/// The encrypted form of a PIN recovery protector: RSA-OAEP (SHA-256) over the 256-bit protector followed by the
/// lower-cased tenant ID in UTF-8, encrypted to the PIN reset service's public key (docs/reference/pin-reset.md §3 steps 1-2).
/// The tenant is inside so the service refuses a blob presented for another tenant. The layout is the project's own.
/// </summary>
public static class RecoveryProtectorEnvelope
{
    /// <summary>Size of the protector: a 256-bit AES key (docs/reference/pin-reset.md §3).</summary>
    public const int ProtectorSize = 32;

    /// <summary>Longest tenant ID the envelope can carry (RSA-2048 OAEP-SHA256 holds 190 bytes).</summary>
    public const int MaxTenantIdBytes = 128;

    /// <summary>Encrypts <paramref name="protector"/> for <paramref name="tenantId"/> to the service key (DER SubjectPublicKeyInfo).</summary>
    public static byte[] Seal(byte[] servicePublicKey, ReadOnlySpan<byte> protector, string tenantId)
    {
        ArgumentNullException.ThrowIfNull(servicePublicKey);
        if (protector.Length != ProtectorSize)
        {
            throw new ArgumentException($"A recovery protector is {ProtectorSize} bytes, not {protector.Length}.", nameof(protector));
        }

        var tenant = EncodeTenant(tenantId);
        using var rsa = RSA.Create();
        try
        {
            rsa.ImportSubjectPublicKeyInfo(servicePublicKey, out var read);
            if (read != servicePublicKey.Length)
            {
                throw new CryptographicException($"{servicePublicKey.Length - read} bytes follow the key.");
            }
        }
        catch (CryptographicException ex)
        {
            throw new ArgumentException($"The PIN reset service public key is not a DER RSA SubjectPublicKeyInfo: {ex.Message}", nameof(servicePublicKey), ex);
        }

        var payload = new byte[ProtectorSize + tenant.Length];
        protector.CopyTo(payload);
        tenant.CopyTo(payload.AsSpan(ProtectorSize));
        try
        {
            return rsa.Encrypt(payload, RSAEncryptionPadding.OaepSHA256);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(payload);
        }
    }

    /// <summary>Decrypts a blob with the service's private key; false when it is not a well-formed envelope.</summary>
    public static bool TryOpen(RSA serviceKey, byte[] blob, out byte[] protector, out string tenantId)
    {
        ArgumentNullException.ThrowIfNull(serviceKey);
        ArgumentNullException.ThrowIfNull(blob);
        protector = [];
        tenantId = string.Empty;
        if (blob.Length != serviceKey.KeySize / 8)
        {
            return false;
        }

        byte[] payload;
        try
        {
            payload = serviceKey.Decrypt(blob, RSAEncryptionPadding.OaepSHA256);
        }
        catch (CryptographicException)
        {
            return false;
        }

        try
        {
            if (payload.Length <= ProtectorSize)
            {
                return false;
            }

            tenantId = new UTF8Encoding(false, true).GetString(payload, ProtectorSize, payload.Length - ProtectorSize);
            protector = payload[..ProtectorSize];
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(payload);
        }
    }

    /// <summary>The form tenant IDs take inside the envelope and in comparisons: trimmed of nothing, lower-cased.</summary>
    public static string NormalizeTenant(string tenantId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        return tenantId.ToLowerInvariant();
    }

    private static byte[] EncodeTenant(string tenantId)
    {
        var bytes = Encoding.UTF8.GetBytes(NormalizeTenant(tenantId));
        return bytes.Length <= MaxTenantIdBytes
            ? bytes
            : throw new ArgumentException($"Tenant ID is {bytes.Length} UTF-8 bytes; at most {MaxTenantIdBytes} fit the envelope.", nameof(tenantId));
    }
}

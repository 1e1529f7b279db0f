using System.Security.Cryptography;
using System.Text;

namespace DeviceAgent.Ngc.Software;

/// <summary>
/// The software provider's primitives, all from System.Security.Cryptography: PBKDF2-SHA256 for PIN-derived keys and
/// AES-256-GCM for sealing, with associated data binding every box to its container and purpose (docs/ngc.md).
/// </summary>
internal sealed class NgcCrypto(SecretRandomFill random)
{
    public const int KeySize = 32;
    public const int SaltSize = 16;
    public const int NonceSize = 12;
    public const int TagSize = 16;

    public byte[] NewSecret(int size = KeySize)
    {
        var bytes = new byte[size];
        random(bytes);
        return bytes;
    }

    public static byte[] DeriveKey(string pin, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(pin), salt, iterations, HashAlgorithmName.SHA256, KeySize);

    public SealedBox Seal(byte[] key, ReadOnlySpan<byte> plaintext, Guid containerId, string purpose)
    {
        var nonce = NewSecret(NonceSize);
        var ciphertext = new byte[plaintext.Length];
        var tag = new byte[TagSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plaintext, ciphertext, tag, AssociatedData(containerId, purpose));
        return new SealedBox(nonce, ciphertext, tag);
    }

    /// <summary>The plaintext, or null when the key is wrong or the box was altered.</summary>
    public static byte[]? Open(byte[] key, SealedBox box, Guid containerId, string purpose)
    {
        var plaintext = new byte[box.Ciphertext.Length];
        using var aes = new AesGcm(key, TagSize);
        try
        {
            aes.Decrypt(box.Nonce, box.Ciphertext, box.Tag, plaintext, AssociatedData(containerId, purpose));
            return plaintext;
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
    }

    public PinProtector ProtectWithPin(byte[] containerKey, string pin, int iterations, Guid containerId)
    {
        var salt = NewSecret(SaltSize);
        var pinKey = DeriveKey(pin, salt, iterations);
        try
        {
            return new PinProtector(iterations, salt, Seal(pinKey, containerKey, containerId, PinPurpose));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pinKey);
        }
    }

    /// <summary>The container key, or null when the PIN is wrong.</summary>
    public static byte[]? OpenWithPin(PinProtector protector, string pin, Guid containerId)
    {
        var pinKey = DeriveKey(pin, protector.Salt, protector.Iterations);
        try
        {
            return Open(pinKey, protector.WrappedContainerKey, containerId, PinPurpose);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pinKey);
        }
    }

    public PinHash HashPin(string pin, int iterations)
    {
        var salt = NewSecret(SaltSize);
        return new PinHash(iterations, salt, DeriveKey(pin, salt, iterations));
    }

    public static bool Matches(PinHash entry, string pin) =>
        CryptographicOperations.FixedTimeEquals(DeriveKey(pin, entry.Salt, entry.Iterations), entry.Hash);

    public const string PinPurpose = "pin";
    public const string RecoveryPurpose = "recovery";

    public static string KeyPurpose(string keyName) => "key:" + keyName;

    private static byte[] AssociatedData(Guid containerId, string purpose) =>
        Encoding.UTF8.GetBytes($"DeviceAgent.Ngc/{containerId:D}/{purpose}");
}

using System.Security.Cryptography;

namespace DeviceAgent.Ngc;

/// <summary>Algorithms an NGC key can have.</summary>
public enum NgcKeyAlgorithm
{
    /// <summary>RSA 2048, signatures RSASSA-PKCS1-v1_5 with SHA-256: what KeyCredentialManager creates (docs/reference/pin-reset.md §6).</summary>
    Rsa2048,

    /// <summary>ECDSA P-256 with SHA-256 (IEEE P1363 signatures): fast to generate, for large emulated fleets.</summary>
    EcdsaP256,
}

/// <summary>A key in a Windows Hello container: its name, algorithm and public key (DER SubjectPublicKeyInfo).</summary>
public sealed record NgcKeyInfo(string Name, NgcKeyAlgorithm Algorithm, byte[] PublicKey)
{
    /// <summary>Checks a signature made by <see cref="INgcKeyStorage.SignAsync"/> with this key.</summary>
    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        switch (Algorithm)
        {
            case NgcKeyAlgorithm.Rsa2048:
                using (var rsa = RSA.Create())
                {
                    rsa.ImportSubjectPublicKeyInfo(PublicKey, out _);
                    return rsa.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                }

            case NgcKeyAlgorithm.EcdsaP256:
                using (var ecdsa = ECDsa.Create())
                {
                    ecdsa.ImportSubjectPublicKeyInfo(PublicKey, out _);
                    return ecdsa.VerifyData(data, signature, HashAlgorithmName.SHA256);
                }

            default:
                throw new InvalidOperationException($"Unknown NGC key algorithm {Algorithm}.");
        }
    }
}

/// <summary>What a provider reports about a user's container.</summary>
/// <param name="ContainerId">The NgcKeyId (dsregcmd, docs/reference/pin-reset.md §1); null when the platform does not expose it.</param>
/// <param name="Recovery">The PIN recovery state.</param>
/// <param name="FailedAttempts">Wrong PINs since the last success.</param>
/// <param name="PinSetAt">When the current PIN was set; null when unknown.</param>
public sealed record NgcContainerInfo(Guid? ContainerId, NgcRecoveryState Recovery, int FailedAttempts, DateTimeOffset? PinSetAt)
{
    /// <summary>
    /// The dsregcmd CanReset value (docs/reference/pin-reset.md §1): DestructiveAndNonDestructive once a recovery protector exists,
    /// DestructiveOnly otherwise.
    /// </summary>
    public string CanReset => Recovery == NgcRecoveryState.Enabled ? "DestructiveAndNonDestructive" : "DestructiveOnly";
}

/// <summary>Whether a container can be recovered non-destructively.</summary>
public enum NgcRecoveryState
{
    /// <summary>No recovery protector.</summary>
    Disabled,

    /// <summary>Enabled while locked: the protector is created at the next PIN use.</summary>
    Pending,

    /// <summary>A recovery protector encrypted to the PIN reset service exists.</summary>
    Enabled,

    /// <summary>The platform does not say.</summary>
    Unknown,
}

/// <summary>What a provider can do; operations outside its capabilities return <see cref="NgcOutcome.NotSupported"/>.</summary>
[Flags]
public enum NgcCapabilities
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary>Create a container with a PIN, verify, change, destructive reset, lock, delete the container.</summary>
    PinManagement = 1,

    /// <summary>Recovery protector and non-destructive recovery.</summary>
    PinRecovery = 2,

    /// <summary>Create, open, sign with and delete keys.</summary>
    Keys = 4,

    /// <summary>List the keys of a container.</summary>
    KeyEnumeration = 8,
}

namespace DeviceAgent.Ngc.Software;

/// <summary>One user's container as stored: nothing in it is usable without the PIN or the recovery protector.</summary>
internal sealed record ContainerState
{
    public const string CurrentFormat = "DeviceAgent.Ngc.Container/1";

    public required string Format { get; init; }

    public required string UserId { get; init; }

    /// <summary>The NgcKeyId.</summary>
    public required Guid ContainerId { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset PinSetAt { get; init; }

    public required int FailedAttempts { get; init; }

    /// <summary>The container key under a key derived from the PIN.</summary>
    public required PinProtector PinProtector { get; init; }

    /// <summary>Hashes of the last PINs, newest last; the current PIN is the last entry when History &gt; 0.</summary>
    public required IReadOnlyList<PinHash> History { get; init; }

    public RecoveryProtector? Recovery { get; init; }

    public RecoveryTarget? PendingRecovery { get; init; }

    public required IReadOnlyList<StoredKey> Keys { get; init; }

    public NgcRecoveryState RecoveryState =>
        Recovery is not null ? NgcRecoveryState.Enabled : PendingRecovery is not null ? NgcRecoveryState.Pending : NgcRecoveryState.Disabled;

    /// <summary>Where recovery is enabled or pending, the service it is meant for.</summary>
    public RecoveryTarget? RecoveryTarget => Recovery?.Target ?? PendingRecovery;
}

/// <summary>AES-256-GCM output.</summary>
internal sealed record SealedBox(byte[] Nonce, byte[] Ciphertext, byte[] Tag);

/// <summary>The container key sealed under PBKDF2-SHA256(PIN, Salt, Iterations).</summary>
internal sealed record PinProtector(int Iterations, byte[] Salt, SealedBox WrappedContainerKey);

/// <summary>PBKDF2-SHA256 of a previous PIN.</summary>
internal sealed record PinHash(int Iterations, byte[] Salt, byte[] Hash);

/// <summary>The PIN reset service a protector is encrypted to.</summary>
internal sealed record RecoveryTarget(string TenantId, byte[] ServicePublicKey);

/// <summary>The container key sealed under the recovery protector, and the protector encrypted to the service.</summary>
internal sealed record RecoveryProtector(RecoveryTarget Target, byte[] EncryptedProtector, SealedBox WrappedContainerKey);

/// <summary>A key pair whose PKCS#8 private key is sealed under the container key.</summary>
internal sealed record StoredKey(string Name, NgcKeyAlgorithm Algorithm, byte[] PublicKey, SealedBox PrivateKey, DateTimeOffset CreatedAt);

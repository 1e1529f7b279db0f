using System.Security.Cryptography;

namespace DeviceAgent.Ngc.Software;

/// <summary>Key operations and container deletion.</summary>
public sealed partial class SoftwareNgcKeyStorage
{
    /// <summary>Longest key name accepted.</summary>
    public const int MaxKeyNameLength = 256;

    /// <inheritdoc/>
    public async ValueTask<NgcResult<NgcKeyInfo>> CreateKeyAsync(string userId, string pin, string keyName, CancellationToken cancellationToken = default)
    {
        CheckUser(userId);
        ArgumentNullException.ThrowIfNull(pin);
        CheckKeyName(keyName);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_containers.TryGetValue(userId, out var existing) && Find(existing, keyName) is not null)
            {
                return NgcOutcome.KeyAlreadyExists;
            }

            var (outcome, containerKey, expired) = await AuthorizeAsync(userId, pin).ConfigureAwait(false);
            if (outcome != NgcOutcome.Success || expired)
            {
                return expired ? NgcOutcome.PinExpired : outcome;
            }

            var state = _containers[userId];
            var (publicKey, privateKey) = GenerateKeyPair(_options.KeyAlgorithm);
            try
            {
                var key = new StoredKey(
                    keyName,
                    _options.KeyAlgorithm,
                    publicKey,
                    _crypto.Seal(containerKey!, privateKey, state.ContainerId, NgcCrypto.KeyPurpose(keyName)),
                    Now);
                await CommitAsync(state with { Keys = [.. state.Keys, key] }, containerKey).ConfigureAwait(false);
                return Info(key);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(privateKey);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc/>
    public async ValueTask<NgcResult<NgcKeyInfo>> OpenKeyAsync(string userId, string keyName, CancellationToken cancellationToken = default)
    {
        CheckUser(userId);
        CheckKeyName(keyName);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_containers.TryGetValue(userId, out var state))
            {
                return NgcOutcome.NoContainer;
            }

            return Find(state, keyName) is { } key ? Info(key) : NgcOutcome.KeyNotFound;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc/>
    public async ValueTask<NgcResult<IReadOnlyList<NgcKeyInfo>>> ListKeysAsync(string userId, CancellationToken cancellationToken = default)
    {
        CheckUser(userId);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_containers.TryGetValue(userId, out var state))
            {
                return NgcOutcome.NoContainer;
            }

            return new NgcResult<IReadOnlyList<NgcKeyInfo>>(
                NgcOutcome.Success,
                state.Keys.OrderBy(k => k.Name, StringComparer.Ordinal).Select(Info).ToArray());
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc/>
    public async ValueTask<NgcResult<byte[]>> SignAsync(string userId, string pin, string keyName, byte[] data, CancellationToken cancellationToken = default)
    {
        CheckUser(userId);
        ArgumentNullException.ThrowIfNull(pin);
        CheckKeyName(keyName);
        ArgumentNullException.ThrowIfNull(data);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // A missing key is reported before the PIN is tried, so it costs no attempt.
            if (_containers.TryGetValue(userId, out var existing) && Find(existing, keyName) is null)
            {
                return NgcOutcome.KeyNotFound;
            }

            var (outcome, containerKey, expired) = await AuthorizeAsync(userId, pin).ConfigureAwait(false);
            if (outcome != NgcOutcome.Success || expired)
            {
                return expired ? NgcOutcome.PinExpired : outcome;
            }

            var state = _containers[userId];
            var key = Find(state, keyName)!;
            var privateKey = NgcCrypto.Open(containerKey!, key.PrivateKey, state.ContainerId, NgcCrypto.KeyPurpose(keyName))
                ?? throw new CryptographicException($"Key '{keyName}' of user '{userId}' does not open under its container key: the container is corrupt.");
            try
            {
                return SignWith(key.Algorithm, privateKey, data);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(privateKey);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc/>
    public async ValueTask<NgcResult> DeleteKeyAsync(string userId, string keyName, CancellationToken cancellationToken = default)
    {
        CheckUser(userId);
        CheckKeyName(keyName);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_containers.TryGetValue(userId, out var state))
            {
                return NgcOutcome.NoContainer;
            }

            if (Find(state, keyName) is not { } key)
            {
                return NgcOutcome.KeyNotFound;
            }

            await CommitAsync(state with { Keys = state.Keys.Where(k => !ReferenceEquals(k, key)).ToArray() }, null).ConfigureAwait(false);
            return NgcResult.Success;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc/>
    public async ValueTask<NgcResult> DeleteContainerAsync(string userId, CancellationToken cancellationToken = default)
    {
        CheckUser(userId);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_containers.ContainsKey(userId))
            {
                return NgcOutcome.NoContainer;
            }

            _store?.Delete(userId);
            _containers.Remove(userId);
            Forget(userId);
            return NgcResult.Success;
        }
        finally
        {
            _gate.Release();
        }
    }

    private static StoredKey? Find(ContainerState state, string keyName) =>
        state.Keys.FirstOrDefault(k => string.Equals(k.Name, keyName, StringComparison.Ordinal));

    private static NgcKeyInfo Info(StoredKey key) => new(key.Name, key.Algorithm, (byte[])key.PublicKey.Clone());

    private static void CheckKeyName(string keyName)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyName);
        if (keyName.Length > MaxKeyNameLength || keyName.Any(char.IsControl))
        {
            throw new ArgumentException($"Key name must be 1-{MaxKeyNameLength} characters without control characters.", nameof(keyName));
        }
    }

    // Key pairs come from the platform generator (a CSPRNG that cannot be seeded); see docs/ngc.md.
    private static (byte[] PublicKey, byte[] PrivateKey) GenerateKeyPair(NgcKeyAlgorithm algorithm)
    {
        switch (algorithm)
        {
            case NgcKeyAlgorithm.Rsa2048:
                using (var rsa = RSA.Create(2048))
                {
                    return (rsa.ExportSubjectPublicKeyInfo(), rsa.ExportPkcs8PrivateKey());
                }

            case NgcKeyAlgorithm.EcdsaP256:
                using (var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256))
                {
                    return (ecdsa.ExportSubjectPublicKeyInfo(), ecdsa.ExportPkcs8PrivateKey());
                }

            default:
                throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown NGC key algorithm.");
        }
    }

    private static byte[] SignWith(NgcKeyAlgorithm algorithm, byte[] privateKey, byte[] data)
    {
        switch (algorithm)
        {
            case NgcKeyAlgorithm.Rsa2048:
                using (var rsa = RSA.Create())
                {
                    rsa.ImportPkcs8PrivateKey(privateKey, out _);
                    return rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                }

            case NgcKeyAlgorithm.EcdsaP256:
                using (var ecdsa = ECDsa.Create())
                {
                    ecdsa.ImportPkcs8PrivateKey(privateKey, out _);
                    return ecdsa.SignData(data, HashAlgorithmName.SHA256);
                }

            default:
                throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown NGC key algorithm.");
        }
    }
}

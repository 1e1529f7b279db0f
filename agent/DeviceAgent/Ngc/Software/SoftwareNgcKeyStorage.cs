using System.Security.Cryptography;
using DeviceAgent.Ngc.Policy;
using DeviceAgent.Protocol;

namespace DeviceAgent.Ngc.Software;

/// <summary>
/// NGC key storage in software: real key pairs whose private keys are sealed under a per-container key, itself sealed
/// under a PIN-derived key and, with recovery enabled, under a recovery protector only the PIN reset service can
/// release (docs/ngc.md). Optionally persisted to a directory. Thread-safe; one instance per emulated device.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001:Types that own disposable fields should be disposable", Justification = "SemaphoreSlim holds no kernel object unless AvailableWaitHandle is read, which this type never does; there is nothing to release.")]
public sealed partial class SoftwareNgcKeyStorage : INgcKeyStorage
{
    private readonly SoftwareNgcOptions _options;
    private readonly NgcCrypto _crypto;
    private readonly ContainerFileStore? _store;
    private readonly Dictionary<string, ContainerState> _containers = new(StringComparer.Ordinal);

    // Container keys of users who proved their PIN in this process (a signed-in session); never written to disk.
    private readonly Dictionary<string, byte[]> _unlocked = new(StringComparer.Ordinal);
    // Async: a commit awaits the container file. Cancellation is honoured only while waiting for it (docs/ngc.md).
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Creates the provider; with <see cref="SoftwareNgcOptions.Directory"/> set, loads every container there.</summary>
    /// <exception cref="InvalidDataException">A container file is corrupt (the message names it).</exception>
    public SoftwareNgcKeyStorage(SoftwareNgcOptions? options = null)
    {
        _options = options ?? new SoftwareNgcOptions();
        _crypto = new NgcCrypto(_options.SecretRandom);
        if (_options.Directory is { } directory)
        {
            _store = new ContainerFileStore(directory);
            foreach (var state in _store.LoadAll())
            {
                _containers.Add(state.UserId, state);
            }
        }
    }

    /// <inheritdoc/>
    public string ProviderName => "Software";

    /// <inheritdoc/>
    public NgcCapabilities Capabilities =>
        NgcCapabilities.PinManagement | NgcCapabilities.PinRecovery | NgcCapabilities.Keys | NgcCapabilities.KeyEnumeration;

    /// <summary>Where the user's container file is (or would be); null when the provider keeps memory only.</summary>
    public string? ContainerPath(string userId) => _store?.PathFor(CheckUser(userId));

    /// <inheritdoc/>
    public async ValueTask<NgcResult> CreateContainerAsync(string userId, string pin, CancellationToken cancellationToken = default)
    {
        CheckUser(userId);
        ArgumentNullException.ThrowIfNull(pin);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_containers.ContainsKey(userId))
            {
                return NgcOutcome.ContainerAlreadyExists;
            }

            var policy = Policy(userId);
            var refusal = PinValidator.Validate(pin, policy);
            if (refusal != NgcOutcome.Success)
            {
                return refusal;
            }

            var containerKey = _crypto.NewSecret();
            await CommitAsync(NewContainer(userId, pin, containerKey, policy, recovery: null), containerKey).ConfigureAwait(false);
            return NgcResult.Success;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc/>
    public async ValueTask<NgcResult<NgcContainerInfo>> GetContainerInfoAsync(string userId, CancellationToken cancellationToken = default)
    {
        CheckUser(userId);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return _containers.TryGetValue(userId, out var state)
                ? new NgcContainerInfo(state.ContainerId, state.RecoveryState, state.FailedAttempts, state.PinSetAt)
                : NgcOutcome.NoContainer;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc/>
    public async ValueTask<NgcResult> VerifyPinAsync(string userId, string pin, CancellationToken cancellationToken = default)
    {
        CheckUser(userId);
        ArgumentNullException.ThrowIfNull(pin);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var (outcome, _, expired) = await AuthorizeAsync(userId, pin).ConfigureAwait(false);
            return outcome == NgcOutcome.Success && expired ? NgcOutcome.PinExpired : outcome;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc/>
    public async ValueTask<NgcResult> ChangePinAsync(string userId, string currentPin, string newPin, CancellationToken cancellationToken = default)
    {
        CheckUser(userId);
        ArgumentNullException.ThrowIfNull(currentPin);
        ArgumentNullException.ThrowIfNull(newPin);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // An expired PIN still authorizes its own change: that is what expiry asks the user to do.
            var (outcome, containerKey, _) = await AuthorizeAsync(userId, currentPin).ConfigureAwait(false);
            if (outcome != NgcOutcome.Success)
            {
                return outcome;
            }

            var state = _containers[userId];
            var policy = Policy(userId);
            var refusal = PinValidator.Validate(newPin, policy);
            if (refusal == NgcOutcome.Success && policy.History > 0 && state.History.TakeLast(policy.History).Any(h => NgcCrypto.Matches(h, newPin)))
            {
                refusal = NgcOutcome.InvalidPinReusedFromHistory;
            }

            if (refusal != NgcOutcome.Success)
            {
                return refusal;
            }

            var history = policy.History == 0
                ? []
                : state.History.Append(_crypto.HashPin(newPin, _options.Pbkdf2Iterations)).TakeLast(policy.History).ToArray();
            await CommitAsync(
                state with
                {
                    PinProtector = _crypto.ProtectWithPin(containerKey!, newPin, _options.Pbkdf2Iterations, state.ContainerId),
                    PinSetAt = Now,
                    History = history,
                },
                containerKey).ConfigureAwait(false);
            return NgcResult.Success;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc/>
    public async ValueTask<NgcResult> LockAsync(string userId, CancellationToken cancellationToken = default)
    {
        CheckUser(userId);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_containers.ContainsKey(userId))
            {
                return NgcOutcome.NoContainer;
            }

            Forget(userId);
            return NgcResult.Success;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc/>
    public async ValueTask<NgcResult> ResetPinDestructiveAsync(string userId, string newPin, CancellationToken cancellationToken = default)
    {
        CheckUser(userId);
        ArgumentNullException.ThrowIfNull(newPin);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_containers.TryGetValue(userId, out var old))
            {
                return NgcOutcome.NoContainer;
            }

            var policy = Policy(userId);
            var refusal = PinValidator.Validate(newPin, policy);
            if (refusal != NgcOutcome.Success)
            {
                return refusal;
            }

            // The new container keeps the recovery setting: EnablePinRecovery is still the policy (docs/reference/passportforwork.md §3).
            var containerKey = _crypto.NewSecret();
            await CommitAsync(NewContainer(userId, newPin, containerKey, policy, old.RecoveryTarget), containerKey).ConfigureAwait(false);
            return NgcResult.Success;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc/>
    public async ValueTask<NgcResult> EnablePinRecoveryAsync(string userId, string tenantId, byte[] servicePublicKey, CancellationToken cancellationToken = default)
    {
        CheckUser(userId);
        var target = new RecoveryTarget(RecoveryProtectorEnvelope.NormalizeTenant(tenantId), (byte[])servicePublicKey.Clone());

        // Fail on a bad key now, not at the next PIN use.
        _ = RecoveryProtectorEnvelope.Seal(target.ServicePublicKey, new byte[RecoveryProtectorEnvelope.ProtectorSize], target.TenantId);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_containers.TryGetValue(userId, out var state))
            {
                return NgcOutcome.NoContainer;
            }

            if (state.Recovery?.Target is { } current && SameTarget(current, target))
            {
                return NgcResult.Success;
            }

            if (!_unlocked.TryGetValue(userId, out var containerKey))
            {
                await CommitAsync(state with { PendingRecovery = target }, null).ConfigureAwait(false);
                return NgcOutcome.RecoveryPending;
            }

            await CommitAsync(state with { Recovery = NewRecovery(containerKey, target, state.ContainerId), PendingRecovery = null }, containerKey).ConfigureAwait(false);
            return NgcResult.Success;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc/>
    public async ValueTask<NgcResult> DisablePinRecoveryAsync(string userId, CancellationToken cancellationToken = default)
    {
        CheckUser(userId);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_containers.TryGetValue(userId, out var state))
            {
                return NgcOutcome.NoContainer;
            }

            if (state.RecoveryState != NgcRecoveryState.Disabled)
            {
                await CommitAsync(state with { Recovery = null, PendingRecovery = null }, null).ConfigureAwait(false);
            }

            return NgcResult.Success;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc/>
    public async ValueTask<NgcResult<byte[]>> GetEncryptedRecoveryProtectorAsync(string userId, CancellationToken cancellationToken = default)
    {
        CheckUser(userId);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_containers.TryGetValue(userId, out var state))
            {
                return NgcOutcome.NoContainer;
            }

            return state.RecoveryState switch
            {
                NgcRecoveryState.Enabled => (byte[])state.Recovery!.EncryptedProtector.Clone(),
                NgcRecoveryState.Pending => NgcOutcome.RecoveryPending,
                _ => NgcOutcome.RecoveryNotEnabled,
            };
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc/>
    public async ValueTask<NgcResult> RecoverPinAsync(string userId, byte[] recoveryProtector, string newPin, CancellationToken cancellationToken = default)
    {
        CheckUser(userId);
        ArgumentNullException.ThrowIfNull(recoveryProtector);
        ArgumentNullException.ThrowIfNull(newPin);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_containers.TryGetValue(userId, out var state))
            {
                return NgcOutcome.NoContainer;
            }

            if (state.Recovery is not { } recovery)
            {
                return state.RecoveryState == NgcRecoveryState.Pending ? NgcOutcome.RecoveryPending : NgcOutcome.RecoveryNotEnabled;
            }

            var containerKey = recoveryProtector.Length == RecoveryProtectorEnvelope.ProtectorSize
                ? NgcCrypto.Open(recoveryProtector, recovery.WrappedContainerKey, state.ContainerId, NgcCrypto.RecoveryPurpose)
                : null;
            if (containerKey is null)
            {
                return NgcOutcome.RecoveryProtectorInvalid;
            }

            var policy = Policy(userId);
            var refusal = PinValidator.Validate(newPin, policy);
            if (refusal != NgcOutcome.Success)
            {
                return refusal;
            }

            // The service has seen this protector: a fresh one replaces it (docs/ngc.md). History restarts (docs/reference/pin-reset.md §3).
            await CommitAsync(
                state with
                {
                    PinProtector = _crypto.ProtectWithPin(containerKey, newPin, _options.Pbkdf2Iterations, state.ContainerId),
                    PinSetAt = Now,
                    FailedAttempts = 0,
                    History = FirstHistory(newPin, policy),
                    Recovery = NewRecovery(containerKey, recovery.Target, state.ContainerId),
                },
                containerKey).ConfigureAwait(false);
            return NgcResult.Success;
        }
        finally
        {
            _gate.Release();
        }
    }

    private DateTimeOffset Now => _options.TimeProvider.GetUtcNow();

    private PinPolicy Policy(string userId) => _options.PolicySource.GetPolicy(userId);

    private static string CheckUser(string userId)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        return userId;
    }

    private static bool SameTarget(RecoveryTarget a, RecoveryTarget b) =>
        a.TenantId == b.TenantId && a.ServicePublicKey.AsSpan().SequenceEqual(b.ServicePublicKey);

    private ContainerState NewContainer(string userId, string pin, byte[] containerKey, PinPolicy policy, RecoveryTarget? recovery)
    {
        var containerId = NewContainerId();
        var now = Now;
        return new ContainerState
        {
            Format = ContainerState.CurrentFormat,
            UserId = userId,
            ContainerId = containerId,
            CreatedAt = now,
            PinSetAt = now,
            FailedAttempts = 0,
            PinProtector = _crypto.ProtectWithPin(containerKey, pin, _options.Pbkdf2Iterations, containerId),
            History = FirstHistory(pin, policy),
            Recovery = recovery is null ? null : NewRecovery(containerKey, recovery, containerId),
            Keys = [],
        };
    }

    // From the secret source too, so a seeded device gets reproducible NgcKeyIds.
    private Guid NewContainerId() => new(_crypto.NewSecret(16));

    private IReadOnlyList<PinHash> FirstHistory(string pin, PinPolicy policy) =>
        policy.History == 0 ? [] : [_crypto.HashPin(pin, _options.Pbkdf2Iterations)];

    private RecoveryProtector NewRecovery(byte[] containerKey, RecoveryTarget target, Guid containerId)
    {
        var protector = _crypto.NewSecret(RecoveryProtectorEnvelope.ProtectorSize);
        try
        {
            return new RecoveryProtector(
                target,
                RecoveryProtectorEnvelope.Seal(target.ServicePublicKey, protector, target.TenantId),
                _crypto.Seal(protector, containerKey, containerId, NgcCrypto.RecoveryPurpose));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(protector);
        }
    }

    /// <summary>
    /// Checks the PIN under the lockout rule. On success the count resets, the container is _unlocked for this process
    /// and a pending recovery protector is created; Expired tells whether the PIN is past Expiration. Runs under the _gate.
    /// </summary>
    private async ValueTask<(NgcOutcome Outcome, byte[]? ContainerKey, bool Expired)> AuthorizeAsync(string userId, string pin)
    {
        if (!_containers.TryGetValue(userId, out var state))
        {
            return (NgcOutcome.NoContainer, null, false);
        }

        if (state.FailedAttempts >= _options.LockoutThreshold)
        {
            return (NgcOutcome.LockedOut, null, false);
        }

        var containerKey = NgcCrypto.OpenWithPin(state.PinProtector, pin, state.ContainerId);
        if (containerKey is null)
        {
            // Not cancellable: a wrong PIN always counts toward the lockout (docs/ngc.md "Cancellation").
            await CommitAsync(state with { FailedAttempts = state.FailedAttempts + 1 }, null).ConfigureAwait(false);
            return (NgcOutcome.IncorrectPin, null, false);
        }

        var updated = state with { FailedAttempts = 0 };
        if (state.PendingRecovery is { } pending)
        {
            updated = updated with { Recovery = NewRecovery(containerKey, pending, state.ContainerId), PendingRecovery = null };
        }

        if (updated != state)
        {
            await CommitAsync(updated, containerKey).ConfigureAwait(false);
        }
        else
        {
            _unlocked[userId] = containerKey;
        }

        var days = Policy(userId).ExpirationDays;
        var expired = days > 0 && Now >= state.PinSetAt.AddDays(days);
        return (NgcOutcome.Success, containerKey, expired);
    }

    /// <summary>
    /// Writes the new state first and only then makes it current, so a failed write changes nothing. Not cancellable:
    /// once an operation decided to change a container the change is made whole.
    /// </summary>
    private async ValueTask CommitAsync(ContainerState state, byte[]? containerKey)
    {
        if (_store is not null)
        {
            await _store.SaveAsync(state).ConfigureAwait(false);
        }

        _containers[state.UserId] = state;
        if (containerKey is not null)
        {
            _unlocked[state.UserId] = containerKey;
        }
    }

    private void Forget(string userId)
    {
        if (_unlocked.Remove(userId, out var key))
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }
}

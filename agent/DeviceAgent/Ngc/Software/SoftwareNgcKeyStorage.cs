using System.Security.Cryptography;
using DeviceAgent.Ngc.Policy;
using DeviceAgent.Protocol;

namespace DeviceAgent.Ngc.Software;

/// <summary>
/// NGC key storage in software: real key pairs whose private keys are sealed under a per-container key, itself sealed
/// under a PIN-derived key and, with recovery enabled, under a recovery protector only the PIN reset service can
/// release (docs/ngc.md). Optionally persisted to a directory. Thread-safe; one instance per emulated device.
/// </summary>
public sealed partial class SoftwareNgcKeyStorage : INgcKeyStorage
{
    private readonly SoftwareNgcOptions options;
    private readonly NgcCrypto crypto;
    private readonly ContainerFileStore? store;
    private readonly Dictionary<string, ContainerState> containers = new(StringComparer.Ordinal);

    // Container keys of users who proved their PIN in this process (a signed-in session); never written to disk.
    private readonly Dictionary<string, byte[]> unlocked = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    /// <summary>Creates the provider; with <see cref="SoftwareNgcOptions.Directory"/> set, loads every container there.</summary>
    /// <exception cref="InvalidDataException">A container file is corrupt (the message names it).</exception>
    public SoftwareNgcKeyStorage(SoftwareNgcOptions? options = null)
    {
        this.options = options ?? new SoftwareNgcOptions();
        crypto = new NgcCrypto(this.options.SecretRandom);
        if (this.options.Directory is { } directory)
        {
            store = new ContainerFileStore(directory);
            foreach (var state in store.LoadAll())
            {
                containers.Add(state.UserId, state);
            }
        }
    }

    /// <inheritdoc/>
    public string ProviderName => "Software";

    /// <inheritdoc/>
    public NgcCapabilities Capabilities =>
        NgcCapabilities.PinManagement | NgcCapabilities.PinRecovery | NgcCapabilities.Keys | NgcCapabilities.KeyEnumeration;

    /// <summary>Where the user's container file is (or would be); null when the provider keeps memory only.</summary>
    public string? ContainerPath(string userId) => store?.PathFor(CheckUser(userId));

    /// <inheritdoc/>
    public NgcResult CreateContainer(string userId, string pin)
    {
        CheckUser(userId);
        ArgumentNullException.ThrowIfNull(pin);
        lock (gate)
        {
            if (containers.ContainsKey(userId))
            {
                return NgcOutcome.ContainerAlreadyExists;
            }

            var policy = Policy(userId);
            var refusal = PinValidator.Validate(pin, policy);
            if (refusal != NgcOutcome.Success)
            {
                return refusal;
            }

            var containerKey = crypto.NewSecret();
            Commit(NewContainer(userId, pin, containerKey, policy, recovery: null), containerKey);
            return NgcResult.Success;
        }
    }

    /// <inheritdoc/>
    public NgcResult<NgcContainerInfo> GetContainerInfo(string userId)
    {
        CheckUser(userId);
        lock (gate)
        {
            return containers.TryGetValue(userId, out var state)
                ? new NgcContainerInfo(state.ContainerId, state.RecoveryState, state.FailedAttempts, state.PinSetAt)
                : NgcOutcome.NoContainer;
        }
    }

    /// <inheritdoc/>
    public NgcResult VerifyPin(string userId, string pin)
    {
        CheckUser(userId);
        ArgumentNullException.ThrowIfNull(pin);
        lock (gate)
        {
            var outcome = Authorize(userId, pin, out _, out var expired);
            return outcome == NgcOutcome.Success && expired ? NgcOutcome.PinExpired : outcome;
        }
    }

    /// <inheritdoc/>
    public NgcResult ChangePin(string userId, string currentPin, string newPin)
    {
        CheckUser(userId);
        ArgumentNullException.ThrowIfNull(currentPin);
        ArgumentNullException.ThrowIfNull(newPin);
        lock (gate)
        {
            // An expired PIN still authorizes its own change: that is what expiry asks the user to do.
            var outcome = Authorize(userId, currentPin, out var containerKey, out _);
            if (outcome != NgcOutcome.Success)
            {
                return outcome;
            }

            var state = containers[userId];
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
                : state.History.Append(crypto.HashPin(newPin, options.Pbkdf2Iterations)).TakeLast(policy.History).ToArray();
            Commit(
                state with
                {
                    PinProtector = crypto.ProtectWithPin(containerKey!, newPin, options.Pbkdf2Iterations, state.ContainerId),
                    PinSetAt = Now,
                    History = history,
                },
                containerKey);
            return NgcResult.Success;
        }
    }

    /// <inheritdoc/>
    public NgcResult Lock(string userId)
    {
        CheckUser(userId);
        lock (gate)
        {
            if (!containers.ContainsKey(userId))
            {
                return NgcOutcome.NoContainer;
            }

            Forget(userId);
            return NgcResult.Success;
        }
    }

    /// <inheritdoc/>
    public NgcResult ResetPinDestructive(string userId, string newPin)
    {
        CheckUser(userId);
        ArgumentNullException.ThrowIfNull(newPin);
        lock (gate)
        {
            if (!containers.TryGetValue(userId, out var old))
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
            var containerKey = crypto.NewSecret();
            Commit(NewContainer(userId, newPin, containerKey, policy, old.RecoveryTarget), containerKey);
            return NgcResult.Success;
        }
    }

    /// <inheritdoc/>
    public NgcResult EnablePinRecovery(string userId, string tenantId, byte[] servicePublicKey)
    {
        CheckUser(userId);
        var target = new RecoveryTarget(RecoveryProtectorEnvelope.NormalizeTenant(tenantId), (byte[])servicePublicKey.Clone());

        // Fail on a bad key now, not at the next PIN use.
        _ = RecoveryProtectorEnvelope.Seal(target.ServicePublicKey, new byte[RecoveryProtectorEnvelope.ProtectorSize], target.TenantId);
        lock (gate)
        {
            if (!containers.TryGetValue(userId, out var state))
            {
                return NgcOutcome.NoContainer;
            }

            if (state.Recovery?.Target is { } current && SameTarget(current, target))
            {
                return NgcResult.Success;
            }

            if (!unlocked.TryGetValue(userId, out var containerKey))
            {
                Commit(state with { PendingRecovery = target }, null);
                return NgcOutcome.RecoveryPending;
            }

            Commit(state with { Recovery = NewRecovery(containerKey, target, state.ContainerId), PendingRecovery = null }, containerKey);
            return NgcResult.Success;
        }
    }

    /// <inheritdoc/>
    public NgcResult DisablePinRecovery(string userId)
    {
        CheckUser(userId);
        lock (gate)
        {
            if (!containers.TryGetValue(userId, out var state))
            {
                return NgcOutcome.NoContainer;
            }

            if (state.RecoveryState != NgcRecoveryState.Disabled)
            {
                Commit(state with { Recovery = null, PendingRecovery = null }, null);
            }

            return NgcResult.Success;
        }
    }

    /// <inheritdoc/>
    public NgcResult<byte[]> GetEncryptedRecoveryProtector(string userId)
    {
        CheckUser(userId);
        lock (gate)
        {
            if (!containers.TryGetValue(userId, out var state))
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
    }

    /// <inheritdoc/>
    public NgcResult RecoverPin(string userId, byte[] recoveryProtector, string newPin)
    {
        CheckUser(userId);
        ArgumentNullException.ThrowIfNull(recoveryProtector);
        ArgumentNullException.ThrowIfNull(newPin);
        lock (gate)
        {
            if (!containers.TryGetValue(userId, out var state))
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
            Commit(
                state with
                {
                    PinProtector = crypto.ProtectWithPin(containerKey, newPin, options.Pbkdf2Iterations, state.ContainerId),
                    PinSetAt = Now,
                    FailedAttempts = 0,
                    History = FirstHistory(newPin, policy),
                    Recovery = NewRecovery(containerKey, recovery.Target, state.ContainerId),
                },
                containerKey);
            return NgcResult.Success;
        }
    }

    private DateTimeOffset Now => options.TimeProvider.GetUtcNow();

    private PinPolicy Policy(string userId) => options.PolicySource.GetPolicy(userId);

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
            PinProtector = crypto.ProtectWithPin(containerKey, pin, options.Pbkdf2Iterations, containerId),
            History = FirstHistory(pin, policy),
            Recovery = recovery is null ? null : NewRecovery(containerKey, recovery, containerId),
            Keys = [],
        };
    }

    // From the secret source too, so a seeded device gets reproducible NgcKeyIds.
    private Guid NewContainerId() => new(crypto.NewSecret(16));

    private IReadOnlyList<PinHash> FirstHistory(string pin, PinPolicy policy) =>
        policy.History == 0 ? [] : [crypto.HashPin(pin, options.Pbkdf2Iterations)];

    private RecoveryProtector NewRecovery(byte[] containerKey, RecoveryTarget target, Guid containerId)
    {
        var protector = crypto.NewSecret(RecoveryProtectorEnvelope.ProtectorSize);
        try
        {
            return new RecoveryProtector(
                target,
                RecoveryProtectorEnvelope.Seal(target.ServicePublicKey, protector, target.TenantId),
                crypto.Seal(protector, containerKey, containerId, NgcCrypto.RecoveryPurpose));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(protector);
        }
    }

    /// <summary>
    /// Checks the PIN under the lockout rule. On success the count resets, the container is unlocked for this process
    /// and a pending recovery protector is created; <paramref name="expired"/> tells whether the PIN is past Expiration.
    /// </summary>
    private NgcOutcome Authorize(string userId, string pin, out byte[]? containerKey, out bool expired)
    {
        containerKey = null;
        expired = false;
        if (!containers.TryGetValue(userId, out var state))
        {
            return NgcOutcome.NoContainer;
        }

        if (state.FailedAttempts >= options.LockoutThreshold)
        {
            return NgcOutcome.LockedOut;
        }

        containerKey = NgcCrypto.OpenWithPin(state.PinProtector, pin, state.ContainerId);
        if (containerKey is null)
        {
            Commit(state with { FailedAttempts = state.FailedAttempts + 1 }, null);
            return NgcOutcome.IncorrectPin;
        }

        var updated = state with { FailedAttempts = 0 };
        if (state.PendingRecovery is { } pending)
        {
            updated = updated with { Recovery = NewRecovery(containerKey, pending, state.ContainerId), PendingRecovery = null };
        }

        if (updated != state)
        {
            Commit(updated, containerKey);
        }
        else
        {
            unlocked[userId] = containerKey;
        }

        var days = Policy(userId).ExpirationDays;
        expired = days > 0 && Now >= state.PinSetAt.AddDays(days);
        return NgcOutcome.Success;
    }

    /// <summary>Writes the new state first and only then makes it current, so a failed write changes nothing.</summary>
    private void Commit(ContainerState state, byte[]? containerKey)
    {
        store?.Save(state);
        containers[state.UserId] = state;
        if (containerKey is not null)
        {
            unlocked[state.UserId] = containerKey;
        }
    }

    private void Forget(string userId)
    {
        if (unlocked.Remove(userId, out var key))
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }
}

namespace DeviceAgent.Ngc;

/// <summary>
/// Windows Hello ("NGC") key storage: one container per user, protected by the user's PIN, holding the user's keys
/// (docs/reference/pin-reset.md §2-§4). Every operation returns a named <see cref="NgcOutcome"/>; none throws for an expected refusal.
/// PINs are checked against the provider's policy source (docs/pin-policy.md); docs/ngc.md describes the contract.
/// Every operation is asynchronous (a platform provider waits on the OS, a software one on its files); a cancelled
/// token is honoured before the operation changes anything, never half way (docs/ngc.md "Cancellation").
/// </summary>
public interface INgcKeyStorage
{
    /// <summary>A short provider name for logs.</summary>
    string ProviderName { get; }

    /// <summary>What the provider can do.</summary>
    NgcCapabilities Capabilities { get; }

    /// <summary>Provisions a new container for the user with <paramref name="pin"/>; the container is left unlocked.</summary>
    ValueTask<NgcResult> CreateContainerAsync(string userId, string pin, CancellationToken cancellationToken = default);

    /// <summary>State of the user's container, or <see cref="NgcOutcome.NoContainer"/>.</summary>
    ValueTask<NgcResult<NgcContainerInfo>> GetContainerInfoAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>Checks the PIN; a wrong one counts toward the lockout threshold, a right one resets the count and unlocks.</summary>
    ValueTask<NgcResult> VerifyPinAsync(string userId, string pin, CancellationToken cancellationToken = default);

    /// <summary>Changes the PIN after checking the current one; the new PIN must satisfy policy and history.</summary>
    ValueTask<NgcResult> ChangePinAsync(string userId, string currentPin, string newPin, CancellationToken cancellationToken = default);

    /// <summary>Forgets the unlocked state: the next recovery enabling waits for a PIN (RemoteLock Lock).</summary>
    ValueTask<NgcResult> LockAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Destructive reset (RemoteLock LockAndResetPIN, docs/reference/pin-reset.md §2): every key is deleted and a new container with
    /// <paramref name="newPin"/> replaces the old one; history and lockout start over. A policy refusal changes nothing.
    /// </summary>
    ValueTask<NgcResult> ResetPinDestructiveAsync(string userId, string newPin, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds a 256-bit PIN recovery protector encrypted to the PIN reset service's RSA public key
    /// (<paramref name="servicePublicKey"/>, DER SubjectPublicKeyInfo) for <paramref name="tenantId"/> (docs/reference/pin-reset.md §3).
    /// Returns <see cref="NgcOutcome.RecoveryPending"/> when the container is locked: the protector is then created at
    /// the next successful PIN use.
    /// </summary>
    ValueTask<NgcResult> EnablePinRecoveryAsync(string userId, string tenantId, byte[] servicePublicKey, CancellationToken cancellationToken = default);

    /// <summary>Removes the recovery protector (EnablePinRecovery turned false).</summary>
    ValueTask<NgcResult> DisablePinRecoveryAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>The recovery protector encrypted to the PIN reset service, to send to it.</summary>
    ValueTask<NgcResult<byte[]>> GetEncryptedRecoveryProtectorAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Non-destructive recovery (LockAndRecoverPIN, docs/reference/pin-reset.md §3 step 4): the protector the service decrypted opens
    /// the container, which is re-protected under <paramref name="newPin"/>; keys kept, history and lockout cleared,
    /// protector renewed. A policy refusal keeps the old PIN.
    /// </summary>
    ValueTask<NgcResult> RecoverPinAsync(string userId, byte[] recoveryProtector, string newPin, CancellationToken cancellationToken = default);

    /// <summary>Creates a key named <paramref name="keyName"/>, authorized by the PIN.</summary>
    ValueTask<NgcResult<NgcKeyInfo>> CreateKeyAsync(string userId, string pin, string keyName, CancellationToken cancellationToken = default);

    /// <summary>The public part of one key.</summary>
    ValueTask<NgcResult<NgcKeyInfo>> OpenKeyAsync(string userId, string keyName, CancellationToken cancellationToken = default);

    /// <summary>Every key of the container, ordered by name.</summary>
    ValueTask<NgcResult<IReadOnlyList<NgcKeyInfo>>> ListKeysAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>Signs <paramref name="data"/> with the key, authorized by the PIN (see <see cref="NgcKeyInfo.Verify"/>).</summary>
    ValueTask<NgcResult<byte[]>> SignAsync(string userId, string pin, string keyName, byte[] data, CancellationToken cancellationToken = default);

    /// <summary>Deletes one key.</summary>
    ValueTask<NgcResult> DeleteKeyAsync(string userId, string keyName, CancellationToken cancellationToken = default);

    /// <summary>Deletes the container and its keys.</summary>
    ValueTask<NgcResult> DeleteContainerAsync(string userId, CancellationToken cancellationToken = default);
}

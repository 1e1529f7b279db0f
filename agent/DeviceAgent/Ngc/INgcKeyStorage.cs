namespace DeviceAgent.Ngc;

/// <summary>
/// Windows Hello ("NGC") key storage: one container per user, protected by the user's PIN, holding the user's keys
/// (docs/reference/pin-reset.md §2-§4). Every operation returns a named <see cref="NgcOutcome"/>; none throws for an expected refusal.
/// PINs are checked against the provider's policy source (docs/pin-policy.md); docs/ngc.md describes the contract.
/// </summary>
public interface INgcKeyStorage
{
    /// <summary>A short provider name for logs.</summary>
    string ProviderName { get; }

    /// <summary>What the provider can do.</summary>
    NgcCapabilities Capabilities { get; }

    /// <summary>Provisions a new container for the user with <paramref name="pin"/>; the container is left unlocked.</summary>
    NgcResult CreateContainer(string userId, string pin);

    /// <summary>State of the user's container, or <see cref="NgcOutcome.NoContainer"/>.</summary>
    NgcResult<NgcContainerInfo> GetContainerInfo(string userId);

    /// <summary>Checks the PIN; a wrong one counts toward the lockout threshold, a right one resets the count and unlocks.</summary>
    NgcResult VerifyPin(string userId, string pin);

    /// <summary>Changes the PIN after checking the current one; the new PIN must satisfy policy and history.</summary>
    NgcResult ChangePin(string userId, string currentPin, string newPin);

    /// <summary>Forgets the unlocked state: the next recovery enabling waits for a PIN (RemoteLock Lock).</summary>
    NgcResult Lock(string userId);

    /// <summary>
    /// Destructive reset (RemoteLock LockAndResetPIN, docs/reference/pin-reset.md §2): every key is deleted and a new container with
    /// <paramref name="newPin"/> replaces the old one; history and lockout start over. A policy refusal changes nothing.
    /// </summary>
    NgcResult ResetPinDestructive(string userId, string newPin);

    /// <summary>
    /// Adds a 256-bit PIN recovery protector encrypted to the PIN reset service's RSA public key
    /// (<paramref name="servicePublicKey"/>, DER SubjectPublicKeyInfo) for <paramref name="tenantId"/> (docs/reference/pin-reset.md §3).
    /// Returns <see cref="NgcOutcome.RecoveryPending"/> when the container is locked: the protector is then created at
    /// the next successful PIN use.
    /// </summary>
    NgcResult EnablePinRecovery(string userId, string tenantId, byte[] servicePublicKey);

    /// <summary>Removes the recovery protector (EnablePinRecovery turned false).</summary>
    NgcResult DisablePinRecovery(string userId);

    /// <summary>The recovery protector encrypted to the PIN reset service, to send to it.</summary>
    NgcResult<byte[]> GetEncryptedRecoveryProtector(string userId);

    /// <summary>
    /// Non-destructive recovery (LockAndRecoverPIN, docs/reference/pin-reset.md §3 step 4): the protector the service decrypted opens
    /// the container, which is re-protected under <paramref name="newPin"/>; keys kept, history and lockout cleared,
    /// protector renewed. A policy refusal keeps the old PIN.
    /// </summary>
    NgcResult RecoverPin(string userId, byte[] recoveryProtector, string newPin);

    /// <summary>Creates a key named <paramref name="keyName"/>, authorized by the PIN.</summary>
    NgcResult<NgcKeyInfo> CreateKey(string userId, string pin, string keyName);

    /// <summary>The public part of one key.</summary>
    NgcResult<NgcKeyInfo> OpenKey(string userId, string keyName);

    /// <summary>Every key of the container, ordered by name.</summary>
    NgcResult<IReadOnlyList<NgcKeyInfo>> ListKeys(string userId);

    /// <summary>Signs <paramref name="data"/> with the key, authorized by the PIN (see <see cref="NgcKeyInfo.Verify"/>).</summary>
    NgcResult<byte[]> Sign(string userId, string pin, string keyName, byte[] data);

    /// <summary>Deletes one key.</summary>
    NgcResult DeleteKey(string userId, string keyName);

    /// <summary>Deletes the container and its keys.</summary>
    NgcResult DeleteContainer(string userId);
}

namespace DeviceAgent.Ngc;

/// <summary>
/// Wraps any provider so that every operation lands in the device's <see cref="NgcEventLog"/> with its outcome.
/// PINs, protectors and signed data are never logged. An exception from the provider is logged as DeviceError and rethrown.
/// </summary>
public sealed class LoggingNgcKeyStorage(INgcKeyStorage inner, NgcEventLog log) : INgcKeyStorage
{
    private readonly INgcKeyStorage inner = inner ?? throw new ArgumentNullException(nameof(inner));

    /// <summary>The log written to.</summary>
    public NgcEventLog Log { get; } = log ?? throw new ArgumentNullException(nameof(log));

    /// <inheritdoc/>
    public string ProviderName => inner.ProviderName;

    /// <inheritdoc/>
    public NgcCapabilities Capabilities => inner.Capabilities;

    /// <inheritdoc/>
    public NgcResult CreateContainer(string userId, string pin) =>
        Run(NgcOperation.CreateContainer, userId, null, () => inner.CreateContainer(userId, pin));

    /// <inheritdoc/>
    public NgcResult<NgcContainerInfo> GetContainerInfo(string userId) =>
        Run(NgcOperation.GetContainerInfo, userId, null, () => inner.GetContainerInfo(userId));

    /// <inheritdoc/>
    public NgcResult VerifyPin(string userId, string pin) =>
        Run(NgcOperation.VerifyPin, userId, null, () => inner.VerifyPin(userId, pin));

    /// <inheritdoc/>
    public NgcResult ChangePin(string userId, string currentPin, string newPin) =>
        Run(NgcOperation.ChangePin, userId, null, () => inner.ChangePin(userId, currentPin, newPin));

    /// <inheritdoc/>
    public NgcResult Lock(string userId) =>
        Run(NgcOperation.Lock, userId, null, () => inner.Lock(userId));

    /// <inheritdoc/>
    public NgcResult ResetPinDestructive(string userId, string newPin) =>
        Run(NgcOperation.ResetPinDestructive, userId, null, () => inner.ResetPinDestructive(userId, newPin));

    /// <inheritdoc/>
    public NgcResult EnablePinRecovery(string userId, string tenantId, byte[] servicePublicKey) =>
        Run(NgcOperation.EnablePinRecovery, userId, "tenant=" + tenantId, () => inner.EnablePinRecovery(userId, tenantId, servicePublicKey));

    /// <inheritdoc/>
    public NgcResult DisablePinRecovery(string userId) =>
        Run(NgcOperation.DisablePinRecovery, userId, null, () => inner.DisablePinRecovery(userId));

    /// <inheritdoc/>
    public NgcResult<byte[]> GetEncryptedRecoveryProtector(string userId) =>
        Run(NgcOperation.GetEncryptedRecoveryProtector, userId, null, () => inner.GetEncryptedRecoveryProtector(userId));

    /// <inheritdoc/>
    public NgcResult RecoverPin(string userId, byte[] recoveryProtector, string newPin) =>
        Run(NgcOperation.RecoverPin, userId, null, () => inner.RecoverPin(userId, recoveryProtector, newPin));

    /// <inheritdoc/>
    public NgcResult<NgcKeyInfo> CreateKey(string userId, string pin, string keyName) =>
        Run(NgcOperation.CreateKey, userId, "key=" + keyName, () => inner.CreateKey(userId, pin, keyName));

    /// <inheritdoc/>
    public NgcResult<NgcKeyInfo> OpenKey(string userId, string keyName) =>
        Run(NgcOperation.OpenKey, userId, "key=" + keyName, () => inner.OpenKey(userId, keyName));

    /// <inheritdoc/>
    public NgcResult<IReadOnlyList<NgcKeyInfo>> ListKeys(string userId) =>
        Run(NgcOperation.ListKeys, userId, null, () => inner.ListKeys(userId));

    /// <inheritdoc/>
    public NgcResult<byte[]> Sign(string userId, string pin, string keyName, byte[] data) =>
        Run(NgcOperation.Sign, userId, "key=" + keyName, () => inner.Sign(userId, pin, keyName, data));

    /// <inheritdoc/>
    public NgcResult DeleteKey(string userId, string keyName) =>
        Run(NgcOperation.DeleteKey, userId, "key=" + keyName, () => inner.DeleteKey(userId, keyName));

    /// <inheritdoc/>
    public NgcResult DeleteContainer(string userId) =>
        Run(NgcOperation.DeleteContainer, userId, null, () => inner.DeleteContainer(userId));

    private NgcResult Run(NgcOperation operation, string userId, string? detail, Func<NgcResult> call)
    {
        var result = Guard(operation, userId, detail, call);
        Log.Append(operation, result.Outcome, userId ?? string.Empty, detail);
        return result;
    }

    private NgcResult<T> Run<T>(NgcOperation operation, string userId, string? detail, Func<NgcResult<T>> call)
    {
        var result = Guard(operation, userId, detail, call);
        Log.Append(operation, result.Outcome, userId ?? string.Empty, detail);
        return result;
    }

    private TResult Guard<TResult>(NgcOperation operation, string userId, string? detail, Func<TResult> call)
    {
        try
        {
            return call();
        }
        catch (Exception ex) when (ex is not ArgumentException)
        {
            // Bad arguments are the caller's bug, not a device event; anything else is the platform failing.
            Log.Append(operation, NgcOutcome.DeviceError, userId ?? string.Empty, (detail is null ? string.Empty : detail + " ") + "error=" + ex.GetType().Name);
            throw;
        }
    }
}

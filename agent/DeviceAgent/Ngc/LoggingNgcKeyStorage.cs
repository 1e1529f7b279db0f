namespace DeviceAgent.Ngc;

/// <summary>
/// Wraps any provider so that every operation lands in the device's <see cref="NgcEventLog"/> with its outcome.
/// PINs, protectors and signed data are never logged. An exception from the provider is logged as DeviceError and rethrown.
/// </summary>
public sealed class LoggingNgcKeyStorage(INgcKeyStorage inner, NgcEventLog log) : INgcKeyStorage
{
    private readonly INgcKeyStorage _inner = inner ?? throw new ArgumentNullException(nameof(inner));

    /// <summary>The log written to.</summary>
    public NgcEventLog Log { get; } = log ?? throw new ArgumentNullException(nameof(log));

    /// <inheritdoc/>
    public string ProviderName => _inner.ProviderName;

    /// <inheritdoc/>
    public NgcCapabilities Capabilities => _inner.Capabilities;

    /// <inheritdoc/>
    public ValueTask<NgcResult> CreateContainerAsync(string userId, string pin, CancellationToken cancellationToken = default) =>
        Run(NgcOperation.CreateContainer, userId, null, token => _inner.CreateContainerAsync(userId, pin, token), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<NgcResult<NgcContainerInfo>> GetContainerInfoAsync(string userId, CancellationToken cancellationToken = default) =>
        Run(NgcOperation.GetContainerInfo, userId, null, token => _inner.GetContainerInfoAsync(userId, token), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<NgcResult> VerifyPinAsync(string userId, string pin, CancellationToken cancellationToken = default) =>
        Run(NgcOperation.VerifyPin, userId, null, token => _inner.VerifyPinAsync(userId, pin, token), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<NgcResult> ChangePinAsync(string userId, string currentPin, string newPin, CancellationToken cancellationToken = default) =>
        Run(NgcOperation.ChangePin, userId, null, token => _inner.ChangePinAsync(userId, currentPin, newPin, token), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<NgcResult> LockAsync(string userId, CancellationToken cancellationToken = default) =>
        Run(NgcOperation.Lock, userId, null, token => _inner.LockAsync(userId, token), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<NgcResult> ResetPinDestructiveAsync(string userId, string newPin, CancellationToken cancellationToken = default) =>
        Run(NgcOperation.ResetPinDestructive, userId, null, token => _inner.ResetPinDestructiveAsync(userId, newPin, token), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<NgcResult> EnablePinRecoveryAsync(string userId, string tenantId, byte[] servicePublicKey, CancellationToken cancellationToken = default) =>
        Run(NgcOperation.EnablePinRecovery, userId, "tenant=" + tenantId, token => _inner.EnablePinRecoveryAsync(userId, tenantId, servicePublicKey, token), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<NgcResult> DisablePinRecoveryAsync(string userId, CancellationToken cancellationToken = default) =>
        Run(NgcOperation.DisablePinRecovery, userId, null, token => _inner.DisablePinRecoveryAsync(userId, token), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<NgcResult<byte[]>> GetEncryptedRecoveryProtectorAsync(string userId, CancellationToken cancellationToken = default) =>
        Run(NgcOperation.GetEncryptedRecoveryProtector, userId, null, token => _inner.GetEncryptedRecoveryProtectorAsync(userId, token), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<NgcResult> RecoverPinAsync(string userId, byte[] recoveryProtector, string newPin, CancellationToken cancellationToken = default) =>
        Run(NgcOperation.RecoverPin, userId, null, token => _inner.RecoverPinAsync(userId, recoveryProtector, newPin, token), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<NgcResult<NgcKeyInfo>> CreateKeyAsync(string userId, string pin, string keyName, CancellationToken cancellationToken = default) =>
        Run(NgcOperation.CreateKey, userId, "key=" + keyName, token => _inner.CreateKeyAsync(userId, pin, keyName, token), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<NgcResult<NgcKeyInfo>> OpenKeyAsync(string userId, string keyName, CancellationToken cancellationToken = default) =>
        Run(NgcOperation.OpenKey, userId, "key=" + keyName, token => _inner.OpenKeyAsync(userId, keyName, token), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<NgcResult<IReadOnlyList<NgcKeyInfo>>> ListKeysAsync(string userId, CancellationToken cancellationToken = default) =>
        Run(NgcOperation.ListKeys, userId, null, token => _inner.ListKeysAsync(userId, token), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<NgcResult<byte[]>> SignAsync(string userId, string pin, string keyName, byte[] data, CancellationToken cancellationToken = default) =>
        Run(NgcOperation.Sign, userId, "key=" + keyName, token => _inner.SignAsync(userId, pin, keyName, data, token), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<NgcResult> DeleteKeyAsync(string userId, string keyName, CancellationToken cancellationToken = default) =>
        Run(NgcOperation.DeleteKey, userId, "key=" + keyName, token => _inner.DeleteKeyAsync(userId, keyName, token), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<NgcResult> DeleteContainerAsync(string userId, CancellationToken cancellationToken = default) =>
        Run(NgcOperation.DeleteContainer, userId, null, token => _inner.DeleteContainerAsync(userId, token), cancellationToken);

    private async ValueTask<NgcResult> Run(NgcOperation operation, string userId, string? detail,
        Func<CancellationToken, ValueTask<NgcResult>> call, CancellationToken cancellationToken)
    {
        var result = await Guard(operation, userId, detail, call, cancellationToken).ConfigureAwait(false);
        Log.Append(operation, result.Outcome, userId ?? string.Empty, detail);
        return result;
    }

    private async ValueTask<NgcResult<T>> Run<T>(NgcOperation operation, string userId, string? detail,
        Func<CancellationToken, ValueTask<NgcResult<T>>> call, CancellationToken cancellationToken)
    {
        var result = await Guard(operation, userId, detail, call, cancellationToken).ConfigureAwait(false);
        Log.Append(operation, result.Outcome, userId ?? string.Empty, detail);
        return result;
    }

    private async ValueTask<TResult> Guard<TResult>(NgcOperation operation, string userId, string? detail,
        Func<CancellationToken, ValueTask<TResult>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The caller gave up before the provider acted: nothing happened on the device, so nothing is logged.
            throw;
        }
        catch (Exception ex) when (ex is not ArgumentException)
        {
            // Bad arguments are the caller's bug, not a device event; anything else is the platform failing.
            Log.Append(operation, NgcOutcome.DeviceError, userId ?? string.Empty, (detail is null ? string.Empty : detail + " ") + "error=" + ex.GetType().Name);
            throw;
        }
    }
}

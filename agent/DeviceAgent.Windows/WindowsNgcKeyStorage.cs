using System.Runtime.InteropServices;
using DeviceAgent.Ngc;
using Windows.Security.Credentials;
using Windows.Security.Cryptography;
using Windows.Security.Cryptography.Core;
using Windows.Storage.Streams;

namespace DeviceAgent.Windows;

/// <summary>
/// NGC key storage on a real Windows machine through Windows.Security.Credentials.KeyCredentialManager
/// (docs/reference/pin-reset.md §6). That API only creates, opens, signs with and deletes per-app keys behind the signed-in user's
/// Windows Hello gesture: it cannot set, check or reset a PIN, read PIN policy or enumerate keys, so those operations
/// return <see cref="NgcOutcome.NotSupported"/>. Windows prompts for the gesture itself; PIN arguments are ignored.
/// Every call awaits the WinRT operation (AsTask with the caller's token), so a waiting Hello prompt blocks no thread;
/// cancelling the token cancels the WinRT operation (docs/ngc.md "Cancellation").
/// </summary>
public sealed class WindowsNgcKeyStorage(string keyNamePrefix = WindowsNgcKeyStorage.DefaultKeyNamePrefix) : INgcKeyStorage
{
    /// <summary>Prefix of every key credential name this provider creates.</summary>
    public const string DefaultKeyNamePrefix = "DeviceAgent.";

    private readonly string _keyNamePrefix = keyNamePrefix ?? throw new ArgumentNullException(nameof(keyNamePrefix));

    /// <inheritdoc/>
    public string ProviderName => "Windows.KeyCredentialManager";

    /// <inheritdoc/>
    public NgcCapabilities Capabilities => NgcCapabilities.Keys;

    /// <summary>Whether Windows Hello is set up for the signed-in user (KeyCredentialManager.IsSupportedAsync).</summary>
    public static async ValueTask<bool> IsSupportedAsync(CancellationToken cancellationToken = default) =>
        await KeyCredentialManager.IsSupportedAsync().AsTask(cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// The key credential name for a user's key. Every emulated user maps onto the signed-in Windows user's Hello
    /// container; the user ID in the name keeps their keys apart.
    /// </summary>
    public string CredentialName(string userId, string keyName) => $"{_keyNamePrefix}{userId}.{keyName}";

    /// <summary>Maps a KeyCredentialStatus (docs/reference/pin-reset.md §6) to an outcome; values unknown to this build give DeviceError.</summary>
    public static NgcOutcome ToOutcome(KeyCredentialStatus status) => status switch
    {
        KeyCredentialStatus.Success => NgcOutcome.Success,
        KeyCredentialStatus.NotFound => NgcOutcome.KeyNotFound,
        KeyCredentialStatus.UserCanceled => NgcOutcome.UserCanceled,
        KeyCredentialStatus.UserPrefersPassword => NgcOutcome.UserPrefersPassword,
        KeyCredentialStatus.CredentialAlreadyExists => NgcOutcome.KeyAlreadyExists,
        KeyCredentialStatus.SecurityDeviceLocked => NgcOutcome.LockedOut,
        _ => NgcOutcome.DeviceError, // UnknownError, and AlgorithmNotSupported in newer SDKs (value unconfirmed, docs/reference/open-questions.md item 9)
    };

    /// <inheritdoc/>
    public ValueTask<NgcResult<NgcContainerInfo>> GetContainerInfoAsync(string userId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        return Platform<NgcContainerInfo>(async () => await IsSupportedAsync(cancellationToken).ConfigureAwait(false)
            ? new NgcResult<NgcContainerInfo>(NgcOutcome.Success, new NgcContainerInfo(null, NgcRecoveryState.Unknown, 0, null))
            : NgcOutcome.NoContainer);
    }

    /// <inheritdoc/>
    public ValueTask<NgcResult<NgcKeyInfo>> CreateKeyAsync(string userId, string pin, string keyName, CancellationToken cancellationToken = default)
    {
        var name = Name(userId, keyName);
        return Platform<NgcKeyInfo>(async () =>
        {
            if (!await IsSupportedAsync(cancellationToken).ConfigureAwait(false))
            {
                return NgcOutcome.NoContainer;
            }

            var result = await KeyCredentialManager.RequestCreateAsync(name, KeyCredentialCreationOption.FailIfExists).AsTask(cancellationToken).ConfigureAwait(false);
            return result.Status == KeyCredentialStatus.Success ? Info(keyName, result.Credential) : ToOutcome(result.Status);
        });
    }

    /// <inheritdoc/>
    public ValueTask<NgcResult<NgcKeyInfo>> OpenKeyAsync(string userId, string keyName, CancellationToken cancellationToken = default)
    {
        var name = Name(userId, keyName);
        return Platform<NgcKeyInfo>(async () =>
        {
            var result = await KeyCredentialManager.OpenAsync(name).AsTask(cancellationToken).ConfigureAwait(false);
            return result.Status == KeyCredentialStatus.Success ? Info(keyName, result.Credential) : ToOutcome(result.Status);
        });
    }

    /// <inheritdoc/>
    public ValueTask<NgcResult<byte[]>> SignAsync(string userId, string pin, string keyName, byte[] data, CancellationToken cancellationToken = default)
    {
        var name = Name(userId, keyName);
        ArgumentNullException.ThrowIfNull(data);
        return Platform<byte[]>(async () =>
        {
            var opened = await KeyCredentialManager.OpenAsync(name).AsTask(cancellationToken).ConfigureAwait(false);
            if (opened.Status != KeyCredentialStatus.Success)
            {
                return ToOutcome(opened.Status);
            }

            var signed = await opened.Credential.RequestSignAsync(CryptographicBuffer.CreateFromByteArray(data)).AsTask(cancellationToken).ConfigureAwait(false);
            return signed is { Status: KeyCredentialStatus.Success, Result: var signature } ? Bytes(signature) : ToOutcome(signed.Status);
        });
    }

    /// <inheritdoc/>
    public async ValueTask<NgcResult> DeleteKeyAsync(string userId, string keyName, CancellationToken cancellationToken = default)
    {
        var name = Name(userId, keyName);
        var deleted = await Platform<bool>(async () =>
        {
            // DeleteAsync reports a missing key only as an exception; OpenAsync names it.
            var opened = await KeyCredentialManager.OpenAsync(name).AsTask(cancellationToken).ConfigureAwait(false);
            if (opened.Status != KeyCredentialStatus.Success)
            {
                return ToOutcome(opened.Status);
            }

            await KeyCredentialManager.DeleteAsync(name).AsTask(cancellationToken).ConfigureAwait(false);
            return true;
        }).ConfigureAwait(false);
        return deleted.Outcome;
    }

    /// <inheritdoc/>
    public ValueTask<NgcResult> CreateContainerAsync(string userId, string pin, CancellationToken cancellationToken = default) => NotSupported();

    /// <inheritdoc/>
    public ValueTask<NgcResult> VerifyPinAsync(string userId, string pin, CancellationToken cancellationToken = default) => NotSupported();

    /// <inheritdoc/>
    public ValueTask<NgcResult> ChangePinAsync(string userId, string currentPin, string newPin, CancellationToken cancellationToken = default) => NotSupported();

    /// <inheritdoc/>
    public ValueTask<NgcResult> LockAsync(string userId, CancellationToken cancellationToken = default) => NotSupported();

    /// <inheritdoc/>
    public ValueTask<NgcResult> ResetPinDestructiveAsync(string userId, string newPin, CancellationToken cancellationToken = default) => NotSupported();

    /// <inheritdoc/>
    public ValueTask<NgcResult> EnablePinRecoveryAsync(string userId, string tenantId, byte[] servicePublicKey, CancellationToken cancellationToken = default) =>
        NotSupported();

    /// <inheritdoc/>
    public ValueTask<NgcResult> DisablePinRecoveryAsync(string userId, CancellationToken cancellationToken = default) => NotSupported();

    /// <inheritdoc/>
    public ValueTask<NgcResult<byte[]>> GetEncryptedRecoveryProtectorAsync(string userId, CancellationToken cancellationToken = default) =>
        new(NgcOutcome.NotSupported);

    /// <inheritdoc/>
    public ValueTask<NgcResult> RecoverPinAsync(string userId, byte[] recoveryProtector, string newPin, CancellationToken cancellationToken = default) =>
        NotSupported();

    /// <inheritdoc/>
    public ValueTask<NgcResult<IReadOnlyList<NgcKeyInfo>>> ListKeysAsync(string userId, CancellationToken cancellationToken = default) =>
        new(NgcOutcome.NotSupported);

    /// <inheritdoc/>
    public ValueTask<NgcResult> DeleteContainerAsync(string userId, CancellationToken cancellationToken = default) => NotSupported();

    private string Name(string userId, string keyName)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        ArgumentException.ThrowIfNullOrEmpty(keyName);
        return CredentialName(userId, keyName);
    }

    // KeyCredentialManager creates RSA-2048 keys and signs RSASSA-PKCS1-v1_5/SHA-256 (docs/reference/pin-reset.md §6).
    private static NgcKeyInfo Info(string keyName, KeyCredential credential) =>
        new(keyName, NgcKeyAlgorithm.Rsa2048, Bytes(credential.RetrievePublicKey(CryptographicPublicKeyBlobType.X509SubjectPublicKeyInfo)));

    private static byte[] Bytes(IBuffer buffer)
    {
        CryptographicBuffer.CopyToByteArray(buffer, out var bytes);
        return bytes ?? [];
    }

    private static ValueTask<NgcResult> NotSupported() => new(NgcOutcome.NotSupported);

    // The platform can fail in ways KeyCredentialStatus does not name (e.g. the NGC service is stopped).
    private static async ValueTask<NgcResult<T>> Platform<T>(Func<Task<NgcResult<T>>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (COMException)
        {
            return NgcOutcome.DeviceError;
        }
    }
}

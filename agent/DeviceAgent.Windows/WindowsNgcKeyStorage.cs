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
/// Calls block on the WinRT operations (the NGC contract is synchronous, as DM command execution is); do not call it
/// from a UI thread.
/// </summary>
public sealed class WindowsNgcKeyStorage(string keyNamePrefix = WindowsNgcKeyStorage.DefaultKeyNamePrefix) : INgcKeyStorage
{
    /// <summary>Prefix of every key credential name this provider creates.</summary>
    public const string DefaultKeyNamePrefix = "DeviceAgent.";

    private readonly string keyNamePrefix = keyNamePrefix ?? throw new ArgumentNullException(nameof(keyNamePrefix));

    /// <inheritdoc/>
    public string ProviderName => "Windows.KeyCredentialManager";

    /// <inheritdoc/>
    public NgcCapabilities Capabilities => NgcCapabilities.Keys;

    /// <summary>Whether Windows Hello is set up for the signed-in user (KeyCredentialManager.IsSupportedAsync).</summary>
    public static bool IsSupported() => Wait(KeyCredentialManager.IsSupportedAsync().AsTask());

    /// <summary>
    /// The key credential name for a user's key. Every emulated user maps onto the signed-in Windows user's Hello
    /// container; the user ID in the name keeps their keys apart.
    /// </summary>
    public string CredentialName(string userId, string keyName) => $"{keyNamePrefix}{userId}.{keyName}";

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
    public NgcResult<NgcContainerInfo> GetContainerInfo(string userId)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        return Platform<NgcContainerInfo>(() => IsSupported()
            ? new NgcResult<NgcContainerInfo>(NgcOutcome.Success, new NgcContainerInfo(null, NgcRecoveryState.Unknown, 0, null))
            : NgcOutcome.NoContainer);
    }

    /// <inheritdoc/>
    public NgcResult<NgcKeyInfo> CreateKey(string userId, string pin, string keyName)
    {
        var name = Name(userId, keyName);
        return Platform<NgcKeyInfo>(() =>
        {
            if (!IsSupported())
            {
                return NgcOutcome.NoContainer;
            }

            var result = Wait(KeyCredentialManager.RequestCreateAsync(name, KeyCredentialCreationOption.FailIfExists).AsTask());
            return result.Status == KeyCredentialStatus.Success ? Info(keyName, result.Credential) : ToOutcome(result.Status);
        });
    }

    /// <inheritdoc/>
    public NgcResult<NgcKeyInfo> OpenKey(string userId, string keyName)
    {
        var name = Name(userId, keyName);
        return Platform<NgcKeyInfo>(() =>
        {
            var result = Wait(KeyCredentialManager.OpenAsync(name).AsTask());
            return result.Status == KeyCredentialStatus.Success ? Info(keyName, result.Credential) : ToOutcome(result.Status);
        });
    }

    /// <inheritdoc/>
    public NgcResult<byte[]> Sign(string userId, string pin, string keyName, byte[] data)
    {
        var name = Name(userId, keyName);
        ArgumentNullException.ThrowIfNull(data);
        return Platform<byte[]>(() =>
        {
            var opened = Wait(KeyCredentialManager.OpenAsync(name).AsTask());
            if (opened.Status != KeyCredentialStatus.Success)
            {
                return ToOutcome(opened.Status);
            }

            var signed = Wait(opened.Credential.RequestSignAsync(CryptographicBuffer.CreateFromByteArray(data)).AsTask());
            return signed.Status == KeyCredentialStatus.Success ? Bytes(signed.Result) : ToOutcome(signed.Status);
        });
    }

    /// <inheritdoc/>
    public NgcResult DeleteKey(string userId, string keyName)
    {
        var name = Name(userId, keyName);
        return Platform(() =>
        {
            // DeleteAsync reports a missing key only as an exception; OpenAsync names it.
            var opened = Wait(KeyCredentialManager.OpenAsync(name).AsTask());
            if (opened.Status != KeyCredentialStatus.Success)
            {
                return ToOutcome(opened.Status);
            }

            Wait(KeyCredentialManager.DeleteAsync(name).AsTask());
            return NgcResult.Success;
        });
    }

    /// <inheritdoc/>
    public NgcResult CreateContainer(string userId, string pin) => NgcOutcome.NotSupported;

    /// <inheritdoc/>
    public NgcResult VerifyPin(string userId, string pin) => NgcOutcome.NotSupported;

    /// <inheritdoc/>
    public NgcResult ChangePin(string userId, string currentPin, string newPin) => NgcOutcome.NotSupported;

    /// <inheritdoc/>
    public NgcResult Lock(string userId) => NgcOutcome.NotSupported;

    /// <inheritdoc/>
    public NgcResult ResetPinDestructive(string userId, string newPin) => NgcOutcome.NotSupported;

    /// <inheritdoc/>
    public NgcResult EnablePinRecovery(string userId, string tenantId, byte[] servicePublicKey) => NgcOutcome.NotSupported;

    /// <inheritdoc/>
    public NgcResult DisablePinRecovery(string userId) => NgcOutcome.NotSupported;

    /// <inheritdoc/>
    public NgcResult<byte[]> GetEncryptedRecoveryProtector(string userId) => NgcOutcome.NotSupported;

    /// <inheritdoc/>
    public NgcResult RecoverPin(string userId, byte[] recoveryProtector, string newPin) => NgcOutcome.NotSupported;

    /// <inheritdoc/>
    public NgcResult<IReadOnlyList<NgcKeyInfo>> ListKeys(string userId) => NgcOutcome.NotSupported;

    /// <inheritdoc/>
    public NgcResult DeleteContainer(string userId) => NgcOutcome.NotSupported;

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

    private static T Wait<T>(Task<T> task) => task.GetAwaiter().GetResult();

    private static void Wait(Task task) => task.GetAwaiter().GetResult();

    // The platform can fail in ways KeyCredentialStatus does not name (e.g. the NGC service is stopped).
    private static NgcResult<T> Platform<T>(Func<NgcResult<T>> call)
    {
        try
        {
            return call();
        }
        catch (COMException)
        {
            return NgcOutcome.DeviceError;
        }
    }

    private static NgcResult Platform(Func<NgcResult> call)
    {
        try
        {
            return call();
        }
        catch (COMException)
        {
            return NgcOutcome.DeviceError;
        }
    }
}

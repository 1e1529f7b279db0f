namespace DeviceAgent.Ngc;

/// <summary>
/// The closed set of results an NGC operation can have; CSPs map them to SyncML statuses and the event log prints
/// their names. Windows publishes no names for PIN-policy violations (docs/reference/pin-reset.md §5), so these are the project's.
/// </summary>
public enum NgcOutcome
{
    /// <summary>The operation did what was asked.</summary>
    Success,

    /// <summary>The PIN is shorter than the policy's minimum length.</summary>
    InvalidPinTooFewCharacters,

    /// <summary>The PIN is longer than the policy's maximum length.</summary>
    InvalidPinTooManyCharacters,

    /// <summary>The PIN holds a character no PIN may contain (space, control or non-ASCII).</summary>
    InvalidPinUnsupportedCharacter,

    /// <summary>The PIN holds a digit but the policy forbids digits.</summary>
    InvalidPinDigitNotAllowed,

    /// <summary>The PIN holds an upper-case letter but the policy forbids them.</summary>
    InvalidPinUppercaseNotAllowed,

    /// <summary>The PIN holds a lower-case letter but the policy forbids them.</summary>
    InvalidPinLowercaseNotAllowed,

    /// <summary>The PIN holds a special character but the policy forbids them.</summary>
    InvalidPinSpecialCharacterNotAllowed,

    /// <summary>The policy requires a digit and the PIN has none.</summary>
    InvalidPinMissingDigit,

    /// <summary>The policy requires an upper-case letter and the PIN has none.</summary>
    InvalidPinMissingUppercase,

    /// <summary>The policy requires a lower-case letter and the PIN has none.</summary>
    InvalidPinMissingLowercase,

    /// <summary>The policy requires a special character and the PIN has none.</summary>
    InvalidPinMissingSpecialCharacter,

    /// <summary>The PIN is one of the last History PINs (the current one included).</summary>
    InvalidPinReusedFromHistory,

    /// <summary>The PIN given to authorize the operation is wrong; the failed-attempt counter went up.</summary>
    IncorrectPin,

    /// <summary>Too many wrong PINs: only a PIN reset or recovery unlocks the container.</summary>
    LockedOut,

    /// <summary>The PIN is right but older than the policy's Expiration: it must be changed first.</summary>
    PinExpired,

    /// <summary>The user has no Windows Hello container.</summary>
    NoContainer,

    /// <summary>The user already has a Windows Hello container.</summary>
    ContainerAlreadyExists,

    /// <summary>No key with that name in the container.</summary>
    KeyNotFound,

    /// <summary>A key with that name already exists.</summary>
    KeyAlreadyExists,

    /// <summary>The container has no PIN recovery protector (EnablePinRecovery was never applied).</summary>
    RecoveryNotEnabled,

    /// <summary>Recovery was enabled while the container was locked; the protector is created at the next PIN use.</summary>
    RecoveryPending,

    /// <summary>The recovery protector given back does not open the container.</summary>
    RecoveryProtectorInvalid,

    /// <summary>The user dismissed the Windows Hello prompt (Windows provider).</summary>
    UserCanceled,

    /// <summary>The user chose a password over Windows Hello (Windows provider).</summary>
    UserPrefersPassword,

    /// <summary>The provider cannot do this operation (e.g. a PIN reset through KeyCredentialManager, docs/reference/pin-reset.md §6).</summary>
    NotSupported,

    /// <summary>The platform reported an error that none of the other outcomes describes.</summary>
    DeviceError,
}

/// <summary>Outcome helpers.</summary>
public static class NgcOutcomes
{
    /// <summary>Whether the outcome is a PIN-policy refusal (the InvalidPin* family).</summary>
    public static bool IsPolicyViolation(this NgcOutcome outcome) =>
        outcome is >= NgcOutcome.InvalidPinTooFewCharacters and <= NgcOutcome.InvalidPinReusedFromHistory;

    /// <summary>
    /// The HRESULT a Windows component would most plausibly report. Policy violations have no public code and map to
    /// ERROR_PASSWORD_RESTRICTION 0x8007052D, as docs/reference/pin-reset.md §5 proposes; NTE_* values are the SDK's (docs/reference/pin-reset.md §5).
    /// Kept in one place so the mapping can be corrected.
    /// </summary>
    public static int ToHResult(this NgcOutcome outcome) => unchecked(outcome switch
    {
        NgcOutcome.Success => 0,
        _ when outcome.IsPolicyViolation() => (int)0x8007052D,
        NgcOutcome.IncorrectPin => (int)0x80090033, // NTE_INCORRECT_PASSWORD
        NgcOutcome.LockedOut => (int)0x80090030, // NTE_DEVICE_NOT_READY, as a locked TPM reports
        NgcOutcome.PinExpired => (int)0x80090037, // NTE_PASSWORD_CHANGE_REQUIRED
        NgcOutcome.NoContainer or NgcOutcome.KeyNotFound => (int)0x80090011, // NTE_NOT_FOUND
        NgcOutcome.ContainerAlreadyExists or NgcOutcome.KeyAlreadyExists => (int)0x8009000F, // NTE_EXISTS
        NgcOutcome.RecoveryNotEnabled or NgcOutcome.RecoveryPending or NgcOutcome.NotSupported => (int)0x80090029, // NTE_NOT_SUPPORTED
        NgcOutcome.RecoveryProtectorInvalid => (int)0x80090005, // NTE_BAD_DATA
        NgcOutcome.UserCanceled or NgcOutcome.UserPrefersPassword => (int)0x80090036, // NTE_USER_CANCELLED
        _ => (int)0x80090020, // NTE_FAIL
    });
}

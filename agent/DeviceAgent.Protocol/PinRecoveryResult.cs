namespace DeviceAgent.Protocol;

/// <summary>Why the PIN reset service did or did not release a protector.</summary>
public enum PinRecoveryOutcome
{
    /// <summary>The protector is returned.</summary>
    Success,

    /// <summary>The service has never heard of the tenant.</summary>
    UnknownTenant,

    /// <summary>"Microsoft Pin Reset Service Production" is not consented in the tenant.</summary>
    ServiceConsentMissing,

    /// <summary>"Microsoft Pin Reset Client Production" is not consented in the tenant.</summary>
    ClientConsentMissing,

    /// <summary>The blob is not a protector encrypted to this service.</summary>
    BadBlob,

    /// <summary>The blob is a valid protector of another tenant.</summary>
    TenantMismatch,
}

/// <summary>The answer of the PIN reset service's release of a recovery protector (docs/pin-reset.md): the protector on success, else the refusal.</summary>
public sealed record PinRecoveryResult(PinRecoveryOutcome Outcome, byte[]? Protector)
{
    /// <summary>Whether the protector was released.</summary>
    public bool IsSuccess => Outcome == PinRecoveryOutcome.Success;

    /// <summary>A refusal.</summary>
    public static PinRecoveryResult Refused(PinRecoveryOutcome outcome) =>
        outcome == PinRecoveryOutcome.Success ? throw new ArgumentException("A refusal cannot be Success.", nameof(outcome)) : new(outcome, null);
}

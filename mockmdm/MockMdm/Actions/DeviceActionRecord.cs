using DeviceAgent.Protocol;
using MockMdm.Store;

namespace MockMdm.Actions;

/// <summary>A device action an admin requested and what became of it.</summary>
public sealed class DeviceActionRecord : IStoreRecord
{
    public required string Id { get; init; }
    public string? Owner => DeviceId;
    public required string DeviceId { get; init; }

    /// <summary>Graph action name: resetPasscode or remoteLock.</summary>
    public required string ActionName { get; init; }

    /// <summary>The RemoteLock node executed: LockAndRecoverPIN, LockAndResetPIN or Lock.</summary>
    public required string Method { get; init; }

    public ActionState State { get; set; } = ActionState.Pending;
    public required DateTimeOffset StartDateTime { get; init; }
    public DateTimeOffset LastUpdatedDateTime { get; set; }

    /// <summary>The command carrying the action in the device's queue.</summary>
    public required string CommandId { get; init; }

    /// <summary>The NewPINValue the device returned; shown only until <see cref="PasscodeVisibleUntil"/>.</summary>
    public string? Passcode { get; set; }

    public DateTimeOffset? PasscodeVisibleUntil { get; set; }

    /// <summary>0x87D10000 + the device's SyncML status, or 0x87D1FDE8 for an empty NewPINValue (docs/mock-mdm.md).</summary>
    public int? ErrorCode { get; set; }

    /// <summary>Why the action failed, in words.</summary>
    public string? Reason { get; set; }
}

using DeviceAgent.Ngc;

namespace DeviceAgent.Emulator.Devices;

/// <summary>What happened when the user typed at the lock screen.</summary>
public sealed record UnlockAttempt(bool Unlocked, NgcOutcome Outcome, string Message);

/// <summary>
/// The phone's lock screen: locked or unlocked, unlocked by the user's Windows Hello PIN. After an admin PIN reset the
/// user signs in with the PIN the console showed and must then choose a PIN of their own that meets policy (Windows
/// asks for a PIN change after a reset; docs/emulator.md).
/// </summary>
public sealed class LockScreen(INgcKeyStorage ngc, string? userId)
{
    private readonly Lock _gate = new();

    public bool IsLocked { get; private set; }

    /// <summary>True after an admin reset until the user has chosen a new PIN.</summary>
    public bool PinChangeRequired { get; private set; }

    /// <summary>Locks the screen (RemoteLock Lock, or a reset that locks).</summary>
    public void Lock(bool pinChangeRequired = false)
    {
        lock (_gate)
        {
            IsLocked = true;
            PinChangeRequired |= pinChangeRequired;
        }
    }

    /// <summary>The user enters <paramref name="pin"/>; when a PIN change is required, <paramref name="newPin"/> is the PIN they choose.</summary>
    public UnlockAttempt Unlock(string pin, string? newPin = null)
    {
        ArgumentNullException.ThrowIfNull(pin);
        lock (_gate)
        {
            if (userId is null)
            {
                return new UnlockAttempt(false, NgcOutcome.NoContainer, "nobody is signed in on this device");
            }

            var verified = ngc.VerifyPin(userId, pin);
            if (!verified.IsSuccess && verified.Outcome != NgcOutcome.PinExpired)
            {
                return new UnlockAttempt(false, verified.Outcome, $"PIN refused: {verified.Outcome}");
            }

            if (PinChangeRequired || verified.Outcome == NgcOutcome.PinExpired)
            {
                if (newPin is null)
                {
                    return new UnlockAttempt(false, NgcOutcome.PinExpired, "the PIN is right, but a new PIN must be chosen first");
                }

                var changed = ngc.ChangePin(userId, pin, newPin);
                if (!changed.IsSuccess)
                {
                    return new UnlockAttempt(false, changed.Outcome, $"new PIN refused: {changed.Outcome}");
                }

                PinChangeRequired = false;
            }

            IsLocked = false;
            return new UnlockAttempt(true, NgcOutcome.Success, "unlocked");
        }
    }
}

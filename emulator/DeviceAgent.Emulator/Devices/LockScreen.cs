using DeviceAgent.Ngc;

namespace DeviceAgent.Emulator.Devices;

/// <summary>What happened when the user typed at the lock screen.</summary>
public sealed record UnlockAttempt(bool Unlocked, NgcOutcome Outcome, string Message);

/// <summary>
/// The phone's lock screen: locked or unlocked, unlocked by the user's Windows Hello PIN. After an admin PIN reset the
/// user signs in with the PIN the console showed and must then choose a PIN of their own that meets policy (Windows
/// asks for a PIN change after a reset; docs/emulator.md).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001:Types that own disposable fields should be disposable", Justification = "SemaphoreSlim holds no kernel object unless AvailableWaitHandle is read, which this type never does; there is nothing to release.")]
public sealed class LockScreen(INgcKeyStorage ngc, string? userId)
{
    // The screen's state, changed from the RemoteLock event (synchronous) and by an unlock.
    private readonly Lock _gate = new();

    // One person types at a time: an unlock attempt (two NGC calls) finishes before the next starts.
    private readonly SemaphoreSlim _typing = new(1, 1);

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
    public async Task<UnlockAttempt> UnlockAsync(string pin, string? newPin = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pin);
        await _typing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (userId is null)
            {
                return new UnlockAttempt(false, NgcOutcome.NoContainer, "nobody is signed in on this device");
            }

            var verified = await ngc.VerifyPinAsync(userId, pin, cancellationToken).ConfigureAwait(false);
            if (!verified.IsSuccess && verified.Outcome != NgcOutcome.PinExpired)
            {
                return new UnlockAttempt(false, verified.Outcome, $"PIN refused: {verified.Outcome}");
            }

            bool changeRequired;
            lock (_gate)
            {
                changeRequired = PinChangeRequired;
            }

            if (changeRequired || verified.Outcome == NgcOutcome.PinExpired)
            {
                if (newPin is null)
                {
                    return new UnlockAttempt(false, NgcOutcome.PinExpired, "the PIN is right, but a new PIN must be chosen first");
                }

                var changed = await ngc.ChangePinAsync(userId, pin, newPin, cancellationToken).ConfigureAwait(false);
                if (!changed.IsSuccess)
                {
                    return new UnlockAttempt(false, changed.Outcome, $"new PIN refused: {changed.Outcome}");
                }
            }

            lock (_gate)
            {
                PinChangeRequired = false;
                IsLocked = false;
            }

            return new UnlockAttempt(true, NgcOutcome.Success, "unlocked");
        }
        finally
        {
            _typing.Release();
        }
    }
}

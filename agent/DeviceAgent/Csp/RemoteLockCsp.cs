using System.Security.Cryptography;
using DeviceAgent.Dm;
using DeviceAgent.Ngc;
using DeviceAgent.Ngc.Policy;
using DeviceAgent.PinReset;
using DeviceAgent.Protocol;
using DeviceAgent.SyncML;

namespace DeviceAgent.Csp;

/// <summary>How a Get of NewPINValue answers while it holds no PIN (docs/reference/open-questions.md item 2).</summary>
public enum NewPinValueNullForm
{
    /// <summary>Status 200 and a Results item with Format chr and an empty Data (docs/reference/remotelock.md [INF]; the default).</summary>
    EmptyData,

    /// <summary>Status 404 and no Results.</summary>
    NotFound,
}

/// <summary>What LockAndResetPIN does for a user who has no PIN (no Windows Hello container).</summary>
public enum ResetWithoutPin
{
    /// <summary>
    /// The device sets the PIN it generates (a container is provisioned with it), locks and answers 200: the RemoteLock
    /// CSP page describes LockAndResetPIN for a device that may or may not have a PIN (the default).
    /// </summary>
    SetNewPin,

    /// <summary>The Exec fails with 500 and nothing changes (the page's other status).</summary>
    Fail,
}

/// <summary>Statuses and choices of the RemoteLock CSP where Windows' documents are silent (docs/pin-reset.md).</summary>
public sealed record RemoteLockOptions
{
    /// <summary>Windows' choices: 405 without a PIN, 500 for refused recoveries, an empty NewPINValue.</summary>
    public static RemoteLockOptions Default { get; } = new();

    /// <summary>Lock or LockAndRecoverPIN on a device whose user has no PIN (docs/reference/remotelock.md: 405 for Lock).</summary>
    public int NoPinStatus { get; init; } = StatusCodes.CommandNotAllowed;

    /// <summary>LockAndRecoverPIN while EnablePinRecovery is not true, or no recovery protector exists yet (docs/reference/omadm.md §13 failure variant: 500).</summary>
    public int RecoveryNotEnabledStatus { get; init; } = StatusCodes.CommandFailed;

    /// <summary>LockAndRecoverPIN on a device that is not Azure AD joined (workplace joined; docs/reference/remotelock.md, docs/reference/pin-reset.md §2).</summary>
    public int NotAzureAdJoinedStatus { get; init; } = StatusCodes.CommandFailed;

    /// <summary>LockAndRecoverPIN refused by the PIN reset service: tenant unknown or without consent, or the protector refused.</summary>
    public int PinResetServiceRefusedStatus { get; init; } = StatusCodes.CommandFailed;

    /// <summary>LockAndRecoverPIN when the service's PIN breaks the device's PIN policy: the device refuses it.</summary>
    public int ServicePinRefusedStatus { get; init; } = StatusCodes.CommandFailed;

    /// <summary>LockAndResetPIN for a user without a PIN: the RemoteLock CSP page lists only 200 and 500 for it (docs/csps.md "RemoteLock").</summary>
    public ResetWithoutPin ResetWithoutPin { get; init; } = ResetWithoutPin.SetNewPin;

    /// <summary>How NewPINValue answers while it holds no PIN.</summary>
    public NewPinValueNullForm NullNewPinValue { get; init; } = NewPinValueNullForm.EmptyData;

    /// <summary>Length the device aims for when it generates a PIN for LockAndResetPIN, clamped to the policy (docs/pin-policy.md).</summary>
    public int PreferredPinLength { get; init; } = PinGenerator.DefaultPreferredLength;
}

/// <summary>The RemoteLock Exec actions (docs/reference/remotelock.md).</summary>
public enum RemoteLockAction
{
    /// <summary>Lock: lock the screen; the PIN is unchanged.</summary>
    Lock,
    /// <summary>LockAndResetPIN: destructive reset, keys deleted, a device-generated PIN.</summary>
    LockAndResetPIN,
    /// <summary>LockAndRecoverPIN: non-destructive reset through the PIN reset service, keys kept.</summary>
    LockAndRecoverPIN,
}

/// <summary>
/// ./Device/Vendor/MSFT/RemoteLock (./Vendor/MSFT/RemoteLock in the 1703 DDF; docs/reference/remotelock.md, docs/reference/pin-reset.md §2, §3): Lock,
/// LockAndResetPIN (destructive: keys deleted, a device-generated PIN meeting the merged policy), LockAndRecoverPIN
/// (non-destructive: needs EnablePinRecovery, an Azure AD joined device and a tenant that consented the PIN reset
/// service, which releases the recovery protector and generates the PIN with its own complexity) and NewPINValue, read
/// once in the message of the Exec. Acts on the signed-in user's container.
/// </summary>
public sealed class RemoteLockCsp : CspHandler, ICspMessageObserver
{
    /// <summary>The CSP root in the tree.</summary>
    public const string Root = "./Device/Vendor/MSFT/RemoteLock";

    private readonly DeviceProfile _profile;
    private readonly INgcKeyStorage _ngc;
    private readonly IPinPolicySource _policySource;
    private readonly Random _random;
    private readonly IPinResetServiceClient? _pinResetService;
    private readonly NgcEventLog? _eventLog;
    private readonly RemoteLockOptions _options;
    private string? _newPinValue;

    /// <param name="profile">The device; <see cref="DeviceProfile.AzureAdJoined"/> false means workplace joined.</param>
    /// <param name="ngc">The device's NGC key storage.</param>
    /// <param name="policySource">The merged PIN policy the device generates LockAndResetPIN PINs for.</param>
    /// <param name="random">The device's seeded random source.</param>
    /// <param name="pinResetService">The PIN reset service LockAndRecoverPIN calls; null: recovery is refused.</param>
    /// <param name="eventLog">Where refusals that never reach NGC are logged (the NGC calls log themselves through <see cref="LoggingNgcKeyStorage"/>).</param>
    /// <param name="options">Statuses where the documents are silent.</param>
    public RemoteLockCsp(DeviceProfile profile, INgcKeyStorage ngc, IPinPolicySource policySource, Random random,
        IPinResetServiceClient? pinResetService = null, NgcEventLog? eventLog = null, RemoteLockOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(ngc);
        ArgumentNullException.ThrowIfNull(policySource);
        ArgumentNullException.ThrowIfNull(random);
        _profile = profile;
        _ngc = ngc;
        _policySource = policySource;
        _random = random;
        _pinResetService = pinResetService;
        _eventLog = eventLog;
        _options = options ?? RemoteLockOptions.Default;
    }

    /// <summary>./Device/Vendor/MSFT/RemoteLock.</summary>
    public override IReadOnlyList<string> Roots { get; } = [Root];

    /// <summary>The statuses in force.</summary>
    public RemoteLockOptions Options => _options;

    /// <summary>Raised after a successful Exec, with the user whose container it acted on (the emulator's lock screen listens).</summary>
    public event Action<RemoteLockAction, string>? Executed;

    /// <summary>Answers NewPINValue once after a successful reset Exec; other nodes come from the tree.</summary>
    public override ValueTask<CspReadResult> GetAsync(CspContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new(Read(context));
    }

    private CspReadResult Read(CspContext context)
    {
        if (context.RelativePath != "NewPINValue")
        {
            return CspReadResult.FromTree;
        }

        // docs/reference/remotelock.md: the first Get after a successful Exec answers the PIN, any further Get answers null.
        var pin = _newPinValue;
        _newPinValue = null;
        if (pin is not null)
        {
            return CspReadResult.Of(pin, DdfFormat.Chr);
        }

        return _options.NullNewPinValue == NewPinValueNullForm.EmptyData
            ? CspReadResult.Of("", DdfFormat.Chr)
            : CspReadResult.Fail(StatusCodes.NotFound);
    }

    /// <summary>Runs Lock, LockAndResetPIN or LockAndRecoverPIN for the signed-in user; other nodes answer 406.</summary>
    public override async ValueTask<CspResult> ExecAsync(CspExecContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        RemoteLockAction action;
        switch (context.RelativePath)
        {
            case "Lock": action = RemoteLockAction.Lock; break;
            case "LockAndResetPIN": action = RemoteLockAction.LockAndResetPIN; break;
            case "LockAndRecoverPIN": action = RemoteLockAction.LockAndRecoverPIN; break;
            default: return CspResult.Fail(StatusCodes.OptionalFeatureNotSupported);
        }

        // A new Exec replaces what an earlier one left; a failed one leaves NewPINValue null (docs/reference/omadm.md §13 (c)).
        _newPinValue = null;
        if (context.Tree.SignedInUser is not { } user)
        {
            // Nobody signed in: no user whose PIN could be set; LockAndResetPIN answers one of its two documented statuses.
            return CspResult.Fail(action == RemoteLockAction.LockAndResetPIN ? StatusCodes.CommandFailed : _options.NoPinStatus);
        }

        var status = action switch
        {
            RemoteLockAction.Lock => await LockAsync(user, cancellationToken).ConfigureAwait(false),
            RemoteLockAction.LockAndResetPIN => await LockAndResetPinAsync(user, cancellationToken).ConfigureAwait(false),
            _ => await LockAndRecoverPinAsync(context.Tree, user, cancellationToken).ConfigureAwait(false),
        };
        if (status != StatusCodes.Ok)
        {
            return CspResult.Fail(status);
        }

        Executed?.Invoke(action, user);

        // A locked screen and a replaced PIN cannot be taken back: inside a failed Atomic the rollback reports 516.
        return context.InAtomic ? CspResult.Irreversible("RemoteLock/" + action) : CspResult.Ok;
    }

    /// <summary>NewPINValue is readable only in the message of its Exec (docs/reference/remotelock.md).</summary>
    public void OnMessageCompleted() => _newPinValue = null;

    private async ValueTask<int> LockAsync(string user, CancellationToken cancellationToken) =>
        // docs/reference/remotelock.md: no PIN, the request is ignored with 405.
        (await _ngc.LockAsync(user, cancellationToken).ConfigureAwait(false)).Outcome switch
        {
            NgcOutcome.Success => StatusCodes.Ok,
            NgcOutcome.NoContainer => _options.NoPinStatus,
            _ => StatusCodes.CommandFailed,
        };

    private async ValueTask<int> LockAndResetPinAsync(string user, CancellationToken cancellationToken)
    {
        // docs/reference/remotelock.md: the device generates a PIN that satisfies the merged policy; docs/reference/pin-reset.md §2: keys deleted.
        var pin = PinGenerator.Generate(_policySource.GetPolicy(user), _random, _options.PreferredPinLength);
        var reset = await _ngc.ResetPinDestructiveAsync(user, pin, cancellationToken).ConfigureAwait(false);
        if (reset.Outcome == NgcOutcome.NoContainer)
        {
            // RemoteLock CSP page: LockAndResetPIN works whether or not the device has a PIN; it answers 200 or 500 only.
            if (_options.ResetWithoutPin == ResetWithoutPin.Fail)
            {
                return StatusCodes.CommandFailed;
            }

            var created = await _ngc.CreateContainerAsync(user, pin, cancellationToken).ConfigureAwait(false);
            return created.IsSuccess ? await FinishAsync(user, pin).ConfigureAwait(false) : StatusCodes.CommandFailed;
        }

        if (!reset.IsSuccess)
        {
            return StatusCodes.CommandFailed;
        }

        return await FinishAsync(user, pin).ConfigureAwait(false);
    }

    private async ValueTask<int> LockAndRecoverPinAsync(DmTree tree, string user, CancellationToken cancellationToken)
    {
        // docs/reference/passportforwork.md §3, docs/reference/remotelock.md: only when EnablePinRecovery is set on the client.
        if (PassportForWorkPolicy.RecoveryTenant(tree, user) is not { } tenant)
        {
            Log(user, NgcOutcome.RecoveryNotEnabled, "policy=EnablePinRecovery");
            return _options.RecoveryNotEnabledStatus;
        }

        // docs/reference/remotelock.md (Intune: Azure AD joined only), 5.2 (non-destructive: Entra-joined or hybrid-joined).
        if (!_profile.AzureAdJoined)
        {
            Log(user, NgcOutcome.NotSupported, "join=WorkplaceJoined");
            return _options.NotAzureAdJoinedStatus;
        }

        if (_pinResetService is null)
        {
            Log(user, NgcOutcome.NotSupported, "pinreset=Unavailable");
            return _options.PinResetServiceRefusedStatus;
        }

        var blob = await _ngc.GetEncryptedRecoveryProtectorAsync(user, cancellationToken).ConfigureAwait(false);
        if (!blob.IsSuccess)
        {
            return blob.Outcome switch
            {
                NgcOutcome.NoContainer => _options.NoPinStatus,
                NgcOutcome.RecoveryNotEnabled or NgcOutcome.RecoveryPending => _options.RecoveryNotEnabledStatus,
                _ => StatusCodes.CommandFailed,
            };
        }

        // docs/reference/pin-reset.md §3 step 3: the service decrypts the protector; this exchange is the "ticket" (docs/pin-reset.md).
        PinRecoveryResult released;
        try
        {
            released = await _pinResetService.RecoverProtectorAsync(tenant, blob.Required, cancellationToken).ConfigureAwait(false);
        }
        catch (PinResetServiceUnavailableException e)
        {
            // A phone that cannot reach the service (docs/pin-reset.md "Wire"): refused like a missing service, with why.
            Log(user, NgcOutcome.NotSupported, $"tenant={tenant} pinreset=Unavailable ({e.Message})");
            return _options.PinResetServiceRefusedStatus;
        }

        if (!released.IsSuccess)
        {
            Log(user, NgcOutcome.DeviceError, $"tenant={tenant} pinreset={released.Outcome}");
            return _options.PinResetServiceRefusedStatus;
        }

        var protector = released.Protector!;
        try
        {
            // The service's PIN has its own fixed complexity; the device checks it against its own policy and refuses
            // it when it breaks it (docs/design.md decision 7).
            string pin;
            try
            {
                pin = await _pinResetService.GeneratePinAsync(_random, cancellationToken).ConfigureAwait(false);
            }
            catch (PinResetServiceUnavailableException e)
            {
                Log(user, NgcOutcome.NotSupported, $"tenant={tenant} pinreset=Unavailable ({e.Message})");
                return _options.PinResetServiceRefusedStatus;
            }

            var recovered = await _ngc.RecoverPinAsync(user, protector, pin, cancellationToken).ConfigureAwait(false);
            if (!recovered.IsSuccess)
            {
                return recovered.Outcome.IsPolicyViolation() ? _options.ServicePinRefusedStatus : StatusCodes.CommandFailed;
            }

            return await FinishAsync(user, pin).ConfigureAwait(false);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(protector);
        }
    }

    private async ValueTask<int> FinishAsync(string user, string pin)
    {
        // The new PIN is set: the screen locks so the user has to enter it (docs/reference/remotelock.md "lock and set a new PIN").
        // Not cancellable: the PIN has changed, so NewPINValue must be readable whatever the caller does next.
        await _ngc.LockAsync(user).ConfigureAwait(false);
        _newPinValue = pin;
        return StatusCodes.Ok;
    }

    private void Log(string user, NgcOutcome outcome, string detail) =>
        _eventLog?.Append(NgcOperation.RecoverPin, outcome, user, detail);
}

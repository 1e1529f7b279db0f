using DeviceAgent.Dm;
using DeviceAgent.Ngc;
using DeviceAgent.Ngc.Policy;
using DeviceAgent.PinReset;
using DeviceAgent.SyncML;

namespace DeviceAgent.Csp;

/// <summary>Statuses of the PassportForWork CSP where Windows' documents are silent (docs/pin-reset.md).</summary>
public sealed record PassportForWorkOptions
{
    /// <summary>Windows' choices: 500 for refused values, 400 for a malformed {TenantId}.</summary>
    public static PassportForWorkOptions Default { get; } = new();

    /// <summary>A PINComplexity value outside its DDF range or enum (docs/reference/passportforwork.md §5: exact code unverified, 500).</summary>
    public int ValidationFailureStatus { get; init; } = StatusCodes.CommandFailed;

    /// <summary>An Add under a {TenantId} that is not a GUID without braces (docs/reference/passportforwork.md: "GUID, no braces").</summary>
    public int InvalidTenantIdStatus { get; init; } = StatusCodes.BadRequest;

    /// <summary>EnablePinRecovery could not be applied to the user's Windows Hello container.</summary>
    public int RecoveryFailureStatus { get; init; } = StatusCodes.CommandFailed;
}

/// <summary>
/// ./Device/Vendor/MSFT/PassportForWork and ./User/Vendor/MSFT/PassportForWork (docs/reference/passportforwork.md): the settings live in
/// the tree as the DDF describes them; this handler refuses a {TenantId} that is not a brace-less GUID and PINComplexity
/// values outside the DDF ranges, and applies EnablePinRecovery to the signed-in user's NGC container (a recovery
/// protector encrypted to the PIN reset service, docs/reference/pin-reset.md §3), with an undo for Atomic rollback. PINComplexity
/// reaches the NGC policy through <see cref="PassportForWorkPolicySource"/>.
/// </summary>
public sealed class PassportForWorkCsp : CspHandler
{
    private readonly INgcKeyStorage _ngc;
    private readonly IPinResetServiceClient? _pinResetService;
    private readonly PassportForWorkOptions _options;

    // The recovery tenant before the write in progress, so OnWritten can undo to it (OnWriting and OnWritten of one
    // command run back to back under the tree's lock).
    private string? _recoveryTenantBefore;

    /// <summary>Serves PassportForWork on <paramref name="ngc"/>; without <paramref name="pinResetService"/> EnablePinRecovery fails.</summary>
    public PassportForWorkCsp(INgcKeyStorage ngc, IPinResetServiceClient? pinResetService, PassportForWorkOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(ngc);
        _ngc = ngc;
        _pinResetService = pinResetService;
        _options = options ?? PassportForWorkOptions.Default;
    }

    /// <summary>./Device/Vendor/MSFT/PassportForWork and ./User/Vendor/MSFT/PassportForWork.</summary>
    public override IReadOnlyList<string> Roots { get; } = [PassportForWorkPolicy.DeviceRoot, PassportForWorkPolicy.UserRoot];

    /// <summary>The statuses in force.</summary>
    public PassportForWorkOptions Options => _options;

    /// <summary>Refuses a {TenantId} that is not a brace-less GUID and PINComplexity values outside the DDF ranges.</summary>
    public override ValueTask<CspResult> OnWritingAsync(CspWriteContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Kind != CspWriteKind.Delete)
        {
            if (IsTenantSubtree(context) && !IsTenantId(context.RelativeSegment(0)!))
            {
                return new(CspResult.Fail(_options.InvalidTenantIdStatus));
            }

            if (context.Schema.Parent?.Name == "PINComplexity" && context.NewValue is { } value
                && !PassportForWorkPolicy.TryApply(PinComplexity.Unconfigured, context.Schema.Name, value, out _, out _))
            {
                return new(CspResult.Fail(_options.ValidationFailureStatus));
            }
        }

        _recoveryTenantBefore = PassportForWorkPolicy.RecoveryTenant(context.Tree, context.Tree.SignedInUser);
        return new(CspResult.Ok);
    }

    /// <summary>Applies EnablePinRecovery to the signed-in user's NGC container (recovery protector), with an undo inside Atomic.</summary>
    public override ValueTask<CspResult> OnWrittenAsync(CspWriteContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var touchesRecovery = context.Schema.Name == "EnablePinRecovery" || (context.Kind == CspWriteKind.Delete && context.Schema.IsInterior);
        if (!touchesRecovery || context.Tree.SignedInUser is not { } user)
        {
            return new(CspResult.Ok);
        }

        return ApplyRecoveryAsync(context.Tree, user, _recoveryTenantBefore, cancellationToken);
    }

    /// <summary>
    /// Brings the user's container in line with EnablePinRecovery (at sign-in, after provisioning, or after a write):
    /// true in some tenant creates the recovery protector for it, false or unset removes it (docs/reference/passportforwork.md §3).
    /// </summary>
    public ValueTask<CspResult> ApplyRecoveryAsync(DmTree tree, string userId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tree);
        ArgumentException.ThrowIfNullOrEmpty(userId);
        return ApplyRecoveryAsync(tree, userId, tenantBefore: null, cancellationToken);
    }

    private async ValueTask<CspResult> ApplyRecoveryAsync(DmTree tree, string userId, string? tenantBefore, CancellationToken cancellationToken)
    {
        var tenant = PassportForWorkPolicy.RecoveryTenant(tree, userId);
        if (tenant is not null)
        {
            if (string.Equals(tenant, tenantBefore, StringComparison.OrdinalIgnoreCase))
            {
                return CspResult.Ok;
            }

            if (_pinResetService is null)
            {
                // Without the service's public key no protector can be made (docs/reference/pin-reset.md §3 step 2).
                return CspResult.Fail(_options.RecoveryFailureStatus);
            }

            byte[] publicKey;
            try
            {
                publicKey = await _pinResetService.GetPublicKeyAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (PinResetServiceUnavailableException)
            {
                // The service is out of reach: no key to seal a protector to (docs/pin-reset.md "Wire").
                return CspResult.Fail(_options.RecoveryFailureStatus);
            }

            var enabled = await _ngc.EnablePinRecoveryAsync(userId, tenant, publicKey, cancellationToken).ConfigureAwait(false);
            return enabled.Outcome switch
            {
                // No container yet: ApplyRecovery runs again when one is provisioned.
                NgcOutcome.NoContainer => CspResult.Ok,
                NgcOutcome.Success or NgcOutcome.RecoveryPending => CspResult.Success(() => RestoreAsync(userId, tenantBefore)),
                _ => CspResult.Fail(_options.RecoveryFailureStatus),
            };
        }

        var disabled = await _ngc.DisablePinRecoveryAsync(userId, cancellationToken).ConfigureAwait(false);
        return disabled.Outcome switch
        {
            NgcOutcome.NoContainer => CspResult.Ok,
            NgcOutcome.Success => tenantBefore is null ? CspResult.Ok : CspResult.Success(() => RestoreAsync(userId, tenantBefore)),
            _ => CspResult.Fail(_options.RecoveryFailureStatus),
        };
    }

    /// <summary>
    /// Undo: puts the recovery state of <paramref name="tenant"/> (null: none) back; throws (516) when NGC refuses.
    /// Not cancellable: a rollback that started finishes.
    /// </summary>
    private async ValueTask RestoreAsync(string userId, string? tenant)
    {
        var result = tenant is null
            ? await _ngc.DisablePinRecoveryAsync(userId).ConfigureAwait(false)
            : await _ngc.EnablePinRecoveryAsync(userId, tenant, await _pinResetService!.GetPublicKeyAsync().ConfigureAwait(false)).ConfigureAwait(false);
        if (result.Outcome is not (NgcOutcome.Success or NgcOutcome.RecoveryPending or NgcOutcome.NoContainer))
        {
            throw new InvalidOperationException($"PIN recovery of {userId} could not be restored: {result.Outcome}");
        }
    }

    /// <summary>True when the node is {TenantId} or below it (not UseBiometrics, Biometrics ... beside it).</summary>
    private static bool IsTenantSubtree(CspContext context)
    {
        var schema = context.Schema;
        while (schema.Parent is { } parent && schema.Depth > context.RootDepth + 1)
        {
            schema = parent;
        }

        return schema.Depth == context.RootDepth + 1 && schema.IsDynamicName;
    }

    /// <summary>docs/reference/passportforwork.md: the Entra tenant GUID without braces ("D" form, any case; the case is kept).</summary>
    public static bool IsTenantId(string segment) => Guid.TryParseExact(segment, "D", out _);
}

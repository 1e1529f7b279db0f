using DeviceAgent.SyncML;

namespace DeviceAgent.Csp;

/// <summary>
/// A CSP whose Exec asks the device to do something that outlives the message (restart, wipe): the Exec answers 200
/// and the request waits until the session that carried it has ended, when the device (the emulator) takes it and acts
/// (docs/csps.md "Reboot", "RemoteWipe"). Inside a failed Atomic the request is withdrawn with the rollback.
/// </summary>
public abstract class DeviceActionCsp : CspHandler
{
    private readonly List<string> _pending = [];

    /// <summary>Exec node names (below the root) that request the action.</summary>
    protected abstract IReadOnlyList<string> ActionNodes { get; }

    /// <summary>The requested actions (Exec node names) in order, not yet taken.</summary>
    public IReadOnlyList<string> Pending => _pending;

    /// <summary>Records the request of an action node (200, withdrawn on Atomic rollback); any other Exec is 406.</summary>
    public override ValueTask<CspResult> ExecAsync(CspExecContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!ActionNodes.Contains(context.RelativePath))
        {
            return new(CspResult.Fail(StatusCodes.OptionalFeatureNotSupported));
        }

        _pending.Add(context.RelativePath);
        return new(CspResult.Success(() => _pending.RemoveAt(_pending.Count - 1)));
    }

    /// <summary>Removes and returns the pending requests.</summary>
    public IReadOnlyList<string> TakePending()
    {
        var taken = _pending.ToArray();
        _pending.Clear();
        return taken;
    }
}

/// <summary>
/// ./Device/Vendor/MSFT/Reboot (Reboot CSP page; in the 1703 and 1709 DDF downloads): Exec RebootNow restarts the
/// phone once the session has ended. Schedule/Single and Schedule/DailyRecurrent are settings kept in the tree.
/// </summary>
public sealed class RebootCsp : DeviceActionCsp
{
    /// <summary>The CSP root in the tree.</summary>
    public const string Root = "./Device/Vendor/MSFT/Reboot";

    /// <summary>The Exec node that restarts the phone.</summary>
    public const string RebootNow = "RebootNow";

    /// <inheritdoc/>
    public override IReadOnlyList<string> Roots { get; } = [Root];

    /// <inheritdoc/>
    protected override IReadOnlyList<string> ActionNodes { get; } = [RebootNow];
}

/// <summary>
/// ./Device/Vendor/MSFT/RemoteWipe (RemoteWipe CSP page; the 1607 DDF download, unchanged in later releases): Exec
/// doWipe or doWipePersistProvisionedData returns the phone to its factory state once the session has ended.
/// </summary>
public sealed class RemoteWipeCsp : DeviceActionCsp
{
    /// <summary>The CSP root in the tree.</summary>
    public const string Root = "./Device/Vendor/MSFT/RemoteWipe";

    /// <summary>The Exec node that wipes the phone.</summary>
    public const string DoWipe = "doWipe";

    /// <summary>The Exec node that wipes the phone keeping provisioning data (the emulator has none to keep).</summary>
    public const string DoWipePersistProvisionedData = "doWipePersistProvisionedData";

    /// <inheritdoc/>
    public override IReadOnlyList<string> Roots { get; } = [Root];

    /// <inheritdoc/>
    protected override IReadOnlyList<string> ActionNodes { get; } = [DoWipe, DoWipePersistProvisionedData];
}

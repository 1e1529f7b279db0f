using DeviceAgent.Dm;

namespace DeviceAgent.Csp;

/// <summary>
/// Policy CSP Result (Policy CSP page: "Policy/Result provides a read-only path to policies enforced on the device"):
/// Result/{Area}/{Policy} answers the effective value, which on the emulated phone is the value the server set under
/// Config/{Area}/{Policy} in the same scope, else the policy's DDF DefaultValue, else what a device with nothing set
/// reports for the format (docs/csps.md "Policy CSP"). The phone has one configuration source (one MDM server), so no
/// conflict resolution between sources is modelled [choice].
/// </summary>
public sealed class PolicyResultCsp : CspHandler
{
    private readonly DdfNodeStore _store;

    /// <summary>Answers Result nodes; <paramref name="store"/> gives the value of a policy with neither setting nor default.</summary>
    public PolicyResultCsp(DdfNodeStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    /// <summary>Result in device and user scope.</summary>
    public override IReadOnlyList<string> Roots { get; } = ["./Device/Vendor/MSFT/Policy/Result", "./User/Vendor/MSFT/Policy/Result"];

    /// <summary>The effective value of a Result leaf; interior nodes list their children.</summary>
    public override ValueTask<CspReadResult> GetAsync(CspContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Schema.IsInterior || context.RelativeSegment(0) is not { } area || context.RelativeSegment(1) is not { } policy)
        {
            return new(CspReadResult.FromTree);
        }

        var scope = context.IsUserScope ? "./User" : "./Device";
        var config = scope + "/Vendor/MSFT/Policy/Config/" + DmUri.EncodeSegment(area) + "/" + DmUri.EncodeSegment(policy);
        if (context.Tree.Find(config)?.Value is { } set)
        {
            return new(CspReadResult.Of(set));
        }

        if (context.Tree.Schema.Find(config)?.Definition?.DefaultValue is { } fallback)
        {
            return new(CspReadResult.Of(context.Schema.Format == DdfFormat.Bool ? fallback.ToLowerInvariant() : fallback));
        }

        return _store.GetAsync(context, cancellationToken);
    }
}

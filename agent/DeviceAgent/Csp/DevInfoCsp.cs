using DeviceAgent.Dm;

namespace DeviceAgent.Csp;

/// <summary>./DevInfo (docs/reference/devinfo-devdetail.md §1): values from the device profile; every node is Get-only in the DDF.</summary>
public sealed class DevInfoCsp : CspHandler
{
    private readonly DeviceProfile _profile;

    /// <summary>Serves ./DevInfo from <paramref name="profile"/>.</summary>
    public DevInfoCsp(DeviceProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        _profile = profile;
    }

    /// <summary>./DevInfo.</summary>
    public override IReadOnlyList<string> Roots { get; } = ["./DevInfo"];

    /// <summary>Answers DevId, Man, Mod, DmV and Lang from the device profile.</summary>
    public override ValueTask<CspReadResult> GetAsync(CspContext context, CancellationToken cancellationToken) => new(Read(context));

    private CspReadResult Read(CspContext context) => context.RelativePath switch
    {
        "DevId" => CspReadResult.Of(DevId(context.Tree)),
        "Man" => CspReadResult.Of(_profile.Manufacturer),
        "Mod" => CspReadResult.Of(_profile.Model),
        "DmV" => CspReadResult.Of(_profile.DmV),
        "Lang" => CspReadResult.Of(_profile.Language),
        _ => CspReadResult.FromTree,
    };

    /// <summary>The DevId the device reports: the IMEI when a DMAcc account set UseHwDevID (docs/reference/devinfo-devdetail.md §1), else the GUID.</summary>
    public string DevId(DmTree tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        if (_profile.Imei is { } imei && tree.Find("./SyncML/DMAcc") is { } accounts)
        {
            foreach (var account in accounts.Children)
            {
                if (account.FindChild("Ext")?.FindChild("Microsoft")?.FindChild("UseHwDevID")?.Value == "true")
                {
                    return imei;
                }
            }
        }

        return _profile.DevId;
    }
}

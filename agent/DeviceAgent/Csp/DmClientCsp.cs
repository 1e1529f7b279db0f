using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DeviceAgent.Dm;
using DeviceAgent.SyncML;

namespace DeviceAgent.Csp;

/// <summary>The poll schedule of one DMClient provider (DMClient/Provider/{ProviderID}/Poll), with the DDF's defaults filled in.</summary>
public sealed record DmClientPollSchedule(
    int IntervalForFirstSetOfRetries,
    int NumberOfFirstRetries,
    int IntervalForSecondSetOfRetries,
    int NumberOfSecondRetries,
    int IntervalForRemainingScheduledRetries,
    int NumberOfRemainingScheduledRetries,
    bool PollOnLogin,
    bool AllUsersPollOnFirstLogin)
{
    /// <summary>The schedule when nothing is set (DMClient DDF v2 descriptions: 15 minutes, 10 retries, the rest disabled).</summary>
    public static DmClientPollSchedule Default { get; } = new(15, 10, 0, 0, 0, 0, false, false);

    /// <summary>
    /// The wait, in minutes, before scheduled poll number <paramref name="poll"/> (0-based, counted from enrollment), or
    /// null once the schedule has ended. The DMClient DDF descriptions: a set whose interval is 0 is disabled; a set
    /// whose count is 0 (and interval is not) repeats forever and disables the sets after it.
    /// </summary>
    public int? IntervalBefore(int poll)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(poll);
        foreach (var (count, interval) in new[]
        {
            (NumberOfFirstRetries, IntervalForFirstSetOfRetries),
            (NumberOfSecondRetries, IntervalForSecondSetOfRetries),
            (NumberOfRemainingScheduledRetries, IntervalForRemainingScheduledRetries),
        })
        {
            if (interval <= 0)
            {
                continue;
            }

            if (count <= 0 || poll < count)
            {
                return interval;
            }

            poll -= count;
        }

        return null;
    }
}

/// <summary>
/// ./Device/Vendor/MSFT/DMClient (./Vendor/MSFT/DMClient in the 1703 DDF): provider settings live in the tree; this
/// handler answers the device-owned nodes (HWDevID, AADDeviceID, EnrollmentType, Push/ChannelURI, Push/Status),
/// refuses negative poll values, records Unenroll requests and gives the session typed reads of the poll schedule.
/// </summary>
public sealed class DmClientCsp : CspHandler
{
    /// <summary>The CSP root in the tree.</summary>
    public const string Root = "./Device/Vendor/MSFT/DMClient";

    private readonly DeviceProfile _profile;
    private readonly List<string> _pendingUnenrollments = [];

    /// <summary>Serves the DMClient CSP for <paramref name="profile"/>, whose identity answers HWDevID, AADDeviceID and EnrollmentType.</summary>
    public DmClientCsp(DeviceProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        _profile = profile;
    }

    /// <summary>./Device/Vendor/MSFT/DMClient.</summary>
    public override IReadOnlyList<string> Roots { get; } = [Root];

    /// <summary>Providers whose Unenroll was executed (in order); the session or emulator acts on them after the message.</summary>
    public IReadOnlyList<string> PendingUnenrollments => _pendingUnenrollments;

    /// <summary>Push/Status values of the DMClient DDF: 0 success, 4 no channel URI assigned.</summary>
    public const int PushStatusSuccess = 0;

    /// <summary>Push/Status when no WNS channel URI is assigned.</summary>
    public const int PushStatusNoChannel = 4;

    /// <summary>Answers the device-owned nodes (HWDevID, AADDeviceID, EnrollmentType, Push/ChannelURI, Push/Status); others come from the tree.</summary>
    public override ValueTask<CspReadResult> GetAsync(CspContext context, CancellationToken cancellationToken) => new(Read(context));

    /// <summary>Refuses a negative Poll interval or count with 500, a ManagementServiceAddress without an http(s) URL with 400.</summary>
    public override ValueTask<CspResult> OnWritingAsync(CspWriteContext context, CancellationToken cancellationToken) => new(Check(context));

    /// <summary>A new ManagementServiceAddress is saved where the w7 account keeps its address (DMAcc AppAddr), for the next session.</summary>
    public override ValueTask<CspResult> OnWrittenAsync(CspWriteContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Kind == CspWriteKind.Delete || context.RelativeSegment(0) != "Provider" || context.RelativePathFrom(2) != "ManagementServiceAddress"
            || ParseAddresses(context.NewValue) is not [var first, ..] || AccountAddress(context.Tree, context.RelativeSegment(1)!) is not { } addr)
        {
            return new(CspResult.Ok);
        }

        // DMClient CSP page: the address is saved to the same location as the w7 and DMS CSPs use.
        var old = addr.Value;
        context.Tree.Change(() => addr.Value = first.AbsoluteUri);
        return new(CspResult.Success(() => context.Tree.Change(() => addr.Value = old)));
    }

    /// <summary>Records an Unenroll of an existing provider in PendingUnenrollments (404 for an unknown one).</summary>
    public override ValueTask<CspResult> ExecAsync(CspExecContext context, CancellationToken cancellationToken) => new(Run(context));

    private CspReadResult Read(CspContext context)
    {
        if (context.RelativePath == "HWDevID")
        {
            return CspReadResult.Of(_profile.HwDevId);
        }

        if (context.RelativeSegment(0) != "Provider" || context.RelativeSegment(1) is not { } provider)
        {
            return CspReadResult.FromTree;
        }

        var rest = context.RelativePathFrom(2);
        return rest switch
        {
            "HWDevID" => CspReadResult.Of(_profile.HwDevId),
            "AADDeviceID" => CspReadResult.Of(_profile.AzureAdJoined ? _profile.AadDeviceId : null),
            "EnrollmentType" => CspReadResult.Of(_profile.EnrollmentType),
            // The DM session versions this agent speaks (docs/dm-tree.md).
            "MaxSyncApplicationVersion" => CspReadResult.Of("2.0"),
            "Push/ChannelURI" => CspReadResult.Of(ChannelUri(context.Tree, provider) ?? ""),
            "Push/Status" => CspReadResult.Of((ChannelUri(context.Tree, provider) is null ? PushStatusNoChannel : PushStatusSuccess).ToString(CultureInfo.InvariantCulture)),
            "ManagementServiceAddress" => ManagementServiceAddress(context, provider),
            _ => CspReadResult.FromTree,
        };
    }

    /// <summary>
    /// The stored list while its first address is still the account's; once the account's address was replaced
    /// through DMAcc, that address (one location for both CSPs, DMClient CSP page).
    /// </summary>
    private static CspReadResult ManagementServiceAddress(CspContext context, string provider)
    {
        var stored = context.Node?.Value;
        if (AccountAddress(context.Tree, provider)?.Value is not { Length: > 0 } account
            || (ParseAddresses(stored) is [var first, ..] && first.AbsoluteUri == account))
        {
            return CspReadResult.FromTree;
        }

        return CspReadResult.Of(account);
    }

    /// <summary>
    /// Where the next session of <paramref name="providerId"/> goes: the address of its DMAcc account (the w7 location,
    /// first AppAddr with an Addr), else the first ManagementServiceAddress; null when neither is an http(s) URL.
    /// </summary>
    public static Uri? ServerAddress(DmTree tree, string providerId)
    {
        ArgumentNullException.ThrowIfNull(tree);
        return tree.Read(t => ParseAddresses(AccountAddress(t, providerId)?.Value) is [var account, ..]
            ? account
            : ParseAddresses(ProviderNode(t, providerId)?.FindChild("ManagementServiceAddress")?.Value) is [var listed, ..] ? listed : null);
    }

    /// <summary>The Addr leaf of the DMAcc account whose ServerID is <paramref name="providerId"/> (w7: PROVIDER-ID → ServerID).</summary>
    private static DmNode? AccountAddress(DmTree tree, string providerId)
    {
        foreach (var account in tree.Find("./SyncML/DMAcc")?.Children ?? [])
        {
            if (account.FindChild("ServerID")?.Value == providerId)
            {
                return account.FindChild("AppAddr")?.Children.Select(a => a.FindChild("Addr")).FirstOrDefault(a => a?.Value is not null);
            }
        }

        return null;
    }

    /// <summary>"&lt;URL1&gt;&lt;URL2&gt;" or a single URL (DMClient CSP page, ManagementServiceAddress); empty when any is not an absolute http(s) URL.</summary>
    public static IReadOnlyList<Uri> ParseAddresses(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return [];
        }

        var text = value.Trim();
        var parts = text.StartsWith('<') ? text.Split(['<', '>'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [text];
        var list = new List<Uri>(parts.Length);
        foreach (var part in parts)
        {
            if (!Uri.TryCreate(part, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            {
                return [];
            }

            list.Add(uri);
        }

        return list;
    }

    private static CspResult Check(CspWriteContext context)
    {
        if (context.Kind != CspWriteKind.Delete && context.Schema.Format == DdfFormat.Int
            && context.RelativeSegment(2) == "Poll" && context.NewValue is { } value && value.StartsWith('-'))
        {
            // A negative interval or count has no meaning in the schedule (docs/dm-tree.md "DMClient").
            return CspResult.Fail(StatusCodes.CommandFailed);
        }

        if (context.Kind == CspWriteKind.Replace && context.RelativeSegment(0) == "Provider" && context.RelativePathFrom(2) == "ManagementServiceAddress"
            && ParseAddresses(context.NewValue).Count == 0)
        {
            // A session cannot go to it [choice: 400, docs/csps.md "Sessions follow DMClient and DMAcc"].
            return CspResult.Fail(StatusCodes.BadRequest);
        }

        return CspResult.Ok;
    }

    private CspResult Run(CspExecContext context)
    {
        string? provider;
        if (context.RelativePath == "Unenroll")
        {
            // Top-level Unenroll names the provider in Data.
            provider = string.IsNullOrWhiteSpace(context.Data) ? null : context.Data.Trim();
            if (provider is null || context.Tree.Find(Root + "/Provider/" + DmUri.EncodeSegment(provider)) is null)
            {
                return CspResult.Fail(StatusCodes.NotFound);
            }
        }
        else if (context.RelativeSegment(0) == "Provider" && context.RelativeSegment(2) == "Unenroll")
        {
            provider = context.RelativeSegment(1)!;
        }
        else
        {
            return CspResult.Fail(StatusCodes.OptionalFeatureNotSupported);
        }

        _pendingUnenrollments.Add(provider);
        return CspResult.Success(() => _pendingUnenrollments.RemoveAt(_pendingUnenrollments.Count - 1));
    }

    /// <summary>Removes and returns the pending Unenroll requests.</summary>
    public IReadOnlyList<string> TakePendingUnenrollments()
    {
        var taken = _pendingUnenrollments.ToArray();
        _pendingUnenrollments.Clear();
        return taken;
    }

    /// <summary>The poll schedule of <paramref name="providerId"/> as set by the server, defaults where unset.</summary>
    public static DmClientPollSchedule GetPollSchedule(DmTree tree, string providerId)
    {
        ArgumentNullException.ThrowIfNull(tree);
        return tree.Read(t =>
        {
            var poll = ProviderNode(t, providerId)?.FindChild("Poll");
            var d = DmClientPollSchedule.Default;
            return new DmClientPollSchedule(
                Int(poll, "IntervalForFirstSetOfRetries", d.IntervalForFirstSetOfRetries),
                Int(poll, "NumberOfFirstRetries", d.NumberOfFirstRetries),
                Int(poll, "IntervalForSecondSetOfRetries", d.IntervalForSecondSetOfRetries),
                Int(poll, "NumberOfSecondRetries", d.NumberOfSecondRetries),
                Int(poll, "IntervalForRemainingScheduledRetries", d.IntervalForRemainingScheduledRetries),
                Int(poll, "NumberOfRemainingScheduledRetries", d.NumberOfRemainingScheduledRetries),
                poll?.FindChild("PollOnLogin")?.Value == "true",
                poll?.FindChild("AllUsersPollOnFirstLogin")?.Value == "true");
        });
    }

    /// <summary>
    /// The WNS channel of <paramref name="providerId"/>, or null when no PFN is set. The emulator has no WNS: the URI is
    /// derived from the PFN and DevId so the same device and PFN always get the same channel.
    /// </summary>
    public string? ChannelUri(DmTree tree, string providerId)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var pfn = ProviderNode(tree, providerId)?.FindChild("Push")?.FindChild("PFN")?.Value;
        if (string.IsNullOrEmpty(pfn))
        {
            return null;
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(pfn + "|" + _profile.DevId));
        var token = Base64Url.EncodeToString(hash);
        return "https://db5.notify.windows.com/?token=" + token;
    }

    private static DmNode? ProviderNode(DmTree tree, string providerId) =>
        tree.Find(Root + "/Provider")?.FindChild(providerId);

    private static int Int(DmNode? poll, string name, int fallback) =>
        poll?.FindChild(name)?.Value is { } text && int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : fallback;
}

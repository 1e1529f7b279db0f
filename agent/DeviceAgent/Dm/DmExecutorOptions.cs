using DeviceAgent.SyncML;

namespace DeviceAgent.Dm;

/// <summary>What a Get of a leaf that has no value answers (docs/reference/open-questions.md item 11).</summary>
public enum DmUnsetLeafGet
{
    /// <summary>404 (default): the leaf does not exist until it is set.</summary>
    NotFound,

    /// <summary>The DDF DefaultValue when there is one, else 404.</summary>
    DefaultValue,
}

/// <summary>Choices of <see cref="DmCommandExecutor"/> where Windows' documentation is silent (docs/dm-tree.md).</summary>
public sealed record DmExecutorOptions
{
    /// <summary>Windows' choices: lenient formats, 500 for refused values, 404 for unset leaves.</summary>
    public static DmExecutorOptions Default { get; } = new();

    /// <summary>How strictly Meta/Format must match the node's DDF DFFormat (415 when it cannot).</summary>
    public DmFormatMode FormatMode { get; init; } = DmFormatMode.Lenient;

    /// <summary>Status of a value outside the DDF's allowed values (ENUM, Range, RegEx) or refused by validation; docs/reference/passportforwork.md §5 suggests 500.</summary>
    public int ValidationFailureStatus { get; init; } = StatusCodes.CommandFailed;

    /// <summary>What a Get of a leaf without a value answers.</summary>
    public DmUnsetLeafGet UnsetLeafGet { get; init; } = DmUnsetLeafGet.NotFound;

    /// <summary>Status of a ./User command while nobody is signed in (docs/reference/omadm.md §9: 405 for a user node in a device session).</summary>
    public int NoSignedInUserStatus { get; init; } = StatusCodes.CommandNotAllowed;

    /// <summary>Status of Copy, which Windows does not implement (docs/reference/omadm.md §8).</summary>
    public int CopyStatus { get; init; } = StatusCodes.OptionalFeatureNotSupported;

    /// <summary>Status of an Exec of a node that allows Exec but whose action the emulator does not implement.</summary>
    public int UnimplementedExecStatus { get; init; } = StatusCodes.OptionalFeatureNotSupported;

    /// <summary>Alert codes the device accepts from the server (answered 200); others are answered 406.</summary>
    public IReadOnlySet<int> AcceptedAlerts { get; init; } = new HashSet<int> { AlertCodes.Display };

    /// <summary>
    /// Subtrees where Replace of a missing node creates it like Add (the Policy CSP, docs/reference/omadm.md §8; NodeCache,
    /// whose CSP page Replaces ExpectedValue and AutoSetExpectedValue of a node just added, docs/csps.md); elsewhere 404.
    /// </summary>
    public IReadOnlyList<string> ReplaceCreatesUnder { get; init; } =
        ["./Device/Vendor/MSFT/Policy", "./User/Vendor/MSFT/Policy", "./Device/Vendor/MSFT/NodeCache", "./User/Vendor/MSFT/NodeCache"];

    /// <summary>Options for a device profile (its format mode); other choices keep their defaults.</summary>
    public static DmExecutorOptions ForProfile(DeviceProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return new DmExecutorOptions { FormatMode = profile.FormatMode };
    }
}

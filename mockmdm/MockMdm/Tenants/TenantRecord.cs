using MockMdm.Store;

namespace MockMdm.Tenants;

/// <summary>A tenant: its directory (tenant) ID, the UPN domains it owns, and its consent to the two PIN reset applications.</summary>
public sealed class TenantRecord : IStoreRecord
{
    /// <summary>The directory (tenant) ID, a GUID in "D" form, lower case.</summary>
    public required string Id { get; init; }

    public string? Owner => null;
    public required string DisplayName { get; set; }

    /// <summary>UPN domain suffixes whose users belong to this tenant; the default tenant also takes every other domain.</summary>
    public List<string> Domains { get; init; } = [];

    /// <summary>Admin consent to "Microsoft Pin Reset Service Production" (docs/reference/pin-reset.md §1).</summary>
    public bool PinResetServiceConsented { get; set; }

    /// <summary>Admin consent to "Microsoft Pin Reset Client Production" (docs/reference/pin-reset.md §1).</summary>
    public bool PinResetClientConsented { get; set; }

    public DateTimeOffset? ConsentUpdatedDateTime { get; set; }
}

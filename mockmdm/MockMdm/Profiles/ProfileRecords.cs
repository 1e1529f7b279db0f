using MockMdm.Store;

namespace MockMdm.Profiles;

/// <summary>Intune's custom OMA-URI data types (Graph omaSettingBoolean, omaSettingInteger, omaSettingString).</summary>
public enum OmaDataType
{
    Boolean,
    Integer,
    String,
}

/// <summary>One custom OMA-URI setting as Intune has it: name, OMA-URI, data type and value (value kept as text).</summary>
public sealed record OmaSetting(string DisplayName, string? Description, string OmaUri, OmaDataType DataType, string Value);

/// <summary>A device configuration profile (Graph windows10CustomConfiguration) with its OMA-URI settings.</summary>
public sealed class ConfigurationRecord : IStoreRecord
{
    public required string Id { get; init; }
    public string? Owner => null;
    public required string DisplayName { get; set; }
    public string? Description { get; set; }
    public List<OmaSetting> OmaSettings { get; set; } = [];

    /// <summary>MS-MDE2 DeviceTypes the profile applies to; devices of other types count as not applicable.</summary>
    public List<string> SupportedDeviceTypes { get; set; } = [];

    /// <summary>Non-fatal problems found in the settings (see ProfileValidator).</summary>
    public List<string> Warnings { get; set; } = [];

    public required DateTimeOffset CreatedDateTime { get; init; }
    public DateTimeOffset LastModifiedDateTime { get; set; }

    /// <summary>Raised on every change of settings, so devices get the new version.</summary>
    public int Version { get; set; } = 1;
}

/// <summary>Whom an assignment targets.</summary>
public enum AssignmentTargetKind
{
    Group,
    AllDevices,
    AllLicensedUsers,
}

/// <summary>An assignment of a configuration to a group, all devices or all users.</summary>
public sealed class AssignmentRecord : IStoreRecord
{
    public required string Id { get; init; }
    public string? Owner => ConfigurationId;
    public required string ConfigurationId { get; init; }
    public required AssignmentTargetKind Kind { get; init; }
    public string? GroupId { get; init; }
}

/// <summary>Whether a group holds users (by UPN) or devices (by managed device ID).</summary>
public enum GroupKind
{
    User,
    Device,
}

/// <summary>A directory group that assignments target.</summary>
public sealed class GroupRecord : IStoreRecord
{
    public required string Id { get; init; }
    public string? Owner => null;
    public required string DisplayName { get; set; }
    public required GroupKind Kind { get; init; }

    /// <summary>UPNs (user group) or managed device IDs (device group).</summary>
    public List<string> Members { get; set; } = [];
}

/// <summary>Per-device state of a configuration.</summary>
public enum ProfileDeviceState
{
    Pending,
    Succeeded,
    Failed,
    NotApplicable,
}

/// <summary>One device's state for one configuration.</summary>
public sealed class ProfileDeviceStatusRecord : IStoreRecord
{
    /// <summary>"{configurationId}:{deviceId}".</summary>
    public required string Id { get; init; }

    public string? Owner => ConfigurationId;
    public required string ConfigurationId { get; init; }
    public required string DeviceId { get; init; }
    public ProfileDeviceState State { get; set; }

    /// <summary>The configuration version this state is for.</summary>
    public int Version { get; set; }

    /// <summary>True when the device is targeted only through a user group (its user is a member).</summary>
    public bool ViaUserGroup { get; set; }

    /// <summary>The first failing SyncML status the device returned.</summary>
    public int? DeviceStatusCode { get; set; }

    public string? Reason { get; set; }
    public DateTimeOffset LastReportedDateTime { get; set; }
}

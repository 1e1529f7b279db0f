using DeviceAgent.Protocol;
using MockMdm.Store;

namespace MockMdm.Enrollment;

/// <summary>Intune's managedDeviceOwnerType.</summary>
public enum Ownership
{
    Company,
    Personal,
}

/// <summary>An enrolled device: what enrollment recorded and what its sessions reported since (inventory).</summary>
public sealed class DeviceRecord : IStoreRecord
{
    /// <summary>The managed device ID the server assigned (Graph managedDevice id).</summary>
    public required string Id { get; init; }

    public string? Owner => null;

    /// <summary>The DeviceID context item of the enrollment request.</summary>
    public required string EnrollmentDeviceId { get; init; }

    /// <summary>./DevInfo/DevId as the device last reported it in SyncHdr Source/LocURI.</summary>
    public string? DevId { get; set; }

    public required string TenantId { get; init; }
    public required string UserPrincipalName { get; init; }
    public required string DeviceType { get; init; }

    /// <summary>OSVersion at enrollment, later DevDetail/SwV.</summary>
    public required string OsVersion { get; set; }

    public string? OsEdition { get; init; }

    /// <summary>MS-MDE2 EnrollmentType: Full or Device.</summary>
    public required string EnrollmentType { get; init; }

    public required JoinType JoinType { get; init; }
    public required Ownership Ownership { get; set; }
    public string? DeviceName { get; set; }
    public string? HwDevId { get; set; }
    public string? Manufacturer { get; set; }
    public string? Model { get; set; }
    public string? Language { get; set; }
    public string? DmVersion { get; set; }

    /// <summary>SHA-1 thumbprint (upper-case hex) of the client certificate issued at enrollment.</summary>
    public required string CertificateThumbprint { get; init; }

    /// <summary>The secret that identifies the device in plain-HTTP mode (docs/mock-mdm.md).</summary>
    public required string DeviceToken { get; init; }

    public required DateTimeOffset EnrolledDateTime { get; init; }
    public DateTimeOffset? LastSyncDateTime { get; set; }

    /// <summary>The WNS-like channel the device reported in DMClient/Provider/{id}/Push/ChannelURI.</summary>
    public string? PushChannelUri { get; set; }

    /// <summary>Every DevInfo and DevDetail value the device reported, by LocURI.</summary>
    public Dictionary<string, string> Inventory { get; init; } = [];
}

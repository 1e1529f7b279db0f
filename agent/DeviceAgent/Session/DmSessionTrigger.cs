using DeviceAgent.SyncML;

namespace DeviceAgent.Session;

/// <summary>Why a session starts: a client-initiated poll (Alert 1201) or a server notification (Alert 1200), plus generic alerts to report.</summary>
public sealed record DmSessionTrigger
{
    /// <summary>A scheduled poll or user sync: Alert 1201 and a SessionID the client picks.</summary>
    public static DmSessionTrigger ClientInitiated { get; } = new();

    /// <summary>A session answering a server notification; its SessionID must be the notification's (docs/reference/omadm.md §2, OMA).</summary>
    public static DmSessionTrigger ServerInitiated(string notificationSessionId)
    {
        ArgumentException.ThrowIfNullOrEmpty(notificationSessionId);
        return new DmSessionTrigger { NotificationSessionID = notificationSessionId };
    }

    /// <summary>The SessionID of the server notification, or null for a client-initiated session.</summary>
    public string? NotificationSessionID { get; init; }

    /// <summary>True when the session answers a server notification.</summary>
    public bool IsServerInitiated => NotificationSessionID is not null;

    /// <summary>The alert code package 1 opens with: 1200 or 1201 (docs/reference/omadm.md §7).</summary>
    public int AlertCode => IsServerInitiated ? AlertCodes.ServerInitiatedMgmt : AlertCodes.ClientInitiatedMgmt;

    /// <summary>Generic alerts (1226) sent in package 1, in order (docs/reference/omadm.md §7, §11).</summary>
    public IReadOnlyList<DmGenericAlert> GenericAlerts { get; init; } = [];
}

/// <summary>One Alert 1226 item: Meta/Type (reverse DNS), Meta/Format, optional Meta/Mark and Source, and Data (docs/reference/omadm.md §7).</summary>
public sealed record DmGenericAlert(string Type, string Format, string? Data)
{
    /// <summary>The node that raised the alert, or null.</summary>
    public string? SourceLocURI { get; init; }

    /// <summary>Importance (e.g. critical, fatal), or null for the default level.</summary>
    public string? Mark { get; init; }
}

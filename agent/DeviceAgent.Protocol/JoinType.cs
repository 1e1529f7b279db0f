namespace DeviceAgent.Protocol;

/// <summary>
/// How a device is joined to its tenant's directory (MS-MDE2 enrollment of an Azure AD joined device vs "add work or
/// school account"); the server maps it to ownership and to the RemoteLock node of a passcode reset. Names follow
/// Graph's managedDevice joinType (azureADJoined, workplaceJoined); stored records and the enrollment token carry them.
/// </summary>
public enum JoinType
{
    /// <summary>Azure AD (Entra) joined: a corporate device, enrollment tied to the join.</summary>
    AzureADJoined,

    /// <summary>Workplace joined ("add work or school account", Entra registered): a personal device.</summary>
    WorkplaceJoined,
}

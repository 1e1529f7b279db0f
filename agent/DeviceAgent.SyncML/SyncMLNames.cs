namespace DeviceAgent.SyncML;

/// <summary>Element names and namespaces of SyncML 1.2 DM.</summary>
public static class SyncMLNames
{
    public const string Namespace12 = "SYNCML:SYNCML1.2";
    public const string Namespace11 = "SYNCML:SYNCML1.1";
    public const string MetInfNamespace = "syncml:metinf";

    public const string SyncHdr = "SyncHdr";
    public const string Add = "Add";
    public const string Alert = "Alert";
    public const string Atomic = "Atomic";
    public const string Copy = "Copy";
    public const string Delete = "Delete";
    public const string Exec = "Exec";
    public const string Get = "Get";
    public const string Replace = "Replace";
    public const string Results = "Results";
    public const string Sequence = "Sequence";
    public const string Status = "Status";
}

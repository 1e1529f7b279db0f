namespace DeviceAgent.SyncML;

/// <summary>Element names and namespaces of SyncML 1.2 DM.</summary>
public static class SyncMLNames
{
    /// <summary>The SyncML 1.2 namespace the writer declares on &lt;SyncML&gt; by default.</summary>
    public const string Namespace12 = "SYNCML:SYNCML1.2";
    /// <summary>The SyncML 1.1 namespace: also accepted by the reader, kept in SyncMLMessage.Namespace and written back.</summary>
    public const string Namespace11 = "SYNCML:SYNCML1.1";
    /// <summary>The MetInf namespace of Meta children (Format, Type, Size ...); the writer declares it on each, the reader ignores it.</summary>
    public const string MetInfNamespace = "syncml:metinf";

    /// <summary>Cmd value of a Status that answers the SyncHdr (CmdRef 0).</summary>
    public const string SyncHdr = "SyncHdr";
    /// <summary>Element name of <see cref="DeviceAgent.SyncML.Add"/>, also the Cmd of the Status that answers one.</summary>
    public const string Add = "Add";
    /// <summary>Element name of <see cref="DeviceAgent.SyncML.Alert"/>, also the Cmd of the Status that answers one.</summary>
    public const string Alert = "Alert";
    /// <summary>Element name of <see cref="DeviceAgent.SyncML.Atomic"/>, also the Cmd of the Status that answers one.</summary>
    public const string Atomic = "Atomic";
    /// <summary>Element name of <see cref="DeviceAgent.SyncML.Copy"/>, also the Cmd of the Status that answers one.</summary>
    public const string Copy = "Copy";
    /// <summary>Element name of <see cref="DeviceAgent.SyncML.Delete"/>, also the Cmd of the Status that answers one.</summary>
    public const string Delete = "Delete";
    /// <summary>Element name of <see cref="DeviceAgent.SyncML.Exec"/>, also the Cmd of the Status that answers one.</summary>
    public const string Exec = "Exec";
    /// <summary>Element name of <see cref="DeviceAgent.SyncML.Get"/>, also the Cmd of the Status that answers one.</summary>
    public const string Get = "Get";
    /// <summary>Element name of <see cref="DeviceAgent.SyncML.Replace"/>, also the Cmd of the Status that answers one.</summary>
    public const string Replace = "Replace";
    /// <summary>Element name of <see cref="DeviceAgent.SyncML.Results"/>, also the Cmd of the Status that answers one.</summary>
    public const string Results = "Results";
    /// <summary>Element name of <see cref="DeviceAgent.SyncML.Sequence"/>, also the Cmd of the Status that answers one.</summary>
    public const string Sequence = "Sequence";
    /// <summary>Element name of <see cref="DeviceAgent.SyncML.Status"/>, also the Cmd of the Status that answers one.</summary>
    public const string Status = "Status";
}

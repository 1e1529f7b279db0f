namespace DeviceAgent.SyncML;

/// <summary>A command in a SyncBody, Atomic or Sequence. CmdID is an opaque string (placeholders like "xxcmdidxx" occur).</summary>
public abstract class SyncMLCommand
{
    /// <summary>The command's CmdID, or null when the element had none (answered with Status 400 and an empty CmdRef).</summary>
    public string? CmdID { get; set; }

    /// <summary>True when &lt;NoResp/&gt; asks the recipient not to return a Status for this command (OMA flag; MS-MDM is silent on it).</summary>
    public bool NoResp { get; set; }

    /// <summary>The element name as the protocol spells it (Add, Alert, Atomic ...), also used as Status/Cmd.</summary>
    public abstract string Name { get; }

    // The storage behind ItemList for the commands that carry Items (item commands, Alert, Status, Results): the first
    // Item inline, the rest in a list created for a second one. Here rather than in a collection object so that a
    // command does not allocate one.
    internal Item? FirstItem;
    internal List<Item>? MoreItems;
}

/// <summary>A command made of items: Add, Copy, Delete, Exec, Get, Replace.</summary>
public abstract class ItemCommand : SyncMLCommand
{
    /// <summary>Credentials authenticating this one command, or null (rare; DM authentication is normally in the SyncHdr).</summary>
    public Cred? Cred { get; set; }

    /// <summary>Command-level Meta (Format, Type ...) that applies to every Item unless the Item's own Meta overrides a child.</summary>
    public Meta? Meta { get; set; }

    /// <summary>The Items naming the nodes the command acts on: Target LocURI (Source in a client's Replace), optional Meta and Data.</summary>
    public ItemList Items => new(this);
}

/// <summary>Add: creates the interior or leaf node each Item's Target LocURI names, with the Item's Data as a leaf's value.</summary>
public sealed class Add : ItemCommand
{
    /// <inheritdoc/>
    public override string Name => SyncMLNames.Add;
}

/// <summary>Replace: sets the value of the node each Item names; in package 1 the client sends its DevInfo leaves with it (Source LocURIs).</summary>
public sealed class Replace : ItemCommand
{
    /// <inheritdoc/>
    public override string Name => SyncMLNames.Replace;
}

/// <summary>Delete: removes the node each Item's Target LocURI names (with its subtree).</summary>
public sealed class Delete : ItemCommand
{
    /// <inheritdoc/>
    public override string Name => SyncMLNames.Delete;
}

/// <summary>Get: asks for the value of each Item's Target node (an interior node's value is its list of children); answered by Results.</summary>
public sealed class Get : ItemCommand
{
    /// <inheritdoc/>
    public override string Name => SyncMLNames.Get;
}

/// <summary>Exec: runs the executable node the Item's Target LocURI names, with the Item's Data as its argument.</summary>
public sealed class Exec : ItemCommand
{
    /// <inheritdoc/>
    public override string Name => SyncMLNames.Exec;

    /// <summary>OMA Correlator; MS-MDM says Windows does not support it, but it is kept if present.</summary>
    public string? Correlator { get; set; }
}

/// <summary>Copy exists in OMA DM; Windows does not implement it.</summary>
public sealed class Copy : ItemCommand
{
    /// <inheritdoc/>
    public override string Name => SyncMLNames.Copy;
}

/// <summary>Alert: CmdID, Data (the alert code), Items (MS-MDM 2.2.7.2).</summary>
public sealed class Alert : SyncMLCommand
{
    /// <inheritdoc/>
    public override string Name => SyncMLNames.Alert;

    /// <summary>Credentials sent with the Alert, or null.</summary>
    public Cred? Cred { get; set; }

    /// <summary>The alert code as sent (e.g. "1201"); see <see cref="AlertCodes"/>.</summary>
    public string? Data { get; set; }

    /// <summary>OMA Correlator tying a Generic Alert to the Exec it reports on; MS-MDM says Windows does not support it, but it is kept if present.</summary>
    public string? Correlator { get; set; }

    /// <summary>The Alert's Items: for 1224/1226 a Meta Type/Format (and Mark) and the Data, optionally the Source LocURI of the reporting node.</summary>
    public ItemList Items => new(this);
}

/// <summary>A container of commands: Atomic or Sequence.</summary>
public abstract class ContainerCommand : SyncMLCommand
{
    /// <summary>Meta of the container element itself, or null.</summary>
    public Meta? Meta { get; set; }

    /// <summary>The nested commands in document order; the container's Status covers only itself, each nested command gets its own.</summary>
    public List<SyncMLCommand> Commands { get; } = [];
}

/// <summary>All-or-nothing execution of its commands.</summary>
public sealed class Atomic : ContainerCommand
{
    /// <inheritdoc/>
    public override string Name => SyncMLNames.Atomic;
}

/// <summary>In-order execution of its commands.</summary>
public sealed class Sequence : ContainerCommand
{
    /// <inheritdoc/>
    public override string Name => SyncMLNames.Sequence;
}

/// <summary>Status: CmdID, MsgRef, CmdRef, Cmd, TargetRef*, SourceRef*, Cred, Chal, Data, Item* (OMA DTD order).</summary>
public sealed class Status : SyncMLCommand
{
    /// <inheritdoc/>
    public override string Name => SyncMLNames.Status;

    /// <summary>MsgID of the message that carried the answered command.</summary>
    public string? MsgRef { get; set; }

    /// <summary>CmdID of the answered command; "0" when the Status answers the SyncHdr.</summary>
    public string? CmdRef { get; set; }

    /// <summary>Name of the answered command (SyncHdr, Add, Alert ...).</summary>
    public string? Cmd { get; set; }

    // The parts most Status elements lack (refs, credentials, challenge) live in one object created on first use:
    // a package acknowledges every command, so the common Status stays small.
    private Rare? _rare;

    /// <summary>TargetRef elements: Target LocURIs the Status refers to (of the answered Items, or the SyncHdr's Target); often none.</summary>
    public List<string> TargetRefs => RarePart.TargetRefs ??= [];

    /// <summary>SourceRef elements: Source LocURIs the Status refers to (of the answered Items, or the SyncHdr's Source); often none.</summary>
    public List<string> SourceRefs => RarePart.SourceRefs ??= [];

    internal bool HasTargetRefs => _rare?.TargetRefs is { Count: > 0 };
    internal bool HasSourceRefs => _rare?.SourceRefs is { Count: > 0 };
    internal bool HasItems => FirstItem is not null;

    /// <summary>Credentials carried in the Status, or null.</summary>
    public Cred? Cred { get => _rare?.Cred; set { if (value is not null || _rare is not null) RarePart.Cred = value; } }

    /// <summary>The authentication challenge (Chal: Meta Type, Format, NextNonce) asking the peer for new credentials, or null.</summary>
    public Chal? Chal { get => _rare?.Chal; set { if (value is not null || _rare is not null) RarePart.Chal = value; } }

    /// <summary>The status code as sent (e.g. "200"); see <see cref="StatusCodes"/>.</summary>
    public string? Data { get; set; }

    /// <summary>Items returned with the Status (OMA uses them for the answer to a user-interaction Alert); usually none.</summary>
    public ItemList Items => new(this);

    private Rare RarePart => _rare ??= new();

    private sealed class Rare
    {
        public List<string>? TargetRefs;
        public List<string>? SourceRefs;
        public Cred? Cred;
        public Chal? Chal;
    }
}

/// <summary>Results of a Get: CmdID, MsgRef, CmdRef, Cmd (MS-MDM only), Meta, TargetRef, SourceRef, Item+.</summary>
public sealed class Results : SyncMLCommand
{
    /// <inheritdoc/>
    public override string Name => SyncMLNames.Results;

    /// <summary>MsgID of the message that carried the Get (optional in the OMA DTD).</summary>
    public string? MsgRef { get; set; }

    /// <summary>CmdID of the Get these Results answer.</summary>
    public string? CmdRef { get; set; }

    /// <summary>MS-MDM samples carry Cmd inside Results; the OMA DTD does not. Read when present; written only when set.</summary>
    public string? Cmd { get; set; }

    /// <summary>Meta that applies to every returned Item unless the Item's own Meta overrides it, or null.</summary>
    public Meta? Meta { get; set; }

    /// <summary>TargetRef: the Target LocURI of the answered Get, or null.</summary>
    public string? TargetRef { get; set; }

    /// <summary>SourceRef: the Source LocURI the answered Get referred to, or null.</summary>
    public string? SourceRef { get; set; }

    /// <summary>One Item per returned node: Source LocURI of the node, Meta Format/Type when not the default, and Data.</summary>
    public ItemList Items => new(this);
}

/// <summary>An element that is not an OMA DM command, kept verbatim so the agent can answer it with Status 400.</summary>
public sealed class UnknownCommand : SyncMLCommand
{
    /// <summary>Keeps an element the reader found where a command belongs.</summary>
    /// <param name="elementName">The element's name exactly as it appeared.</param>
    /// <param name="rawXml">The whole element as raw XML.</param>
    public UnknownCommand(string elementName, string rawXml)
    {
        ElementName = elementName;
        RawXml = rawXml;
    }

    /// <summary>The unknown element's own name, so its Status 400 names it in Cmd.</summary>
    public override string Name => ElementName;

    /// <summary>The element's name exactly as it appeared.</summary>
    public string ElementName { get; }

    /// <summary>The whole element as raw XML.</summary>
    public string RawXml { get; }
}

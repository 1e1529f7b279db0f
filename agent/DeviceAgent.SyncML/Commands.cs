namespace DeviceAgent.SyncML;

/// <summary>A command in a SyncBody, Atomic or Sequence. CmdID is an opaque string (placeholders like "xxcmdidxx" occur).</summary>
public abstract class SyncMLCommand
{
    /// <summary>The command's CmdID, or null when the element had none (answered with Status 400 and an empty CmdRef).</summary>
    public string? CmdID { get; set; }

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
    public Cred? Cred { get; set; }
    public Meta? Meta { get; set; }
    public ItemList Items => new(this);
}

public sealed class Add : ItemCommand
{
    public override string Name => SyncMLNames.Add;
}

public sealed class Replace : ItemCommand
{
    public override string Name => SyncMLNames.Replace;
}

public sealed class Delete : ItemCommand
{
    public override string Name => SyncMLNames.Delete;
}

public sealed class Get : ItemCommand
{
    public override string Name => SyncMLNames.Get;
}

public sealed class Exec : ItemCommand
{
    public override string Name => SyncMLNames.Exec;

    /// <summary>OMA Correlator; MS-MDM says Windows does not support it, but it is kept if present.</summary>
    public string? Correlator { get; set; }
}

/// <summary>Copy exists in OMA DM; Windows does not implement it.</summary>
public sealed class Copy : ItemCommand
{
    public override string Name => SyncMLNames.Copy;
}

/// <summary>Alert: CmdID, Data (the alert code), Items (MS-MDM 2.2.7.2).</summary>
public sealed class Alert : SyncMLCommand
{
    public override string Name => SyncMLNames.Alert;
    public Cred? Cred { get; set; }

    /// <summary>The alert code as sent (e.g. "1201"); see <see cref="AlertCodes"/>.</summary>
    public string? Data { get; set; }

    public string? Correlator { get; set; }
    public ItemList Items => new(this);
}

/// <summary>A container of commands: Atomic or Sequence.</summary>
public abstract class ContainerCommand : SyncMLCommand
{
    public Meta? Meta { get; set; }
    public List<SyncMLCommand> Commands { get; } = [];
}

/// <summary>All-or-nothing execution of its commands.</summary>
public sealed class Atomic : ContainerCommand
{
    public override string Name => SyncMLNames.Atomic;
}

/// <summary>In-order execution of its commands.</summary>
public sealed class Sequence : ContainerCommand
{
    public override string Name => SyncMLNames.Sequence;
}

/// <summary>Status: CmdID, MsgRef, CmdRef, Cmd, TargetRef*, SourceRef*, Cred, Chal, Data, Item* (OMA DTD order).</summary>
public sealed class Status : SyncMLCommand
{
    public override string Name => SyncMLNames.Status;
    public string? MsgRef { get; set; }
    public string? CmdRef { get; set; }

    /// <summary>Name of the answered command (SyncHdr, Add, Alert ...).</summary>
    public string? Cmd { get; set; }

    // The parts most Status elements lack (refs, credentials, challenge) live in one object created on first use:
    // a package acknowledges every command, so the common Status stays small.
    private Rare? _rare;

    public List<string> TargetRefs => RarePart.TargetRefs ??= [];
    public List<string> SourceRefs => RarePart.SourceRefs ??= [];

    internal bool HasTargetRefs => _rare?.TargetRefs is { Count: > 0 };
    internal bool HasSourceRefs => _rare?.SourceRefs is { Count: > 0 };
    internal bool HasItems => FirstItem is not null;

    public Cred? Cred { get => _rare?.Cred; set { if (value is not null || _rare is not null) RarePart.Cred = value; } }
    public Chal? Chal { get => _rare?.Chal; set { if (value is not null || _rare is not null) RarePart.Chal = value; } }

    /// <summary>The status code as sent (e.g. "200"); see <see cref="StatusCodes"/>.</summary>
    public string? Data { get; set; }

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
    public override string Name => SyncMLNames.Results;
    public string? MsgRef { get; set; }
    public string? CmdRef { get; set; }

    /// <summary>MS-MDM samples carry Cmd inside Results; the OMA DTD does not. Read when present; written only when set.</summary>
    public string? Cmd { get; set; }

    public Meta? Meta { get; set; }
    public string? TargetRef { get; set; }
    public string? SourceRef { get; set; }
    public ItemList Items => new(this);
}

/// <summary>An element that is not an OMA DM command, kept verbatim so the agent can answer it with Status 400.</summary>
public sealed class UnknownCommand : SyncMLCommand
{
    public UnknownCommand(string elementName, string rawXml)
    {
        ElementName = elementName;
        RawXml = rawXml;
    }

    public override string Name => ElementName;

    /// <summary>The element's name exactly as it appeared.</summary>
    public string ElementName { get; }

    /// <summary>The whole element as raw XML.</summary>
    public string RawXml { get; }
}

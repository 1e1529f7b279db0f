namespace DeviceAgent.SyncML;

/// <summary>One SyncML 1.2 DM message: a header and an ordered body (OMA SyncML RepPro 1.2; MS-MDM 2.2.2).</summary>
public sealed class SyncMLMessage
{
    /// <summary>The root element's namespace as read (SYNCML:SYNCML1.2, SYNCML:SYNCML1.1, or empty); the writer emits SYNCML:SYNCML1.2 when null or empty.</summary>
    public string? Namespace { get; set; } = SyncMLNames.Namespace12;

    /// <summary>The SyncHdr, or null when the message has none (documentation fragments, &lt;SyncHdr/&gt;).</summary>
    public SyncHdr? SyncHdr { get; set; }

    public SyncBody SyncBody { get; set; } = new();
}

/// <summary>The SyncHdr element: VerDTD, VerProto, SessionID, MsgID, Target, Source, RespURI, NoResp, Cred, Meta.</summary>
public sealed class SyncHdr
{
    public string? VerDTD { get; set; } = "1.2";
    public string? VerProto { get; set; } = "DM/1.2";

    /// <summary>Opaque: decimal, hex ("D") and longer strings all occur in real traffic.</summary>
    public string? SessionID { get; set; }

    /// <summary>Opaque string; numbered per sender from 1.</summary>
    public string? MsgID { get; set; }

    public LocationElement? Target { get; set; }
    public LocationElement? Source { get; set; }
    public string? RespURI { get; set; }
    public bool NoResp { get; set; }
    public Cred? Cred { get; set; }
    public Meta? Meta { get; set; }
}

/// <summary>A Target or Source: LocURI and optional LocName.</summary>
public sealed class LocationElement
{
    public LocationElement() { }

    public LocationElement(string locUri, string? locName = null)
    {
        LocURI = locUri;
        LocName = locName;
    }

    /// <summary>The LocURI exactly as sent (surrounding white space trimmed by the reader; see docs/syncml.md).</summary>
    public string LocURI { get; set; } = "";
    public string? LocName { get; set; }
}

/// <summary>Credentials: Meta (Format, Type) and Data (auth-basic / auth-md5).</summary>
public sealed class Cred
{
    public Meta? Meta { get; set; }
    public Data? Data { get; set; }
}

/// <summary>An authentication challenge in a Status: Meta carrying Type, Format and NextNonce.</summary>
public sealed class Chal
{
    public Meta? Meta { get; set; }
}

/// <summary>The SyncBody: ONE ordered list of commands and the Final flag (design decision 1).</summary>
public sealed class SyncBody
{
    public List<SyncMLCommand> Commands { get; } = [];

    /// <summary>True when the message closes its package (&lt;Final/&gt;).</summary>
    public bool Final { get; set; }
}

/// <summary>An Item: Target, Source, Meta, Data, MoreData (children may arrive in any order; written in DTD order).</summary>
public sealed class Item
{
    public LocationElement? Target { get; set; }
    public LocationElement? Source { get; set; }
    public Meta? Meta { get; set; }
    public Data? Data { get; set; }

    /// <summary>True when &lt;MoreData/&gt; marks a chunk of a large object that is not the last (OMA DM 1.2 large objects).</summary>
    public bool MoreData { get; set; }
}

/// <summary>How a Data element carried its content on the wire.</summary>
public enum DataForm
{
    /// <summary>Character data; Value is the decoded text.</summary>
    Text,

    /// <summary>A CDATA section; Value is the section's content.</summary>
    CData,

    /// <summary>Raw child elements (e.g. &lt;Data&gt;&lt;Enabled/&gt;&lt;/Data&gt;); Value is the inner XML verbatim.</summary>
    Xml,
}

/// <summary>The content of a Data element, kept in its raw form so it round-trips.</summary>
public sealed record Data(string Value, DataForm Form = DataForm.Text)
{
    public static implicit operator Data(string value) => new(value);

    public override string ToString() => Value;
}

/// <summary>A Meta element (syncml:metinf children matched by local name); children the codec does not model are kept verbatim.</summary>
public sealed class Meta
{
    // Format and Type are on almost every Meta; the other children (large objects, MaxMsgSize in the header, nonces) and
    // unmodelled ones live in a part created on first use, which keeps the Meta of every Item small.
    private Rare? _rare;

    public string? Format { get; set; }
    public string? Type { get; set; }

    public string? Size { get => _rare?.Size; set { if (value is not null || _rare is not null) RarePart.Size = value; } }
    public string? MaxMsgSize { get => _rare?.MaxMsgSize; set { if (value is not null || _rare is not null) RarePart.MaxMsgSize = value; } }
    public string? MaxObjSize { get => _rare?.MaxObjSize; set { if (value is not null || _rare is not null) RarePart.MaxObjSize = value; } }
    public string? NextNonce { get => _rare?.NextNonce; set { if (value is not null || _rare is not null) RarePart.NextNonce = value; } }
    public string? Mark { get => _rare?.Mark; set { if (value is not null || _rare is not null) RarePart.Mark = value; } }

    /// <summary>Children with other local names (EMI, Version, Anchor ...), kept as raw XML in document order.</summary>
    public List<string> Unknown => RarePart.Unknown ??= [];

    internal bool HasUnknown => _rare?.Unknown is { Count: > 0 };

    private Rare RarePart => _rare ??= new();

    private sealed class Rare
    {
        public string? Size;
        public string? MaxMsgSize;
        public string? MaxObjSize;
        public string? NextNonce;
        public string? Mark;
        public List<string>? Unknown;
    }
}

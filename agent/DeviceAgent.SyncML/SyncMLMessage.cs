namespace DeviceAgent.SyncML;

/// <summary>One SyncML 1.2 DM message: a header and an ordered body (OMA SyncML RepPro 1.2; MS-MDM 2.2.2).</summary>
public sealed class SyncMLMessage
{
    /// <summary>The root element's namespace as read (SYNCML:SYNCML1.2, SYNCML:SYNCML1.1, or empty); the writer emits SYNCML:SYNCML1.2 when null or empty.</summary>
    public string? Namespace { get; set; } = SyncMLNames.Namespace12;

    /// <summary>The SyncHdr, or null when the message has none (documentation fragments, &lt;SyncHdr/&gt;).</summary>
    public SyncHdr? SyncHdr { get; set; }

    /// <summary>The SyncBody: the commands in document order and Final.</summary>
    public SyncBody SyncBody { get; set; } = new();
}

/// <summary>The SyncHdr element: VerDTD, VerProto, SessionID, MsgID, Target, Source, RespURI, NoResp, Cred, Meta.</summary>
public sealed class SyncHdr
{
    /// <summary>VerDTD: the SyncML DTD version, "1.2" for a new header; as sent (or null when absent) for one read.</summary>
    public string? VerDTD { get; set; } = "1.2";

    /// <summary>VerProto: the protocol and version, "DM/1.2" for a new header; as sent (or null when absent) for one read.</summary>
    public string? VerProto { get; set; } = "DM/1.2";

    /// <summary>Opaque: decimal, hex ("D") and longer strings all occur in real traffic.</summary>
    public string? SessionID { get; set; }

    /// <summary>Opaque string; numbered per sender from 1.</summary>
    public string? MsgID { get; set; }

    /// <summary>Target: the recipient (the server URL in a client message, the DevId in a server message).</summary>
    public LocationElement? Target { get; set; }

    /// <summary>Source: the sender (the DevId, equal to ./DevInfo/DevId, in a client message; the server URL in a server message).</summary>
    public LocationElement? Source { get; set; }

    /// <summary>RespURI: the URI the peer is to send its next message to, or null to keep the current one.</summary>
    public string? RespURI { get; set; }

    /// <summary>True when &lt;NoResp/&gt; asks the recipient not to return a Status for the SyncHdr.</summary>
    public bool NoResp { get; set; }

    /// <summary>Cred: the sender's DM-layer credentials (auth-basic or auth-md5), or null.</summary>
    public Cred? Cred { get; set; }

    /// <summary>Header Meta: MaxMsgSize and MaxObjSize the sender can receive, or null.</summary>
    public Meta? Meta { get; set; }
}

/// <summary>A Target or Source: LocURI and optional LocName.</summary>
public sealed class LocationElement
{
    /// <summary>An empty location (LocURI ""), to be filled in.</summary>
    public LocationElement() { }

    /// <summary>A location with a LocURI and, optionally, a LocName.</summary>
    /// <param name="locUri">The node path or URL, e.g. "./DevInfo/DevId".</param>
    /// <param name="locName">The display name or, in a SyncHdr Source, the user name for basic/MD5 authentication.</param>
    public LocationElement(string locUri, string? locName = null)
    {
        LocURI = locUri;
        LocName = locName;
    }

    /// <summary>The LocURI exactly as sent (surrounding white space trimmed by the reader; see docs/syncml.md).</summary>
    public string LocURI { get; set; } = "";

    /// <summary>LocName: a display name or, in a SyncHdr Source, the user name for basic/MD5 authentication; usually null.</summary>
    public string? LocName { get; set; }
}

/// <summary>Credentials: Meta (Format, Type) and Data (auth-basic / auth-md5).</summary>
public sealed class Cred
{
    /// <summary>Meta Type (syncml:auth-basic, syncml:auth-md5) and Format (b64) of the credential.</summary>
    public Meta? Meta { get; set; }

    /// <summary>The credential itself: base64 "user:password" for basic, the base64 MD5 digest for MD5.</summary>
    public Data? Data { get; set; }
}

/// <summary>An authentication challenge in a Status: Meta carrying Type, Format and NextNonce.</summary>
public sealed class Chal
{
    /// <summary>Type (the scheme asked for, e.g. syncml:auth-md5), Format, and NextNonce, the nonce for the next MD5 Cred.</summary>
    public Meta? Meta { get; set; }
}

/// <summary>The SyncBody: ONE ordered list of commands and the Final flag (design decision 1).</summary>
public sealed class SyncBody
{
    /// <summary>The body's commands in document order, Status and Results included.</summary>
    public List<SyncMLCommand> Commands { get; } = [];

    /// <summary>True when the message closes its package (&lt;Final/&gt;).</summary>
    public bool Final { get; set; }
}

/// <summary>An Item: Target, Source, Meta, Data, MoreData (children may arrive in any order; written in DTD order).</summary>
public sealed class Item
{
    /// <summary>Target: the node the command acts on (server commands), or null.</summary>
    public LocationElement? Target { get; set; }

    /// <summary>Source: the node the Data comes from (Results, a client's Replace, a Generic Alert), or null.</summary>
    public LocationElement? Source { get; set; }

    /// <summary>Item Meta (Format, Type, and Size on a large object's first chunk), overriding the command's Meta; or null.</summary>
    public Meta? Meta { get; set; }

    /// <summary>Data: the node value (or a chunk of it), or null when the Item has none.</summary>
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
    /// <summary>Character data with the given text, so a string can be assigned where Data is expected.</summary>
    public static implicit operator Data(string value) => new(value);

    /// <summary>The content (Value), whatever its form on the wire.</summary>
    public override string ToString() => Value;
}

/// <summary>A Meta element (syncml:metinf children matched by local name); children the codec does not model are kept verbatim.</summary>
public sealed class Meta
{
    // Format and Type are on almost every Meta; the other children (large objects, MaxMsgSize in the header, nonces) and
    // unmodelled ones live in a part created on first use, which keeps the Meta of every Item small.
    private Rare? _rare;

    /// <summary>Format of the Data (chr, int, bool, b64, xml, node ...), as sent; for an Item, null means the default, chr.</summary>
    public string? Format { get; set; }

    /// <summary>Type: the MIME type of the Data (e.g. text/plain), an authentication scheme in Cred/Chal, or an alert type in an Alert Item (1224, 1226).</summary>
    public string? Type { get; set; }

    /// <summary>Size: the total size in bytes of a large object, given on its first chunk only; as sent.</summary>
    public string? Size { get => _rare?.Size; set { if (value is not null || _rare is not null) RarePart.Size = value; } }

    /// <summary>MaxMsgSize (SyncHdr Meta): the largest message in bytes the sender accepts; as sent.</summary>
    public string? MaxMsgSize { get => _rare?.MaxMsgSize; set { if (value is not null || _rare is not null) RarePart.MaxMsgSize = value; } }

    /// <summary>MaxObjSize (SyncHdr Meta): the largest object in bytes the sender accepts for the rest of the session; as sent.</summary>
    public string? MaxObjSize { get => _rare?.MaxObjSize; set { if (value is not null || _rare is not null) RarePart.MaxObjSize = value; } }

    /// <summary>NextNonce (Chal Meta): the nonce the peer is to use in its next MD5 credentials, encoded as the Meta's Format says (usually b64).</summary>
    public string? NextNonce { get => _rare?.NextNonce; set { if (value is not null || _rare is not null) RarePart.NextNonce = value; } }

    /// <summary>Mark: in a Generic Alert, the importance level (e.g. critical, fatal); null means the default level.</summary>
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

using System.Text;

namespace DeviceAgent.SyncML.Wbxml;

/// <summary>The document types the codec reads and writes in WBXML, told apart by their public identifier.</summary>
internal enum WbxmlDocumentType : byte
{
    SyncML11,
    SyncML12,
    DevInf11,
    DevInf12,
}

/// <summary>
/// Global tokens of WBXML 1.2/1.3 (W3C NOTE-wbxml-19990624 section 7.1) and the tag code pages of SyncML (OMA SyncML
/// Representation Protocol 1.2, WBXML section: page 0 SyncML, page 1 MetInf) and of DevInf (OMA SyncML Device
/// Information 1.2, its own document with one page). See docs/syncml.md "WBXML".
/// </summary>
internal static class WbxmlTables
{
    public const byte SwitchPage = 0x00;
    public const byte End = 0x01;
    public const byte Entity = 0x02;
    public const byte StrI = 0x03;
    public const byte Literal = 0x04;
    public const byte ExtI0 = 0x40;
    public const byte ExtI2 = 0x42;
    public const byte Pi = 0x43;
    public const byte LiteralC = 0x44;
    public const byte ExtT0 = 0x80;
    public const byte ExtT2 = 0x82;
    public const byte StrT = 0x83;
    public const byte LiteralA = 0x84;
    public const byte Ext0 = 0xC0;
    public const byte Ext2 = 0xC2;
    public const byte Opaque = 0xC3;
    public const byte LiteralAC = 0xC4;

    public const byte HasContent = 0x40;
    public const byte HasAttributes = 0x80;

    /// <summary>MIBenum of UTF-8 (IANA character sets), the only charset the codec reads and the one it writes.</summary>
    public const int Utf8Charset = 106;

    public const int SyncML11PublicId = 0x0FD3;
    public const int SyncML12PublicId = 0x1201;
    public const int DevInf11PublicId = 0x0FD4;
    public const int DevInf12PublicId = 0x1203;

    public const string DevInfNamespace = "syncml:devinf";

    public const int MetInfPage = 1;

    // Page 0 of SyncML 1.1/1.2, tokens 0x05 upwards (0x30 is reserved). Field..TargetParent and Move are SyncML 1.2.
    private static readonly string?[] s_syncMLPage =
    [
        "Add", "Alert", "Archive", "Atomic", "Chal", "Cmd", "CmdID", "CmdRef", "Copy", "Cred", "Data", "Delete", "Exec",
        "Final", "Get", "Item", "Lang", "LocName", "LocURI", "Map", "MapItem", "Meta", "MsgID", "MsgRef", "NoResp",
        "NoResults", "Put", "Replace", "RespURI", "Results", "Search", "Sequence", "SessionID", "SftDel", "Source",
        "SourceRef", "Status", "Sync", "SyncBody", "SyncHdr", "SyncML", "Target", "TargetRef", null, "VerDTD", "VerProto",
        "NumberOfChanges", "MoreData", "Field", "Filter", "Record", "FilterType", "SourceParent", "TargetParent", "Move",
        "Correlator",
    ];

    // Page 1: MetInf 1.1/1.2, tokens 0x05 upwards (FieldLevel is 1.2).
    private static readonly string?[] s_metInfPage =
    [
        "Anchor", "EMI", "Format", "FreeID", "FreeMem", "Last", "Mark", "MaxMsgSize", "Mem", "MetInf", "Next", "NextNonce",
        "SharedMem", "Size", "Type", "Version", "MaxObjSize", "FieldLevel",
    ];

    // DevInf 1.1/1.2 page 0, tokens 0x05 upwards (0x1C is Size in 1.1 and MaxSize in 1.2; 0x2F is reserved).
    private static readonly string?[] s_devInfPage =
    [
        "CTCap", "CTType", "DataStore", "DataType", "DevID", "DevInf", "DevTyp", "DisplayName", "DSMem", "Ext", "FwV",
        "HwV", "Man", "MaxGUIDSize", "MaxID", "MaxMem", "Mod", "OEM", "ParamName", "PropName", "Rx", "Rx-Pref",
        "SharedMem", "MaxSize", "SourceRef", "SwV", "SyncCap", "SyncType", "Tx", "Tx-Pref", "ValEnum", "VerCT", "VerDTD",
        "XNam", "XVal", "UTC", "SupportNumberOfChanges", "SupportLargeObjs", "Property", "PropParam", "MaxOccur",
        "NoTruncate", null, "Filter-Rx", "FilterCap", "FilterKeyword", "FieldLevel", "SupportHierarchicalSync",
    ];

    private static readonly byte[]?[][] s_pagesUtf8 = [Utf8(s_syncMLPage), Utf8(s_metInfPage)];
    private static readonly byte[]?[][] s_devInfPagesUtf8 = [Utf8(s_devInfPage)];
    private static readonly Dictionary<string, byte>[] s_syncMLTokens = [Tokens(s_syncMLPage), Tokens(s_metInfPage)];
    private static readonly Dictionary<string, byte>[] s_devInfTokens = [Tokens(s_devInfPage)];

    public static bool IsDevInf(WbxmlDocumentType type) => type is WbxmlDocumentType.DevInf11 or WbxmlDocumentType.DevInf12;

    /// <summary>The code pages of a document type, as UTF-8 names indexed by token - 5.</summary>
    public static byte[]?[][] Pages(WbxmlDocumentType type) => IsDevInf(type) ? s_devInfPagesUtf8 : s_pagesUtf8;

    /// <summary>Token (0x05..0x3F) of a name on a page, or 0 when the page has no such tag.</summary>
    public static byte Token(WbxmlDocumentType type, int page, string name) =>
        (IsDevInf(type) ? s_devInfTokens : s_syncMLTokens)[page].TryGetValue(name, out byte token) ? token : (byte)0;

    public static string PageName(WbxmlDocumentType type, int page) => IsDevInf(type) ? "DevInf" : page == 0 ? "SyncML" : "MetInf";

    public static bool TryGetDocumentType(int publicId, out WbxmlDocumentType type)
    {
        (bool known, type) = publicId switch
        {
            SyncML11PublicId => (true, WbxmlDocumentType.SyncML11),
            SyncML12PublicId => (true, WbxmlDocumentType.SyncML12),
            DevInf11PublicId => (true, WbxmlDocumentType.DevInf11),
            DevInf12PublicId => (true, WbxmlDocumentType.DevInf12),
            _ => (false, default),
        };
        return known;
    }

    /// <summary>Formal public identifiers, for documents that name their type in the string table instead of by number.</summary>
    public static bool TryGetDocumentType(ReadOnlySpan<byte> formalPublicId, out WbxmlDocumentType type)
    {
        (bool known, type) = Encoding.ASCII.GetString(formalPublicId) switch
        {
            "-//SYNCML//DTD SyncML 1.1//EN" => (true, WbxmlDocumentType.SyncML11),
            "-//SYNCML//DTD SyncML 1.2//EN" => (true, WbxmlDocumentType.SyncML12),
            "-//SYNCML//DTD DevInf 1.1//EN" => (true, WbxmlDocumentType.DevInf11),
            "-//SYNCML//DTD DevInf 1.2//EN" => (true, WbxmlDocumentType.DevInf12),
            _ => (false, default),
        };
        return known;
    }

    public static int PublicId(WbxmlDocumentType type) => type switch
    {
        WbxmlDocumentType.SyncML11 => SyncML11PublicId,
        WbxmlDocumentType.SyncML12 => SyncML12PublicId,
        WbxmlDocumentType.DevInf11 => DevInf11PublicId,
        _ => DevInf12PublicId,
    };

    private static byte[]?[] Utf8(string?[] page) => Array.ConvertAll(page, n => n is null ? null : Encoding.ASCII.GetBytes(n));

    private static Dictionary<string, byte> Tokens(string?[] page)
    {
        var tokens = new Dictionary<string, byte>(StringComparer.Ordinal);
        for (int i = 0; i < page.Length; i++)
        {
            if (page[i] is { } name) tokens[name] = (byte)(i + 5);
        }

        return tokens;
    }
}

using System.Text;

namespace DeviceAgent.SyncML.Reading;

/// <summary>The elements the codec models.</summary>
internal enum El : byte
{
    Unknown,
    SyncML, SyncHdr, SyncBody, Final,
    VerDTD, VerProto, SessionID, MsgID, Target, Source, LocURI, LocName, RespURI, NoResp, Cred, Meta, Chal,
    CmdID, Item, Data, MoreData, MsgRef, CmdRef, Cmd, TargetRef, SourceRef, Correlator,
    Format, Type, Size, MaxMsgSize, MaxObjSize, NextNonce, Mark,
    Add, Alert, Atomic, Copy, Delete, Exec, Get, Replace, Results, Sequence, Status,
}

/// <summary>Maps local names to <see cref="El"/>, ignoring ASCII case (upper-case &lt;GET&gt; occurs in real samples).</summary>
internal static class ElementNames
{
    // Buckets by length and ASCII-folded first letter (index length * 32 + (first & 0x1F)): almost every bucket holds
    // one name, so a lookup is one or two span compares instead of a scan of all names of that length.
    private const int MaxLength = 16;
    private static readonly (byte[] Name, El Id)[][] s_buckets = Build();

    private static (byte[], El)[][] Build()
    {
        var all = Enum.GetValues<El>().Where(e => e != El.Unknown).Select(e => (Name: Encoding.ASCII.GetBytes(e.ToString()), Id: e)).ToArray();
        var table = new (byte[], El)[(MaxLength + 1) * 32][];
        for (int i = 0; i < table.Length; i++)
        {
            table[i] = all.Where(e => e.Name.Length <= MaxLength && BucketOf(e.Name) == i).Select(e => (e.Name, e.Id)).ToArray();
        }

        return table;
    }

    private static int BucketOf(ReadOnlySpan<byte> name) => name.Length * 32 + (name[0] & 0x1F);

    public static El Identify(ReadOnlySpan<byte> localName)
    {
        if (localName.IsEmpty || localName.Length > MaxLength) return El.Unknown;
        var bucket = s_buckets[BucketOf(localName)];
        foreach (var (name, id) in bucket)
        {
            if (localName.SequenceEqual(name)) return id;
        }

        foreach (var (name, id) in bucket)
        {
            if (System.Text.Ascii.EqualsIgnoreCase(localName, name)) return id;
        }

        return El.Unknown;
    }

    public static bool IsMetaChild(El id) => id is El.Format or El.Type or El.Size or El.MaxMsgSize or El.MaxObjSize or El.NextNonce or El.Mark;
}

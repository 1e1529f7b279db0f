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
    private static readonly (byte[] Name, El Id)[][] s_byLength = Build();

    private static (byte[], El)[][] Build()
    {
        var all = Enum.GetValues<El>().Where(e => e != El.Unknown).Select(e => (Encoding.ASCII.GetBytes(e.ToString()), e)).ToArray();
        int max = all.Max(e => e.Item1.Length);
        var table = new (byte[], El)[max + 1][];
        for (int length = 0; length <= max; length++)
        {
            table[length] = all.Where(e => e.Item1.Length == length).ToArray();
        }

        return table;
    }

    public static El Identify(ReadOnlySpan<byte> localName)
    {
        if (localName.Length >= s_byLength.Length) return El.Unknown;
        var bucket = s_byLength[localName.Length];
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

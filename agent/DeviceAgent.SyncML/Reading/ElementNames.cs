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
    private static readonly El[] s_all = Enum.GetValues<El>().Where(e => e != El.Unknown).ToArray();
    private static readonly byte[][] s_utf8 = Array.ConvertAll(s_all, e => System.Text.Encoding.ASCII.GetBytes(e.ToString()));
    private static readonly (ulong Multiplier, (ulong Lo, ulong Hi, El Id)[] Slots) s_table = WordTable.Build(s_all.Select(e => (e.ToString(), e)));
    private static readonly ulong s_multiplier = s_table.Multiplier;
    private static readonly (ulong Lo, ulong Hi, El Id)[] s_slots = s_table.Slots;

    /// <summary>The element named by the <paramref name="length"/> bytes at <paramref name="start"/> of the input; ASCII case is ignored.</summary>
    public static El Identify(ReadOnlySpan<byte> input, int start, int length) => Identify(input.Slice(start, length));

    /// <summary>Whether the name held in <paramref name="lo"/> and <paramref name="hi"/> (zero beyond its length) is a modelled element, exact case.</summary>
    public static bool TryIdentifyExact(ulong lo, ulong hi, out El id) => WordTable.TryGet(s_slots, s_multiplier, lo, hi, out id);

    public static El Identify(ReadOnlySpan<byte> localName)
    {
        if (WordTable.TryGet(s_slots, s_multiplier, localName, out El id)) return id;

        // Other spellings (upper-case <GET> occurs in real samples) are rare: a scan is enough.
        for (int i = 0; i < s_all.Length; i++)
        {
            if (System.Text.Ascii.EqualsIgnoreCase(localName, s_utf8[i])) return s_all[i];
        }

        return El.Unknown;
    }

    public static bool IsMetaChild(El id) => id is El.Format or El.Type or El.Size or El.MaxMsgSize or El.MaxObjSize or El.NextNonce or El.Mark;
}

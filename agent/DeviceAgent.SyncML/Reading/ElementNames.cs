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
    private static readonly Utf8Lookup<El> s_names = new(s_all.Select(e => (e.ToString(), e)));

    // The exact-case names as two little-endian words each, bucketed by length and first letter: the per-tag lookup is
    // two loads and a compare or two, with no call (element names are at most 10 bytes).
    private const int WordMaxLength = 16;
    private static readonly (ulong Lo, ulong Hi, El Id)[][] s_words = BuildWords();

    private static (ulong, ulong, El)[][] BuildWords()
    {
        var table = new List<(ulong, ulong, El)>[(WordMaxLength + 1) * 32];
        foreach (El id in s_all)
        {
            byte[] name = new byte[WordMaxLength];
            int length = System.Text.Encoding.ASCII.GetBytes(id.ToString(), name);
            (table[length * 32 + (name[0] & 0x1F)] ??= []).Add((BitConverter.ToUInt64(name, 0), BitConverter.ToUInt64(name, 8), id));
        }

        return Array.ConvertAll(table, list => list?.ToArray() ?? []);
    }

    /// <summary>The element named by the <paramref name="length"/> bytes at <paramref name="start"/> of the input; ASCII case is ignored.</summary>
    public static El Identify(ReadOnlySpan<byte> input, int start, int length)
    {
        if (length is > 0 and <= WordMaxLength && Words.CanLoad(input, start, WordMaxLength))
        {
            ulong lo = Words.Load(input, start) & Words.Mask(length);
            ulong hi = length > 8 ? Words.Load(input, start + 8) & Words.Mask(length - 8) : 0;
            if (TryIdentifyExact(lo, hi, length, out El id)) return id;
        }

        return Identify(input.Slice(start, length));
    }

    /// <summary>Whether the name held in <paramref name="lo"/> and <paramref name="hi"/> (masked to its length) is a modelled element, exact case.</summary>
    public static bool TryIdentifyExact(ulong lo, ulong hi, int length, out El id)
    {
        foreach (var (nameLo, nameHi, candidate) in s_words[length * 32 + (int)(lo & 0x1F)])
        {
            if (nameLo == lo && nameHi == hi)
            {
                id = candidate;
                return true;
            }
        }

        id = El.Unknown;
        return false;
    }

    public static El Identify(ReadOnlySpan<byte> localName) =>
        s_names.TryGet(localName, out El id) || s_names.TryGetIgnoreCase(localName, out id) ? id : El.Unknown;

    public static bool IsMetaChild(El id) => id is El.Format or El.Type or El.Size or El.MaxMsgSize or El.MaxObjSize or El.NextNonce or El.Mark;
}

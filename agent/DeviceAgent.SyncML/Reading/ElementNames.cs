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

    // The exact-case names as two little-endian words (zero-padded to 16 bytes) in a collision-free hash table, so the
    // per-tag lookup is a multiply, one load and a compare. Names contain no NUL byte (the reader rejects control
    // characters), so equal words mean equal names, length included. A flat table: profiling showed the loads of a
    // bucketed one (table, bucket, entries) as the reader's hottest instructions.
    private const int WordMaxLength = 16;
    private const int SlotBits = 8;
    private static readonly (ulong Multiplier, (ulong Lo, ulong Hi, El Id)[] Slots) s_table = BuildTable();

    private static (ulong, (ulong, ulong, El)[]) BuildTable()
    {
        var names = s_all.Select(id =>
        {
            byte[] name = new byte[WordMaxLength];
            System.Text.Encoding.ASCII.GetBytes(id.ToString(), name);
            return (Lo: BitConverter.ToUInt64(name, 0), Hi: BitConverter.ToUInt64(name, 8), Id: id);
        }).ToArray();

        // Odd multipliers from a fixed sequence until one maps every name to its own slot (a few dozen tries at most).
        var random = new Random(1);
        while (true)
        {
            ulong multiplier = (ulong)random.NextInt64() | 1;
            var slots = new (ulong, ulong, El)[1 << SlotBits];
            bool collision = false;
            foreach (var (lo, hi, id) in names)
            {
                ref var slot = ref slots[Slot(lo, hi, multiplier)];
                if (slot.Item3 != El.Unknown)
                {
                    collision = true;
                    break;
                }

                slot = (lo, hi, id);
            }

            if (!collision) return (multiplier, slots);
        }
    }

    private static int Slot(ulong lo, ulong hi, ulong multiplier) => (int)(((lo ^ (hi * 0x9E3779B97F4A7C15UL)) * multiplier) >> (64 - SlotBits));

    /// <summary>The element named by the <paramref name="length"/> bytes at <paramref name="start"/> of the input; ASCII case is ignored.</summary>
    public static El Identify(ReadOnlySpan<byte> input, int start, int length)
    {
        if (length is > 0 and <= WordMaxLength && Words.CanLoad(input, start, WordMaxLength))
        {
            ulong lo = Words.Load(input, start) & Words.Mask(length);
            ulong hi = length > 8 ? Words.Load(input, start + 8) & Words.Mask(length - 8) : 0;
            if (TryIdentifyExact(lo, hi, out El id)) return id;
        }

        return Identify(input.Slice(start, length));
    }

    /// <summary>Whether the name held in <paramref name="lo"/> and <paramref name="hi"/> (masked to its length) is a modelled element, exact case.</summary>
    public static bool TryIdentifyExact(ulong lo, ulong hi, out El id)
    {
        var (nameLo, nameHi, candidate) = s_table.Slots[Slot(lo, hi, s_table.Multiplier)];
        id = candidate;
        return nameLo == lo && nameHi == hi && candidate != El.Unknown;
    }

    public static El Identify(ReadOnlySpan<byte> localName) =>
        s_names.TryGet(localName, out El id) || s_names.TryGetIgnoreCase(localName, out id) ? id : El.Unknown;

    public static bool IsMetaChild(El id) => id is El.Format or El.Type or El.Size or El.MaxMsgSize or El.MaxObjSize or El.NextNonce or El.Mark;
}

using System.Runtime.CompilerServices;
using System.Text;

namespace DeviceAgent.SyncML.Reading;

/// <summary>
/// Exact lookup of short UTF-8 keys (element names, recurring values) held as two little-endian words, zero-padded to
/// 16 bytes, in a collision-free hash table: a lookup is a multiply, one load and a compare. Keys contain no NUL byte
/// (the reader rejects control characters), so equal words mean equal keys, length included. Flat on purpose:
/// profiling showed the loads of a bucketed table (table, bucket, entries) among the reader's hottest instructions.
/// Users keep the multiplier and the slots in static readonly fields, which tier-1 code reads as constants.
/// </summary>
internal static class WordTable
{
    public const int MaxKeyLength = 16;
    private const int SlotBits = 8;

    public static (ulong Multiplier, (ulong Lo, ulong Hi, T Value)[] Slots) Build<T>(IEnumerable<(string Key, T Value)> entries)
    {
        var keys = entries.Select(entry =>
        {
            byte[] padded = new byte[MaxKeyLength];
            int length = Encoding.UTF8.GetBytes(entry.Key, padded);
            if (length == 0 || padded.AsSpan(0, length).Contains((byte)0)) throw new ArgumentException($"key '{entry.Key}' is empty or has a NUL byte");
            return (Lo: BitConverter.ToUInt64(padded, 0), Hi: BitConverter.ToUInt64(padded, 8), entry.Value);
        }).ToArray();

        // The slot comes from the first word alone (one multiply on the per-tag path), so first words must differ.
        var firstWords = new HashSet<ulong>();
        foreach (var (lo, _, _) in keys)
        {
            if (!firstWords.Add(lo)) throw new ArgumentException("two keys share their first 8 bytes; a word table cannot hold both");
        }

        // Odd multipliers from a fixed sequence until one maps every key to its own slot (a few dozen tries at most for
        // the 50 or so keys of a table; an empty slot is all zero words, which no key has).
        var random = new Random(1);
        while (true)
        {
            ulong multiplier = (ulong)random.NextInt64() | 1;
            var slots = new (ulong Lo, ulong Hi, T Value)[1 << SlotBits];
            bool collision = false;
            foreach (var (lo, hi, value) in keys)
            {
                ref var slot = ref slots[Slot(lo, multiplier)];
                collision = slot.Lo != 0;
                if (collision) break;
                slot = (lo, hi, value);
            }

            if (!collision) return (multiplier, slots);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Slot(ulong lo, ulong multiplier) => (int)((lo * multiplier) >> (64 - SlotBits));

    /// <summary>Looks up a key given as its first 16 bytes, zero beyond its length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryGet<T>((ulong Lo, ulong Hi, T Value)[] slots, ulong multiplier, ulong lo, ulong hi, out T value)
    {
        var slot = slots[Slot(lo, multiplier)];
        value = slot.Value;
        return slot.Lo == lo && slot.Hi == hi && lo != 0;
    }

    public static bool TryGet<T>((ulong Lo, ulong Hi, T Value)[] slots, ulong multiplier, ReadOnlySpan<byte> key, out T value)
    {
        if (key.Length is 0 or > MaxKeyLength)
        {
            value = default!;
            return false;
        }

        // The key as zero-padded words, without a stack buffer (which would add a stack cookie check to every caller).
        ulong lo, hi = 0;
        if (key.Length >= 8)
        {
            lo = BitConverter.ToUInt64(key);
            if (key.Length > 8) hi = BitConverter.ToUInt64(key[^8..]) >> (8 * (MaxKeyLength - key.Length));
        }
        else
        {
            lo = 0;
            for (int i = key.Length - 1; i >= 0; i--) lo = (lo << 8) | key[i];
        }

        return TryGet(slots, multiplier, lo, hi, out value);
    }
}

using System.Text;

namespace DeviceAgent.SyncML.Reading;

/// <summary>
/// Exact lookup of short UTF-8 keys (element names, recurring values) held as two little-endian words, zero-padded to
/// 16 bytes, in a collision-free hash table: a lookup is a multiply, one load and a compare. Keys contain no NUL byte
/// (the reader rejects control characters), so equal words mean equal keys, length included. Flat on purpose:
/// profiling showed the loads of a bucketed table (table, bucket, entries) among the reader's hottest instructions.
/// </summary>
internal sealed class WordTable<T>
{
    public const int MaxKeyLength = 16;
    private const int SlotBits = 8;
    private readonly ulong _multiplier;
    private readonly (ulong Lo, ulong Hi, T Value)[] _slots = new (ulong, ulong, T)[1 << SlotBits];

    public WordTable(IEnumerable<(string Key, T Value)> entries)
    {
        var keys = entries.Select(entry =>
        {
            byte[] padded = new byte[MaxKeyLength];
            int length = Encoding.UTF8.GetBytes(entry.Key, padded);
            if (length == 0 || padded.AsSpan(0, length).Contains((byte)0)) throw new ArgumentException($"key '{entry.Key}' is empty or has a NUL byte");
            return (Lo: BitConverter.ToUInt64(padded, 0), Hi: BitConverter.ToUInt64(padded, 8), entry.Value);
        }).ToArray();

        // Odd multipliers from a fixed sequence until one maps every key to its own slot (a few dozen tries at most for
        // the 50 or so keys of a table; an empty slot is all zero words, which no key has).
        var random = new Random(1);
        while (true)
        {
            _multiplier = (ulong)random.NextInt64() | 1;
            Array.Clear(_slots);
            bool collision = false;
            foreach (var (lo, hi, value) in keys)
            {
                ref var slot = ref _slots[Slot(lo, hi)];
                collision = slot.Lo != 0;
                if (collision) break;
                slot = (lo, hi, value);
            }

            if (!collision) return;
        }
    }

    private int Slot(ulong lo, ulong hi) => (int)(((lo ^ (hi * 0x9E3779B97F4A7C15UL)) * _multiplier) >> (64 - SlotBits));

    /// <summary>Looks up a key given as its first 16 bytes, zero beyond its length.</summary>
    public bool TryGet(ulong lo, ulong hi, out T value)
    {
        var slot = _slots[Slot(lo, hi)];
        value = slot.Value;
        return slot.Lo == lo && slot.Hi == hi && lo != 0;
    }

    public bool TryGet(ReadOnlySpan<byte> key, out T value)
    {
        if (key.Length is 0 or > MaxKeyLength)
        {
            value = default!;
            return false;
        }

        Span<byte> padded = stackalloc byte[MaxKeyLength];
        padded.Clear();
        key.CopyTo(padded);
        return TryGet(BitConverter.ToUInt64(padded), BitConverter.ToUInt64(padded[8..]), out value);
    }
}

using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace DeviceAgent.SyncML.Reading;

/// <summary>
/// Word-at-a-time helpers: the reader loads 8 input bytes as one little-endian word to find delimiters, identify and
/// match names, and widen ASCII text, instead of a loop or a search call per element. <see cref="Load"/> does not
/// check bounds: every caller checks <see cref="CanLoad"/> (or loops within a range it has checked) first.
/// </summary>
internal static class Words
{
    /// <summary>True when <paramref name="count"/> bytes can be loaded at <paramref name="offset"/> (little-endian only: the masks keep the low bytes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool CanLoad(ReadOnlySpan<byte> s, int offset, int count) =>
        BitConverter.IsLittleEndian && (uint)offset <= (uint)(s.Length - count);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Load(ReadOnlySpan<byte> s, int offset) =>
        Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref MemoryMarshal.GetReference(s), offset));

    /// <summary>A mask keeping the first <paramref name="length"/> bytes (0 to 8) of a loaded word.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mask(int length) => length >= 8 ? ulong.MaxValue : (1UL << (length * 8)) - 1;

    /// <summary>
    /// Marks (high bit set) the bytes of <paramref name="word"/> equal to <paramref name="value"/>: the classic "has zero
    /// byte" test on word XOR value. Borrows can only mark bytes above the first match, so the lowest mark is exact.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Matches(ulong word, byte value)
    {
        ulong x = word ^ (0x0101010101010101UL * value);
        return (x - 0x0101010101010101UL) & ~x & 0x8080808080808080UL;
    }

    /// <summary>Marks the non-ASCII bytes of <paramref name="word"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong NonAscii(ulong word) => word & 0x8080808080808080UL;

    /// <summary>The index of the lowest marked byte, or 8 when none is marked.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int FirstMarked(ulong marks) => BitOperations.TrailingZeroCount(marks) >> 3;

    /// <summary>Widens the 8 (ASCII) bytes of <paramref name="word"/> to chars at <paramref name="offset"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Widen(ulong word, Span<char> destination, int offset)
    {
        if ((uint)offset > (uint)(destination.Length - 8)) throw new ArgumentOutOfRangeException(nameof(offset));
        Vector128.WidenLower(Vector128.CreateScalarUnsafe(word).AsByte())
            .StoreUnsafe(ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(destination)), (nuint)offset);
    }

    /// <summary>Whether the <paramref name="length"/> bytes at <paramref name="a"/> and at <paramref name="b"/> are equal.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Equal(ReadOnlySpan<byte> s, int a, int b, int length)
    {
        if (length <= 8 && CanLoad(s, a, 8) && CanLoad(s, b, 8))
        {
            return ((Load(s, a) ^ Load(s, b)) & Mask(length)) == 0;
        }

        return s.Slice(a, length).SequenceEqual(s.Slice(b, length));
    }
}

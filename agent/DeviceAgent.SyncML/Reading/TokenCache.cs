using System.Text;

namespace DeviceAgent.SyncML.Reading;

/// <summary>Shares the strings of values that recur in every message (CmdIDs, status codes, formats) instead of allocating them.</summary>
internal static class TokenCache
{
    private const int NumberCount = 10_000;
    private static readonly string?[] s_numbers = new string?[NumberCount];
    private static readonly Data?[] s_numberData = new Data?[NumberCount];

    // Each token's string and a shared text Data for it (Data is immutable). Tokens fit a WordTable (16 bytes at most).
    private static readonly (ulong Multiplier, (ulong Lo, ulong Hi, (string Value, Data Data) Token)[] Slots) s_table = WordTable.Build(Array.ConvertAll(
        [
            "chr", "int", "xml", "b64", "bin", "node", "bool", "null", "float", "date", "time",
            "text/plain", "1.2", "DM/1.2", "SyncHdr", "Add", "Alert", "Atomic", "Copy", "Delete", "Exec", "Get", "Replace",
            "Results", "Sequence", "Status", "syncml:auth-md5", "user", "others", "none", "true", "false",
        ],
        (string value) => (value, (value, new Data(value)))));

    private static readonly ulong s_multiplier = s_table.Multiplier;
    private static readonly (ulong Lo, ulong Hi, (string Value, Data Data) Token)[] s_slots = s_table.Slots;

    /// <summary>A text Data for the value; recurring values share one instance.</summary>
    /// <param name="utf8">The value as UTF-8 bytes.</param>
    /// <param name="word">The value's bytes as a word when the caller has it (values of up to 8 bytes), else 0.</param>
    public static Data GetData(ReadOnlySpan<byte> utf8, ulong word = 0)
    {
        int number = Number(utf8);
        if (number >= 0) return s_numberData[number] ??= new Data(Get(utf8));
        if (TryGetToken(utf8, word, out var token)) return token.Data;
        return new Data(NewString(utf8));
    }

    /// <inheritdoc cref="GetData"/>
    public static string Get(ReadOnlySpan<byte> utf8, ulong word = 0)
    {
        if (utf8.IsEmpty) return "";
        int number = Number(utf8);

        // Races only ever store equal strings, so no lock is needed.
        if (number >= 0) return s_numbers[number] ??= Encoding.UTF8.GetString(utf8);
        if (TryGetToken(utf8, word, out var token)) return token.Value;
        return NewString(utf8);
    }

    /// <summary>A new string for the bytes: ASCII (LocURIs, almost every value) is widened in one pass.</summary>
    private static string NewString(ReadOnlySpan<byte> utf8) =>
        Ascii.IsValid(utf8)
            ? string.Create(utf8.Length, utf8, static (chars, bytes) => Ascii.ToUtf16(bytes, chars, out _))
            : Encoding.UTF8.GetString(utf8);

    private static bool TryGetToken(ReadOnlySpan<byte> utf8, ulong word, out (string Value, Data Data) token) =>
        word != 0 ? WordTable.TryGet(s_slots, s_multiplier, word, 0, out token) : WordTable.TryGet(s_slots, s_multiplier, utf8, out token);

    /// <summary>The value of a short decimal without leading zeros (or "0"), else -1.</summary>
    private static int Number(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty || utf8.Length > 4 || (utf8[0] == (byte)'0' && utf8.Length > 1)) return -1;
        int value = 0;
        foreach (byte b in utf8)
        {
            if (b is < (byte)'0' or > (byte)'9') return -1;
            value = value * 10 + (b - '0');
        }

        return value;
    }
}

using System.Text;

namespace DeviceAgent.SyncML.Reading;

/// <summary>Shares the strings of values that recur in every message (CmdIDs, status codes, formats) instead of allocating them.</summary>
internal static class TokenCache
{
    private const int NumberCount = 10_000;
    private static readonly string?[] s_numbers = new string?[NumberCount];
    private static readonly Data?[] s_numberData = new Data?[NumberCount];

    // Each token's string and a shared text Data for it (Data is immutable). Tokens fit a WordTable (16 bytes at most).
    private static readonly WordTable<(string Value, Data Data)> s_tokens = new(Array.ConvertAll(
        [
            "chr", "int", "xml", "b64", "bin", "node", "bool", "null", "float", "date", "time",
            "text/plain", "1.2", "DM/1.2", "SyncHdr", "Add", "Alert", "Atomic", "Copy", "Delete", "Exec", "Get", "Replace",
            "Results", "Sequence", "Status", "syncml:auth-md5", "user", "others", "none", "true", "false",
        ],
        (string value) => (value, (value, new Data(value)))));

    /// <summary>A text Data for the value; recurring values share one instance.</summary>
    public static Data GetData(ReadOnlySpan<byte> utf8)
    {
        int number = Number(utf8);
        if (number >= 0) return s_numberData[number] ??= new Data(Get(utf8));
        if (s_tokens.TryGet(utf8, out var token)) return token.Data;
        return new Data(Encoding.UTF8.GetString(utf8));
    }

    public static string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty) return "";
        int number = Number(utf8);

        // Races only ever store equal strings, so no lock is needed.
        if (number >= 0) return s_numbers[number] ??= Encoding.UTF8.GetString(utf8);
        if (s_tokens.TryGet(utf8, out var token)) return token.Value;
        return Encoding.UTF8.GetString(utf8);
    }

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

using System.Text;

namespace DeviceAgent.SyncML.Reading;

/// <summary>Shares the strings of values that recur in every message (CmdIDs, status codes, formats) instead of allocating them.</summary>
internal static class TokenCache
{
    private const int NumberCount = 10_000;
    private static readonly string?[] s_numbers = new string?[NumberCount];

    private static readonly (byte[] Utf8, string Value)[] s_tokens = Build(
        "chr", "int", "xml", "b64", "bin", "node", "bool", "null", "float", "date", "time",
        "text/plain", "1.2", "DM/1.2", "SyncHdr", "Add", "Alert", "Atomic", "Copy", "Delete", "Exec", "Get", "Replace",
        "Results", "Sequence", "Status", "syncml:auth-md5", "syncml:auth-basic", "user", "others", "none", "true", "false",
        "com.microsoft/MDM/LoginStatus");

    private static (byte[], string)[] Build(params string[] values) =>
        Array.ConvertAll(values, v => (Encoding.UTF8.GetBytes(v), v));

    public static string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty) return "";
        if ((utf8.Length <= 4 && utf8[0] != (byte)'0') || utf8.Length == 1)
        {
            int value = 0;
            bool digits = true;
            foreach (byte b in utf8)
            {
                if (b is < (byte)'0' or > (byte)'9')
                {
                    digits = false;
                    break;
                }

                value = value * 10 + (b - '0');
            }

            // Races only ever store equal strings, so no lock is needed.
            if (digits) return s_numbers[value] ??= Encoding.UTF8.GetString(utf8);
        }

        foreach (var (bytes, value) in s_tokens)
        {
            if (bytes.Length == utf8.Length && utf8.SequenceEqual(bytes)) return value;
        }

        return Encoding.UTF8.GetString(utf8);
    }
}

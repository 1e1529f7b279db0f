using System.Security.Cryptography;
using System.Text;

namespace MockMdm.OmaDm.Authentication;

/// <summary>
/// The credential formulas of OMA-TS-DM_Security-V1_2 section 5.1 (H is MD5, B64 base64, ':' the byte 0x3A):
/// auth-basic B64(username:password); auth-md5 B64(H(B64(H(username:password)):nonce)); HMAC
/// B64(H(B64(H(username:password)):nonce:B64(H(message body)))) carried in the x-syncml-hmac header
/// (algorithm=MD5, username="...", mac=...). Nonces are raw bytes, base64 on the wire (Chal NextNonce, Format b64).
/// </summary>
public static class OmaDmCredentials
{
    /// <summary>The transport header that carries the HMAC (OMA-TS-DM_Security-V1_2 5.1.4.3).</summary>
    public const string HmacHeader = "x-syncml-hmac";

    /// <summary>The auth-basic Cred Data.</summary>
    public static string Basic(string user, string password) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));

    /// <summary>The user name and password of an auth-basic Cred Data, or null when it is not base64 of "user:password".</summary>
    public static (string User, string Password)? ParseBasic(string data)
    {
        var bytes = new byte[data.Length];
        if (!Convert.TryFromBase64String(data.Trim(), bytes, out var length))
        {
            return null;
        }

        var text = Encoding.UTF8.GetString(bytes, 0, length);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon <= 0 ? null : (text[..colon], text[(colon + 1)..]);
    }

    /// <summary>The auth-md5 Cred Data: B64(H(B64(H(user:password)):nonce)).</summary>
    public static string Md5Digest(string user, string password, byte[] nonce) =>
        Convert.ToBase64String(MD5.HashData(Concat(UserSecret(user, password), nonce)));

    /// <summary>The HMAC mac value: B64(H(B64(H(user:password)):nonce:B64(H(body)))).</summary>
    public static string Hmac(string user, string password, byte[] nonce, ReadOnlySpan<byte> body) =>
        Convert.ToBase64String(MD5.HashData(Concat(Concat(UserSecret(user, password), nonce), Encoding.ASCII.GetBytes(":" + Convert.ToBase64String(MD5.HashData(body))))));

    /// <summary>The x-syncml-hmac header value for a message.</summary>
    public static string HmacHeaderValue(string user, string password, byte[] nonce, ReadOnlySpan<byte> body) =>
        $"algorithm=MD5, username=\"{user}\", mac={Hmac(user, password, nonce, body)}";

    /// <summary>
    /// The parameters of an x-syncml-hmac header (algorithm, username, mac; names case-insensitive, values optionally
    /// quoted), or null with the reason when the header is malformed or names another algorithm.
    /// </summary>
    public static (string User, string Mac)? ParseHmacHeader(string header, out string problem)
    {
        problem = "";
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                problem = $"{HmacHeader} parameter '{part}' is not name=value";
                return null;
            }

            values[part[..equals].Trim()] = part[(equals + 1)..].Trim().Trim('"');
        }

        if (values.TryGetValue("algorithm", out var algorithm) && !string.Equals(algorithm, "MD5", StringComparison.OrdinalIgnoreCase))
        {
            problem = $"{HmacHeader} algorithm '{algorithm}' is not supported (MD5 is)";
            return null;
        }

        if (!values.TryGetValue("username", out var user) || user.Length == 0 || !values.TryGetValue("mac", out var mac) || mac.Length == 0)
        {
            problem = $"{HmacHeader} must carry username and mac";
            return null;
        }

        return (user, mac);
    }

    /// <summary>Compares two credential strings in constant time.</summary>
    public static bool SameSecret(string expected, string given) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(given));

    /// <summary>Base64 of a fresh 16-byte nonce.</summary>
    public static string NewNonce() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));

    /// <summary>The nonce bytes of a stored (base64) nonce; empty when it is not base64.</summary>
    public static byte[] NonceBytes(string? base64)
    {
        if (string.IsNullOrEmpty(base64))
        {
            return [];
        }

        var bytes = new byte[base64.Length];
        return Convert.TryFromBase64String(base64, bytes, out var length) ? bytes[..length] : [];
    }

    // B64(H(user:password)) followed by ':': the prefix both digests share.
    private static byte[] UserSecret(string user, string password) =>
        Encoding.ASCII.GetBytes(Convert.ToBase64String(MD5.HashData(Encoding.UTF8.GetBytes(user + ":" + password))) + ":");

    private static byte[] Concat(byte[] a, byte[] b)
    {
        var all = new byte[a.Length + b.Length];
        a.CopyTo(all, 0);
        b.CopyTo(all, a.Length);
        return all;
    }
}

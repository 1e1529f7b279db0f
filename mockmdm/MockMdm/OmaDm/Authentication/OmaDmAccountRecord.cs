using MockMdm.Store;

namespace MockMdm.OmaDm.Authentication;

/// <summary>
/// The OMA-DM authentication types of OMA-TS-DM_Security-V1_2 section 5.1 as they appear in Cred/Meta/Type and
/// Chal/Meta/Type (docs/omadm-clients.md "Authentication").
/// </summary>
public static class OmaDmAuthTypes
{
    /// <summary>B64(username:password) in SyncHdr Cred.</summary>
    public const string Basic = "syncml:auth-basic";

    /// <summary>B64(H(B64(H(username:password)):nonce)) in SyncHdr Cred, H being MD5; the username is Source/LocName.</summary>
    public const string Md5 = "syncml:auth-md5";

    /// <summary>HMAC-MD5 of the whole message body in the x-syncml-hmac transport header.</summary>
    public const string Hmac = "syncml:auth-MAC";

    /// <summary>The API's short names ("basic", "md5", "hmac") to the wire names.</summary>
    public static string? FromShortName(string? name) => name?.ToLowerInvariant() switch
    {
        "basic" => Basic,
        "md5" => Md5,
        "hmac" => Hmac,
        _ => null,
    };

    /// <summary>The wire name to the API's short name.</summary>
    public static string ToShortName(string type) =>
        string.Equals(type, Basic, StringComparison.OrdinalIgnoreCase) ? "basic"
        : string.Equals(type, Md5, StringComparison.OrdinalIgnoreCase) ? "md5"
        : "hmac";
}

/// <summary>
/// A standard OMA-DM client's account (docs/omadm-clients.md): the client's credentials and nonce (DMAcc AAuthName,
/// AAuthSecret, AAuthData of the client-to-server AppAuth), the server's credentials and nonce for clients that
/// authenticate the server, and the managed device the client's sessions manage. The ID is the client's user name.
/// </summary>
public sealed class OmaDmAccountRecord : IStoreRecord
{
    /// <summary>The user name the client sends (auth-basic Cred, Source/LocName for auth-md5, username= for HMAC).</summary>
    public required string Id { get; init; }

    public string? Owner => null;

    /// <summary>The client's device ID: its SyncHdr Source/LocURI (./DevInfo/DevId).</summary>
    public required string DevId { get; init; }

    /// <summary>The client's password (shared secret).</summary>
    public required string Password { get; init; }

    /// <summary>The type the server asks for in its Chal (one of <see cref="OmaDmAuthTypes"/>).</summary>
    public required string AuthType { get; init; }

    /// <summary>Base64 of the nonce the client must use next (auth-md5, HMAC); replaced after every success (NextNonce).</summary>
    public required string ClientNonce { get; set; }

    /// <summary>The server's user name towards the client (DMAcc ServerID / the server AppAuth AAuthName).</summary>
    public required string ServerId { get; init; }

    /// <summary>The server's password towards this client; null: the client does not authenticate the server.</summary>
    public string? ServerPassword { get; init; }

    /// <summary>The type of the server's Cred (auth-basic or auth-md5; HMAC when the client uses HMAC); null sends none.</summary>
    public string? ServerAuthType { get; set; }

    /// <summary>Base64 of the nonce the client gave the server (its Chal NextNonce) for the server's auth-md5 Cred or HMAC.</summary>
    public string ServerNonce { get; set; } = "";

    /// <summary>The managed device the client's sessions manage (created with the account).</summary>
    public required string DeviceId { get; init; }

    /// <summary>The SessionID of the session the client authenticated last; later messages of it need no Cred.</summary>
    public string? AuthenticatedSessionId { get; set; }

    public required DateTimeOffset CreatedDateTime { get; init; }
}

using DeviceAgent.Protocol;
using DeviceAgent.SyncML;
using StatusCodes = DeviceAgent.SyncML.StatusCodes;
using MockMdm.Enrollment;
using MockMdm.Store;

namespace MockMdm.OmaDm.Authentication;

/// <summary>
/// What authentication decided for a message the server goes on to process: the SyncHdr status (212 when the
/// client's credentials were checked, 200 when the transport or an authenticated session vouches for it), the Chal
/// carrying the client's next nonce, the server's own Cred, and how to sign the reply when the client uses HMAC.
/// </summary>
public sealed record DmAuthOutcome(int HeaderStatus, Chal? HeaderChal = null, Cred? ServerCred = null, Func<byte[], string>? SignReply = null)
{
    /// <summary>A Windows device identified by mutual TLS or its device token: no OMA-DM credentials involved.</summary>
    public static DmAuthOutcome Transport { get; } = new(StatusCodes.Ok);
}

/// <summary>
/// OMA-DM client authentication for clients that are not Windows (OMA-TS-DM_Security-V1_2 5.1; docs/omadm-clients.md):
/// auth-basic and auth-md5 in SyncHdr Cred, HMAC in the x-syncml-hmac header, checked against the account store.
/// Failure is a <see cref="DmRefusalException"/> (401 bad credentials, 407 none) with a Chal naming the type and nonce.
/// </summary>
public sealed class OmaDmAuthenticator
{
    /// <summary>
    /// Authenticates <paramref name="request"/> (whose raw bytes are <paramref name="body"/>) and returns the account's
    /// device and the outcome; the account's nonce rotation and the client's challenge to the server are written in
    /// <paramref name="tx"/>.
    /// </summary>
    public (DeviceRecord Device, DmAuthOutcome Outcome) Authenticate(IStoreTransaction tx, SyncMLMessage request, byte[] body, string? hmacHeader)
    {
        ArgumentNullException.ThrowIfNull(tx);
        ArgumentNullException.ThrowIfNull(request);
        var hdr = request.SyncHdr ?? throw new DmProtocolException("the message has no SyncHdr");
        OmaDmAccountRecord account;
        string usedType;
        if (!string.IsNullOrEmpty(hmacHeader))
        {
            usedType = OmaDmAuthTypes.Hmac;
            var parsed = OmaDmCredentials.ParseHmacHeader(hmacHeader, out var problem)
                ?? throw Challenge(StatusCodes.InvalidCredentials, problem, null, usedType);
            account = Known(tx, parsed.User, usedType);
            var expected = OmaDmCredentials.Hmac(account.Id, account.Password, OmaDmCredentials.NonceBytes(account.ClientNonce), body);
            if (!OmaDmCredentials.SameSecret(expected, parsed.Mac))
            {
                throw Challenge(StatusCodes.InvalidCredentials, "the HMAC does not match the message and the account's credentials and nonce", account, usedType);
            }
        }
        else if (hdr.Cred is { } cred)
        {
            // SyncML RepPro 1.2: a Cred without Meta/Type is auth-basic.
            usedType = cred.Meta?.Type ?? OmaDmAuthTypes.Basic;
            var data = cred.Data?.Value ?? "";
            if (string.Equals(usedType, OmaDmAuthTypes.Basic, StringComparison.OrdinalIgnoreCase))
            {
                var parsed = OmaDmCredentials.ParseBasic(data)
                    ?? throw Challenge(StatusCodes.InvalidCredentials, "auth-basic Cred Data is not base64 of user:password", null, usedType);
                account = Known(tx, parsed.User, usedType);
                if (!OmaDmCredentials.SameSecret(account.Password, parsed.Password))
                {
                    throw Challenge(StatusCodes.InvalidCredentials, "the auth-basic password is wrong", account, usedType);
                }
            }
            else if (string.Equals(usedType, OmaDmAuthTypes.Md5, StringComparison.OrdinalIgnoreCase))
            {
                // OMA DM RepPro 1.2: with auth-md5 the user name travels in SyncHdr Source/LocName.
                var user = hdr.Source?.LocName;
                if (string.IsNullOrEmpty(user))
                {
                    throw Challenge(StatusCodes.InvalidCredentials, "auth-md5 needs the user name in SyncHdr Source/LocName", null, usedType);
                }

                account = Known(tx, user, usedType);
                var expected = OmaDmCredentials.Md5Digest(account.Id, account.Password, OmaDmCredentials.NonceBytes(account.ClientNonce));
                if (!OmaDmCredentials.SameSecret(expected, data.Trim()))
                {
                    throw Challenge(StatusCodes.InvalidCredentials, "the auth-md5 digest does not match the account's credentials and nonce", account, usedType);
                }
            }
            else
            {
                throw Challenge(StatusCodes.InvalidCredentials, $"Cred type '{usedType}' is not supported (auth-basic, auth-md5, or HMAC in {OmaDmCredentials.HmacHeader})", AccountOf(tx, hdr), null);
            }
        }
        else
        {
            // No credentials: only a later message of a session this client already authenticated (not HMAC, which
            // signs every message; not a new session's package 1).
            var known = AccountOf(tx, hdr);
            var newSession = request.SyncBody.Commands.OfType<Alert>().Any(a => a.Data is "1200" or "1201");
            if (known is null || newSession || known.AuthenticatedSessionId != hdr.SessionID
                || string.Equals(known.AuthType, OmaDmAuthTypes.Hmac, StringComparison.OrdinalIgnoreCase))
            {
                throw Challenge(StatusCodes.MissingCredentials, "the message carries no credentials", known, null);
            }

            return (DeviceOf(tx, known), new DmAuthOutcome(StatusCodes.Ok, ServerCred: ServerCred(known), SignReply: null));
        }

        if (!string.Equals(account.DevId, hdr.Source?.LocURI, StringComparison.Ordinal))
        {
            throw new DmRefusalException(StatusCodes.Forbidden,
                $"account '{account.Id}' belongs to device '{account.DevId}', not to Source '{hdr.Source?.LocURI}'");
        }

        TakeServerChallenge(account, request);
        Chal? next = null;
        if (!string.Equals(usedType, OmaDmAuthTypes.Basic, StringComparison.OrdinalIgnoreCase))
        {
            // A nonce authenticates once: the 212 carries the next one (OMA-TS-DM_Security-V1_2 5.1, NextNonce).
            account.ClientNonce = OmaDmCredentials.NewNonce();
            next = ChalFor(usedType, account.ClientNonce);
        }

        account.AuthenticatedSessionId = hdr.SessionID;
        tx.Put(account);
        var sign = string.Equals(usedType, OmaDmAuthTypes.Hmac, StringComparison.OrdinalIgnoreCase) && account.ServerPassword is { } serverPassword
            ? bytes => OmaDmCredentials.HmacHeaderValue(account.ServerId, serverPassword, OmaDmCredentials.NonceBytes(account.ServerNonce), bytes)
            : (Func<byte[], string>?)null;
        return (DeviceOf(tx, account), new DmAuthOutcome(StatusCodes.AuthenticationAccepted, next, sign is null ? ServerCred(account) : null, sign));
    }

    private static OmaDmAccountRecord Known(IStoreView view, string user, string usedType) =>
        view.Find<OmaDmAccountRecord>(user)
        // The same answer as a wrong password: a caller learns nothing about which accounts exist.
        ?? throw Challenge(StatusCodes.InvalidCredentials, "the credentials do not match an account", null, usedType);

    private static OmaDmAccountRecord? AccountOf(IStoreView view, SyncHdr hdr) =>
        hdr.Source is null ? null : view.List<OmaDmAccountRecord>().FirstOrDefault(a => a.DevId == hdr.Source.LocURI);

    private static DeviceRecord DeviceOf(IStoreView view, OmaDmAccountRecord account) =>
        view.Find<DeviceRecord>(account.DeviceId)
        ?? throw new DmRefusalException(StatusCodes.Forbidden, $"the device of account '{account.Id}' was removed");

    /// <summary>
    /// The client's Status on the server's SyncHdr may challenge the server (401/407 with a Chal): from then on the
    /// server sends its Cred of that type with the client's nonce (OMA-TS-DM_Security-V1_2 5.1).
    /// </summary>
    private static void TakeServerChallenge(OmaDmAccountRecord account, SyncMLMessage request)
    {
        foreach (var status in request.SyncBody.Commands.OfType<Status>())
        {
            if (status.CmdRef != "0" || status.Chal?.Meta is not { } meta)
            {
                continue;
            }

            if (meta.Type is { } type && (string.Equals(type, OmaDmAuthTypes.Basic, StringComparison.OrdinalIgnoreCase)
                                          || string.Equals(type, OmaDmAuthTypes.Md5, StringComparison.OrdinalIgnoreCase)))
            {
                account.ServerAuthType = type;
            }

            if (meta.NextNonce is { Length: > 0 } nonce)
            {
                account.ServerNonce = nonce;
            }
        }
    }

    private static Cred? ServerCred(OmaDmAccountRecord account)
    {
        if (account.ServerPassword is not { } password || account.ServerAuthType is not { } type)
        {
            return null;
        }

        var md5 = string.Equals(type, OmaDmAuthTypes.Md5, StringComparison.OrdinalIgnoreCase);
        return new Cred
        {
            Meta = new Meta { Type = md5 ? OmaDmAuthTypes.Md5 : OmaDmAuthTypes.Basic, Format = "b64" },
            Data = md5
                ? OmaDmCredentials.Md5Digest(account.ServerId, password, OmaDmCredentials.NonceBytes(account.ServerNonce))
                : OmaDmCredentials.Basic(account.ServerId, password),
        };
    }

    /// <summary>
    /// A 401/407 refusal whose Chal asks for the account's type (or, for an unknown client, the type it tried, else
    /// auth-md5, the type OMA DM requires every client to support) with the nonce to use.
    /// </summary>
    private static DmRefusalException Challenge(int status, string reason, OmaDmAccountRecord? account, string? triedType)
    {
        var type = account?.AuthType
                   ?? (triedType is not null && OmaDmAuthTypes.FromShortName(OmaDmAuthTypes.ToShortName(triedType)) is { } known ? known : OmaDmAuthTypes.Md5);
        return new DmRefusalException(status, reason, ChalFor(type, account?.ClientNonce ?? OmaDmCredentials.NewNonce()));
    }

    private static Chal ChalFor(string type, string nonce) => new()
    {
        Meta = string.Equals(type, OmaDmAuthTypes.Basic, StringComparison.OrdinalIgnoreCase)
            ? new Meta { Type = OmaDmAuthTypes.Basic, Format = "b64" }
            : new Meta { Type = type, Format = "b64", NextNonce = nonce },
    };
}

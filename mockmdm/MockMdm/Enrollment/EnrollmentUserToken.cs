using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DeviceAgent.Protocol;

namespace MockMdm.Enrollment;

/// <summary>
/// The security token of MS-MDE2 3.2 as this server's mock STS issues it: base64url JSON claims (upn, tid, join)
/// and an HMAC-SHA256 over them, so a device cannot claim a tenant or join type the STS did not give it
/// (docs/mock-mdm.md "Authentication").
/// </summary>
public sealed record EnrollmentUserToken(string UserPrincipalName, string TenantId, JoinType JoinType)
{
    private const int MaxTokenChars = 4096;

    /// <summary>The token text as the STS hands it to the device (wresult).</summary>
    public string Sign(byte[] key)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(new Claims(UserPrincipalName, TenantId, JoinType.ToString()));
        return Base64Url.EncodeToString(payload) + "." + Base64Url.EncodeToString(HMACSHA256.HashData(key, payload));
    }

    /// <summary>Checks and reads a token; Authentication fault when it is malformed or not signed by this server.</summary>
    public static EnrollmentUserToken Verify(string? token, byte[] key)
    {
        static EnrollmentFaultException Fail(string why) => new(EnrollmentFaultException.Subcodes.Authentication, why);
        if (string.IsNullOrWhiteSpace(token) || token.Length > MaxTokenChars)
        {
            throw Fail("the request carries no usable DeviceEnrollmentUserToken (get one from the AuthenticationServiceUrl)");
        }

        var parts = token.Trim().Split('.');
        byte[] payload, mac;
        try
        {
            if (parts.Length != 2)
            {
                throw new FormatException();
            }

            payload = Base64Url.DecodeFromChars(parts[0]);
            mac = Base64Url.DecodeFromChars(parts[1]);
        }
        catch (FormatException)
        {
            throw Fail("the DeviceEnrollmentUserToken is not a token this server's STS issued");
        }

        if (!CryptographicOperations.FixedTimeEquals(mac, HMACSHA256.HashData(key, payload)))
        {
            throw Fail("the DeviceEnrollmentUserToken's signature does not verify (was it issued by this server?)");
        }

        var claims = JsonSerializer.Deserialize<Claims>(payload);
        if (claims is null || string.IsNullOrEmpty(claims.Upn) || string.IsNullOrEmpty(claims.Tid)
            || !Enum.TryParse<JoinType>(claims.Join, out var join))
        {
            throw Fail("the DeviceEnrollmentUserToken lacks upn, tid or join");
        }

        return new EnrollmentUserToken(claims.Upn, claims.Tid, join);
    }

    private sealed record Claims(
        [property: System.Text.Json.Serialization.JsonPropertyName("upn")] string Upn,
        [property: System.Text.Json.Serialization.JsonPropertyName("tid")] string Tid,
        [property: System.Text.Json.Serialization.JsonPropertyName("join")] string Join);
}

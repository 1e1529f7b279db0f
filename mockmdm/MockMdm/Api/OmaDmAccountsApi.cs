using DeviceAgent.Protocol;
using MockMdm.Enrollment;
using MockMdm.OmaDm;
using MockMdm.OmaDm.Authentication;
using MockMdm.Store;

namespace MockMdm.Api;

/// <summary>
/// /api/omadmAccounts: accounts of standard OMA-DM clients that are not Windows (docs/omadm-clients.md). Creating one
/// creates the managed device its sessions manage; the password is never returned.
/// </summary>
internal static class OmaDmAccountsApi
{
    /// <summary>The DeviceType of a managed device created for an OMA-DM account.</summary>
    public const string DeviceType = "OmaDmClient";

    public static void Map(RouteGroupBuilder api)
    {
        var accounts = api.MapGroup("/omadmAccounts");
        accounts.MapGet("", (IMdmStore store) =>
            Results.Json(new { value = store.Read(v => v.List<OmaDmAccountRecord>().Select(Render).ToList()) }));
        accounts.MapGet("/{id}", (string id, IMdmStore store) =>
            store.Find<OmaDmAccountRecord>(id) is { } a ? Results.Json(Render(a)) : NotFound(id));
        accounts.MapDelete("/{id}", (string id, IMdmStore store) =>
            store.Write(tx => tx.Delete<OmaDmAccountRecord>(id)) ? Results.NoContent() : NotFound(id));
        accounts.MapPost("", async (HttpRequest request, IMdmStore store, IdGenerator ids, InventoryCommands inventory, MockMdmOptions options) =>
        {
            var (body, error) = await ApiSupport.ReadObjectAsync(request).ConfigureAwait(false);
            if (error is not null)
            {
                return error;
            }

            var errors = new List<string>();
            var user = ApiSupport.OptionalString(body, "userName", errors);
            var password = ApiSupport.OptionalString(body, "password", errors);
            var devId = ApiSupport.OptionalString(body, "devId", errors);
            var authTypeName = ApiSupport.OptionalString(body, "authType", errors) ?? "md5";
            var serverId = ApiSupport.OptionalString(body, "serverId", errors) ?? options.ProviderId;
            var serverPassword = ApiSupport.OptionalString(body, "serverPassword", errors);
            var serverAuthTypeName = ApiSupport.OptionalString(body, "serverAuthType", errors);
            Require(errors, "userName", user, 1, 128);
            Require(errors, "password", password, 1, 256);
            Require(errors, "devId", devId, 1, 256);
            if (user is not null && user.Contains(':', StringComparison.Ordinal))
            {
                errors.Add("'userName' must not contain ':' (auth-basic sends user:password)");
            }

            var authType = OmaDmAuthTypes.FromShortName(authTypeName);
            if (authType is null)
            {
                errors.Add($"'authType' must be basic, md5 or hmac, not '{authTypeName}'");
            }

            string? serverAuthType = null;
            if (serverAuthTypeName is not null)
            {
                serverAuthType = OmaDmAuthTypes.FromShortName(serverAuthTypeName);
                if (serverAuthType is null || serverAuthType == OmaDmAuthTypes.Hmac)
                {
                    errors.Add($"'serverAuthType' must be basic or md5 (an HMAC client gets the server's HMAC when serverPassword is set), not '{serverAuthTypeName}'");
                }

                if (serverPassword is null)
                {
                    errors.Add("'serverAuthType' needs 'serverPassword'");
                }
            }

            if (errors.Count > 0)
            {
                return ApiSupport.BadRequest(string.Join("; ", errors));
            }

            var now = options.TimeProvider.GetUtcNow();
            var device = new DeviceRecord
            {
                Id = ids.NewId(),
                EnrollmentDeviceId = devId!,
                DevId = devId,
                TenantId = options.TenantId,
                UserPrincipalName = user!,
                DeviceType = DeviceType,
                OsVersion = "",
                EnrollmentType = "Device",
                JoinType = JoinType.WorkplaceJoined,
                Ownership = Ownership.Company,
                // No certificate, and a token no one is told: only the account's credentials reach this device.
                CertificateThumbprint = "",
                DeviceToken = ids.NewToken(),
                EnrolledDateTime = now,
            };
            var account = new OmaDmAccountRecord
            {
                Id = user!,
                DevId = devId!,
                Password = password!,
                AuthType = authType!,
                ClientNonce = OmaDmCredentials.NewNonce(),
                ServerId = serverId,
                ServerPassword = serverPassword,
                ServerAuthType = serverAuthType,
                ServerNonce = OmaDmCredentials.NewNonce(),
                DeviceId = device.Id,
                CreatedDateTime = now,
            };
            var conflict = store.Write(tx =>
            {
                if (tx.Find<OmaDmAccountRecord>(account.Id) is not null)
                {
                    return $"an account named '{account.Id}' exists";
                }

                if (tx.List<OmaDmAccountRecord>().Any(a => a.DevId == account.DevId))
                {
                    return $"device '{account.DevId}' already has an account";
                }

                tx.Put(device);
                tx.Put(account);
                return null;
            });
            return conflict is not null ? ApiSupport.Error(409, "Conflict", conflict) : Results.Json(Render(account), statusCode: 201);
        });
    }

    private static void Require(List<string> errors, string name, string? value, int min, int max)
    {
        if (value is null || value.Length < min || value.Length > max)
        {
            errors.Add($"'{name}' is required, {min} to {max} characters");
        }
    }

    private static IResult NotFound(string id) => ApiSupport.NotFound($"OMA-DM account '{id}' does not exist");

    private static Dictionary<string, object?> Render(OmaDmAccountRecord a) => new()
    {
        ["id"] = a.Id,
        ["userName"] = a.Id,
        ["devId"] = a.DevId,
        ["authType"] = OmaDmAuthTypes.ToShortName(a.AuthType),
        ["clientNonce"] = a.ClientNonce,
        ["serverId"] = a.ServerId,
        ["serverAuthType"] = a.ServerAuthType is null ? null : OmaDmAuthTypes.ToShortName(a.ServerAuthType),
        ["serverNonce"] = a.ServerNonce,
        ["managedDeviceId"] = a.DeviceId,
        ["createdDateTime"] = a.CreatedDateTime,
    };
}

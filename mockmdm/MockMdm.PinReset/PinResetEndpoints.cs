using System.Text;
using System.Text.Json;
using DeviceAgent.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace MockMdm.PinReset;

/// <summary>
/// The PIN reset service over HTTP (docs/pin-reset.md "Wire"; paths and names in <see cref="PinResetWire"/>). Device
/// endpoints (public key, release of a recovery protector, PIN generation; docs/reference/pin-reset.md §3) are mapped by
/// every host; the consent endpoints (docs/reference/pin-reset.md §1) only by the standalone service, because the mock
/// MDM server records consent through its own tenants and consent pages. Every body is read bounded
/// (<see cref="PinResetWire.MaxBodyBytes"/>) and refused with a Graph-shaped error that names the field.
/// </summary>
public static class PinResetEndpoints
{
    private static readonly JsonDocumentOptions s_json = new() { MaxDepth = 8 };

    /// <summary>Maps the device endpoints under <paramref name="routes"/>; <see cref="IPinResetService"/> comes from the host's services.</summary>
    public static void MapDeviceEndpoints(IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        routes.MapGet(PinResetWire.PublicKeyPath, (IPinResetService service) =>
            Results.Json(new Dictionary<string, object> { [PinResetWire.SubjectPublicKeyInfo] = Convert.ToBase64String(service.GetPublicKey()) }));

        routes.MapPost("v1/tenants/{tenant}/recoveryprotector", async (string tenant, HttpRequest request, IPinResetService service) =>
        {
            if (TenantError(tenant) is { } badTenant)
            {
                return badTenant;
            }

            var (body, error) = await ReadObjectAsync(request).ConfigureAwait(false);
            if (error is not null)
            {
                return error;
            }

            if (!body.TryGetProperty(PinResetWire.EncryptedProtector, out var blobElement) || blobElement.ValueKind != JsonValueKind.String)
            {
                return Error(400, "BadRequest", $"'{PinResetWire.EncryptedProtector}' (base64 string) is required");
            }

            byte[] blob;
            try
            {
                blob = Convert.FromBase64String(blobElement.GetString()!);
            }
            catch (FormatException)
            {
                return Error(400, "BadRequest", $"'{PinResetWire.EncryptedProtector}' is not base64");
            }

            var result = service.RecoverProtector(tenant, blob);
            var answer = new Dictionary<string, object> { [PinResetWire.Outcome] = result.Outcome.ToString() };
            if (result.IsSuccess)
            {
                answer[PinResetWire.Protector] = Convert.ToBase64String(result.Protector!);
            }
            else
            {
                answer[PinResetWire.Error] = new { code = result.Outcome.ToString(), message = Describe(result.Outcome, tenant) };
            }

            return Results.Json(answer, statusCode: PinResetWire.StatusOf(result.Outcome));
        });

        routes.MapPost(PinResetWire.PinPath, async (HttpRequest request, IPinResetService service) =>
        {
            // An empty body is allowed: the service then draws the PIN from its own source.
            int? seed = null;
            if (request.ContentLength is not 0)
            {
                var (body, error) = await ReadObjectAsync(request, allowEmpty: true).ConfigureAwait(false);
                if (error is not null)
                {
                    return error;
                }

                if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty(PinResetWire.Seed, out var seedElement))
                {
                    if (seedElement.ValueKind != JsonValueKind.Number || !seedElement.TryGetInt32(out var value))
                    {
                        return Error(400, "BadRequest", $"'{PinResetWire.Seed}' must be a 32-bit integer");
                    }

                    seed = value;
                }
            }

            var pin = service.GeneratePin(seed is { } s ? new Random(s) : Random.Shared);
            return Results.Json(new Dictionary<string, object> { [PinResetWire.Pin] = pin });
        });
    }

    /// <summary>
    /// Maps the standalone service's consent endpoints: GET and PUT of a tenant, PUT of a consent decision with
    /// {"granted": bool}. PUTs must be application/json, which a browser cannot send cross-site without a CORS
    /// preflight the service never grants (docs/security.md: no CSRF through a form post).
    /// </summary>
    public static void MapConsentEndpoints(IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        routes.MapGet("v1/tenants/{tenant}", (string tenant, IPinResetService service) =>
            TenantError(tenant) ?? TenantState(service, tenant));

        routes.MapPut("v1/tenants/{tenant}", (string tenant, IPinResetService service) =>
        {
            if (TenantError(tenant) is { } badTenant)
            {
                return badTenant;
            }

            service.AddTenant(tenant);
            return TenantState(service, tenant);
        });

        routes.MapPut("v1/tenants/{tenant}/consent/{clientId}", async (string tenant, string clientId, HttpRequest request, IPinResetService service) =>
        {
            if (TenantError(tenant) is { } badTenant)
            {
                return badTenant;
            }

            if (PinResetApplicationIds.ApplicationOf(clientId) is not { } application)
            {
                return Error(400, "BadRequest",
                    $"client_id must be {PinResetApplicationIds.Service} (PIN reset service) or {PinResetApplicationIds.Client} (PIN reset client), not '{Shorten(clientId)}'");
            }

            if (!request.HasJsonContentType())
            {
                return Error(415, "UnsupportedMediaType", "send the decision as application/json: {\"granted\": true}");
            }

            var (body, error) = await ReadObjectAsync(request).ConfigureAwait(false);
            if (error is not null)
            {
                return error;
            }

            if (!body.TryGetProperty(PinResetWire.Granted, out var granted) || granted.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return Error(400, "BadRequest", $"'{PinResetWire.Granted}' (true or false) is required");
            }

            service.SetConsent(tenant, application, granted.GetBoolean());
            return TenantState(service, tenant);
        });
    }

    private static IResult TenantState(IPinResetService service, string tenant) => Results.Json(new Dictionary<string, object>
    {
        ["tenantId"] = RecoveryProtectorEnvelope.NormalizeTenant(tenant),
        ["serviceConsented"] = service.HasConsent(tenant, PinResetApplication.Service),
        ["clientConsented"] = service.HasConsent(tenant, PinResetApplication.Client),
    });

    /// <summary>A tenant ID fits the recovery envelope: 1-128 UTF-8 bytes, no control characters or spaces.</summary>
    private static IResult? TenantError(string tenant)
    {
        if (string.IsNullOrWhiteSpace(tenant) || Encoding.UTF8.GetByteCount(tenant) > RecoveryProtectorEnvelope.MaxTenantIdBytes
            || tenant.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            return Error(400, "BadRequest",
                $"the tenant ID in the path must be 1-{RecoveryProtectorEnvelope.MaxTenantIdBytes} UTF-8 bytes without spaces or control characters, not '{Shorten(tenant)}'");
        }

        return null;
    }

    private static string Describe(PinRecoveryOutcome outcome, string tenant) => outcome switch
    {
        PinRecoveryOutcome.UnknownTenant => $"the service does not know tenant '{Shorten(tenant)}'",
        PinRecoveryOutcome.ServiceConsentMissing => $"tenant '{Shorten(tenant)}' has not consented Microsoft Pin Reset Service Production ({PinResetApplicationIds.Service})",
        PinRecoveryOutcome.ClientConsentMissing => $"tenant '{Shorten(tenant)}' has not consented Microsoft Pin Reset Client Production ({PinResetApplicationIds.Client})",
        PinRecoveryOutcome.BadBlob => "the encrypted protector is not a protector sealed to this service's key",
        PinRecoveryOutcome.TenantMismatch => $"the encrypted protector was sealed for another tenant than '{Shorten(tenant)}'",
        _ => outcome.ToString(),
    };

    /// <summary>Reads a JSON object body of at most <see cref="PinResetWire.MaxBodyBytes"/>; the error result says what is wrong.</summary>
    private static async Task<(JsonElement Body, IResult? Error)> ReadObjectAsync(HttpRequest request, bool allowEmpty = false)
    {
        if (request.ContentLength > PinResetWire.MaxBodyBytes)
        {
            return (default, TooLarge());
        }

        var bytes = await BoundedBody.ReadAsync(request.Body, PinResetWire.MaxBodyBytes, request.HttpContext.RequestAborted).ConfigureAwait(false);
        if (bytes is null)
        {
            return (default, TooLarge());
        }

        if (bytes.Length == 0)
        {
            return allowEmpty ? (default, null) : (default, Error(400, "BadRequest", "the body is empty; a JSON object is required"));
        }

        try
        {
            using var document = JsonDocument.Parse(bytes, s_json);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? (document.RootElement.Clone(), null)
                : (default, Error(400, "BadRequest", $"the body must be a JSON object, not {document.RootElement.ValueKind}"));
        }
        catch (JsonException e)
        {
            return (default, Error(400, "BadRequest", $"the body is not JSON: {e.Message}"));
        }
    }

    private static IResult TooLarge() =>
        Error(413, "RequestTooLarge", $"the body is larger than {PinResetWire.MaxBodyBytes} bytes");

    /// <summary>The error shape of every refusal: {"error":{"code","message"}}.</summary>
    public static IResult Error(int status, string code, string message) =>
        Results.Json(new Dictionary<string, object> { [PinResetWire.Error] = new { code, message } }, statusCode: status);

    private static string Shorten(string text) => text.Length > 80 ? text[..80] + "…" : text;
}

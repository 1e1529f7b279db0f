using DeviceAgent.Protocol;
using DeviceAgent.SyncML;
using Results = Microsoft.AspNetCore.Http.Results;
using StatusCodes = DeviceAgent.SyncML.StatusCodes;
using MockMdm.Enrollment;
using MockMdm.Observability;
using MockMdm.Store;
using MockMdm.OmaDm.Authentication;

namespace MockMdm.OmaDm;

/// <summary>POST /ManagementServer/MDM.svc: the OMA-DM endpoint (docs/reference/omadm.md §1). One store transaction per request.</summary>
internal static class OmaDmEndpoint
{
    public const string Path = "/ManagementServer/MDM.svc";

    /// <summary>The header naming the device in plain-HTTP mode (the query parameter is "devicetoken").</summary>
    public const string DeviceTokenHeader = "X-MockMdm-DeviceToken";

    /// <summary>Largest SyncML message accepted (the codec bounds depth and element count too).</summary>
    private const int MaxMessageBytes = 4 * 1024 * 1024;

    public static void Map(WebApplication app) => app.MapPost(Path, HandleAsync);

    private static async Task<IResult> HandleAsync(
        HttpContext context, IMdmStore store, DmSessionProcessor processor, OmaDmAuthenticator authenticator,
        CertificateAuthority ca, MockMdmOptions options, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(OmaDmEndpoint).FullName!);
        // One span per OMA-DM message (docs/observability.md "Traces"); its tags name the session and message.
        using var activity = Observability.Telemetry.MockMdmSource.StartActivity("OMA-DM message", System.Diagnostics.ActivityKind.Internal);
        IResult Refuse(int status, string reason)
        {
            logger.DeviceRefused(status, reason);
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, reason);
            return Results.Text(reason, "text/plain", statusCode: status);
        }

        // A Windows device names itself by its enrollment certificate or device token; a client presenting neither is
        // a standard OMA-DM client and authenticates with OMA-DM credentials (docs/omadm-clients.md).
        var deviceKey = Authenticate(context, ca, options, out var refusal);
        if (deviceKey is null && refusal.Length > 0)
        {
            return Refuse(403, refusal);
        }

        // Content negotiation: the reply uses the encoding and media type of the request (docs/syncml.md "Content types").
        if (!SyncMLWire.TryNegotiate(context.Request.ContentType, out var encoding, out var replyMediaType))
        {
            return Refuse(415, SyncMLWire.UnsupportedMediaType(context.Request.ContentType));
        }

        var bytes = await BoundedBody.ReadAsync(context.Request.Body, MaxMessageBytes, context.RequestAborted).ConfigureAwait(false);
        if (bytes is null)
        {
            return Refuse(413, $"the SyncML message is larger than {MaxMessageBytes} bytes");
        }

        SyncMLMessage request;
        try
        {
            request = SyncMLWire.Read(bytes, encoding);
        }
        catch (SyncMLFormatException ex)
        {
            return Refuse(400, $"malformed SyncML at {ex.Where}: {ex.Reason}");
        }

        if (activity is not null)
        {
            activity.SetTag("deviceagent.omadm.session_id", request.SyncHdr?.SessionID);
            activity.SetTag("deviceagent.omadm.msg_id", request.SyncHdr?.MsgID);
            activity.SetTag("deviceagent.omadm.source", request.SyncHdr?.Source?.LocURI);
        }

        try
        {
            var budget = new MessageBudget(encoding);
            var answer = store.Write(tx =>
            {
                if (deviceKey is null)
                {
                    var (client, outcome) = authenticator.Authenticate(tx, request, bytes, context.Request.Headers[OmaDmCredentials.HmacHeader].ToString());
                    return (Reply: processor.Process(tx, client, request, outcome, budget), outcome.SignReply);
                }

                var device = FindDevice(tx, deviceKey);
                return device is null ? (null, null) : (Reply: processor.Process(tx, device, request, DmAuthOutcome.Transport, budget), SignReply: (Func<byte[], string>?)null);
            });
            if (answer.Reply is null)
            {
                return Refuse(403, "the device is not enrolled (or was removed)");
            }

            var replyBytes = SyncMLWire.ToBytes(answer.Reply, encoding);
            if (answer.SignReply is { } sign)
            {
                context.Response.Headers[OmaDmCredentials.HmacHeader] = sign(replyBytes);
            }

            return Results.Bytes(replyBytes, replyMediaType);
        }
        catch (DmRefusalException ex)
        {
            // The client sent SyncML, so the refusal is SyncML too (HTTP 200, the SyncHdr status says it); nothing of
            // the message was applied, the transaction having thrown.
            logger.MessageRefused(ex.Status, ex.Message);
            return Results.Bytes(SyncMLWire.ToBytes(DmReplies.Refusal(request, ex), encoding), replyMediaType);
        }
        catch (DmProtocolException ex)
        {
            return Refuse(400, ex.Message);
        }
    }

    /// <summary>
    /// Who is calling: in mutual-TLS mode the thumbprint of a client certificate this CA issued; in plain-HTTP mode the
    /// device token from the query or header. Null with no reason when the caller presents neither (OMA-DM credentials
    /// decide then); null with the reason when it presents a certificate this server did not issue.
    /// </summary>
    private static DeviceKey? Authenticate(HttpContext context, CertificateAuthority ca, MockMdmOptions options, out string refusal)
    {
        refusal = "";
        if (options.EffectivePlainHttp)
        {
            var token = context.Request.Headers[DeviceTokenHeader].ToString();
            if (token.Length == 0)
            {
                token = context.Request.Query["devicetoken"].ToString();
            }

            if (token.Length == 0)
            {
                // No device token: a standard OMA-DM client (or a device that lost its ADDR), left to OMA-DM credentials.
                return null;
            }

            return new DeviceKey(null, token);
        }

        var certificate = context.Connection.ClientCertificate;
        if (certificate is null)
        {
            // No client certificate: a standard OMA-DM client, left to OMA-DM credentials.
            return null;
        }

        if (!ca.Issued(certificate))
        {
            refusal = "the client certificate was not issued by this server's CA or is not valid now";
            return null;
        }

        return new DeviceKey(certificate.Thumbprint, null);
    }

    /// <summary>The device with this certificate thumbprint or (when <paramref name="thumbprint"/> is null) plain-HTTP device token, or null.</summary>
    internal static DeviceRecord? FindDevice(IStoreView view, string? thumbprint, string? token) =>
        thumbprint is null && string.IsNullOrEmpty(token) ? null : FindDevice(view, new DeviceKey(thumbprint, token));

    private static DeviceRecord? FindDevice(IStoreView view, DeviceKey key)
    {
        // One index lookup (written at enrollment, rebuilt at start for older stores: DeviceKeyRecord.IndexAll), so an
        // unknown key costs the same as a known one and never a scan of every device (issue 16).
        var indexed = view.Find<DeviceKeyRecord>(key.Thumbprint is not null ? DeviceKeyRecord.ForThumbprint(key.Thumbprint) : DeviceKeyRecord.ForToken(key.Token!));
        return indexed is not null && view.Find<DeviceRecord>(indexed.DeviceId) is { } device && Matches(device, key) ? device : null;
    }

    private static bool Matches(DeviceRecord d, DeviceKey key) => key.Thumbprint is not null
        ? string.Equals(d.CertificateThumbprint, key.Thumbprint, StringComparison.OrdinalIgnoreCase)
        : System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(d.DeviceToken), System.Text.Encoding.UTF8.GetBytes(key.Token!));

    private sealed record DeviceKey(string? Thumbprint, string? Token);
}

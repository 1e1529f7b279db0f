using DeviceAgent.Protocol;
using DeviceAgent.SyncML;
using Results = Microsoft.AspNetCore.Http.Results;
using StatusCodes = DeviceAgent.SyncML.StatusCodes;
using MockMdm.Enrollment;
using MockMdm.Observability;
using MockMdm.Store;

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
        HttpContext context, IMdmStore store, DmSessionProcessor processor, CertificateAuthority ca, MockMdmOptions options, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(OmaDmEndpoint).FullName!);
        IResult Refuse(int status, string reason)
        {
            logger.DeviceRefused(status, reason);
            return Results.Text(reason, "text/plain", statusCode: status);
        }

        var deviceKey = Authenticate(context, ca, options, out var refusal);
        if (deviceKey is null)
        {
            return Refuse(StatusCodes401Or403(refusal), refusal);
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

        try
        {
            var reply = store.Write(tx =>
            {
                var device = FindDevice(tx, deviceKey);
                return device is null ? null : processor.Process(tx, device, request);
            });
            return reply is null
                ? Refuse(403, "the device is not enrolled (or was removed)")
                : Results.Bytes(SyncMLWire.ToBytes(reply, encoding), replyMediaType);
        }
        catch (DmProtocolException ex)
        {
            return Refuse(400, ex.Message);
        }
    }

    private static int StatusCodes401Or403(string refusal) =>
        refusal.StartsWith("no ", StringComparison.Ordinal) ? 401 : 403;

    /// <summary>
    /// Who is calling: in mutual-TLS mode the thumbprint of a client certificate this CA issued; in plain-HTTP mode the
    /// device token from the query or header. Null with the reason when neither identifies a device.
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
                refusal = $"no device token: plain-HTTP mode identifies devices by the devicetoken query parameter of their w7 ADDR or the {DeviceTokenHeader} header";
                return null;
            }

            return new DeviceKey(null, token);
        }

        var certificate = context.Connection.ClientCertificate;
        if (certificate is null)
        {
            refusal = "no client certificate: present the certificate issued at enrollment (mutual TLS)";
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
        // The index written at enrollment; the full scan stays for stores written before the index existed.
        var indexed = view.Find<DeviceKeyRecord>(key.Thumbprint is not null ? DeviceKeyRecord.ForThumbprint(key.Thumbprint) : DeviceKeyRecord.ForToken(key.Token!));
        if (indexed is not null && view.Find<DeviceRecord>(indexed.DeviceId) is { } device && Matches(device, key))
        {
            return device;
        }

        return view.List<DeviceRecord>().FirstOrDefault(d => Matches(d, key));
    }

    private static bool Matches(DeviceRecord d, DeviceKey key) => key.Thumbprint is not null
        ? string.Equals(d.CertificateThumbprint, key.Thumbprint, StringComparison.OrdinalIgnoreCase)
        : System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(d.DeviceToken), System.Text.Encoding.UTF8.GetBytes(key.Token!));

    private sealed record DeviceKey(string? Thumbprint, string? Token);
}

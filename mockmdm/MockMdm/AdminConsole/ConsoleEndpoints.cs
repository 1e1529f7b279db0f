using System.Globalization;
using System.Reflection;
using DeviceAgent.Protocol;
using MockMdm.Api;
using MockMdm.Enrollment;
using MockMdm.Store;

namespace MockMdm.AdminConsole;

/// <summary>
/// The admin console (docs/console.md): static files under /console that call the same /api the rest of the world
/// calls, plus the two reads the API lacked (a device's SyncML trace and its NGC event log).
/// </summary>
internal static class ConsoleEndpoints
{
    public const string BasePath = "/console";
    private const string ResourcePrefix = "MockMdm.AdminConsole.Assets.";

    private static readonly Dictionary<string, string> s_contentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
    };

    /// <summary>Registers the trace log and the NGC log registry.</summary>
    public static void AddServices(IServiceCollection services)
    {
        services.AddSingleton<SyncMLTraceLog>();
        services.AddSingleton<DeviceNgcEventLogs>();
    }

    /// <summary>Maps the console's files and records every OMA-DM exchange in the trace log.</summary>
    public static void Map(WebApplication app)
    {
        app.Use(TraceOmaDmAsync);
        app.MapGet("/", () => Results.Redirect(BasePath + "/"));
        // Routing treats "/console" and "/console/" alike; the page's relative links need the slash.
        app.MapGet(BasePath, (HttpContext context) => context.Request.Path.Value!.EndsWith('/')
            ? Asset(context, "index.html")
            : Results.Redirect(BasePath + "/"));
        app.MapGet(BasePath + "/{file}", (string file, HttpContext context) => Asset(context, file));
    }

    /// <summary>Maps the console's extra reads into the API group (same key check, same 401 for callers without it).</summary>
    public static void MapApi(RouteGroupBuilder api)
    {
        var devices = api.MapGroup("/deviceManagement/managedDevices");
        devices.MapGet("/{id}/syncmlTrace", (string id, string? after, IMdmStore store, SyncMLTraceLog trace) =>
        {
            long since = 0;
            if (after is not null && !long.TryParse(after, NumberStyles.None, CultureInfo.InvariantCulture, out since))
            {
                return ApiSupport.BadRequest($"'after' must be a non-negative whole number (a sequence from an earlier answer), not '{after}'");
            }

            return store.Find<DeviceRecord>(id) is null
                ? ManagedDevicesApi.DeviceNotFound(id)
                : Results.Json(new
                {
                    value = trace.For(id, since).Select(e => new
                    {
                        sequence = e.Sequence,
                        time = e.Time,
                        direction = e.Direction == SyncMLDirection.FromDevice ? "fromDevice" : "toDevice",
                        httpStatus = e.HttpStatus,
                        syncml = e.Text,
                    }).ToList(),
                });
        });
        devices.MapGet("/{id}/ngcEventLog", (string id, IMdmStore store, DeviceNgcEventLogs logs) =>
        {
            if (store.Find<DeviceRecord>(id) is not { } device)
            {
                return ManagedDevicesApi.DeviceNotFound(id);
            }

            var log = logs.Find(device.DevId);
            return Results.Json(new
            {
                available = log is not null,
                reason = log is null
                    ? "the server has no NGC event log for this device: a device keeps it to itself, and only an emulated device hosted in this server's process publishes it (docs/console.md)"
                    : null,
                value = (log ?? []).Select(Render).ToList(),
            });
        });
    }

    private static object Render(NgcEventLogEntry e) => new
    {
        time = e.Time,
        source = e.Source,
        operation = e.Operation,
        outcome = e.Outcome,
        userId = e.UserId,
        detail = e.Detail,
        line = e.Line,
    };

    private static IResult Asset(HttpContext context, string file)
    {
        // Only flat names of embedded files: nothing a request names can reach outside the assembly's resources.
        var extension = Path.GetExtension(file);
        if (file.Contains('/', StringComparison.Ordinal) || file.Contains('\\', StringComparison.Ordinal)
            || !s_contentTypes.TryGetValue(extension, out var contentType))
        {
            return Results.NotFound();
        }

        var stream = typeof(ConsoleEndpoints).Assembly.GetManifestResourceStream(ResourcePrefix + file);
        if (stream is null)
        {
            return Results.NotFound();
        }

        var headers = context.Response.Headers;
        headers.CacheControl = "no-cache";
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = "default-src 'self'; frame-ancestors 'none'; form-action 'self'";
        headers["Referrer-Policy"] = "no-referrer";
        return Results.Stream(stream, contentType);
    }

    /// <summary>Keeps a copy of each OMA-DM request and response for the device that sent it.</summary>
    private static async Task TraceOmaDmAsync(HttpContext context, RequestDelegate next)
    {
        if (!HttpMethods.IsPost(context.Request.Method)
            || !context.Request.Path.Equals(OmaDm.OmaDmEndpoint.Path, StringComparison.OrdinalIgnoreCase))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var services = context.RequestServices;
        var options = services.GetRequiredService<MockMdmOptions>();
        var received = options.TimeProvider.GetUtcNow();
        context.Request.EnableBuffering();
        var original = context.Response.Body;
        using var response = new MemoryStream();
        context.Response.Body = response;
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            context.Response.Body = original;
        }

        response.Position = 0;
        await response.CopyToAsync(original, context.RequestAborted).ConfigureAwait(false);

        var deviceId = DeviceOf(context, services.GetRequiredService<IMdmStore>(), options);
        if (deviceId is null)
        {
            return;
        }

        var trace = services.GetRequiredService<SyncMLTraceLog>();
        var request = await ReadBufferedAsync(context.Request.Body, context.RequestAborted).ConfigureAwait(false);
        var status = context.Response.StatusCode;
        trace.Record(deviceId, received, SyncMLDirection.FromDevice, status, request);
        trace.Record(deviceId, options.TimeProvider.GetUtcNow(), SyncMLDirection.ToDevice, status, response.ToArray());
    }

    private static async Task<byte[]> ReadBufferedAsync(Stream body, CancellationToken cancellationToken)
    {
        body.Position = 0;
        using var copy = new MemoryStream();
        // The endpoint already bounded what it read; the trace keeps at most what the log keeps.
        var buffer = new byte[16 * 1024];
        int read;
        while (copy.Length < SyncMLTraceLog.MaxMessageChars + 1
               && (read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            copy.Write(buffer, 0, read);
        }

        return copy.ToArray();
    }

    /// <summary>The managed device the request came from, identified the way the OMA-DM endpoint identifies it.</summary>
    private static string? DeviceOf(HttpContext context, IMdmStore store, MockMdmOptions options)
    {
        if (options.EffectivePlainHttp)
        {
            var token = context.Request.Headers[OmaDm.OmaDmEndpoint.DeviceTokenHeader].ToString();
            if (token.Length == 0)
            {
                token = context.Request.Query["devicetoken"].ToString();
            }

            // Through the enrollment index, not a listing of every device: this runs on every OMA-DM request.
            return token.Length == 0 ? null : store.Read(v => OmaDm.OmaDmEndpoint.FindDevice(v, null, token)?.Id);
        }

        var thumbprint = context.Connection.ClientCertificate?.Thumbprint;
        return thumbprint is null ? null : store.Read(v => OmaDm.OmaDmEndpoint.FindDevice(v, thumbprint, null)?.Id);
    }
}

using System.Net;
using DeviceAgent.Protocol;
using MockMdm.Api;
using MockMdm.Enrollment;

namespace MockMdm;

/// <summary>
/// The last line of error handling (docs/security.md "Error shapes"): whatever escapes an endpoint is answered in the
/// shape its client reads, never as an empty 500. By route family: /api and /pinreset get Graph error JSON, /EnrollmentServer an
/// MS-MDE2 SOAP fault, /ManagementServer the OMA-DM endpoint's plain-text refusal (no SyncHdr is known to answer
/// with a SyncML status), everything else (the consent pages, the console) a small HTML page. A request the server
/// refuses by its limits (Kestrel's body size, the form reader's value and field limits) is the client's error: 413 or
/// 400, logged at Information; anything else is a defect: 500, logged at Error with the exception.
/// </summary>
internal static partial class ErrorShapes
{
    public static void Use(WebApplication app) => app.Use(async (context, next) =>
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (Exception ex) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ErrorShapes).FullName!);
            var (status, reason) = ex switch
            {
                BadHttpRequestException bad => (bad.StatusCode, bad.Message),
                InvalidDataException invalid => (400, $"the request exceeds the server's limits: {invalid.Message}"),
                _ => (500, "the server failed to handle the request; the server log has the details"),
            };
            if (status >= 500)
            {
                LogFailed(logger, ex, context.Request.Method, context.Request.Path);
            }
            else
            {
                LogRefused(logger, context.Request.Method, context.Request.Path, status, reason);
            }

            context.Response.Clear();
            await Shape(context.Request.Path, status, reason).ExecuteAsync(context).ConfigureAwait(false);
        }
    });

    /// <summary>Where the hosted PIN reset service's device endpoints live (docs/pin-reset.md "Wire"); it answers in the same JSON error shape as /api.</summary>
    public const string HostedPinResetPath = "/" + PinResetWire.HostedPrefix;

    /// <summary>The error result for <paramref name="path"/>'s route family.</summary>
    public static IResult Shape(PathString path, int status, string reason)
    {
        if (path.StartsWithSegments("/api") || path.StartsWithSegments(HostedPinResetPath))
        {
            return ApiSupport.Error(status, status switch
            {
                413 => "RequestTooLarge",
                >= 500 => "InternalServerError",
                _ => "BadRequest",
            }, reason);
        }

        if (path.StartsWithSegments("/EnrollmentServer"))
        {
            var subcode = status >= 500 ? EnrollmentFaultException.Subcodes.InternalServiceFault : EnrollmentFaultException.Subcodes.MessageFormat;
            return SoapResponse.Fault(Mde2Names.Soap12, "", null, new EnrollmentFaultException(subcode, reason));
        }

        if (path.StartsWithSegments("/ManagementServer"))
        {
            return Results.Text(reason, "text/plain", statusCode: status);
        }

        var title = status switch
        {
            413 => "Request too large",
            >= 500 => "Server error",
            _ => "Bad request",
        };
        return Results.Content(
            $"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{title}</title></head><body><h1>{title}</h1>\n<p>{WebUtility.HtmlEncode(reason)}</p>\n</body></html>\n",
            "text/html; charset=utf-8", System.Text.Encoding.UTF8, status);
    }

    [LoggerMessage(EventId = 9001, Level = LogLevel.Information, Message = "{Method} {Path} refused with {Status}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string method, PathString path, int status, string reason);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Error, Message = "{Method} {Path} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string method, string path);
}

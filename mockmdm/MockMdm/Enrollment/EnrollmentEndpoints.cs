using System.Xml.Linq;
using DeviceAgent.Protocol;
using MockMdm.Observability;

namespace MockMdm.Enrollment;

/// <summary>The MS-MDE2 endpoints: discovery, the mock STS, XCEP policy and WSTEP enrollment (docs/reference/enrollment.md).</summary>
internal static class EnrollmentEndpoints
{
    public const string DiscoveryPath = "/EnrollmentServer/Discovery.svc";
    public const string AuthenticatePath = "/EnrollmentServer/Authenticate";
    public const string PolicyPath = "/EnrollmentServer/Policy.svc";
    public const string EnrollmentPath = "/EnrollmentServer/Enrollment.svc";

    public static void Map(WebApplication app)
    {
        // MS-MDE2 3.1: the client first GETs the discovery URL to learn that the endpoint exists.
        app.MapGet(DiscoveryPath, () => Results.Ok());
        app.MapPost(DiscoveryPath, (HttpContext context, EnrollmentService service) =>
            HandleSoapAsync(context, "discovery", Mde2Names.DiscoverResponseAction, service.Discover));
        app.MapGet(AuthenticatePath, (HttpContext context, EnrollmentService service) => service.Authenticate(context.Request));
        app.MapPost(PolicyPath, (HttpContext context, EnrollmentService service) =>
            HandleSoapAsync(context, "policy", Mde2Names.GetPoliciesResponseAction, service.GetPolicies));
        app.MapPost(EnrollmentPath, (HttpContext context, EnrollmentService service) =>
            HandleSoapAsync(context, EnrollmentStep, Mde2Names.RequestSecurityTokenResponseAction, service.RequestSecurityToken));
    }

    /// <summary>The step (metric tag "step", log field Step) whose success is an enrollment: WSTEP RequestSecurityToken.</summary>
    private const string EnrollmentStep = "enrollment";

    /// <summary>Reads the SOAP request, runs the operation, and turns every refusal into an MS-MDE2 fault (logged with its reason).</summary>
    private static async Task<IResult> HandleSoapAsync(
        HttpContext context, string step, string responseAction, Func<SoapRequest, Uri, XElement> operation)
    {
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(EnrollmentEndpoints).FullName!);
        var metrics = context.RequestServices.GetRequiredService<MockMdmMetrics>();
        SoapRequest? request = null;
        // One span per MS-MDE2 request (docs/observability.md "Traces"), under ASP.NET Core's HTTP server span.
        using var activity = Observability.Telemetry.MockMdmSource.StartActivity($"MS-MDE2 {step}", System.Diagnostics.ActivityKind.Internal);
        activity?.SetTag("deviceagent.mde2.step", step);
        try
        {
            request = await SoapRequest.ReadAsync(context.Request.Body, context.RequestAborted).ConfigureAwait(false);
            var baseUrl = BaseUrl(context);
            var response = SoapResponse.Ok(request.EnvelopeNamespace, responseAction, request.MessageId, operation(request, baseUrl));
            if (step == EnrollmentStep)
            {
                metrics.Enrollment("enrolled", step);
                logger.DeviceEnrolled(step);
            }

            return response;
        }
        catch (EnrollmentFaultException fault)
        {
            metrics.Enrollment("refused", step);
            activity?.SetTag("deviceagent.mde2.fault", fault.Subcode);
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, fault.Subcode);
            logger.EnrollmentRefused(step, fault.Subcode, fault.Message);
            return SoapResponse.Fault(request?.EnvelopeNamespace ?? Mde2Names.Soap12, responseAction, request?.MessageId, fault);
        }
    }

    /// <summary>The server's base URL as devices should see it: the configured public URL, else the request's own.</summary>
    public static Uri BaseUrl(HttpContext context)
    {
        var options = context.RequestServices.GetRequiredService<MockMdmOptions>();
        return options.PublicBaseUrl ?? new Uri($"{context.Request.Scheme}://{context.Request.Host}/");
    }
}

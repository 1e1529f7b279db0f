using System.Xml.Linq;
using DeviceAgent.Protocol;

namespace MockMdm.Enrollment;

/// <summary>The MS-MDE2 endpoints: discovery, the mock STS, XCEP policy and WSTEP enrollment (protocol.md 2).</summary>
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
            HandleSoapAsync(context, Mde2Names.DiscoverResponseAction, service.Discover));
        app.MapGet(AuthenticatePath, (HttpContext context, EnrollmentService service) => service.Authenticate(context.Request));
        app.MapPost(PolicyPath, (HttpContext context, EnrollmentService service) =>
            HandleSoapAsync(context, Mde2Names.GetPoliciesResponseAction, service.GetPolicies));
        app.MapPost(EnrollmentPath, (HttpContext context, EnrollmentService service) =>
            HandleSoapAsync(context, Mde2Names.RequestSecurityTokenResponseAction, service.RequestSecurityToken));
    }

    /// <summary>Reads the SOAP request, runs the operation, and turns every refusal into an MS-MDE2 fault.</summary>
    private static async Task<IResult> HandleSoapAsync(
        HttpContext context, string responseAction, Func<SoapRequest, Uri, XElement> operation)
    {
        SoapRequest? request = null;
        try
        {
            request = await SoapRequest.ReadAsync(context.Request.Body, context.RequestAborted).ConfigureAwait(false);
            var baseUrl = BaseUrl(context);
            return SoapResponse.Ok(request.EnvelopeNamespace, responseAction, request.MessageId, operation(request, baseUrl));
        }
        catch (EnrollmentFaultException fault)
        {
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

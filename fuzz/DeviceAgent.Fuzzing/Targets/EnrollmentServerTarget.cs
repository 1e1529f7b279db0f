using System.Net.Http.Headers;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using DeviceAgent.Protocol;

namespace DeviceAgent.Fuzzing.Targets;

/// <summary>
/// The mock server's MS-MDE2 endpoints (SoapRequest and EnrollmentService behind the real routes, in process through
/// TestHost). The input's first byte picks the endpoint (discovery, policy, enrollment, modulo 3); the rest is the POST
/// body, in which <see cref="EnrollmentWorld.TokenPlaceholder"/> becomes a valid user token (base64) so that inputs can
/// get past authentication. Refusal: an MS-MDE2 fault with a subcode that names the problem (MessageFormat,
/// Authentication, DeviceNotSupported, ...); an InternalServiceFault (the server's answer to an exception it did not
/// expect), any other error body, or an exception out of the pipeline is a finding.
/// </summary>
internal sealed class EnrollmentServerTarget : FuzzTarget
{
    private static readonly string[] s_paths =
        ["/EnrollmentServer/Discovery.svc", "/EnrollmentServer/Policy.svc", "/EnrollmentServer/Enrollment.svc"];

    private static readonly Lazy<HttpClient> s_client = new(() =>
        new HttpClient(EnrollmentWorld.Instance.Mdm.CreateApiHandler()) { BaseAddress = EnrollmentWorld.Instance.Mdm.BaseUrl });

    public override string Name => "soap-server";

    public override string Description => "mock server's enrollment endpoints (discovery, policy, enrollment) in process";

    public override void Prepare() => _ = Run([0]);

    public override FuzzOutcome Run(byte[] input)
    {
        if (input.Length == 0)
        {
            return FuzzOutcome.Rejected;
        }

        var body = Substitute(input.AsSpan(1));
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/soap+xml; charset=utf-8");
        using var response = s_client.Value.PostAsync(new Uri(s_paths[input[0] % s_paths.Length], UriKind.Relative), content).GetAwaiter().GetResult();
        var answer = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        if (response.IsSuccessStatusCode)
        {
            return FuzzOutcome.Accepted;
        }

        // A refusal is an MS-MDE2 fault (HTTP 500 with a SOAP Fault, MS-MDE2 2.2.10) naming what was wrong; the server's
        // InternalServiceFault is its answer to an exception it did not expect, so it is a finding, like any other body.
        var subcode = FaultSubcode(answer);
        if (subcode is null || subcode.EndsWith(EnrollmentFaultException.Subcodes.InternalServiceFault, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"the enrollment endpoint answered {(int)response.StatusCode} without a refusal: {answer}");
        }

        return FuzzOutcome.Rejected;
    }

    private static string? FaultSubcode(string answer)
    {
        try
        {
            return XDocument.Parse(answer).Descendants(Mde2Names.Soap12 + "Subcode").FirstOrDefault()?.Element(Mde2Names.Soap12 + "Value")?.Value;
        }
        catch (XmlException)
        {
            return null;
        }
    }

    private static byte[] Substitute(ReadOnlySpan<byte> body)
    {
        var placeholder = Encoding.UTF8.GetBytes(EnrollmentWorld.TokenPlaceholder);
        var at = body.IndexOf(placeholder);
        if (at < 0)
        {
            return body.ToArray();
        }

        var token = Encoding.UTF8.GetBytes(Convert.ToBase64String(Encoding.UTF8.GetBytes(EnrollmentWorld.Instance.UserToken)));
        return [.. body[..at], .. token, .. body[(at + placeholder.Length)..]];
    }
}

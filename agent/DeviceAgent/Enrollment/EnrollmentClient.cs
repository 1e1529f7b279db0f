using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using DeviceAgent.Observability;
using DeviceAgent.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DeviceAgent.Enrollment;

/// <summary>
/// The device side of MS-MDE2 (docs/reference/enrollment.md): GET and POST Discovery, the Federated token, GetPolicies, and
/// RequestSecurityToken with the device's own RSA key and PKCS#10 request; the provisioning document becomes an
/// <see cref="EnrollmentResult"/>. HTTP goes through the handler given (docs/design.md rule 4).
/// </summary>
public sealed partial class EnrollmentClient(HttpMessageHandler handler, ILogger? logger = null) : IDisposable
{
    /// <summary>Largest server answer read; enrollment responses are a few kilobytes.</summary>
    public const int MaxResponseBytes = 1024 * 1024;

    private const string Appru = "ms-app://windows.immersivecontrolpanel";

    private static readonly XNamespace s_s = Mde2Names.Soap12;
    private static readonly XNamespace s_a = Mde2Names.Addressing;
    private static readonly XNamespace s_disc = Mde2Names.Discovery;
    private static readonly XNamespace s_pol = Mde2Names.Policy;
    private static readonly XNamespace s_wst = Mde2Names.Trust;
    private static readonly XNamespace s_wsse = Mde2Names.Security;
    private static readonly XNamespace s_ac = Mde2Names.Authorization;
    private static readonly XNamespace s_xsi = Mde2Names.Xsi;

    private readonly ILogger _log = logger ?? NullLogger.Instance;

    private readonly HttpClient _http = new(handler ?? throw new ArgumentNullException(nameof(handler)), disposeHandler: false);

    /// <summary>Releases the client's HttpClient; the handler given stays the caller's.</summary>
    public void Dispose() => _http.Dispose();

    /// <summary>Runs the whole enrollment; <see cref="EnrollmentFaultException"/> when the server refuses or answers badly.</summary>
    public async Task<EnrollmentResult> EnrollAsync(EnrollmentRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var step = "discovery";
        try
        {
            _log.EnrollmentStep(step, request.DiscoveryUrl);
            var discovery = await DiscoverAsync(request, cancellationToken).ConfigureAwait(false);
            var token = request.UserToken;
            if (token is null)
            {
                step = "token";
                _log.EnrollmentStep(step, discovery.AuthenticationServiceUrl);
                token = await FetchTokenAsync(request, discovery.AuthenticationServiceUrl, cancellationToken).ConfigureAwait(false);
            }

            step = "policy";
            _log.EnrollmentStep(step, discovery.PolicyServiceUrl);
            var minimumKeyLength = await GetPoliciesAsync(discovery.PolicyServiceUrl, token, cancellationToken).ConfigureAwait(false);
            step = "enrollment";
            _log.EnrollmentStep(step, discovery.EnrollmentServiceUrl);
            using var generated = request.KeyPair is null ? RSA.Create(Math.Max(request.KeySize, minimumKeyLength)) : null;
            var key = request.KeyPair ?? generated!;
            if (key.KeySize < minimumKeyLength)
            {
                throw new EnrollmentFaultException(EnrollmentFaultException.Subcodes.CertificateRequest, $"the device's key pair has {key.KeySize} bits; the server's policy asks for at least {minimumKeyLength}");
            }

            var csr = new CertificateRequest("CN=" + request.DeviceId, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
                .CreateSigningRequest();
            var provisioning = await RequestSecurityTokenAsync(discovery.EnrollmentServiceUrl, token, csr, request, cancellationToken).ConfigureAwait(false);
            var result = ProvisioningDocumentParser.Parse(provisioning, key);
            _log.DeviceEnrolled(result.ManagementServerUrl);
            return result;
        }
        catch (EnrollmentFaultException e)
        {
            _log.EnrollmentRefused(step, e.Subcode, e.Message);
            throw;
        }
    }

    private sealed record Discovery(Uri PolicyServiceUrl, Uri EnrollmentServiceUrl, Uri? AuthenticationServiceUrl);

    private async Task<Discovery> DiscoverAsync(EnrollmentRequest request, CancellationToken cancellationToken)
    {
        // MS-MDE2 3.1: GET first to learn that the endpoint exists.
        using (var probe = await _http.GetAsync(request.DiscoveryUrl, cancellationToken).ConfigureAwait(false))
        {
            if (!probe.IsSuccessStatusCode)
            {
                throw new EnrollmentFaultException(EnrollmentFaultException.Subcodes.Protocol, $"GET {request.DiscoveryUrl} answered {(int)probe.StatusCode}: no discovery service there");
            }
        }

        var body = new XElement(s_disc + "Discover",
            new XElement(s_disc + "request",
                new XElement(s_disc + "EmailAddress", request.UserPrincipalName),
                new XElement(s_disc + "RequestVersion", "4.0"),
                new XElement(s_disc + "DeviceType", request.DeviceType),
                new XElement(s_disc + "ApplicationVersion", request.OsVersion),
                new XElement(s_disc + "OSEdition", request.OsEdition),
                new XElement(s_disc + "AuthPolicies", new XElement(s_disc + "AuthPolicy", "Federated"))));
        var response = await SoapAsync(request.DiscoveryUrl,
            Mde2Names.DiscoverAction, null, body, cancellationToken).ConfigureAwait(false);
        var result = response.Element(s_disc + "DiscoverResult") ?? throw Malformed("DiscoverResponse has no DiscoverResult");
        return new Discovery(
            UrlOf(result, s_disc + "EnrollmentPolicyServiceUrl") ?? throw Malformed("DiscoverResult has no EnrollmentPolicyServiceUrl"),
            UrlOf(result, s_disc + "EnrollmentServiceUrl") ?? throw Malformed("DiscoverResult has no EnrollmentServiceUrl"),
            UrlOf(result, s_disc + "AuthenticationServiceUrl"));
    }

    private async Task<string> FetchTokenAsync(EnrollmentRequest request, Uri? sts, CancellationToken cancellationToken)
    {
        if (sts is null)
        {
            throw new EnrollmentFaultException(EnrollmentFaultException.Subcodes.Authentication, "the server names no AuthenticationServiceUrl and no UserToken was given");
        }

        var query = new StringBuilder($"appru={Uri.EscapeDataString(Appru)}&login_hint={Uri.EscapeDataString(request.UserPrincipalName)}");
        foreach (var (name, value) in request.AuthenticationQuery)
        {
            query.Append('&').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        }

        var url = new UriBuilder(sts) { Query = query.ToString() }.Uri;
        using var response = await _http.GetAsync(url, cancellationToken).ConfigureAwait(false);
        var html = Encoding.UTF8.GetString(await ReadBoundedAsync(response, cancellationToken).ConfigureAwait(false));
        if (!response.IsSuccessStatusCode)
        {
            throw new EnrollmentFaultException(EnrollmentFaultException.Subcodes.Authentication, $"the STS answered {(int)response.StatusCode}: {html}");
        }

        // MS-MDE2 3.2: the STS's last page auto-posts a form whose hidden wresult field is the token.
        var match = WresultPattern().Match(html);
        return match.Success
            ? WebUtility.HtmlDecode(match.Groups["v"].Value)
            : throw new EnrollmentFaultException(EnrollmentFaultException.Subcodes.Authentication, "the STS page has no wresult field");
    }

    private async Task<int> GetPoliciesAsync(Uri url, string token, CancellationToken cancellationToken)
    {
        var nil = new XAttribute(s_xsi + "nil", "true");
        var body = new XElement(s_pol + "GetPolicies",
            new XAttribute(XNamespace.Xmlns + "xsi", s_xsi.NamespaceName),
            new XElement(s_pol + "client", new XElement(s_pol + "lastUpdate", nil), new XElement(s_pol + "preferredLanguage", nil)),
            new XElement(s_pol + "requestFilter", nil));
        var response = await SoapAsync(url, Mde2Names.GetPoliciesAction,
            token, body, cancellationToken).ConfigureAwait(false);
        var length = response.Descendants(s_pol + "minimalKeyLength").FirstOrDefault()?.Value.Trim();
        return int.TryParse(length, NumberStyles.None, CultureInfo.InvariantCulture, out var bits) && bits is > 0 and <= 16384
            ? bits
            : throw Malformed("GetPoliciesResponse has no usable privateKeyAttributes/minimalKeyLength");
    }

    private async Task<string> RequestSecurityTokenAsync(
        Uri url, string token, byte[] csr, EnrollmentRequest request, CancellationToken cancellationToken)
    {
        var context = new List<(string Name, string? Value)>
        {
            ("UXInitiated", "true"),
            ("HWDevID", request.HwDevId),
            ("Locale", request.Locale),
            ("TargetedUserLoggedIn", "true"),
            ("EnrollmentData", ""),
            ("OSEdition", request.OsEdition),
            ("DeviceName", request.DeviceName),
            ("MAC", "00-00-00-00-00-00"),
            ("DeviceID", request.DeviceId),
            ("EnrollmentType", request.EnrollmentType),
            ("DeviceType", request.DeviceType),
            ("OSVersion", request.OsVersion),
            ("ApplicationVersion", request.OsVersion),
        };
        var body = new XElement(s_wst + "RequestSecurityToken",
            new XElement(s_wst + "TokenType", Mde2Names.DeviceEnrollmentToken),
            new XElement(s_wst + "RequestType", Mde2Names.IssueRequestType),
            new XElement(s_wsse + "BinarySecurityToken",
                new XAttribute("ValueType", Mde2Names.Pkcs10),
                new XAttribute("EncodingType", s_wsse.NamespaceName + "#base64binary"),
                Convert.ToBase64String(csr)),
            new XElement(s_ac + "AdditionalContext",
                context.Where(c => c.Value is not null).Select(c =>
                    new XElement(s_ac + "ContextItem", new XAttribute("Name", c.Name), new XElement(s_ac + "Value", c.Value)))));
        var response = await SoapAsync(url, Mde2Names.RequestSecurityTokenAction,
            token, body, cancellationToken).ConfigureAwait(false);
        var doc = response.Descendants(s_wsse + "BinarySecurityToken").FirstOrDefault(e =>
            (string?)e.Attribute("ValueType") == Mde2Names.DeviceEnrollmentProvisionDoc)
            ?? throw Malformed("the RequestSecurityTokenResponse carries no DeviceEnrollmentProvisionDoc");
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(doc.Value.Trim()));
        }
        catch (FormatException)
        {
            throw Malformed("the provisioning document is not base64");
        }
    }

    /// <summary>POSTs a SOAP 1.2 request and returns the Body's first element; a Fault becomes an EnrollmentFaultException.</summary>
    private async Task<XElement> SoapAsync(Uri url, string action, string? token, XElement body, CancellationToken cancellationToken)
    {
        var header = new XElement(s_s + "Header",
            new XElement(s_a + "Action", new XAttribute(s_s + "mustUnderstand", "1"), action),
            new XElement(s_a + "MessageID", "urn:uuid:" + Guid.NewGuid().ToString("D")),
            new XElement(s_a + "To", new XAttribute(s_s + "mustUnderstand", "1"), url));
        if (token is not null)
        {
            header.Add(new XElement(s_wsse + "Security", new XAttribute(s_s + "mustUnderstand", "1"),
                new XElement(s_wsse + "BinarySecurityToken",
                    new XAttribute("ValueType", Mde2Names.DeviceEnrollmentUserToken),
                    new XAttribute("EncodingType", s_wsse.NamespaceName + "#base64binary"),
                    Convert.ToBase64String(Encoding.UTF8.GetBytes(token)))));
        }

        var envelope = new XElement(s_s + "Envelope",
            new XAttribute(XNamespace.Xmlns + "s", s_s.NamespaceName), new XAttribute(XNamespace.Xmlns + "a", s_a.NamespaceName), header, new XElement(s_s + "Body", body));
        using var content = new StringContent(envelope.ToString(SaveOptions.DisableFormatting), Encoding.UTF8);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("application/soap+xml; charset=utf-8");
        using var response = await _http.PostAsync(url, content, cancellationToken).ConfigureAwait(false);
        var bytes = await ReadBoundedAsync(response, cancellationToken).ConfigureAwait(false);
        var root = ParseXml(bytes, $"the answer of {url}");
        var answerBody = root.Element(s_s + "Body") ?? throw Malformed($"the answer of {url} has no SOAP 1.2 Body");
        if (answerBody.Element(s_s + "Fault") is { } fault)
        {
            var subcode = fault.Element(s_s + "Code")?.Element(s_s + "Subcode")?.Element(s_s + "Value")?.Value.Trim() ?? "";
            var reason = fault.Element(s_s + "Reason")?.Element(s_s + "Text")?.Value.Trim() ?? "(no reason given)";
            throw new EnrollmentFaultException(subcode.StartsWith("s:", StringComparison.Ordinal) ? subcode[2..] : subcode, reason);
        }

        if (!response.IsSuccessStatusCode)
        {
            throw Malformed($"{url} answered HTTP {(int)response.StatusCode} without a SOAP fault");
        }

        return answerBody.Elements().FirstOrDefault() ?? throw Malformed($"the answer of {url} has an empty Body");
    }

    /// <summary>Parses hostile XML: no DTD, no resolver, bounded size.</summary>
    internal static XElement ParseXml(byte[] bytes, string what)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = MaxResponseBytes * 2L,
            MaxCharactersFromEntities = 0,
        };
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(bytes), settings);
            return XDocument.Load(reader).Root ?? throw Malformed($"{what} is empty");
        }
        catch (XmlException ex)
        {
            throw Malformed($"{what} is not well-formed XML (line {ex.LineNumber}, column {ex.LinePosition}): {ex.Message}");
        }
    }

    private static Uri? UrlOf(XElement parent, XName name) =>
        parent.Element(name)?.Value.Trim() is { Length: > 0 } text
            ? Uri.TryCreate(text, UriKind.Absolute, out var uri) && IsHttp(uri)
                ? uri
                : throw Malformed($"{name.LocalName} '{text}' is not an absolute http or https URL")
            : null;

    /// <summary>
    /// Whether the device can send to <paramref name="url"/>: the server's URLs (MS-MDE2 3.1 discovery answer, the w7
    /// ADDR) are HTTP endpoints; any other scheme would fail in the HTTP handler with NotSupportedException instead of a
    /// refusal saying which URL is wrong (found with the enrollment client's fuzz target, fuzz/README.md).
    /// </summary>
    internal static bool IsHttp(Uri url) => url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp;

    private static async Task<byte[]> ReadBoundedAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        await BoundedBody.ReadAsync(response.Content, MaxResponseBytes, cancellationToken).ConfigureAwait(false)
            ?? throw Malformed($"the answer is larger than {MaxResponseBytes} bytes");

    internal static EnrollmentFaultException Malformed(string why) => new(EnrollmentFaultException.Subcodes.Protocol, why);

    [GeneratedRegex("name=\"wresult\"\\s+value=\"(?<v>[^\"]*)\"", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex WresultPattern();
}

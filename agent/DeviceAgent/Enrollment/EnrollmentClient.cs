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
/// The device side of MS-MDE2 (docs/reference/enrollment.md): GET and POST Discovery, the authentication policy the server
/// chose (Federated token, OnPremise user name and password, or Certificate), GetPolicies, and RequestSecurityToken with
/// the device's own RSA key and PKCS#10 request; the provisioning document becomes an <see cref="EnrollmentResult"/>.
/// As lenient as Windows where Windows is (a missing minimalKeyLength, missing Poll values, EnrollmentVersion 3.0 to
/// 5.0), and every refusal is an <see cref="EnrollmentFaultException"/> whose message starts with the step and names
/// the field, what was sent and what was expected (docs/reference/enrollment.md §9). Messages carry the element prefixes
/// of MS-MDE2's section 4 examples (s:, a:, u:, wsse:, wst:, ac:). HTTP goes through the handler given (docs/design.md rule 4).
/// </summary>
public sealed partial class EnrollmentClient(HttpMessageHandler handler, ILogger? logger = null, TimeProvider? time = null) : IDisposable
{
    /// <summary>Largest server answer read; enrollment responses are a few kilobytes.</summary>
    public const int MaxResponseBytes = 1024 * 1024;

    /// <summary>The key length used when the policy gives no minimalKeyLength, as Windows does (docs/reference/enrollment.md §4).</summary>
    public const int DefaultMinimalKeyLength = 2048;

    /// <summary>Shortest minimalKeyLength accepted: a policy asking for less is refused (our floor, docs/reference/enrollment.md §9).</summary>
    public const int ShortestKeyLength = 1024;

    /// <summary>Longest minimalKeyLength accepted (RSA keys beyond 16384 bits are not generated).</summary>
    public const int LongestKeyLength = 16384;

    /// <summary>The EnrollmentVersion range of DiscoverResult a Windows 10 client accepts (docs/reference/enrollment.md §2).</summary>
    public const decimal LowestEnrollmentVersion = 3.0m, HighestEnrollmentVersion = 5.0m;

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
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    private readonly HttpClient _http = new(handler ?? throw new ArgumentNullException(nameof(handler)), disposeHandler: false);

    /// <summary>Releases the client's HttpClient; the handler given stays the caller's.</summary>
    public void Dispose() => _http.Dispose();

    /// <summary>Runs the whole enrollment; <see cref="EnrollmentFaultException"/> when the server refuses or answers badly.</summary>
    /// <exception cref="ArgumentException">The request offers a policy without its credentials.</exception>
    public async Task<EnrollmentResult> EnrollAsync(EnrollmentRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var offered = request.OfferedAuthPolicies();
        var notes = new List<EnrollmentNote>();
        var step = Steps.Discovery;
        try
        {
            _log.EnrollmentStep(step, request.DiscoveryUrl);
            var discovery = await DiscoverAsync(request, offered, notes, cancellationToken).ConfigureAwait(false);
            var credential = new Credential(discovery.AuthPolicy, request.UserToken, request);
            if (discovery.AuthPolicy == EnrollmentAuthPolicy.Federated && request.UserToken is null)
            {
                step = Steps.Token;
                _log.EnrollmentStep(step, discovery.AuthenticationServiceUrl);
                credential = credential with { Token = await FetchTokenAsync(request, discovery.AuthenticationServiceUrl, cancellationToken).ConfigureAwait(false) };
            }

            step = Steps.Policy;
            _log.EnrollmentStep(step, discovery.PolicyServiceUrl);
            var minimumKeyLength = await GetPoliciesAsync(discovery.PolicyServiceUrl, credential, notes, cancellationToken).ConfigureAwait(false);
            step = Steps.Enrollment;
            _log.EnrollmentStep(step, discovery.EnrollmentServiceUrl);
            using var generated = request.KeyPair is null ? RSA.Create(Math.Max(request.KeySize, minimumKeyLength)) : null;
            var key = request.KeyPair ?? generated!;
            if (key.KeySize < minimumKeyLength)
            {
                throw Refuse(step, $"the device's key pair has {key.KeySize} bits; the policy's minimalKeyLength asks for at least {minimumKeyLength}.", EnrollmentFaultException.Subcodes.CertificateRequest);
            }

            var csr = new CertificateRequest("CN=" + request.DeviceId, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
                .CreateSigningRequest();
            var provisioning = await RequestSecurityTokenAsync(discovery.EnrollmentServiceUrl, credential, csr, request, cancellationToken).ConfigureAwait(false);
            step = Steps.ProvisioningDocument;
            var parsed = ProvisioningDocumentParser.Parse(provisioning, key);
            var result = parsed with
            {
                AuthPolicy = discovery.AuthPolicy,
                EnrollmentVersion = discovery.EnrollmentVersion,
                MinimalKeyLength = minimumKeyLength,
                Notes = [.. notes, .. parsed.Notes],
            };
            _log.DeviceEnrolled(result.ManagementServerUrl);
            return result;
        }
        catch (EnrollmentFaultException e)
        {
            _log.EnrollmentRefused(step, e.Subcode, e.Message);
            if (e.Step is null)
            {
                // A fault the server sent, or a transport-level answer: name the step it happened in.
                throw new EnrollmentFaultException(e.Subcode, $"{step}: {e.Message}") { Step = step };
            }

            throw;
        }
    }

    /// <summary>The step names refusals start with.</summary>
    public static class Steps
    {
        /// <summary>GET and POST of the discovery URL (MS-MDE2 3.1).</summary>
        public const string Discovery = "discovery";

        /// <summary>The Federated STS (MS-MDE2 3.2).</summary>
        public const string Token = "token";

        /// <summary>GetPolicies, MS-XCEP (MS-MDE2 3.3).</summary>
        public const string Policy = "policy";

        /// <summary>RequestSecurityToken, MS-WSTEP (MS-MDE2 3.4).</summary>
        public const string Enrollment = "enrollment";

        /// <summary>The wap-provisioningdoc of the RequestSecurityTokenResponse (MS-MDE2 2.2.9.1).</summary>
        public const string ProvisioningDocument = "provisioning document";
    }

    private sealed record Discovery(EnrollmentAuthPolicy AuthPolicy, string? EnrollmentVersion, Uri PolicyServiceUrl, Uri EnrollmentServiceUrl, Uri? AuthenticationServiceUrl);

    private sealed record Credential(EnrollmentAuthPolicy Policy, string? Token, EnrollmentRequest Request)
    {
        public XElement Header(DateTimeOffset now) => Policy switch
        {
            EnrollmentAuthPolicy.OnPremise => WsSecurityHeader.OnPremise(s_s, Request.UserPrincipalName, Request.Password!),
            EnrollmentAuthPolicy.Certificate => WsSecurityHeader.Certificate(s_s, Request.AuthenticationCertificate!, now),
            _ => WsSecurityHeader.Federated(s_s, Token!),
        };
    }

    private async Task<Discovery> DiscoverAsync(EnrollmentRequest request, IReadOnlyList<EnrollmentAuthPolicy> offered, List<EnrollmentNote> notes, CancellationToken cancellationToken)
    {
        const string step = Steps.Discovery;
        // MS-MDE2 3.1: GET first to learn that the endpoint exists.
        using (var probe = await _http.GetAsync(request.DiscoveryUrl, cancellationToken).ConfigureAwait(false))
        {
            if (!probe.IsSuccessStatusCode)
            {
                throw Refuse(step, $"GET {request.DiscoveryUrl} answered HTTP {(int)probe.StatusCode}; expected 200 from a discovery service (MS-MDE2 3.1).");
            }
        }

        // As MS-MDE2 4.1.1's example: the Discover body in its default namespace.
        var body = new XElement(s_disc + "Discover",
            new XElement(s_disc + "request",
                new XElement(s_disc + "EmailAddress", request.UserPrincipalName),
                new XElement(s_disc + "RequestVersion", "4.0"),
                new XElement(s_disc + "DeviceType", request.DeviceType),
                new XElement(s_disc + "ApplicationVersion", request.OsVersion),
                new XElement(s_disc + "OSEdition", request.OsEdition),
                new XElement(s_disc + "AuthPolicies", offered.Select(p => new XElement(s_disc + "AuthPolicy", p.ToString())))));
        var response = await SoapAsync(step, request.DiscoveryUrl, Mde2Names.DiscoverAction, null, body, [], cancellationToken).ConfigureAwait(false);
        var result = response.Element(s_disc + "DiscoverResult")
            ?? throw Refuse(step, $"the DiscoverResponse has no DiscoverResult element in namespace {s_disc.NamespaceName}; expected DiscoverResult (MS-MDE2 3.1.4.1.3.2).");

        var policyText = result.Element(s_disc + "AuthPolicy")?.Value.Trim();
        if (string.IsNullOrEmpty(policyText))
        {
            throw Refuse(step, $"DiscoverResult has no AuthPolicy; expected one of the policies the device offered ({string.Join(", ", offered)}) (MS-MDE2 3.1.4.1.3.2).");
        }

        if (!Enum.TryParse<EnrollmentAuthPolicy>(policyText, ignoreCase: false, out var policy) || !Enum.IsDefined(policy) || !offered.Contains(policy))
        {
            throw Refuse(step, $"AuthPolicy '{policyText}' is not one the device offered; expected one of {string.Join(", ", offered)}.", EnrollmentFaultException.Subcodes.Authentication);
        }

        var version = result.Element(s_disc + "EnrollmentVersion")?.Value.Trim();
        if (string.IsNullOrEmpty(version))
        {
            version = null;
            notes.Add(new EnrollmentNote(step, "DiscoverResult has no EnrollmentVersion; accepted, as Windows does (the element is optional, MS-MDE2 3.1.4.1.3.2)."));
        }
        else if (!decimal.TryParse(version, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)
                 || number < LowestEnrollmentVersion || number > HighestEnrollmentVersion)
        {
            throw Refuse(step, $"EnrollmentVersion '{version}' is not supported; expected {LowestEnrollmentVersion:0.0} to {HighestEnrollmentVersion:0.0}.");
        }

        var policyUrl = UrlOf(step, result, "EnrollmentPolicyServiceUrl")
            ?? throw Refuse(step, "DiscoverResult has no EnrollmentPolicyServiceUrl; expected the absolute URL of the MS-XCEP policy service.");
        var enrollmentUrl = UrlOf(step, result, "EnrollmentServiceUrl")
            ?? throw Refuse(step, "DiscoverResult has no EnrollmentServiceUrl; expected the absolute URL of the MS-WSTEP enrollment service.");
        var authenticationUrl = UrlOf(step, result, "AuthenticationServiceUrl");
        if (policy == EnrollmentAuthPolicy.Federated && authenticationUrl is null && request.UserToken is null)
        {
            throw Refuse(step, "AuthPolicy is Federated but DiscoverResult has no AuthenticationServiceUrl; expected the STS URL the token comes from (MS-MDE2 3.2).", EnrollmentFaultException.Subcodes.Authentication);
        }

        return new Discovery(policy, version, policyUrl, enrollmentUrl, authenticationUrl);
    }

    private async Task<string> FetchTokenAsync(EnrollmentRequest request, Uri? sts, CancellationToken cancellationToken)
    {
        const string step = Steps.Token;
        var query = new StringBuilder($"appru={Uri.EscapeDataString(Appru)}&login_hint={Uri.EscapeDataString(request.UserPrincipalName)}");
        foreach (var (name, value) in request.AuthenticationQuery)
        {
            query.Append('&').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        }

        var url = new UriBuilder(sts!) { Query = query.ToString() }.Uri;
        using var response = await _http.GetAsync(url, cancellationToken).ConfigureAwait(false);
        var html = Encoding.UTF8.GetString(await ReadBoundedAsync(step, response, cancellationToken).ConfigureAwait(false));
        if (!response.IsSuccessStatusCode)
        {
            throw Refuse(step, $"the STS answered HTTP {(int)response.StatusCode}; expected 200 with the page that posts wresult: {Shorten(html)}", EnrollmentFaultException.Subcodes.Authentication);
        }

        // MS-MDE2 3.2: the STS's last page auto-posts a form whose hidden wresult field is the token.
        var match = WresultPattern().Match(html);
        return match.Success
            ? WebUtility.HtmlDecode(match.Groups["v"].Value)
            : throw Refuse(step, "the STS page has no hidden wresult field; expected the form that posts the token to appru (MS-MDE2 3.2).", EnrollmentFaultException.Subcodes.Authentication);
    }

    private async Task<int> GetPoliciesAsync(Uri url, Credential credential, List<EnrollmentNote> notes, CancellationToken cancellationToken)
    {
        const string step = Steps.Policy;
        var nil = new XAttribute(s_xsi + "nil", "true");
        // As MS-MDE2 4.2's example: GetPolicies in its default namespace.
        var body = new XElement(s_pol + "GetPolicies",
            new XAttribute(XNamespace.Xmlns + "xsi", s_xsi.NamespaceName),
            new XElement(s_pol + "client", new XElement(s_pol + "lastUpdate", nil), new XElement(s_pol + "preferredLanguage", nil)),
            new XElement(s_pol + "requestFilter", nil));
        var response = await SoapAsync(step, url, Mde2Names.GetPoliciesAction, credential, body, [], cancellationToken).ConfigureAwait(false);
        if (response.Name != s_pol + "GetPoliciesResponse")
        {
            throw Refuse(step, $"the SOAP Body holds {response.Name.LocalName} in namespace {response.Name.NamespaceName}; expected GetPoliciesResponse in {s_pol.NamespaceName} (MS-XCEP 3.1.4.1.2.2).");
        }

        var element = response.Descendants(s_pol + "minimalKeyLength").FirstOrDefault();
        var length = element?.Value.Trim();
        if (element is null || string.IsNullOrEmpty(length) || (string?)element.Attribute(s_xsi + "nil") == "true")
        {
            notes.Add(new EnrollmentNote(step, $"privateKeyAttributes/minimalKeyLength is missing; {DefaultMinimalKeyLength} used, as on Windows."));
            return DefaultMinimalKeyLength;
        }

        if (!int.TryParse(length, NumberStyles.None, CultureInfo.InvariantCulture, out var bits))
        {
            throw Refuse(step, $"minimalKeyLength '{Shorten(length)}' is not a number; expected a key length in bits ({ShortestKeyLength} to {LongestKeyLength}).");
        }

        return bits switch
        {
            < ShortestKeyLength => throw Refuse(step, $"minimalKeyLength {bits} is below {ShortestKeyLength}; expected {ShortestKeyLength} to {LongestKeyLength} bits (a shorter RSA key is not safe to issue a device identity for).", EnrollmentFaultException.Subcodes.CertificateRequest),
            > LongestKeyLength => throw Refuse(step, $"minimalKeyLength {bits} is above {LongestKeyLength}; expected {ShortestKeyLength} to {LongestKeyLength} bits.", EnrollmentFaultException.Subcodes.CertificateRequest),
            _ => bits,
        };
    }

    private async Task<string> RequestSecurityTokenAsync(
        Uri url, Credential credential, byte[] csr, EnrollmentRequest request, CancellationToken cancellationToken)
    {
        const string step = Steps.Enrollment;
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
        // As MS-MDE2 4.3.1's examples: wst:, wsse: and ac: prefixes declared on the envelope. (The examples also declare
        // the authorization namespace as AdditionalContext's default; with it LINQ to XML would drop the ac: prefix.)
        var body = new XElement(s_wst + "RequestSecurityToken",
            new XElement(s_wst + "TokenType", Mde2Names.DeviceEnrollmentToken),
            new XElement(s_wst + "RequestType", Mde2Names.IssueRequestType),
            new XElement(s_wsse + "BinarySecurityToken",
                new XAttribute("ValueType", Mde2Names.Pkcs10),
                new XAttribute("EncodingType", Mde2Names.Base64Binary),
                Convert.ToBase64String(csr)),
            new XElement(s_ac + "AdditionalContext",
                context.Where(c => c.Value is not null).Select(c =>
                    new XElement(s_ac + "ContextItem", new XAttribute("Name", c.Name), new XElement(s_ac + "Value", c.Value)))));
        XAttribute[] prefixes =
        [
            new(XNamespace.Xmlns + "u", WsSecurityHeader.Utility.NamespaceName),
            new(XNamespace.Xmlns + "wsse", s_wsse.NamespaceName),
            new(XNamespace.Xmlns + "wst", s_wst.NamespaceName),
            new(XNamespace.Xmlns + "ac", s_ac.NamespaceName),
        ];
        var response = await SoapAsync(step, url, Mde2Names.RequestSecurityTokenAction, credential, body, prefixes, cancellationToken).ConfigureAwait(false);
        var doc = response.Descendants(s_wsse + "BinarySecurityToken").FirstOrDefault(e =>
            (string?)e.Attribute("ValueType") == Mde2Names.DeviceEnrollmentProvisionDoc)
            ?? throw Refuse(step, $"the RequestSecurityTokenResponse carries no wsse:BinarySecurityToken with ValueType {Mde2Names.DeviceEnrollmentProvisionDoc}; expected the provisioning document there (MS-MDE2 3.4.4.1.1.2).");
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(doc.Value.Trim()));
        }
        catch (FormatException)
        {
            throw Refuse(step, "the DeviceEnrollmentProvisionDoc BinarySecurityToken is not base64; expected the base64 of a wap-provisioningdoc.");
        }
    }

    /// <summary>POSTs a SOAP 1.2 request and returns the Body's first element; a Fault becomes an EnrollmentFaultException.</summary>
    private async Task<XElement> SoapAsync(string step, Uri url, string action, Credential? credential, XElement body, XAttribute[] prefixes, CancellationToken cancellationToken)
    {
        var header = new XElement(s_s + "Header",
            new XElement(s_a + "Action", new XAttribute(s_s + "mustUnderstand", "1"), action),
            new XElement(s_a + "MessageID", "urn:uuid:" + Guid.NewGuid().ToString("D")),
            new XElement(s_a + "ReplyTo", new XElement(s_a + "Address", "http://www.w3.org/2005/08/addressing/anonymous")),
            new XElement(s_a + "To", new XAttribute(s_s + "mustUnderstand", "1"), url));
        if (credential is not null)
        {
            header.Add(credential.Header(_time.GetUtcNow()));
        }

        var envelope = new XElement(s_s + "Envelope",
            new XAttribute(XNamespace.Xmlns + "s", s_s.NamespaceName), new XAttribute(XNamespace.Xmlns + "a", s_a.NamespaceName), prefixes,
            header, new XElement(s_s + "Body", body));
        if (credential is not null && !prefixes.Any(p => p.Name.LocalName == "wsse"))
        {
            envelope.Add(new XAttribute(XNamespace.Xmlns + "u", WsSecurityHeader.Utility.NamespaceName), new XAttribute(XNamespace.Xmlns + "wsse", s_wsse.NamespaceName));
        }

        using var content = new StringContent(envelope.ToString(SaveOptions.DisableFormatting), Encoding.UTF8);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("application/soap+xml; charset=utf-8");
        using var response = await _http.PostAsync(url, content, cancellationToken).ConfigureAwait(false);
        var bytes = await ReadBoundedAsync(step, response, cancellationToken).ConfigureAwait(false);
        var root = ParseXml(bytes, $"the answer of {url}", step);
        var answerBody = root.Element(s_s + "Body")
            ?? throw Refuse(step, $"the answer of {url} is <{root.Name.LocalName}> in namespace {root.Name.NamespaceName}; expected a SOAP 1.2 Envelope with a Body.");
        if (answerBody.Element(s_s + "Fault") is { } fault)
        {
            var subcode = fault.Element(s_s + "Code")?.Element(s_s + "Subcode")?.Element(s_s + "Value")?.Value.Trim() ?? "";
            var reason = fault.Element(s_s + "Reason")?.Element(s_s + "Text")?.Value.Trim() ?? "(no reason given)";
            subcode = subcode.Contains(':', StringComparison.Ordinal) ? subcode[(subcode.IndexOf(':', StringComparison.Ordinal) + 1)..] : subcode;
            throw new EnrollmentFaultException(subcode, $"{step}: the server refused with a SOAP fault ({(subcode.Length == 0 ? "no subcode" : subcode)}): {reason}") { Step = step };
        }

        if (!response.IsSuccessStatusCode)
        {
            throw Refuse(step, $"{url} answered HTTP {(int)response.StatusCode} without a SOAP fault; expected 200 with the response, or a SOAP fault saying why.");
        }

        return answerBody.Elements().FirstOrDefault() ?? throw Refuse(step, $"the answer of {url} has an empty SOAP Body; expected the response element.");
    }

    /// <summary>Parses hostile XML: no DTD, no resolver, bounded size.</summary>
    internal static XElement ParseXml(byte[] bytes, string what, string step)
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
            return XDocument.Load(reader).Root ?? throw Refuse(step, $"{what} is empty; expected XML.");
        }
        catch (XmlException ex)
        {
            throw Refuse(step, $"{what} is not well-formed XML (line {ex.LineNumber}, column {ex.LinePosition}): {ex.Message}");
        }
    }

    private static Uri? UrlOf(string step, XElement parent, string name) =>
        parent.Element(s_disc + name)?.Value.Trim() is { Length: > 0 } text
            ? Uri.TryCreate(text, UriKind.Absolute, out var uri) && IsHttp(uri)
                ? uri
                : throw Refuse(step, $"{name} '{Shorten(text)}' is not an absolute http(s) URL; expected one.")
            : null;

    /// <summary>
    /// Whether the device can send to <paramref name="url"/>: the server's URLs (MS-MDE2 3.1 discovery answer, the w7
    /// ADDR) are HTTP endpoints; any other scheme would fail in the HTTP handler with NotSupportedException instead of a
    /// refusal saying which URL is wrong (found with the enrollment client's fuzz target, fuzz/README.md).
    /// </summary>
    internal static bool IsHttp(Uri url) => url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp;

    private static async Task<byte[]> ReadBoundedAsync(string step, HttpResponseMessage response, CancellationToken cancellationToken) =>
        await BoundedBody.ReadAsync(response.Content, MaxResponseBytes, cancellationToken).ConfigureAwait(false)
            ?? throw Refuse(step, $"the answer is larger than {MaxResponseBytes} bytes; expected a few kilobytes.");

    /// <summary>A refusal of <paramref name="step"/>: the message starts with the step and says what was sent and what was expected.</summary>
    internal static EnrollmentFaultException Refuse(string step, string what, string subcode = EnrollmentFaultException.Subcodes.Protocol) =>
        new(subcode, $"{step}: {what}") { Step = step };

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "...";

    [GeneratedRegex("name=\"wresult\"\\s+value=\"(?<v>[^\"]*)\"", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex WresultPattern();
}

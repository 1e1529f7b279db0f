using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace MockMdm.Enrollment;

/// <summary>XML namespaces of MS-MDE2, MS-XCEP and MS-WSTEP messages.</summary>
internal static class SoapNames
{
    public static readonly XNamespace Soap12 = "http://www.w3.org/2003/05/soap-envelope";
    public static readonly XNamespace Soap11 = "http://schemas.xmlsoap.org/soap/envelope/";
    public static readonly XNamespace Addressing = "http://www.w3.org/2005/08/addressing";
    public static readonly XNamespace Discovery = "http://schemas.microsoft.com/windows/management/2012/01/enrollment";
    public static readonly XNamespace Policy = "http://schemas.microsoft.com/windows/pki/2009/01/enrollmentpolicy";
    public static readonly XNamespace Enrollment = "http://schemas.microsoft.com/windows/pki/2009/01/enrollment";
    public static readonly XNamespace Trust = "http://docs.oasis-open.org/ws-sx/ws-trust/200512";
    public static readonly XNamespace Security = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
    public static readonly XNamespace Authorization = "http://schemas.xmlsoap.org/ws/2006/12/authorization";
    public static readonly XNamespace Xsi = "http://www.w3.org/2001/XMLSchema-instance";

    public const string DiscoverAction = "http://schemas.microsoft.com/windows/management/2012/01/enrollment/IDiscoveryService/Discover";
    public const string DiscoverResponseAction = "http://schemas.microsoft.com/windows/management/2012/01/enrollment/IDiscoveryService/DiscoverResponse";
    public const string GetPoliciesAction = "http://schemas.microsoft.com/windows/pki/2009/01/enrollmentpolicy/IPolicy/GetPolicies";
    public const string GetPoliciesResponseAction = "http://schemas.microsoft.com/windows/pki/2009/01/enrollmentpolicy/IPolicy/GetPoliciesResponse";
    public const string RequestSecurityTokenAction = "http://schemas.microsoft.com/windows/pki/2009/01/enrollment/RST/wstep";
    public const string RequestSecurityTokenResponseAction = "http://schemas.microsoft.com/windows/pki/2009/01/enrollment/RSTRC/wstep";
    public const string DeviceEnrollmentToken = "http://schemas.microsoft.com/5.0.0.0/ConfigurationManager/Enrollment/DeviceEnrollmentToken";
    public const string DeviceEnrollmentUserToken = "http://schemas.microsoft.com/5.0.0.0/ConfigurationManager/Enrollment/DeviceEnrollmentUserToken";
    public const string DeviceEnrollmentProvisionDoc = "http://schemas.microsoft.com/5.0.0.0/ConfigurationManager/Enrollment/DeviceEnrollmentProvisionDoc";
    public const string Pkcs10 = "http://schemas.microsoft.com/windows/pki/2009/01/enrollment#PKCS10";
    public const string IssueRequestType = "http://docs.oasis-open.org/ws-sx/ws-trust/200512/Issue";
    public const string Base64Binary = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd#base64binary";
}

/// <summary>Why an enrollment message is refused: the MS-MDE2 2.2.10 fault subcode and a sentence saying why.</summary>
public sealed class EnrollmentFaultException(string subcode, string reason) : Exception(reason)
{
    /// <summary>MS-MDE2 2.2.10 subcode: MessageFormat, Authentication, Authorization, CertificateRequest, DeviceNotSupported ...</summary>
    public string Subcode { get; } = subcode;

    /// <summary>MS-MDE2 2.2.10 subcodes this server uses.</summary>
    public static class Subcodes
    {
        public const string MessageFormat = "MessageFormat";
        public const string Authentication = "Authentication";
        public const string Authorization = "Authorization";
        public const string CertificateRequest = "CertificateRequest";
        public const string DeviceNotSupported = "DeviceNotSupported";
    }
}

/// <summary>A SOAP request read safely: bounded size, no DTD, no resolver.</summary>
internal sealed class SoapRequest
{
    /// <summary>Largest enrollment message accepted; a PKCS#10 request and the context items fit in far less.</summary>
    public const int MaxBytes = 256 * 1024;

    private SoapRequest(XNamespace envelope, XElement header, XElement body)
    {
        EnvelopeNamespace = envelope;
        Header = header;
        Body = body;
    }

    public XNamespace EnvelopeNamespace { get; }
    public XElement Header { get; }
    public XElement Body { get; }

    public string? MessageId => Header.Element(SoapNames.Addressing + "MessageID")?.Value.Trim();

    /// <summary>The first element inside the SOAP Body.</summary>
    public XElement Operation(XName expected) =>
        Body.Elements().FirstOrDefault() is { } op && op.Name == expected
            ? op
            : throw new EnrollmentFaultException(
                EnrollmentFaultException.Subcodes.MessageFormat,
                $"the SOAP Body must contain {expected.LocalName} in namespace {expected.NamespaceName}");

    /// <summary>Reads and parses the HTTP body; MessageFormat fault when it is too large, not XML or not a SOAP envelope.</summary>
    public static async Task<SoapRequest> ReadAsync(Stream body, CancellationToken cancellationToken)
    {
        var bytes = await ReadBoundedAsync(body, MaxBytes, cancellationToken).ConfigureAwait(false)
            ?? throw new EnrollmentFaultException(
                EnrollmentFaultException.Subcodes.MessageFormat, $"the request is larger than {MaxBytes} bytes");
        XDocument document;
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(bytes), SafeSettings);
            document = XDocument.Load(reader);
        }
        catch (XmlException ex)
        {
            throw new EnrollmentFaultException(
                EnrollmentFaultException.Subcodes.MessageFormat,
                $"the request is not well-formed XML (line {ex.LineNumber}, column {ex.LinePosition}): {ex.Message}");
        }

        var root = document.Root!;
        // MS-MDE2 2.1 names SOAP 1.1 while its examples use SOAP 1.2 (protocol.md 2): accept both.
        if (root.Name != SoapNames.Soap12 + "Envelope" && root.Name != SoapNames.Soap11 + "Envelope")
        {
            throw new EnrollmentFaultException(
                EnrollmentFaultException.Subcodes.MessageFormat, $"the root element is {root.Name}, not a SOAP Envelope");
        }

        XNamespace ns = root.Name.Namespace;
        var body2 = root.Element(ns + "Body") ?? throw new EnrollmentFaultException(
            EnrollmentFaultException.Subcodes.MessageFormat, "the SOAP Envelope has no Body");
        return new SoapRequest(ns, root.Element(ns + "Header") ?? new XElement(ns + "Header"), body2);
    }

    /// <summary>Settings that keep hostile XML harmless: no DTD, no external resolution, bounded text.</summary>
    public static XmlReaderSettings SafeSettings { get; } = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = MaxBytes * 2,
        MaxCharactersFromEntities = 0,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
    };

    private static async Task<byte[]?> ReadBoundedAsync(Stream body, int limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}

/// <summary>Writes SOAP responses and MS-MDE2 2.2.10 faults in the envelope version of the request.</summary>
internal static class SoapResponse
{
    public static IResult Ok(XNamespace envelope, string action, string? relatesTo, XElement content) =>
        Xml(Envelope(envelope, action, relatesTo, content), 200, envelope);

    public static IResult Fault(XNamespace envelope, string action, string? relatesTo, EnrollmentFaultException fault)
    {
        XElement faultElement;
        if (envelope == SoapNames.Soap11)
        {
            faultElement = new XElement(envelope + "Fault",
                new XElement("faultcode", new XAttribute(XNamespace.Xmlns + "s", envelope.NamespaceName), "s:" + fault.Subcode),
                new XElement("faultstring", fault.Message));
        }
        else
        {
            faultElement = new XElement(envelope + "Fault",
                new XElement(envelope + "Code",
                    new XElement(envelope + "Value", "s:Receiver"),
                    new XElement(envelope + "Subcode", new XElement(envelope + "Value", "s:" + fault.Subcode))),
                new XElement(envelope + "Reason",
                    new XElement(envelope + "Text", new XAttribute(XNamespace.Xml + "lang", "en-US"), fault.Message)));
        }

        // SOAP 1.2 over HTTP carries a Receiver fault with status 500 (SOAP 1.2 part 2, 7.5.1); clients read the body.
        return Xml(Envelope(envelope, action, relatesTo, faultElement), 500, envelope);
    }

    private static XDocument Envelope(XNamespace envelope, string action, string? relatesTo, XElement content)
    {
        var header = new XElement(envelope + "Header",
            new XElement(SoapNames.Addressing + "Action", new XAttribute(envelope + "mustUnderstand", "1"), action));
        if (!string.IsNullOrEmpty(relatesTo))
        {
            header.Add(new XElement(SoapNames.Addressing + "RelatesTo", relatesTo));
        }

        return new XDocument(new XElement(envelope + "Envelope",
            new XAttribute(XNamespace.Xmlns + "s", envelope.NamespaceName),
            new XAttribute(XNamespace.Xmlns + "a", SoapNames.Addressing.NamespaceName),
            header,
            new XElement(envelope + "Body", content)));
    }

    private static IResult Xml(XDocument document, int status, XNamespace envelope)
    {
        var contentType = envelope == SoapNames.Soap11 ? "text/xml; charset=utf-8" : "application/soap+xml; charset=utf-8";
        var text = document.ToString(SaveOptions.DisableFormatting);
        return Results.Text(text, contentType, Encoding.UTF8, status);
    }
}

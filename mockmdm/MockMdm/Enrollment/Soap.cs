using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using DeviceAgent.Protocol;

namespace MockMdm.Enrollment;

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

    public string? MessageId => Header.Element(Mde2Names.Addressing + "MessageID")?.Value.Trim();

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
        var bytes = await BoundedBody.ReadAsync(body, MaxBytes, cancellationToken).ConfigureAwait(false)
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
        // MS-MDE2 2.1 names SOAP 1.1 while its examples use SOAP 1.2 (docs/reference/enrollment.md): accept both.
        if (root.Name != Mde2Names.Soap12 + "Envelope" && root.Name != Mde2Names.Soap11 + "Envelope")
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

}

/// <summary>Writes SOAP responses and MS-MDE2 2.2.10 faults in the envelope version of the request.</summary>
internal static class SoapResponse
{
    public static IResult Ok(XNamespace envelope, string action, string? relatesTo, XElement content) =>
        Xml(Envelope(envelope, action, relatesTo, content), 200, envelope);

    public static IResult Fault(XNamespace envelope, string action, string? relatesTo, EnrollmentFaultException fault)
    {
        XElement faultElement;
        if (envelope == Mde2Names.Soap11)
        {
            faultElement = new XElement(envelope + "Fault",
                new XElement("faultcode", new XAttribute(XNamespace.Xmlns + "s", envelope.NamespaceName), "s:" + fault.Subcode),
                new XElement("faultstring", XmlCarriable(fault.Message)));
        }
        else
        {
            faultElement = new XElement(envelope + "Fault",
                new XElement(envelope + "Code",
                    new XElement(envelope + "Value", "s:Receiver"),
                    new XElement(envelope + "Subcode", new XElement(envelope + "Value", "s:" + fault.Subcode))),
                new XElement(envelope + "Reason",
                    new XElement(envelope + "Text", new XAttribute(XNamespace.Xml + "lang", "en-US"), XmlCarriable(fault.Message))));
        }

        // SOAP 1.2 over HTTP carries a Receiver fault with status 500 (SOAP 1.2 part 2, 7.5.1); clients read the body.
        return Xml(Envelope(envelope, action, relatesTo, faultElement), 500, envelope);
    }

    /// <summary>
    /// The reason as XML 1.0 can carry it: a reason may quote the request (the XML parser's message quotes the bad
    /// character), and a character XML cannot hold (a C0 control, a lone surrogate, U+FFFE) would make writing the fault
    /// itself fail; such a character is written as "U+001E". Found by the soap-server fuzz target (fuzz/README.md).
    /// </summary>
    internal static string XmlCarriable(string text)
    {
        StringBuilder? carriable = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (XmlConvert.IsXmlChar(c))
            {
                carriable?.Append(c);
            }
            else if (i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], c))
            {
                carriable?.Append(c).Append(text[i + 1]);
                i++;
            }
            else
            {
                carriable ??= new StringBuilder(text, 0, i, text.Length + 8);
                carriable.Append(CultureInfo.InvariantCulture, $"U+{(int)c:X4}");
            }
        }

        return carriable?.ToString() ?? text;
    }

    private static XDocument Envelope(XNamespace envelope, string action, string? relatesTo, XElement content)
    {
        var header = new XElement(envelope + "Header",
            new XElement(Mde2Names.Addressing + "Action", new XAttribute(envelope + "mustUnderstand", "1"), action));
        if (!string.IsNullOrEmpty(relatesTo))
        {
            header.Add(new XElement(Mde2Names.Addressing + "RelatesTo", relatesTo));
        }

        return new XDocument(new XElement(envelope + "Envelope",
            new XAttribute(XNamespace.Xmlns + "s", envelope.NamespaceName),
            new XAttribute(XNamespace.Xmlns + "a", Mde2Names.Addressing.NamespaceName),
            header,
            new XElement(envelope + "Body", content)));
    }

    private static IResult Xml(XDocument document, int status, XNamespace envelope)
    {
        var contentType = envelope == Mde2Names.Soap11 ? "text/xml; charset=utf-8" : "application/soap+xml; charset=utf-8";
        var text = document.ToString(SaveOptions.DisableFormatting);
        return Results.Text(text, contentType, Encoding.UTF8, status);
    }
}

using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml.Linq;
using DeviceAgent.Protocol;

namespace DeviceAgent.Enrollment;

/// <summary>
/// The wsse:Security header of GetPolicies and RequestSecurityToken for each authentication policy (MS-MDE2 3.3 and
/// 3.4, "Authentication"), written with the prefixes of MS-MDE2's section 4 examples (wsse:, u:, ds:).
/// </summary>
internal static class WsSecurityHeader
{
    public static readonly XNamespace Utility = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";
    public static readonly XNamespace Dsig = "http://www.w3.org/2000/09/xmldsig#";
    public const string PasswordText = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText";
    public const string X509v3 = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3";
    public const string ExclusiveC14n = "http://www.w3.org/2001/10/xml-exc-c14n#";
    public const string RsaSha256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
    public const string Sha256 = "http://www.w3.org/2001/04/xmlenc#sha256";

    // MS-MDE2 3.3.4.1.1.1.3 and 3.4.4.1.1.1.3 fix the UsernameToken's u:Id to this value.
    private const string UsernameTokenId = "uuid-cc1ccc1f-2fba-4bcf-b063-ffc0cac77917-4";

    /// <summary>Federated: the STS token as a DeviceEnrollmentUserToken (MS-MDE2 3.3.4.1.1.1.1).</summary>
    public static XElement Federated(XNamespace soap, string token) =>
        Security(soap, new XElement(Mde2Names.Security + "BinarySecurityToken",
            new XAttribute("ValueType", Mde2Names.DeviceEnrollmentUserToken),
            new XAttribute("EncodingType", Mde2Names.Base64Binary),
            Convert.ToBase64String(Encoding.UTF8.GetBytes(token))));

    /// <summary>OnPremise: the user's name and password in a UsernameToken (MS-MDE2 3.4.4.1.1.1.3; example 4.3.1.4).</summary>
    public static XElement OnPremise(XNamespace soap, string userName, string password) =>
        Security(soap, new XElement(Mde2Names.Security + "UsernameToken",
            new XAttribute(Utility + "Id", UsernameTokenId),
            new XElement(Mde2Names.Security + "Username", userName),
            new XElement(Mde2Names.Security + "Password", new XAttribute(Mde2Names.Security + "Type", PasswordText), password)));

    /// <summary>
    /// Certificate: a u:Timestamp, the device's certificate as an X509v3 token, and a ds:Signature over the timestamp with
    /// the certificate's key, canonicalized with exclusive C14N (MS-MDE2 3.3.4.1.1.1.2 and 3.4.4.1.1.1.2).
    /// </summary>
    public static XElement Certificate(XNamespace soap, X509Certificate2 certificate, DateTimeOffset now)
    {
        using var key = certificate.GetRSAPrivateKey()
            ?? throw new ArgumentException("the authentication certificate has no RSA private key", nameof(certificate));
        const string timestampId = "_0";
        var tokenId = "uuid-" + Guid.NewGuid().ToString("D") + "-1";
        // Each signed element declares its own prefix, so its canonical form is the same alone and inside the envelope.
        var timestamp = new XElement(Utility + "Timestamp", new XAttribute(XNamespace.Xmlns + "u", Utility.NamespaceName), new XAttribute(Utility + "Id", timestampId),
            new XElement(Utility + "Created", Time(now)),
            new XElement(Utility + "Expires", Time(now.AddMinutes(5))));
        var digest = Convert.ToBase64String(SHA256.HashData(ExclusiveCanonicalXml.Bytes(timestamp)));
        var signedInfo = new XElement(Dsig + "SignedInfo", new XAttribute(XNamespace.Xmlns + "ds", Dsig.NamespaceName),
            new XElement(Dsig + "CanonicalizationMethod", new XAttribute("Algorithm", ExclusiveC14n)),
            new XElement(Dsig + "SignatureMethod", new XAttribute("Algorithm", RsaSha256)),
            new XElement(Dsig + "Reference", new XAttribute("URI", "#" + timestampId),
                new XElement(Dsig + "Transforms", new XElement(Dsig + "Transform", new XAttribute("Algorithm", ExclusiveC14n))),
                new XElement(Dsig + "DigestMethod", new XAttribute("Algorithm", Sha256)),
                new XElement(Dsig + "DigestValue", digest)));
        var signature = key.SignData(ExclusiveCanonicalXml.Bytes(signedInfo), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return Security(soap,
            timestamp,
            new XElement(Mde2Names.Security + "BinarySecurityToken",
                new XAttribute("ValueType", X509v3),
                new XAttribute("EncodingType", Mde2Names.Base64Binary),
                new XAttribute(Utility + "Id", tokenId),
                Convert.ToBase64String(certificate.RawData)),
            new XElement(Dsig + "Signature", new XAttribute(XNamespace.Xmlns + "ds", Dsig.NamespaceName),
                signedInfo,
                new XElement(Dsig + "SignatureValue", Convert.ToBase64String(signature)),
                new XElement(Dsig + "KeyInfo",
                    new XElement(Mde2Names.Security + "SecurityTokenReference",
                        new XElement(Mde2Names.Security + "Reference", new XAttribute("URI", "#" + tokenId), new XAttribute("ValueType", X509v3))))));
    }

    private static XElement Security(XNamespace soap, params object[] content) =>
        new(Mde2Names.Security + "Security", new XAttribute(soap + "mustUnderstand", "1"), content);

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}

/// <summary>
/// Exclusive XML canonicalization (W3C xml-exc-c14n, without comments) of an element tree the client built itself:
/// elements, attributes and text only. Namespace declarations are emitted where a prefix is first visibly used, as the
/// algorithm requires; what it cannot meet in our own trees (comments, processing instructions) is not handled.
/// </summary>
internal static class ExclusiveCanonicalXml
{
    public static byte[] Bytes(XElement element)
    {
        var text = new StringBuilder();
        Write(element, text, new Dictionary<string, string>(StringComparer.Ordinal));
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static void Write(XElement element, StringBuilder text, Dictionary<string, string> rendered)
    {
        var inScope = new Dictionary<string, string>(rendered, StringComparer.Ordinal);
        var declarations = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var elementPrefix = PrefixOf(element, element.Name.Namespace);
        Use(elementPrefix, element.Name.NamespaceName, inScope, declarations);
        var attributes = element.Attributes().Where(a => !a.IsNamespaceDeclaration).ToList();
        foreach (var attribute in attributes.Where(a => a.Name.Namespace != XNamespace.None))
        {
            Use(PrefixOf(element, attribute.Name.Namespace), attribute.Name.NamespaceName, inScope, declarations);
        }

        text.Append('<').Append(Qualified(elementPrefix, element.Name.LocalName));
        foreach (var (prefix, uri) in declarations)
        {
            text.Append(prefix.Length == 0 ? " xmlns" : " xmlns:" + prefix).Append("=\"").Append(EscapeAttribute(uri)).Append('"');
        }

        // Attributes sort by namespace URI, then local name (unqualified ones, with the empty URI, first).
        foreach (var attribute in attributes.OrderBy(a => a.Name.NamespaceName, StringComparer.Ordinal).ThenBy(a => a.Name.LocalName, StringComparer.Ordinal))
        {
            var name = attribute.Name.Namespace == XNamespace.None
                ? attribute.Name.LocalName
                : Qualified(PrefixOf(element, attribute.Name.Namespace), attribute.Name.LocalName);
            text.Append(' ').Append(name).Append("=\"").Append(EscapeAttribute(attribute.Value)).Append('"');
        }

        text.Append('>');
        foreach (var node in element.Nodes())
        {
            switch (node)
            {
                case XElement child:
                    Write(child, text, inScope);
                    break;
                case XText t:
                    text.Append(EscapeText(t.Value));
                    break;
                default:
                    break; // Comments and processing instructions are dropped by c14n without comments.
            }
        }

        text.Append("</").Append(Qualified(elementPrefix, element.Name.LocalName)).Append('>');
    }

    private static void Use(string prefix, string uri, Dictionary<string, string> inScope, SortedDictionary<string, string> declarations)
    {
        if (!inScope.TryGetValue(prefix, out var current) || current != uri)
        {
            if (prefix.Length == 0 && uri.Length == 0 && !inScope.ContainsKey(prefix))
            {
                return; // No default namespace in scope and none needed.
            }

            inScope[prefix] = uri;
            declarations[prefix] = uri;
        }
    }

    private static string PrefixOf(XElement element, XNamespace ns) =>
        ns == XNamespace.None ? "" : element.GetPrefixOfNamespace(ns) ?? "";

    private static string Qualified(string prefix, string local) => prefix.Length == 0 ? local : prefix + ":" + local;

    private static string EscapeText(string s) =>
        s.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal).Replace("\r", "&#xD;", StringComparison.Ordinal);

    private static string EscapeAttribute(string s) =>
        s.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace("\"", "&quot;", StringComparison.Ordinal).Replace("\t", "&#x9;", StringComparison.Ordinal)
            .Replace("\n", "&#xA;", StringComparison.Ordinal).Replace("\r", "&#xD;", StringComparison.Ordinal);
}

using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml.Linq;

namespace DeviceAgent.Enrollment;

/// <summary>Reads the wap-provisioningdoc of MS-MDE2 2.2.9 into an <see cref="EnrollmentResult"/>.</summary>
public static class ProvisioningDocumentParser
{
    /// <summary>Parses <paramref name="xml"/>; the client certificate is joined with <paramref name="privateKey"/>, whose public key it must carry.</summary>
    public static EnrollmentResult Parse(string xml, RSA privateKey)
    {
        ArgumentNullException.ThrowIfNull(xml);
        ArgumentNullException.ThrowIfNull(privateKey);
        var root = EnrollmentClient.ParseXml(Encoding.UTF8.GetBytes(xml), "the provisioning document");
        if (root.Name.LocalName != "wap-provisioningdoc")
        {
            throw EnrollmentClient.Malformed($"the provisioning document's root is {root.Name.LocalName}, not wap-provisioningdoc");
        }

        var stores = root.Elements("characteristic").Where(c => Type(c) == "CertificateStore").ToList();
        var rootCert = stores.Select(s => Child(s, "Root")).Select(r => r is null ? null : Child(r, "System"))
            .Select(s => s?.Elements("characteristic").FirstOrDefault()).FirstOrDefault(c => c is not null)
            ?? throw EnrollmentClient.Malformed("the provisioning document has no CertificateStore/Root/System certificate");
        var my = stores.Select(s => Child(s, "My")).FirstOrDefault(m => m is not null)
            ?? throw EnrollmentClient.Malformed("the provisioning document has no CertificateStore/My");
        var deviceContext = Child(my, "System") is not null;
        var myStore = Child(my, "User") ?? Child(my, "System")
            ?? throw EnrollmentClient.Malformed("CertificateStore/My has neither a User nor a System store");
        var clientCert = myStore.Elements("characteristic").FirstOrDefault(c => Type(c) != "PrivateKeyContainer")
            ?? throw EnrollmentClient.Malformed("CertificateStore/My has no client certificate");

        var w7 = root.Elements("characteristic").FirstOrDefault(c => Type(c) == "APPLICATION" && Parm(c, "APPID") == "w7")
            ?? throw EnrollmentClient.Malformed("the provisioning document has no APPLICATION with APPID w7");
        var addr = Parm(w7, "ADDR");
        if (addr is null || !Uri.TryCreate(addr, UriKind.Absolute, out var managementUrl) || !EnrollmentClient.IsHttp(managementUrl))
        {
            throw EnrollmentClient.Malformed($"the w7 ADDR '{addr}' is not an absolute http or https URL");
        }

        var providerId = Parm(w7, "PROVIDER-ID") ?? throw EnrollmentClient.Malformed("the w7 APPLICATION has no PROVIDER-ID");
        var defaultEncoding = Parm(w7, "DEFAULTENCODING");
        if (defaultEncoding is not null && !SyncML.SyncMLMediaTypes.TryParseDefaultEncoding(defaultEncoding, out _))
        {
            // w7 APPLICATION CSP page / DMAcc DDF: the value is the media type of XML or of WBXML SyncML DM.
            throw EnrollmentClient.Malformed(
                $"the w7 DEFAULTENCODING '{defaultEncoding}' is neither {SyncML.SyncMLMediaTypes.DmXml} nor {SyncML.SyncMLMediaTypes.DmWbxml}");
        }

        var provider = root.Elements("characteristic").Where(c => Type(c) == "DMClient")
            .Select(c => Child(c, "Provider")).Select(p => p is null ? null : Child(p, providerId)).FirstOrDefault(p => p is not null);
        PollSchedule? poll = null;
        if (provider is not null && Child(provider, "Poll") is { } p)
        {
            poll = new PollSchedule(
                Int(p, "NumberOfFirstRetries"), Int(p, "IntervalForFirstSetOfRetries"),
                Int(p, "NumberOfSecondRetries"), Int(p, "IntervalForSecondSetOfRetries"),
                Int(p, "NumberOfRemainingScheduledRetries"), Int(p, "IntervalForRemainingScheduledRetries"),
                string.Equals(Parm(p, "PollOnLogin"), "true", StringComparison.OrdinalIgnoreCase));
        }

        X509Certificate2 client;
        try
        {
            using var publicOnly = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(Parm(clientCert, "EncodedCertificate") ?? ""));
            client = publicOnly.CopyWithPrivateKey(privateKey);
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException or ArgumentException)
        {
            throw EnrollmentClient.Malformed($"the client certificate is unusable: {ex.Message}");
        }

        X509Certificate2 trusted;
        try
        {
            trusted = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(Parm(rootCert, "EncodedCertificate") ?? ""));
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException)
        {
            throw EnrollmentClient.Malformed($"the root certificate is unusable: {ex.Message}");
        }

        return new EnrollmentResult
        {
            ClientCertificate = client,
            RootCertificate = trusted,
            DeviceContext = deviceContext,
            ManagementServerUrl = managementUrl,
            ProviderId = providerId,
            ServerName = Parm(w7, "NAME"),
            DefaultEncoding = defaultEncoding,
            SslClientCertSearchCriteria = Parm(w7, "SSLCLIENTCERTSEARCHCRITERIA"),
            UserPrincipalName = provider is null ? null : Parm(provider, "UPN"),
            Poll = poll,
            ProvisioningDocument = xml,
        };
    }

    private static string? Type(XElement e) => (string?)e.Attribute("type");

    private static XElement? Child(XElement e, string type) => e.Elements("characteristic").FirstOrDefault(c => Type(c) == type);

    private static string? Parm(XElement e, string name) =>
        (string?)e.Elements("parm").FirstOrDefault(p => (string?)p.Attribute("name") == name)?.Attribute("value");

    private static int Int(XElement e, string name) =>
        int.TryParse(Parm(e, name), NumberStyles.None, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw EnrollmentClient.Malformed($"Poll/{name} is missing or not a number");
}

using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;

namespace MockMdm.Enrollment;

/// <summary>The wap-provisioningdoc returned by WSTEP (MS-MDE2 2.2.9; docs/reference/enrollment.md "Provisioning document").</summary>
internal static class ProvisioningDocument
{
    /// <summary>What the document is built from.</summary>
    public sealed record Inputs(
        X509Certificate2 Root,
        X509Certificate2 Client,
        bool DeviceContext,
        string ProviderId,
        string ManagementUrl,
        string UserPrincipalName,
        string? DeviceName,
        ProvisionedEncoding DefaultEncoding = ProvisionedEncoding.Xml);

    /// <summary>s_poll schedule: MS-MDE2's sample shape (first and second retry sets, then a long-run interval of at least 1440 minutes).</summary>
    private static readonly (string Name, string Value, string Type)[] s_poll =
    [
        ("NumberOfFirstRetries", "8", "integer"),
        ("IntervalForFirstSetOfRetries", "15", "integer"),
        ("NumberOfSecondRetries", "5", "integer"),
        ("IntervalForSecondSetOfRetries", "3", "integer"),
        ("NumberOfRemainingScheduledRetries", "0", "integer"),
        ("IntervalForRemainingScheduledRetries", "1560", "integer"),
        ("PollOnLogin", "true", "boolean"),
    ];

    public static string Build(Inputs inputs)
    {
        var store = inputs.DeviceContext ? "System" : "User";
        var w7 = new XElement("characteristic", new XAttribute("type", "APPLICATION"),
            Parm("APPID", "w7"),
            Parm("PROVIDER-ID", inputs.ProviderId),
            Parm("NAME", "MockMdm"),
            Parm("ADDR", inputs.ManagementUrl),
            Parm("CONNRETRYFREQ", "6"),
            Parm("INITIALBACKOFFTIME", "30000"),
            Parm("MAXBACKOFFTIME", "120000"),
            new XElement("parm", new XAttribute("name", "BACKCOMPATRETRYDISABLED")),
            DefaultEncoding(inputs.DefaultEncoding),
            Parm("SSLCLIENTCERTSEARCHCRITERIA", $"Subject=CN%3D{inputs.Client.GetNameInfo(X509NameType.SimpleName, false)}&Stores=My%5C{store}"));
        var provider = new XElement("characteristic", new XAttribute("type", inputs.ProviderId),
            Parm("UPN", inputs.UserPrincipalName, "string"));
        if (!string.IsNullOrEmpty(inputs.DeviceName))
        {
            provider.Add(Parm("EntDeviceName", inputs.DeviceName, "string"));
        }

        provider.Add(new XElement("characteristic", new XAttribute("type", "Poll"),
            s_poll.Select(p => Parm(p.Name, p.Value, p.Type))));

        var doc = new XElement("wap-provisioningdoc", new XAttribute("version", "1.1"),
            new XElement("characteristic", new XAttribute("type", "CertificateStore"),
                new XElement("characteristic", new XAttribute("type", "Root"),
                    new XElement("characteristic", new XAttribute("type", "System"),
                        Certificate(inputs.Root)))),
            new XElement("characteristic", new XAttribute("type", "CertificateStore"),
                new XElement("characteristic", new XAttribute("type", "My"),
                    new XElement("characteristic", new XAttribute("type", store),
                        Certificate(inputs.Client),
                        new XElement("characteristic", new XAttribute("type", "PrivateKeyContainer"))),
                    new XElement("characteristic", new XAttribute("type", "WSTEP"),
                        new XElement("characteristic", new XAttribute("type", "Renew"),
                            Parm("ROBOSupport", "true", "boolean"),
                            Parm("RenewPeriod", "60", "integer"),
                            Parm("RetryInterval", "4", "integer"))))),
            w7,
            new XElement("characteristic", new XAttribute("type", "DMClient"),
                new XElement("characteristic", new XAttribute("type", "Provider"), provider)));
        return doc.ToString(SaveOptions.DisableFormatting);
    }

    /// <summary>The w7 DEFAULTENCODING parm (w7 APPLICATION CSP page: the encoding of the device's DM packages), or null for none.</summary>
    private static XElement? DefaultEncoding(ProvisionedEncoding encoding) => encoding switch
    {
        ProvisionedEncoding.Xml => Parm("DEFAULTENCODING", DeviceAgent.SyncML.SyncMLMediaTypes.DmXml),
        ProvisionedEncoding.Wbxml => Parm("DEFAULTENCODING", DeviceAgent.SyncML.SyncMLMediaTypes.DmWbxml),
        _ => null,
    };

    private static XElement Certificate(X509Certificate2 certificate) =>
        new("characteristic", new XAttribute("type", certificate.Thumbprint),
            Parm("EncodedCertificate", Convert.ToBase64String(certificate.RawData)));

    private static XElement Parm(string name, string value, string? datatype = null)
    {
        var parm = new XElement("parm", new XAttribute("name", name), new XAttribute("value", value));
        if (datatype is not null)
        {
            parm.Add(new XAttribute("datatype", datatype));
        }

        return parm;
    }
}

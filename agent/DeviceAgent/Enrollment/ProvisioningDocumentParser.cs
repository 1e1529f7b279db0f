using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml.Linq;
using DeviceAgent.Protocol;

namespace DeviceAgent.Enrollment;

/// <summary>
/// Reads the wap-provisioningdoc of MS-MDE2 2.2.9.1 into an <see cref="EnrollmentResult"/>. Refusals start with
/// "provisioning document:" and name the characteristic or parm, what was sent and what was expected; Poll values the
/// document leaves out take the DMClient CSP defaults, as on Windows (docs/reference/enrollment.md §6, §9).
/// </summary>
public static class ProvisioningDocumentParser
{
    private const string Step = EnrollmentClient.Steps.ProvisioningDocument;

    /// <summary>Parses <paramref name="xml"/>; the client certificate is joined with <paramref name="privateKey"/>, whose public key it must carry.</summary>
    public static EnrollmentResult Parse(string xml, RSA privateKey)
    {
        ArgumentNullException.ThrowIfNull(xml);
        ArgumentNullException.ThrowIfNull(privateKey);
        var notes = new List<EnrollmentNote>();
        var root = EnrollmentClient.ParseXml(Encoding.UTF8.GetBytes(xml), "the provisioning document", Step);
        if (root.Name.LocalName != "wap-provisioningdoc")
        {
            throw Refuse($"the root element is {root.Name.LocalName}; expected wap-provisioningdoc.");
        }

        var stores = root.Elements("characteristic").Where(c => Type(c) == "CertificateStore").ToList();
        var rootCert = stores.Select(s => Child(s, "Root")).Select(r => r is null ? null : Child(r, "System"))
            .Select(s => s?.Elements("characteristic").FirstOrDefault()).FirstOrDefault(c => c is not null)
            ?? throw Refuse("CertificateStore/Root/System holds no certificate; expected the root the management server's TLS certificate chains to.");
        var my = stores.Select(s => Child(s, "My")).FirstOrDefault(m => m is not null)
            ?? throw Refuse("there is no CertificateStore/My; expected My/User or My/System with the device's certificate.");
        var deviceContext = Child(my, "System") is not null;
        var myStore = Child(my, "User") ?? Child(my, "System")
            ?? throw Refuse("CertificateStore/My has neither User nor System; expected one with the device's certificate.");
        var clientCert = myStore.Elements("characteristic").FirstOrDefault(c => Type(c) != "PrivateKeyContainer")
            ?? throw Refuse($"CertificateStore/My/{(deviceContext ? "System" : "User")} holds no certificate; expected the certificate issued for the device's request.");

        var w7 = root.Elements("characteristic").FirstOrDefault(c => Type(c) == "APPLICATION" && Parm(c, "APPID") == "w7")
            ?? throw Refuse("there is no APPLICATION characteristic with APPID w7; expected the DM account (ADDR, PROVIDER-ID).");
        var addr = Parm(w7, "ADDR");
        if (addr is null || !Uri.TryCreate(addr, UriKind.Absolute, out var managementUrl) || !EnrollmentClient.IsHttp(managementUrl))
        {
            throw Refuse($"w7 ADDR '{addr ?? "(missing)"}' is not an absolute http(s) URL; expected the OMA-DM server URL.");
        }

        var providerId = Parm(w7, "PROVIDER-ID") is { Length: > 0 } id
            ? id
            : throw Refuse("w7 has no PROVIDER-ID; expected the DMClient provider ID.");
        var defaultEncoding = Parm(w7, "DEFAULTENCODING");
        if (defaultEncoding is not null && !SyncML.SyncMLMediaTypes.TryParseDefaultEncoding(defaultEncoding, out _))
        {
            // w7 APPLICATION CSP page / DMAcc DDF: the value is the media type of XML or of WBXML SyncML DM.
            throw Refuse($"w7 DEFAULTENCODING '{defaultEncoding}' is not a SyncML DM media type; expected {SyncML.SyncMLMediaTypes.DmXml} or {SyncML.SyncMLMediaTypes.DmWbxml}.");
        }

        var provider = root.Elements("characteristic").Where(c => Type(c) == "DMClient")
            .Select(c => Child(c, "Provider")).Select(p => p is null ? null : Child(p, providerId)).FirstOrDefault(p => p is not null);
        PollSchedule? poll = null;
        if (provider is not null && Child(provider, "Poll") is { } p)
        {
            poll = ReadPoll(p, providerId, notes);
        }

        X509Certificate2 client;
        var clientPath = $"CertificateStore/My/{(deviceContext ? "System" : "User")}/{Type(clientCert)}/EncodedCertificate";
        using (var publicOnly = LoadCertificate(Parm(clientCert, "EncodedCertificate"), clientPath))
        {
            if (publicOnly.GetRSAPublicKey() is not { } issuedKey
                || !issuedKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(privateKey.ExportSubjectPublicKeyInfo()))
            {
                throw Refuse($"{clientPath} carries a public key that is not the device's; expected the key of the PKCS#10 request the device sent.");
            }

            try
            {
                client = publicOnly.CopyWithPrivateKey(privateKey);
            }
            catch (CryptographicException ex)
            {
                throw Refuse($"{clientPath} cannot be joined with the device's key: {ex.Message}");
            }
        }

        var trusted = LoadCertificate(Parm(rootCert, "EncodedCertificate"), $"CertificateStore/Root/System/{Type(rootCert)}/EncodedCertificate");

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
            Notes = notes,
        };
    }

    private static PollSchedule ReadPoll(XElement poll, string providerId, List<EnrollmentNote> notes)
    {
        var defaults = PollSchedule.DmClientDefaults;
        var missing = new List<string>();
        int Minutes(string name, int fallback)
        {
            var text = Parm(poll, name);
            if (text is null)
            {
                missing.Add($"{name}={fallback}");
                return fallback;
            }

            return int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw Refuse($"DMClient/Provider/{providerId}/Poll/{name} '{text}' is not a number; expected a non-negative integer (DMClient CSP).");
        }

        var schedule = new PollSchedule(
            Minutes("NumberOfFirstRetries", defaults.NumberOfFirstRetries),
            Minutes("IntervalForFirstSetOfRetries", defaults.IntervalForFirstSetOfRetries),
            Minutes("NumberOfSecondRetries", defaults.NumberOfSecondRetries),
            Minutes("IntervalForSecondSetOfRetries", defaults.IntervalForSecondSetOfRetries),
            Minutes("NumberOfRemainingScheduledRetries", defaults.NumberOfRemainingScheduledRetries),
            Minutes("IntervalForRemainingScheduledRetries", defaults.IntervalForRemainingScheduledRetries),
            Parm(poll, "PollOnLogin") is { } onLogin ? string.Equals(onLogin.Trim(), "true", StringComparison.OrdinalIgnoreCase) : defaults.PollOnLogin);
        if (missing.Count > 0)
        {
            notes.Add(new EnrollmentNote(Step, $"DMClient/Provider/{providerId}/Poll leaves out {string.Join(", ", missing.Select(m => m[..m.IndexOf('=', StringComparison.Ordinal)]))}; the DMClient CSP defaults were used ({string.Join(", ", missing)}), as on Windows."));
        }

        return schedule;
    }

    private static X509Certificate2 LoadCertificate(string? base64, string path)
    {
        if (string.IsNullOrWhiteSpace(base64))
        {
            throw Refuse($"{path} is missing or empty; expected a base64 DER certificate.");
        }

        try
        {
            return X509CertificateLoader.LoadCertificate(Convert.FromBase64String(base64.Trim()));
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException)
        {
            throw Refuse($"{path} is not a usable base64 DER certificate ({ex.Message}); expected the certificate itself.");
        }
    }

    private static EnrollmentFaultException Refuse(string what) => EnrollmentClient.Refuse(Step, what);

    private static string? Type(XElement e) => (string?)e.Attribute("type");

    private static XElement? Child(XElement e, string type) => e.Elements("characteristic").FirstOrDefault(c => Type(c) == type);

    private static string? Parm(XElement e, string name) =>
        (string?)e.Elements("parm").FirstOrDefault(p => (string?)p.Attribute("name") == name)?.Attribute("value");
}

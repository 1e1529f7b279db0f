using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using DeviceAgent.SyncML;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;
using Results = Microsoft.AspNetCore.Http.Results;

namespace DeviceAgent.Emulator.Tests.Conformance;

/// <summary>What a <see cref="ScriptedMdmServer"/> does wrong (or loosely); everything else it does as MS-MDE2 and OMA-DM 1.2 describe.</summary>
[Flags]
public enum ServerMistake
{
    None = 0,

    // Enrollment: what Windows accepts.
    PolicyWithoutMinimalKeyLength = 1 << 0,
    PartialPollValues = 1 << 1,
    EnrollmentVersion5 = 1 << 2,

    // Enrollment: what Windows refuses.
    PolicyKeyLength512 = 1 << 3,
    CertificateForAnotherKey = 1 << 4,
    ProvisioningDocumentWithoutW7 = 1 << 5,
    EnrollmentVersion2 = 1 << 6,

    // The first session (issue 14 item 3).
    StatusWithWrongCmdRef = 1 << 8,
    StatusCodeZero = 1 << 9,
    NoSyncHdrStatus = 1 << 10,
    WrongMsgRef = 1 << 11,
    SyncML11 = 1 << 12,
}

/// <summary>
/// A scripted fake MS-MDE2 + OMA-DM server on TestHost (docs/design.md "Conventions": expect this, send that): written
/// here, not the mock, it makes the mistakes it is told to and, like the simple servers of issue 14, matches the
/// client's element prefixes literally (s:, a:, wsse:, wst:, ac:, as in MS-MDE2 section 4). It records every request body.
/// </summary>
public sealed class ScriptedMdmServer : IAsyncDisposable
{
    public const string Password = "lab-password";
    public const string Token = "scripted-federated-token";
    private const string DmPath = "/dm";

    private readonly WebApplication _app;
    private readonly RSA _caKey = RSA.Create(2048);
    private readonly X509Certificate2 _ca;

    private ScriptedMdmServer(WebApplication app, ServerMistake mistakes, string authPolicy)
    {
        _app = app;
        Mistakes = mistakes;
        AuthPolicy = authPolicy;
        var request = new CertificateRequest("CN=Scripted MDM Root", _caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        _ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        Server = app.GetTestServer();
    }

    public ServerMistake Mistakes { get; }

    /// <summary>The AuthPolicy discovery answers: Federated, OnPremise or Certificate.</summary>
    public string AuthPolicy { get; }

    public TestServer Server { get; }

    /// <summary>Every POST body the server received, in order.</summary>
    public List<string> Requests { get; } = [];

    /// <summary>The client certificate a Certificate-policy request was signed with (verified with SignedXml), if any.</summary>
    public X509Certificate2? SignerCertificate { get; private set; }

    public static async Task<ScriptedMdmServer> StartAsync(ServerMistake mistakes = ServerMistake.None, string authPolicy = "Federated")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new ScriptedMdmServer(app, mistakes, authPolicy);
        app.MapGet("/EnrollmentServer/Discovery.svc", () => Results.Ok());
        app.MapPost("/EnrollmentServer/Discovery.svc", server.DiscoverAsync);
        app.MapGet("/sts", () => Results.Content(
            $"<html><body><form method=\"post\" action=\"ms-app://x\"><input type=\"hidden\" name=\"wresult\" value=\"{Token}\"/></form></body></html>", "text/html"));
        app.MapPost("/Policy.svc", server.PolicyAsync);
        app.MapPost("/Enrollment.svc", server.EnrollAsync);
        app.MapPost(DmPath, server.SessionAsync);
        await app.StartAsync();
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _ca.Dispose();
        _caKey.Dispose();
        SignerCertificate?.Dispose();
    }

    private bool Has(ServerMistake mistake) => (Mistakes & mistake) != 0;

    private async Task<string> ReadAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        lock (Requests)
        {
            Requests.Add(body);
        }

        return body;
    }

    // A simple server: it finds what it needs by matching the sample's text literally.
    private static IResult? Literally(string body, params string[] needles) =>
        needles.FirstOrDefault(n => !body.Contains(n, StringComparison.Ordinal)) is { } missing
            ? Fault($"expected {missing} in the request")
            : null;

    private async Task<IResult> DiscoverAsync(HttpRequest request)
    {
        var body = await ReadAsync(request);
        if (Literally(body, "<s:Envelope", "<a:Action s:mustUnderstand=\"1\">", "<AuthPolicy>" + AuthPolicy + "</AuthPolicy>") is { } refusal)
        {
            return refusal;
        }

        var version = Has(ServerMistake.EnrollmentVersion2) ? "2.0" : Has(ServerMistake.EnrollmentVersion5) ? "5.0" : "4.0";
        var sts = AuthPolicy == "Federated" ? "<AuthenticationServiceUrl>http://localhost/sts</AuthenticationServiceUrl>" : "";
        return Soap($"""
            <DiscoverResponse xmlns="http://schemas.microsoft.com/windows/management/2012/01/enrollment"><DiscoverResult>
            <AuthPolicy>{AuthPolicy}</AuthPolicy><EnrollmentVersion>{version}</EnrollmentVersion>
            <EnrollmentPolicyServiceUrl>http://localhost/Policy.svc</EnrollmentPolicyServiceUrl>
            <EnrollmentServiceUrl>http://localhost/Enrollment.svc</EnrollmentServiceUrl>{sts}</DiscoverResult></DiscoverResponse>
            """);
    }

    private IResult? Authenticate(string body)
    {
        return AuthPolicy switch
        {
            "OnPremise" => Literally(body, "<wsse:Security s:mustUnderstand=\"1\">", "<wsse:UsernameToken", "<wsse:Username>alice@contoso.com</wsse:Username>", ">" + Password + "</wsse:Password>"),
            "Certificate" => VerifySignature(body),
            _ => Literally(body, "<wsse:Security s:mustUnderstand=\"1\">", "<wsse:BinarySecurityToken", Convert.ToBase64String(Encoding.UTF8.GetBytes(Token))),
        };
    }

    // The Certificate policy: the u:Timestamp must be signed (exclusive C14N) with the key of the X509v3 token; checked with .NET's SignedXml.
    private IResult? VerifySignature(string body)
    {
        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        document.LoadXml(body);
        var ns = new XmlNamespaceManager(document.NameTable);
        ns.AddNamespace("wsse", "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd");
        ns.AddNamespace("ds", "http://www.w3.org/2000/09/xmldsig#");
        var token = document.SelectSingleNode("//wsse:Security/wsse:BinarySecurityToken", ns);
        var signature = document.SelectSingleNode("//wsse:Security/ds:Signature", ns) as XmlElement;
        if (token is null || signature is null)
        {
            return Fault("expected a wsse:BinarySecurityToken and a ds:Signature in wsse:Security");
        }

        var certificate = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(token.InnerText));
        var signed = new TimestampSignedXml(document);
        signed.LoadXml(signature);
        if (!signed.CheckSignature(certificate, verifySignatureOnly: true))
        {
            certificate.Dispose();
            return Fault("the ds:Signature over u:Timestamp does not verify with the X509v3 token's key");
        }

        SignerCertificate?.Dispose();
        SignerCertificate = certificate;
        return null;
    }

    private async Task<IResult> PolicyAsync(HttpRequest request)
    {
        var body = await ReadAsync(request);
        if (Authenticate(body) is { } refusal)
        {
            return refusal;
        }

        var keyLength = Has(ServerMistake.PolicyWithoutMinimalKeyLength) ? "" : $"<minimalKeyLength>{(Has(ServerMistake.PolicyKeyLength512) ? 512 : 2048)}</minimalKeyLength>";
        return Soap($"""
            <GetPoliciesResponse xmlns="http://schemas.microsoft.com/windows/pki/2009/01/enrollmentpolicy"><response><policyID/><policies><policy>
            <policyOIDReference>0</policyOIDReference><attributes><policySchema>3</policySchema>
            <privateKeyAttributes>{keyLength}</privateKeyAttributes><hashAlgorithmOIDReference>0</hashAlgorithmOIDReference>
            </attributes></policy></policies></response><cAs/><oIDs/></GetPoliciesResponse>
            """);
    }

    private async Task<IResult> EnrollAsync(HttpRequest request)
    {
        var body = await ReadAsync(request);
        if ((Authenticate(body) ?? Literally(body, "<wst:RequestSecurityToken>", "<wst:TokenType>", "<ac:AdditionalContext", "<ac:ContextItem Name=\"DeviceID\"><ac:Value>")) is { } refusal)
        {
            return refusal;
        }

        var csrText = XDocument.Parse(body).Descendants(XName.Get("BinarySecurityToken", "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"))
            .Last().Value;
        var csr = CertificateRequest.LoadSigningRequest(Convert.FromBase64String(csrText), HashAlgorithmName.SHA256, CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions, RSASignaturePadding.Pkcs1);
        using var otherKey = Has(ServerMistake.CertificateForAnotherKey) ? RSA.Create(2048) : null;
        var subject = otherKey is null ? csr : new CertificateRequest(csr.SubjectName, otherKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var issued = subject.Create(_ca, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(30), RandomNumberGenerator.GetBytes(8));
        var poll = Has(ServerMistake.PartialPollValues)
            ? "<characteristic type=\"Poll\"><parm name=\"NumberOfFirstRetries\" value=\"3\" datatype=\"integer\"/><parm name=\"IntervalForFirstSetOfRetries\" value=\"5\" datatype=\"integer\"/></characteristic>"
            : "";
        var w7 = Has(ServerMistake.ProvisioningDocumentWithoutW7) ? "" : $"""
            <characteristic type="APPLICATION"><parm name="APPID" value="w7"/><parm name="PROVIDER-ID" value="Scripted"/><parm name="NAME" value="Scripted"/>
            <parm name="ADDR" value="http://localhost{DmPath}"/></characteristic>
            """;
        var doc = $"""
            <wap-provisioningdoc version="1.1">
            <characteristic type="CertificateStore"><characteristic type="Root"><characteristic type="System"><characteristic type="{_ca.Thumbprint}">
            <parm name="EncodedCertificate" value="{Convert.ToBase64String(_ca.RawData)}"/></characteristic></characteristic></characteristic></characteristic>
            <characteristic type="CertificateStore"><characteristic type="My"><characteristic type="User"><characteristic type="{issued.Thumbprint}">
            <parm name="EncodedCertificate" value="{Convert.ToBase64String(issued.RawData)}"/></characteristic></characteristic></characteristic></characteristic>
            {w7}
            <characteristic type="DMClient"><characteristic type="Provider"><characteristic type="Scripted">{poll}</characteristic></characteristic></characteristic>
            </wap-provisioningdoc>
            """;
        return Soap($"""
            <RequestSecurityTokenResponseCollection xmlns="http://docs.oasis-open.org/ws-sx/ws-trust/200512"><RequestSecurityTokenResponse>
            <RequestedSecurityToken><BinarySecurityToken xmlns="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
             ValueType="http://schemas.microsoft.com/5.0.0.0/ConfigurationManager/Enrollment/DeviceEnrollmentProvisionDoc"
             EncodingType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd#base64binary">{Convert.ToBase64String(Encoding.UTF8.GetBytes(doc))}</BinarySecurityToken>
            </RequestedSecurityToken></RequestSecurityTokenResponse></RequestSecurityTokenResponseCollection>
            """);
    }

    // One answer per client message: statuses for the SyncHdr and every command, then Final; no commands, so the session ends.
    private async Task<IResult> SessionAsync(HttpRequest request)
    {
        var client = SyncMLReader.ReadMessage(Encoding.UTF8.GetBytes(await ReadAsync(request)));
        var msgRef = Has(ServerMistake.WrongMsgRef) ? "7" : client.SyncHdr!.MsgID;
        var statuses = new StringBuilder();
        var cmdId = 1;
        if (!Has(ServerMistake.NoSyncHdrStatus))
        {
            statuses.Append(Status(cmdId++, msgRef!, "0", "SyncHdr", Has(ServerMistake.StatusCodeZero) ? "0" : "212"));
        }

        var first = true;
        foreach (var command in client.SyncBody.Commands.Where(c => c.CmdID is not null))
        {
            var cmdRef = first && Has(ServerMistake.StatusWithWrongCmdRef) ? "99" : command.CmdID!;
            statuses.Append(Status(cmdId++, msgRef!, cmdRef, command.Name, "200"));
            first = false;
        }

        var (verDtd, verProto) = Has(ServerMistake.SyncML11) ? ("1.1", "DM/1.1") : ("1.2", "DM/1.2");
        var xml = $"""
            <SyncML xmlns="SYNCML:SYNCML1.2"><SyncHdr><VerDTD>{verDtd}</VerDTD><VerProto>{verProto}</VerProto><SessionID>{client.SyncHdr!.SessionID}</SessionID>
            <MsgID>{client.SyncHdr.MsgID}</MsgID><Target><LocURI>{client.SyncHdr.Source?.LocURI}</LocURI></Target><Source><LocURI>http://localhost{DmPath}</LocURI></Source></SyncHdr>
            <SyncBody>{statuses}<Final/></SyncBody></SyncML>
            """;
        return Results.Text(xml, "application/vnd.syncml.dm+xml", Encoding.UTF8);
    }

    private static string Status(int cmdId, string msgRef, string cmdRef, string cmd, string code) =>
        $"<Status><CmdID>{cmdId.ToString(CultureInfo.InvariantCulture)}</CmdID><MsgRef>{msgRef}</MsgRef><CmdRef>{cmdRef}</CmdRef><Cmd>{cmd}</Cmd><Data>{code}</Data></Status>";

    private static IResult Soap(string content) => Results.Text(
        $"<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" xmlns:a=\"http://www.w3.org/2005/08/addressing\"><s:Header/><s:Body>{content}</s:Body></s:Envelope>",
        "application/soap+xml; charset=utf-8", Encoding.UTF8);

    private static IResult Fault(string reason) => Results.Text(
        "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Body><s:Fault><s:Code><s:Value>s:Receiver</s:Value>" +
        $"<s:Subcode><s:Value>s:MessageFormat</s:Value></s:Subcode></s:Code><s:Reason><s:Text xml:lang=\"en-US\">{WebUtility.HtmlEncode(reason)}</s:Text></s:Reason></s:Fault></s:Body></s:Envelope>",
        "application/soap+xml; charset=utf-8", Encoding.UTF8, 500);

    /// <summary>SignedXml that resolves the WS-Security u:Id of the signed Timestamp (it only knows Id/ID/id by itself).</summary>
    private sealed class TimestampSignedXml(XmlDocument document) : SignedXml(document)
    {
        public override XmlElement? GetIdElement(XmlDocument? document, string idValue) =>
            base.GetIdElement(document, idValue) ?? document?.SelectSingleNode(
                $"//*[@*[local-name()='Id' and namespace-uri()='http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd'] = '{idValue}']") as XmlElement;
    }
}

using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml.Linq;
using DeviceAgent.Enrollment;
using DeviceAgent.Protocol;

namespace DeviceAgent.Tests.Enrollment;

/// <summary>
/// The enrollment client against canned MS-MDE2 answers (docs/reference/enrollment.md §9): what Windows accepts is
/// accepted with a note, and every refusal starts with its step and names the field, what was sent and what was expected.
/// </summary>
public class EnrollmentClientRefusalTests
{
    private const string Soap = "http://www.w3.org/2003/05/soap-envelope";

    private static string Discover(string result) =>
        $"<DiscoverResponse xmlns=\"http://schemas.microsoft.com/windows/management/2012/01/enrollment\"><DiscoverResult>{result}</DiscoverResult></DiscoverResponse>";

    private const string GoodDiscover =
        "<AuthPolicy>Federated</AuthPolicy><EnrollmentVersion>4.0</EnrollmentVersion>" +
        "<EnrollmentPolicyServiceUrl>http://mdm.test/p</EnrollmentPolicyServiceUrl><EnrollmentServiceUrl>http://mdm.test/e</EnrollmentServiceUrl>";

    private static string Policy(string privateKeyAttributes) =>
        $"<GetPoliciesResponse xmlns=\"http://schemas.microsoft.com/windows/pki/2009/01/enrollmentpolicy\"><response><policies><policy><attributes><policySchema>3</policySchema><privateKeyAttributes>{privateKeyAttributes}</privateKeyAttributes></attributes></policy></policies></response></GetPoliciesResponse>";

    /// <summary>Answers discovery, policy and enrollment; the provisioning document is built by <see cref="Document"/> around the issued certificate.</summary>
    private sealed class CannedServer(string discover, string policy, Func<X509Certificate2, X509Certificate2, string> document) : HttpMessageHandler
    {
        private readonly RSA _caKey = RSA.Create(2048);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method == HttpMethod.Get)
            {
                return new HttpResponseMessage(HttpStatusCode.OK);
            }

            var body = await request.Content!.ReadAsStringAsync(cancellationToken);
            var content = request.RequestUri!.AbsolutePath switch
            {
                "/EnrollmentServer/Discovery.svc" => Discover(discover),
                "/p" => policy,
                _ => Enroll(body),
            };
            return new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent($"<s:Envelope xmlns:s=\"{Soap}\"><s:Body>{content}</s:Body></s:Envelope>", Encoding.UTF8, "application/soap+xml"),
            };
        }

        private string Enroll(string body)
        {
            var csr = XDocument.Parse(body).Descendants(Mde2Names.Security + "BinarySecurityToken").Last().Value;
            var request = CertificateRequest.LoadSigningRequest(Convert.FromBase64String(csr), HashAlgorithmName.SHA256, signerSignaturePadding: RSASignaturePadding.Pkcs1);
            var root = new CertificateRequest("CN=Canned Root", _caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            root.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            using var ca = root.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-2), DateTimeOffset.UtcNow.AddDays(2));
            using var issued = request.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1), [1, 2, 3]);
            var doc = document(ca, issued);
            return "<RequestSecurityTokenResponseCollection xmlns=\"http://docs.oasis-open.org/ws-sx/ws-trust/200512\"><RequestSecurityTokenResponse><RequestedSecurityToken>" +
                $"<BinarySecurityToken xmlns=\"{Mde2Names.Security.NamespaceName}\" ValueType=\"{Mde2Names.DeviceEnrollmentProvisionDoc}\">{Convert.ToBase64String(Encoding.UTF8.GetBytes(doc))}</BinarySecurityToken>" +
                "</RequestedSecurityToken></RequestSecurityTokenResponse></RequestSecurityTokenResponseCollection>";
        }

        protected override void Dispose(bool disposing)
        {
            _caKey.Dispose();
            base.Dispose(disposing);
        }
    }

    private static string Document(X509Certificate2 ca, X509Certificate2 issued, string w7 = "<parm name=\"ADDR\" value=\"https://mdm.test/dm\"/><parm name=\"PROVIDER-ID\" value=\"P\"/>", string poll = "") =>
        "<wap-provisioningdoc version=\"1.1\">" +
        $"<characteristic type=\"CertificateStore\"><characteristic type=\"Root\"><characteristic type=\"System\"><characteristic type=\"{ca.Thumbprint}\"><parm name=\"EncodedCertificate\" value=\"{Convert.ToBase64String(ca.RawData)}\"/></characteristic></characteristic></characteristic></characteristic>" +
        $"<characteristic type=\"CertificateStore\"><characteristic type=\"My\"><characteristic type=\"User\"><characteristic type=\"{issued.Thumbprint}\"><parm name=\"EncodedCertificate\" value=\"{Convert.ToBase64String(issued.RawData)}\"/></characteristic></characteristic></characteristic></characteristic>" +
        $"<characteristic type=\"APPLICATION\"><parm name=\"APPID\" value=\"w7\"/>{w7}</characteristic>" +
        $"<characteristic type=\"DMClient\"><characteristic type=\"Provider\"><characteristic type=\"P\">{poll}</characteristic></characteristic></characteristic>" +
        "</wap-provisioningdoc>";

    private static async Task<EnrollmentResult> EnrollAsync(string discover = GoodDiscover, string? policy = null,
        Func<X509Certificate2, X509Certificate2, string>? document = null)
    {
        using var server = new CannedServer(discover, policy ?? Policy("<minimalKeyLength>2048</minimalKeyLength>"), document ?? ((ca, issued) => Document(ca, issued)));
        using var client = new EnrollmentClient(server);
        return await client.EnrollAsync(new EnrollmentRequest
        {
            DiscoveryUrl = new Uri("http://mdm.test/EnrollmentServer/Discovery.svc"),
            UserPrincipalName = "alice@contoso.com",
            DeviceId = "D1",
            UserToken = "token",
        });
    }

    [Test]
    public async Task A_policy_without_minimalKeyLength_gives_2048_with_a_note()
    {
        var result = await EnrollAsync(policy: Policy(""));
        Assert.That(result.MinimalKeyLength, Is.EqualTo(2048));
        Assert.That(result.ClientCertificate.GetRSAPublicKey()!.KeySize, Is.EqualTo(2048));
        Assert.That(result.Notes.Select(n => n.ToString()), Has.One.EqualTo("policy: privateKeyAttributes/minimalKeyLength is missing; 2048 used, as on Windows."));
    }

    [Test]
    public async Task Missing_poll_values_take_the_DMClient_CSP_defaults_with_a_note()
    {
        var result = await EnrollAsync(document: (ca, issued) => Document(ca, issued, poll:
            "<characteristic type=\"Poll\"><parm name=\"IntervalForFirstSetOfRetries\" value=\"3\"/><parm name=\"PollOnLogin\" value=\"true\"/></characteristic>"));
        Assert.That(result.Poll, Is.EqualTo(new PollSchedule(10, 3, 0, 0, 0, 0, true)));
        Assert.That(result.Notes.Single().Text, Does.StartWith("DMClient/Provider/P/Poll leaves out NumberOfFirstRetries, NumberOfSecondRetries,"));
    }

    [TestCase("3.0")]
    [TestCase("4.0")]
    [TestCase("5.0")]
    public async Task EnrollmentVersion_3_to_5_is_accepted(string version)
    {
        var result = await EnrollAsync(discover: GoodDiscover.Replace("4.0", version, StringComparison.Ordinal));
        Assert.That(result.EnrollmentVersion, Is.EqualTo(version));
    }

    [TestCase("<AuthPolicy>Federated</AuthPolicy><EnrollmentVersion>6.0</EnrollmentVersion><EnrollmentPolicyServiceUrl>http://mdm.test/p</EnrollmentPolicyServiceUrl><EnrollmentServiceUrl>http://mdm.test/e</EnrollmentServiceUrl>",
        "discovery: EnrollmentVersion '6.0' is not supported; expected 3.0 to 5.0.")]
    [TestCase("<AuthPolicy>Federated</AuthPolicy><EnrollmentVersion>four</EnrollmentVersion><EnrollmentPolicyServiceUrl>http://mdm.test/p</EnrollmentPolicyServiceUrl><EnrollmentServiceUrl>http://mdm.test/e</EnrollmentServiceUrl>",
        "discovery: EnrollmentVersion 'four' is not supported; expected 3.0 to 5.0.")]
    [TestCase("<EnrollmentPolicyServiceUrl>http://mdm.test/p</EnrollmentPolicyServiceUrl><EnrollmentServiceUrl>http://mdm.test/e</EnrollmentServiceUrl>",
        "discovery: DiscoverResult has no AuthPolicy; expected one of the policies the device offered (Federated)")]
    [TestCase("<AuthPolicy>Certificate</AuthPolicy><EnrollmentPolicyServiceUrl>http://mdm.test/p</EnrollmentPolicyServiceUrl><EnrollmentServiceUrl>http://mdm.test/e</EnrollmentServiceUrl>",
        "discovery: AuthPolicy 'Certificate' is not one the device offered; expected one of Federated.")]
    [TestCase("<AuthPolicy>Federated</AuthPolicy><EnrollmentServiceUrl>http://mdm.test/e</EnrollmentServiceUrl>",
        "discovery: DiscoverResult has no EnrollmentPolicyServiceUrl; expected the absolute URL of the MS-XCEP policy service.")]
    [TestCase("<AuthPolicy>Federated</AuthPolicy><EnrollmentPolicyServiceUrl>http://mdm.test/p</EnrollmentPolicyServiceUrl>",
        "discovery: DiscoverResult has no EnrollmentServiceUrl; expected the absolute URL of the MS-WSTEP enrollment service.")]
    [TestCase("<AuthPolicy>Federated</AuthPolicy><EnrollmentPolicyServiceUrl>ftp://mdm.test/p</EnrollmentPolicyServiceUrl><EnrollmentServiceUrl>http://mdm.test/e</EnrollmentServiceUrl>",
        "discovery: EnrollmentPolicyServiceUrl 'ftp://mdm.test/p' is not an absolute http(s) URL; expected one.")]
    public void Discovery_refusals_name_the_field_and_what_was_expected(string result, string message)
    {
        var ex = Assert.ThrowsAsync<EnrollmentFaultException>(() => EnrollAsync(discover: result));
        Assert.That(ex!.Step, Is.EqualTo("discovery"));
        Assert.That(ex.Message, Does.StartWith(message));
    }

    [TestCase("<minimalKeyLength>512</minimalKeyLength>", "policy: minimalKeyLength 512 is below 1024; expected 1024 to 16384 bits")]
    [TestCase("<minimalKeyLength>32768</minimalKeyLength>", "policy: minimalKeyLength 32768 is above 16384; expected 1024 to 16384 bits.")]
    [TestCase("<minimalKeyLength>lots</minimalKeyLength>", "policy: minimalKeyLength 'lots' is not a number; expected a key length in bits (1024 to 16384).")]
    public void Policy_refusals_name_the_field_and_what_was_expected(string attributes, string message)
    {
        var ex = Assert.ThrowsAsync<EnrollmentFaultException>(() => EnrollAsync(policy: Policy(attributes)));
        Assert.That(ex!.Step, Is.EqualTo("policy"));
        Assert.That(ex.Message, Does.StartWith(message));
    }

    [Test]
    public void A_policy_answer_that_is_not_GetPoliciesResponse_is_refused()
    {
        var ex = Assert.ThrowsAsync<EnrollmentFaultException>(() => EnrollAsync(policy: "<Other xmlns=\"urn:x\"/>"));
        Assert.That(ex!.Message, Does.StartWith("policy: the SOAP Body holds Other in namespace urn:x; expected GetPoliciesResponse"));
    }

    [TestCase("<parm name=\"PROVIDER-ID\" value=\"P\"/>", "provisioning document: w7 ADDR '(missing)' is not an absolute http(s) URL; expected the OMA-DM server URL.")]
    [TestCase("<parm name=\"ADDR\" value=\"https://mdm.test/dm\"/>", "provisioning document: w7 has no PROVIDER-ID; expected the DMClient provider ID.")]
    public void Provisioning_document_refusals_name_the_parm_and_what_was_expected(string w7, string message)
    {
        var ex = Assert.ThrowsAsync<EnrollmentFaultException>(() => EnrollAsync(document: (ca, issued) => Document(ca, issued, w7)));
        Assert.That(ex!.Step, Is.EqualTo("provisioning document"));
        Assert.That(ex.Message, Does.StartWith(message));
    }

    [Test]
    public void A_poll_value_that_is_not_a_number_is_refused_naming_it()
    {
        var ex = Assert.ThrowsAsync<EnrollmentFaultException>(() => EnrollAsync(document: (ca, issued) => Document(ca, issued, poll:
            "<characteristic type=\"Poll\"><parm name=\"NumberOfFirstRetries\" value=\"often\"/></characteristic>")));
        Assert.That(ex!.Message, Is.EqualTo("provisioning document: DMClient/Provider/P/Poll/NumberOfFirstRetries 'often' is not a number; expected a non-negative integer (DMClient CSP)."));
    }

    [Test]
    public void A_client_certificate_for_another_key_is_refused()
    {
        using var other = RSA.Create(2048);
        var ex = Assert.ThrowsAsync<EnrollmentFaultException>(() => EnrollAsync(document: (ca, _) =>
        {
            using var foreign = new CertificateRequest("CN=D1", other, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
                .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            return Document(ca, foreign);
        }));
        Assert.That(ex!.Message, Does.Match(@"^provisioning document: CertificateStore/My/User/[0-9A-F]+/EncodedCertificate carries a public key that is not the device's; expected the key of the PKCS#10 request the device sent\.$"));
    }

    [Test]
    public void A_server_fault_names_the_step_it_came_in()
    {
        var ex = Assert.ThrowsAsync<EnrollmentFaultException>(() => EnrollAsync(policy:
            $"<s:Fault xmlns:s=\"{Soap}\"><s:Code><s:Value>s:Receiver</s:Value><s:Subcode><s:Value>a:Authorization</s:Value></s:Subcode></s:Code><s:Reason><s:Text>no licence</s:Text></s:Reason></s:Fault>"));
        Assert.That(ex!.Subcode, Is.EqualTo("Authorization"));
        Assert.That(ex.Message, Is.EqualTo("policy: the server refused with a SOAP fault (Authorization): no licence"));
    }
}

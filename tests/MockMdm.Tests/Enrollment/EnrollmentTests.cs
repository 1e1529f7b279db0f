using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using DeviceAgent.Enrollment;
using DeviceAgent.Protocol;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MockMdm.Enrollment;
using MockMdm.Tests.Support;

namespace MockMdm.Tests.Enrollment;

/// <summary>MS-MDE2 enrollment end to end through the device-side client (docs/reference/enrollment.md).</summary>
public class EnrollmentTests
{
    [Test]
    public async Task APhoneEnrolls_GetsACertificateFromTheServersCa_AndTheW7AndDMClientValues()
    {
        await using var mdm = await TestMdm.StartAsync();

        var result = await mdm.EnrollAsync(azureAdJoined: true);

        var ca = mdm.App.Services.GetRequiredService<CertificateAuthority>();
        Assert.That(result.RootCertificate.Thumbprint, Is.EqualTo(ca.Certificate.Thumbprint));
        Assert.That(ca.Issued(result.ClientCertificate), Is.True);
        Assert.That(result.ClientCertificate.HasPrivateKey, Is.True);
        Assert.That(result.DeviceContext, Is.False, "Full enrollment puts the certificate in My/User");
        Assert.That(result.ProviderId, Is.EqualTo("MockMdm"));
        Assert.That(result.ManagementServerUrl.GetLeftPart(UriPartial.Path), Is.EqualTo("http://mdm.test/ManagementServer/MDM.svc"));
        Assert.That(result.ManagementServerUrl.Query, Does.StartWith("?devicetoken="), "plain-HTTP mode carries the device token in ADDR");
        Assert.That(result.UserPrincipalName, Is.EqualTo("alice@contoso.com"));
        Assert.That(result.Poll, Is.EqualTo(new PollSchedule(8, 15, 5, 3, 0, 1560, true)));
        Assert.That(result.SslClientCertSearchCriteria, Does.StartWith("Subject=CN%3D").And.EndWith("&Stores=My%5CUser"));

        using var devices = await mdm.GetJsonAsync("/api/deviceManagement/managedDevices");
        var device = devices.RootElement.GetProperty("value")[0];
        Assert.That(device.GetProperty("joinType").GetString(), Is.EqualTo("azureADJoined"));
        Assert.That(device.GetProperty("managedDeviceOwnerType").GetString(), Is.EqualTo("company"));
        Assert.That(device.GetProperty("enrollmentType").GetString(), Is.EqualTo("Full"));
        Assert.That(device.GetProperty("azureADTenantId").GetString(), Is.EqualTo(MockMdmOptions.DefaultTenantId));
        Assert.That(result.ClientCertificate.GetNameInfo(X509NameType.SimpleName, false), Is.EqualTo(device.GetProperty("id").GetString()));
    }

    [Test]
    public async Task AWorkplaceJoinedDeviceEnrollment_IsPersonal_AndDeviceEnrollmentUsesMySystem()
    {
        await using var mdm = await TestMdm.StartAsync();

        var result = await mdm.EnrollAsync(azureAdJoined: false, enrollmentType: "Device");

        Assert.That(result.DeviceContext, Is.True);
        using var devices = await mdm.GetJsonAsync("/api/deviceManagement/managedDevices");
        var device = devices.RootElement.GetProperty("value")[0];
        Assert.That(device.GetProperty("joinType").GetString(), Is.EqualTo("workplaceJoined"));
        Assert.That(device.GetProperty("managedDeviceOwnerType").GetString(), Is.EqualTo("personal"));
        Assert.That(device.GetProperty("enrollmentType").GetString(), Is.EqualTo("Device"));
    }

    [Test]
    public async Task ADesktopEnrolls_ButIsMarkedUnsupportedForPasscodeActions()
    {
        await using var mdm = await TestMdm.StartAsync();
        await mdm.EnrollAsync(deviceType: "CIMClient_Windows", osVersion: "10.0.15063.0");
        using var devices = await mdm.GetJsonAsync("/api/deviceManagement/managedDevices");
        Assert.That(devices.RootElement.GetProperty("value")[0].GetProperty("passcodeActionSupport").GetString(),
            Does.Contain("only on Windows 10 Mobile"));
    }

    [TestCase("WindowsPhone", "10.0.14393.0", "older than 15063")]
    [TestCase("iPhone", "10.0.15063.0", "DeviceType 'iPhone' is not supported")]
    [TestCase("WindowsPhone", "ten", "not a Windows version")]
    public async Task UnsupportedDevices_AreRefusedWithADeviceNotSupportedFaultThatSaysWhy(string deviceType, string version, string why)
    {
        await using var mdm = await TestMdm.StartAsync();

        var ex = Assert.ThrowsAsync<EnrollmentFaultException>(() => mdm.EnrollAsync(deviceType: deviceType, osVersion: version));

        Assert.That(ex!.Subcode, Is.EqualTo("DeviceNotSupported"));
        Assert.That(ex.Message, Does.Contain(why));
        using var devices = await mdm.GetJsonAsync("/api/deviceManagement/managedDevices");
        Assert.That(devices.RootElement.GetProperty("value").GetArrayLength(), Is.Zero);
    }

    [TestCase("appru=javascript%3Aalert(1)&login_hint=a%40contoso.com", "ms-app://")]
    [TestCase("appru=ms-app%3A%2F%2Fx&login_hint=nobody", "UPN")]
    [TestCase("appru=ms-app%3A%2F%2Fx&login_hint=a%40contoso.com&join=Hybrid", "AzureADJoined or WorkplaceJoined")]
    public async Task TheStsRefusesBadParameters(string query, string message)
    {
        await using var mdm = await TestMdm.StartAsync();
        using var response = await mdm.Server.CreateClient().GetAsync(new Uri(TestMdm.BaseUrl, "/EnrollmentServer/Authenticate?" + query));
        Assert.That((int)response.StatusCode, Is.EqualTo(400));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain(message));
    }

    [Test]
    public async Task DiscoveryGet_Answers200()
    {
        await using var mdm = await TestMdm.StartAsync();
        using var response = await mdm.Server.CreateClient().GetAsync(new Uri(TestMdm.BaseUrl, "/EnrollmentServer/Discovery.svc"));
        Assert.That((int)response.StatusCode, Is.EqualTo(200));
    }

    [Test]
    public async Task ANonXmlOrDtdCarryingRequest_IsAMessageFormatFault()
    {
        await using var mdm = await TestMdm.StartAsync();
        var client = mdm.Server.CreateClient();
        foreach (var body in new[]
        {
            "not xml",
            "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Body>&e;</s:Body></s:Envelope>",
            "<Envelope/>",
        })
        {
            using var content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/soap+xml"));
            using var response = await client.PostAsync(new Uri(TestMdm.BaseUrl, "/EnrollmentServer/Discovery.svc"), content);
            var text = await response.Content.ReadAsStringAsync();
            Assert.That((int)response.StatusCode, Is.EqualTo(500), body);
            Assert.That(text, Does.Contain("s:MessageFormat"), body);
            Assert.That(text, Does.Not.Contain("root:"), "no entity was resolved");
        }
    }

    [Test]
    public async Task ARequestWithACharacterXmlCannotHold_IsAMessageFormatFaultThatQuotesItAsACodePoint()
    {
        // Found by the soap-server fuzz target (fuzz/README.md): the XML parser's message quotes the 0x1E it refused,
        // and writing that message into the fault failed, so the answer was an InternalServiceFault.
        await using var mdm = await TestMdm.StartAsync();
        var body = "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" xmlns:a=\"http://www.w3.org/2005/08/\u001eddressing\"><s:Body/></s:Envelope>";
        using var content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/soap+xml"));
        using var response = await mdm.Server.CreateClient().PostAsync(new Uri(TestMdm.BaseUrl, "/EnrollmentServer/Discovery.svc"), content);
        var fault = System.Xml.Linq.XDocument.Parse(await response.Content.ReadAsStringAsync());
        System.Xml.Linq.XNamespace s = "http://www.w3.org/2003/05/soap-envelope";
        Assert.Multiple(() =>
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(500));
            Assert.That(fault.Descendants(s + "Subcode").Single().Element(s + "Value")!.Value, Is.EqualTo("s:MessageFormat"));
            Assert.That(fault.Descendants(s + "Text").Single().Value, Does.StartWith("the request is not well-formed XML (line 1, column ").And.Contain("'U+001E', hexadecimal value 0x1E, is an invalid character"));
        });
    }

    [TestCase("ftp://mdm.contoso.com/policy")]
    [TestCase("file:///etc/passwd")]
    [CancelAfter(30_000)]
    public void ADiscoveryAnswerWithANonHttpUrl_IsRefusedByTheClientAsMalformed(string policyUrl, CancellationToken cancellationToken)
    {
        // Found with the soap-client fuzz target (fuzz/README.md): the URL went to the HTTP handler, whose
        // NotSupportedException escaped EnrollAsync instead of an EnrollmentFaultException naming the URL.
        using var handler = new DiscoveryOnlyServer(
            "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Body>" +
            "<DiscoverResponse xmlns=\"http://schemas.microsoft.com/windows/management/2012/01/enrollment\"><DiscoverResult>" +
            $"<AuthPolicy>Federated</AuthPolicy><EnrollmentPolicyServiceUrl>{policyUrl}</EnrollmentPolicyServiceUrl>" +
            "<EnrollmentServiceUrl>https://mdm.contoso.com/enroll</EnrollmentServiceUrl></DiscoverResult></DiscoverResponse></s:Body></s:Envelope>");
        using var client = new EnrollmentClient(handler);
        var ex = Assert.ThrowsAsync<EnrollmentFaultException>(() => client.EnrollAsync(new EnrollmentRequest
        {
            DiscoveryUrl = new Uri("https://mdm.contoso.com/EnrollmentServer/Discovery.svc"),
            UserPrincipalName = "user@contoso.com",
            DeviceId = "DEVICE1",
            UserToken = "token",
        }, cancellationToken));
        Assert.That(ex!.Message, Is.EqualTo($"discovery: EnrollmentPolicyServiceUrl '{policyUrl}' is not an absolute http(s) URL; expected one."));
    }

    [Test]
    public void TheProvisioningParser_RefusesAW7AddrThatIsNotHttp()
    {
        using var key = System.Security.Cryptography.RSA.Create(2048);
        var ex = Assert.Throws<EnrollmentFaultException>(() => ProvisioningDocumentParser.Parse(
            "<wap-provisioningdoc version=\"1.1\"><characteristic type=\"CertificateStore\"><characteristic type=\"Root\"><characteristic type=\"System\">" +
            "<characteristic type=\"AB\"><parm name=\"EncodedCertificate\" value=\"\"/></characteristic></characteristic></characteristic></characteristic>" +
            "<characteristic type=\"CertificateStore\"><characteristic type=\"My\"><characteristic type=\"User\"><characteristic type=\"CD\"/></characteristic></characteristic></characteristic>" +
            "<characteristic type=\"APPLICATION\"><parm name=\"APPID\" value=\"w7\"/><parm name=\"ADDR\" value=\"file:///etc/passwd\"/></characteristic>" +
            "</wap-provisioningdoc>", key));
        Assert.That(ex!.Message, Is.EqualTo("provisioning document: w7 ADDR 'file:///etc/passwd' is not an absolute http(s) URL; expected the OMA-DM server URL."));
    }

    /// <summary>Answers the discovery GET with 200 and the discovery POST with a fixed body; any other request fails the test.</summary>
    private sealed class DiscoveryOnlyServer(string discoveryAnswer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri!.AbsolutePath != "/EnrollmentServer/Discovery.svc")
            {
                throw new NotSupportedException($"the client should not have sent {request.Method} {request.RequestUri}");
            }

            var response = new HttpResponseMessage(System.Net.HttpStatusCode.OK);
            if (request.Method == HttpMethod.Post)
            {
                response.Content = new StringContent(discoveryAnswer, Encoding.UTF8, new MediaTypeHeaderValue("application/soap+xml"));
            }

            return Task.FromResult(response);
        }
    }

    [Test]
    public async Task AForgedUserToken_IsAnAuthenticationFault_AndNoDeviceIsRecorded()
    {
        await using var mdm = await TestMdm.StartAsync();
        using var client = new EnrollmentClient(mdm.Server.CreateHandler());

        var ex = Assert.ThrowsAsync<EnrollmentFaultException>(() => client.EnrollAsync(new EnrollmentRequest
        {
            DiscoveryUrl = new Uri(TestMdm.BaseUrl, "/EnrollmentServer/Discovery.svc"),
            UserPrincipalName = "mallory@contoso.com",
            DeviceId = "X",
            UserToken = "eyJ1cG4iOiJtYWxsb3J5In0.AAAA",
        }));

        Assert.That(ex!.Subcode, Is.EqualTo("Authentication"));
        using var devices = await mdm.GetJsonAsync("/api/deviceManagement/managedDevices");
        Assert.That(devices.RootElement.GetProperty("value").GetArrayLength(), Is.Zero);
    }

    [Test]
    public void TheProvisioningParser_RefusesADocumentWithoutW7()
    {
        using var key = System.Security.Cryptography.RSA.Create(2048);
        var ex = Assert.Throws<EnrollmentFaultException>(() => ProvisioningDocumentParser.Parse(
            "<wap-provisioningdoc version=\"1.1\"><characteristic type=\"CertificateStore\"><characteristic type=\"Root\"><characteristic type=\"System\">" +
            "<characteristic type=\"AB\"><parm name=\"EncodedCertificate\" value=\"\"/></characteristic></characteristic></characteristic></characteristic>" +
            "<characteristic type=\"CertificateStore\"><characteristic type=\"My\"><characteristic type=\"User\"><characteristic type=\"CD\"/></characteristic></characteristic></characteristic>" +
            "</wap-provisioningdoc>", key));
        Assert.That(ex!.Message, Does.Contain("APPID w7"));
    }

    [TestCase("text/plain")]
    [TestCase("application/vnd.syncml+wbxml")]
    public void TheProvisioningParser_RefusesADefaultEncodingThatIsNotASyncMLDmType(string value)
    {
        // w7 APPLICATION CSP page / DMAcc DDF: DEFAULTENCODING is application/vnd.syncml.dm+xml or application/vnd.syncml.dm+wbxml.
        using var key = System.Security.Cryptography.RSA.Create(2048);
        var ex = Assert.Throws<EnrollmentFaultException>(() => ProvisioningDocumentParser.Parse(
            "<wap-provisioningdoc version=\"1.1\"><characteristic type=\"CertificateStore\"><characteristic type=\"Root\"><characteristic type=\"System\">" +
            "<characteristic type=\"AB\"><parm name=\"EncodedCertificate\" value=\"\"/></characteristic></characteristic></characteristic></characteristic>" +
            "<characteristic type=\"CertificateStore\"><characteristic type=\"My\"><characteristic type=\"User\"><characteristic type=\"CD\"/></characteristic></characteristic></characteristic>" +
            "<characteristic type=\"APPLICATION\"><parm name=\"APPID\" value=\"w7\"/><parm name=\"PROVIDER-ID\" value=\"MockMdm\"/>" +
            $"<parm name=\"ADDR\" value=\"https://mdm.example.test/ManagementServer/MDM.svc\"/><parm name=\"DEFAULTENCODING\" value=\"{value}\"/></characteristic>" +
            "</wap-provisioningdoc>", key));
        Assert.That(ex!.Message, Does.Contain($"provisioning document: w7 DEFAULTENCODING '{value}' is not a SyncML DM media type; expected application/vnd.syncml.dm+xml or application/vnd.syncml.dm+wbxml."));
    }

    [Test]
    public void TheProvisioningParser_RefusesACertificateStoreMyWithoutUserOrSystem()
    {
        // Found by the provisioning fuzz target (fuzz/README.md): a My store with neither child was a NullReferenceException.
        using var key = System.Security.Cryptography.RSA.Create(2048);
        var ex = Assert.Throws<EnrollmentFaultException>(() => ProvisioningDocumentParser.Parse(
            "<wap-provisioningdoc version=\"1.1\"><characteristic type=\"CertificateStore\"><characteristic type=\"Root\"><characteristic type=\"System\">" +
            "<characteristic type=\"AB\"><parm name=\"EncodedCertificate\" value=\"\"/></characteristic></characteristic></characteristic></characteristic>" +
            "<characteristic type=\"CertificateStore\"><characteristic type=\"My\"><characteristic type=\"ser\"><characteristic type=\"CD\"/></characteristic></characteristic></characteristic>" +
            "</wap-provisioningdoc>", key));
        Assert.That(ex!.Message, Is.EqualTo("provisioning document: CertificateStore/My has neither User nor System; expected one with the device's certificate."));
    }
}

/// <summary>
/// The mock reads the device's MS-MDE2 messages by namespace, not prefix (the client writes MS-MDE2 section 4's s:, a:,
/// wsse:, wst:, ac: prefixes), and offers OnPremise when OnPremisePassword is configured (docs/mock-mdm.md).
/// </summary>
public class EnrollmentAuthPolicyTests
{
    private static Task<TestMdm> StartAsync(string? password) =>
        TestMdm.StartAsync(configure: b => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["MockMdm:OnPremisePassword"] = password }));

    private static async Task<EnrollmentResult> EnrollAsync(TestMdm mdm, string? password, IReadOnlyList<EnrollmentAuthPolicy>? policies = null)
    {
        using var client = new EnrollmentClient(mdm.Server.CreateHandler());
        return await client.EnrollAsync(new EnrollmentRequest
        {
            DiscoveryUrl = new Uri(TestMdm.BaseUrl, "/EnrollmentServer/Discovery.svc"),
            UserPrincipalName = "bob@contoso.com",
            DeviceId = "2F0B3A1C-0001-4000-8000-0000000000B0",
            Password = password,
            AuthPolicies = policies,
        });
    }

    [Test]
    public async Task With_OnPremisePassword_a_device_offering_OnPremise_enrolls_with_its_UPN_and_password_as_workplace_joined()
    {
        await using var mdm = await StartAsync("lab-secret");

        var result = await EnrollAsync(mdm, "lab-secret");

        Assert.That(result.AuthPolicy, Is.EqualTo(EnrollmentAuthPolicy.OnPremise));
        Assert.That(result.UserPrincipalName, Is.EqualTo("bob@contoso.com"));
        using var devices = await mdm.GetJsonAsync("/api/deviceManagement/managedDevices");
        var device = devices.RootElement.GetProperty("value")[0];
        Assert.That(device.GetProperty("userPrincipalName").GetString(), Is.EqualTo("bob@contoso.com"));
        Assert.That(device.GetProperty("joinType").GetString(), Is.EqualTo("workplaceJoined"));
    }

    [Test]
    public async Task A_wrong_password_is_an_Authentication_fault_named_with_the_policy_step_and_nothing_is_enrolled()
    {
        await using var mdm = await StartAsync("lab-secret");

        var ex = Assert.ThrowsAsync<EnrollmentFaultException>(() => EnrollAsync(mdm, "guess"));

        Assert.That(ex!.Subcode, Is.EqualTo("Authentication"));
        Assert.That(ex.Step, Is.EqualTo("policy"));
        Assert.That(ex.Message, Does.StartWith("policy: the server refused with a SOAP fault (Authentication): wrong password for bob@contoso.com"));
        using var devices = await mdm.GetJsonAsync("/api/deviceManagement/managedDevices");
        Assert.That(devices.RootElement.GetProperty("value").GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task Without_OnPremisePassword_the_mock_answers_Federated_and_refuses_a_device_offering_only_OnPremise()
    {
        await using var mdm = await StartAsync(null);

        var federated = await EnrollAsync(mdm, "any");
        Assert.That(federated.AuthPolicy, Is.EqualTo(EnrollmentAuthPolicy.Federated), "the device offered OnPremise, then Federated");

        var ex = Assert.ThrowsAsync<EnrollmentFaultException>(() => EnrollAsync(mdm, "any", [EnrollmentAuthPolicy.OnPremise]));
        Assert.That(ex!.Message, Does.StartWith("discovery: the server refused with a SOAP fault (Authentication): this server supports the Federated AuthPolicy; the device offered OnPremise"));
    }

    [Test]
    public async Task The_device_writes_the_samples_prefixes_and_the_mock_reads_them_by_namespace()
    {
        await using var mdm = await StartAsync(null);
        var bodies = new List<string>();
        using var recording = new RecordingBodies(mdm.Server.CreateHandler(), bodies);
        using var client = new EnrollmentClient(recording);

        var result = await client.EnrollAsync(new EnrollmentRequest
        {
            DiscoveryUrl = new Uri(TestMdm.BaseUrl, "/EnrollmentServer/Discovery.svc"),
            UserPrincipalName = "alice@contoso.com",
            DeviceId = "2F0B3A1C-0001-4000-8000-0000000000B1",
        });

        Assert.That(result.ProviderId, Is.EqualTo("MockMdm"));
        Assert.That(bodies, Has.Count.EqualTo(3));
        Assert.That(bodies[0], Does.StartWith("<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" xmlns:a=\"http://www.w3.org/2005/08/addressing\"><s:Header><a:Action s:mustUnderstand=\"1\">"));
        Assert.That(bodies[0], Does.Contain("<s:Body><Discover xmlns=\"http://schemas.microsoft.com/windows/management/2012/01/enrollment\"><request>"));
        Assert.That(bodies[1], Does.Contain("<wsse:Security s:mustUnderstand=\"1\"><wsse:BinarySecurityToken ValueType="));
        Assert.That(bodies[1], Does.Contain("<GetPolicies xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns=\"http://schemas.microsoft.com/windows/pki/2009/01/enrollmentpolicy\">"));
        Assert.That(bodies[2], Does.Contain("<s:Body><wst:RequestSecurityToken><wst:TokenType>"));
        Assert.That(bodies[2], Does.Contain("<ac:AdditionalContext><ac:ContextItem Name=\"UXInitiated\"><ac:Value>true</ac:Value></ac:ContextItem>"));
    }

    private sealed class RecordingBodies(HttpMessageHandler inner, List<string> bodies) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Content is not null)
            {
                bodies.Add(await request.Content.ReadAsStringAsync(cancellationToken));
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }
}

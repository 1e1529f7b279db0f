using System.Text.Json;
using DeviceAgent.Cli.Commands;
using DeviceAgent.Emulator.Devices;
using DeviceAgent.Emulator.Server;
using DeviceAgent.Enrollment;

namespace DeviceAgent.Emulator.Tests.Conformance;

/// <summary>
/// `deviceagent check-server` (issue 14 item 6, docs/check-server.md): against the mock server in its strict (https,
/// mutual TLS) and plain-HTTP modes it passes; against a scripted fake it reports each deliberate mistake.
/// </summary>
public class CheckServerTests
{
    private static readonly Uri s_fakeUrl = new("http://localhost/");

    private static async Task<(int Exit, string Output, string Error)> CheckAsync(ScriptedMdmServer server, CancellationToken cancellationToken,
        EnrollmentCredentials? credentials = null, bool json = false, string user = "alice@contoso.com")
    {
        var output = new StringWriter();
        var error = new StringWriter();
        using var transport = new TestServerDeviceTransport(server.Server);
        var exit = await CheckServerCommand.RunAsync(s_fakeUrl, user, credentials ?? new EnrollmentCredentials(), ServerTrust.SystemStore, json,
            output, error, cancellationToken, transport);
        return (exit, output.ToString(), error.ToString());
    }

    [TestCase(true)]
    [TestCase(false)]
    [CancelAfter(120_000)]
    public async Task The_mock_server_passes_over_https_with_mutual_TLS_and_over_plain_HTTP(bool tls, CancellationToken cancellationToken)
    {
        await using var mdm = await EmbeddedMdm.StartAsync(new EmbeddedMdmOptions { Tls = tls }, cancellationToken);
        var trust = ServerTrust.SystemStore.With(mdm.RootCertificate);
        var output = new StringWriter();

        var exit = await CheckServerCommand.RunAsync(mdm.BaseUrl, "alice@contoso.com", new EnrollmentCredentials(), trust, json: false,
            output, new StringWriter(), cancellationToken);

        var text = output.ToString();
        Assert.That(exit, Is.Zero, text);
        Assert.That(text, Does.Contain("discovery              accept  AuthPolicy Federated, EnrollmentVersion 4.0."));
        Assert.That(text, Does.Contain("policy                 accept  minimalKeyLength 2048."));
        Assert.That(text, Does.Match(@"first session\s+accept\s+session \S+ ended normally"));
        // Over https the mock identifies the device by the client certificate it issued: the session ran with mutual TLS.
        Assert.That(text, Does.Contain(tls ? "w7 ADDR https://127.0.0.1:" : "w7 ADDR http://127.0.0.1:"));
        Assert.That(text, Does.Match(@"statuses\s+accept"));
        Assert.That(text, Does.Not.Contain("REJECT").And.Not.Contain(" warn "));
        Assert.That(text, Does.Contain("0 rejection(s), 0 warning(s)"));
        Assert.That(text, Does.Contain($"check-server {mdm.BaseUrl}EnrollmentServer/Discovery.svc (server certificates: system store + 1 trusted root(s))"));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task A_server_that_does_everything_right_and_matches_the_samples_prefixes_literally_passes(CancellationToken cancellationToken)
    {
        await using var server = await ScriptedMdmServer.StartAsync();

        var (exit, output, _) = await CheckAsync(server, cancellationToken);

        Assert.That(exit, Is.Zero, output);
        Assert.That(output, Does.Contain("0 rejection(s), 0 warning(s)"));
        Assert.That(server.Requests, Has.Count.EqualTo(4), "Discover, GetPolicies, RequestSecurityToken, one session message");
    }

    [TestCase(ServerMistake.PolicyWithoutMinimalKeyLength, "policy", "minimalKeyLength is missing; 2048 used, as on Windows.")]
    [TestCase(ServerMistake.PartialPollValues, "provisioning document", "Poll leaves out NumberOfSecondRetries, IntervalForSecondSetOfRetries, NumberOfRemainingScheduledRetries, IntervalForRemainingScheduledRetries; the DMClient CSP defaults were used (NumberOfSecondRetries=0")]
    [TestCase(ServerMistake.EnrollmentVersion5, "discovery", "EnrollmentVersion 5.0.")]
    [CancelAfter(60_000)]
    public async Task What_Windows_accepts_is_accepted_and_said(ServerMistake leniency, string step, string text, CancellationToken cancellationToken)
    {
        await using var server = await ScriptedMdmServer.StartAsync(leniency);

        var (exit, output, _) = await CheckAsync(server, cancellationToken);

        Assert.That(exit, Is.Zero, output);
        Assert.That(output, Does.Match($@"\n  {step}\s+accept\s+[^\n]*{System.Text.RegularExpressions.Regex.Escape(text)}"), output);
        Assert.That(output, Does.Contain("0 rejection(s), 0 warning(s)"));
    }

    [TestCase(ServerMistake.PolicyKeyLength512, "policy", "policy: minimalKeyLength 512 is below 1024; expected 1024 to 16384 bits")]
    [TestCase(ServerMistake.CertificateForAnotherKey, "provisioning document", "carries a public key that is not the device's; expected the key of the PKCS#10 request")]
    [TestCase(ServerMistake.ProvisioningDocumentWithoutW7, "provisioning document", "provisioning document: there is no APPLICATION characteristic with APPID w7; expected")]
    [TestCase(ServerMistake.EnrollmentVersion2, "discovery", "discovery: EnrollmentVersion '2.0' is not supported; expected 3.0 to 5.0.")]
    [CancelAfter(60_000)]
    public async Task Each_enrollment_mistake_is_a_rejection_that_names_step_field_and_expected_value(ServerMistake mistake, string step, string text, CancellationToken cancellationToken)
    {
        await using var server = await ScriptedMdmServer.StartAsync(mistake);

        var (exit, output, _) = await CheckAsync(server, cancellationToken);

        Assert.That(exit, Is.EqualTo(1), output);
        Assert.That(output, Does.Match($@"\n  {step}\s+REJECT\s+[^\n]*{System.Text.RegularExpressions.Regex.Escape(text)}"), output);
        Assert.That(output, Does.Contain("Windows would stop here; 1 rejection(s)"));
        Assert.That(output, Does.Not.Contain("first session"), "no session after a refused enrollment");
    }

    [TestCase(ServerMistake.StatusWithWrongCmdRef, "statuses", "cmdref", "references command 99 of client message 1, which the device never sent")]
    [TestCase(ServerMistake.StatusCodeZero, "statuses", "status-code", "has code 0; 0 is not a status code")]
    [TestCase(ServerMistake.NoSyncHdrStatus, "statuses", "synchdr-status", "there is no Status for the SyncHdr of client message 1")]
    [TestCase(ServerMistake.WrongMsgRef, "statuses", "msgref", "has MsgRef 7; statuses answer the client's last message, 1.")]
    [TestCase(ServerMistake.SyncML11, "first session", "version", "SyncHdr has VerDTD '1.1' and VerProto 'DM/1.1'")]
    [CancelAfter(60_000)]
    public async Task Each_session_mistake_is_a_warning_of_the_devices_protocol_checks(ServerMistake mistake, string step, string check, string text, CancellationToken cancellationToken)
    {
        await using var server = await ScriptedMdmServer.StartAsync(mistake);

        var (exit, output, _) = await CheckAsync(server, cancellationToken);

        Assert.That(exit, Is.Zero, "warnings alone do not fail the check: Windows goes on\n" + output);
        Assert.That(output, Does.Match($@"\n  {step}\s+warn\s+[^\n]*{System.Text.RegularExpressions.Regex.Escape(text)}"), output);

        await using var again = await ScriptedMdmServer.StartAsync(mistake);
        var (_, json, _) = await CheckAsync(again, cancellationToken, json: true);
        using var report = JsonDocument.Parse(json);
        Assert.That(report.RootElement.GetProperty("rejected").GetBoolean(), Is.False);
        Assert.That(report.RootElement.GetProperty("findings").EnumerateArray()
            .Any(f => f.GetProperty("verdict").GetString() == "Warn" && f.GetProperty("check").GetString() == check), Is.True, json);
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task All_session_mistakes_at_once_are_each_reported(CancellationToken cancellationToken)
    {
        await using var server = await ScriptedMdmServer.StartAsync(ServerMistake.StatusWithWrongCmdRef | ServerMistake.StatusCodeZero | ServerMistake.SyncML11);

        var (_, json, _) = await CheckAsync(server, cancellationToken, json: true);

        using var report = JsonDocument.Parse(json);
        var checks = report.RootElement.GetProperty("findings").EnumerateArray()
            .Where(f => f.GetProperty("verdict").GetString() == "Warn").Select(f => f.GetProperty("check").GetString()).ToList();
        Assert.That(checks, Is.SupersetOf(new[] { "cmdref", "status-code", "version" }));
        Assert.That(report.RootElement.GetProperty("warnings").GetInt32(), Is.EqualTo(checks.Count));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task A_server_that_answers_a_policy_the_device_did_not_offer_is_rejected_at_discovery(CancellationToken cancellationToken)
    {
        // The fake answers OnPremise; the device offers only Federated (no password given).
        await using var server = await ScriptedMdmServer.StartAsync(authPolicy: "OnPremise");

        var (exit, output, _) = await CheckAsync(server, cancellationToken);

        Assert.That(exit, Is.EqualTo(1), output);
        Assert.That(output, Does.Contain("REJECT"));
        Assert.That(output, Does.Contain("discovery: the server refused with a SOAP fault (MessageFormat): expected <AuthPolicy>OnPremise</AuthPolicy> in the request"));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task OnPremise_enrolls_with_a_UsernameToken_written_as_in_MS_MDE2_4_3_1_4(CancellationToken cancellationToken)
    {
        await using var server = await ScriptedMdmServer.StartAsync(authPolicy: "OnPremise");

        var (exit, output, _) = await CheckAsync(server, cancellationToken, new EnrollmentCredentials { Password = ScriptedMdmServer.Password });

        Assert.That(exit, Is.Zero, output);
        Assert.That(output, Does.Contain("AuthPolicy OnPremise"));
        Assert.That(server.Requests[0], Does.Contain("<AuthPolicies><AuthPolicy>OnPremise</AuthPolicy><AuthPolicy>Federated</AuthPolicy></AuthPolicies>"));
        Assert.That(server.Requests[1], Does.Contain("<wsse:UsernameToken u:Id=\"uuid-cc1ccc1f-2fba-4bcf-b063-ffc0cac77917-4\"><wsse:Username>alice@contoso.com</wsse:Username>"));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task A_wrong_OnPremise_password_is_the_servers_fault_named_with_its_step(CancellationToken cancellationToken)
    {
        await using var server = await ScriptedMdmServer.StartAsync(authPolicy: "OnPremise");

        var (exit, output, _) = await CheckAsync(server, cancellationToken, new EnrollmentCredentials { Password = "wrong" });

        Assert.That(exit, Is.EqualTo(1), output);
        Assert.That(output, Does.Match(@"\n  policy\s+REJECT\s+policy: the server refused with a SOAP fault \(MessageFormat\)"));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Certificate_enrolls_with_a_timestamp_signed_by_the_devices_certificate_that_SignedXml_verifies(CancellationToken cancellationToken)
    {
        await using var server = await ScriptedMdmServer.StartAsync(authPolicy: "Certificate");
        using var key = System.Security.Cryptography.RSA.Create(2048);
        using var certificate = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=provisioned device", key,
            System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

        var (exit, output, _) = await CheckAsync(server, cancellationToken, new EnrollmentCredentials
        {
            AuthPolicies = [EnrollmentAuthPolicy.Certificate],
            Certificate = certificate,
        });

        Assert.That(exit, Is.Zero, output);
        Assert.That(output, Does.Contain("AuthPolicy Certificate"));
        Assert.That(server.SignerCertificate?.Thumbprint, Is.EqualTo(certificate.Thumbprint));
    }

    [Test]
    public async Task Offering_OnPremise_without_a_password_is_refused_before_any_traffic()
    {
        await using var server = await ScriptedMdmServer.StartAsync();

        var (exit, _, error) = await CheckAsync(server, CancellationToken.None, new EnrollmentCredentials { AuthPolicies = [EnrollmentAuthPolicy.OnPremise] });

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error, Does.Contain("the OnPremise policy is offered but no Password is given"));
        Assert.That(server.Requests, Is.Empty);
    }

    [Test]
    public void The_command_is_parsed_with_its_options()
    {
        var parsed = DeviceAgent.Cli.Program.CreateRootCommand().Parse(
            ["check-server", "https://mdm.contoso.com", "--trust-root", "root.pem", "--json", "--auth-policy", "OnPremise", "--password", "p"]);
        Assert.That(parsed.Errors, Is.Empty);
        var bad = DeviceAgent.Cli.Program.CreateRootCommand().Parse(["check-server", "mdm.contoso.com"]);
        Assert.That(bad.Errors.Select(e => e.Message), Has.One.Contains("is not an absolute http:// or https:// URL"));
    }
}

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MockMdm.Tests.Support;

namespace MockMdm.Tests.OmaDm;

/// <summary>Device authentication by the enrollment client certificate (docs/reference/omadm.md §1 "Client auth").</summary>
public class MutualTlsTests
{
    [Test]
    public async Task TheEnrollmentCertificate_IdentifiesTheDevice_OthersAreRefused()
    {
        await using var mdm = await TestMdm.StartAsync(plainHttp: false);
        var enrollment = await mdm.EnrollAsync();
        Assert.That(enrollment.ManagementServerUrl.Query, Is.Empty, "mutual-TLS mode puts no token in ADDR");

        var other = await mdm.EnrollAsync(upn: "bob@contoso.com", deviceId: "2F0B3A1C-0002-4000-8000-000000000002");
        var device = new ScriptedDevice(mdm, enrollment, devId: "DEV-ALICE") { ClientCertificate = enrollment.ClientCertificate };
        await device.StartSessionAsync();
        // The managed device ID is the certificate's CN (docs/mock-mdm.md "Enrollment"): the session's DevInfo went to
        // the device whose certificate was presented, not to the other one.
        using (var alice = await mdm.GetJsonAsync($"/api/deviceManagement/managedDevices/{enrollment.ClientCertificate.GetNameInfo(X509NameType.SimpleName, false)}"))
        using (var bob = await mdm.GetJsonAsync($"/api/deviceManagement/managedDevices/{other.ClientCertificate.GetNameInfo(X509NameType.SimpleName, false)}"))
        {
            Assert.That(alice.RootElement.GetProperty("devId").GetString(), Is.EqualTo("DEV-ALICE"));
            Assert.That(bob.RootElement.GetProperty("devId").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null));
        }

        var anonymous = new ScriptedDevice(mdm, enrollment);
        var (status, why) = await anonymous.PostAsync(anonymous.Message("<Alert><CmdID>1</CmdID><Data>1201</Data></Alert>"));
        // No certificate: a standard OMA-DM client without credentials, answered in SyncML with 407 and a Chal.
        Assert.That(status, Is.EqualTo(200));
        Assert.That(why, Does.Contain("<Cmd>SyncHdr</Cmd>").And.Contain("<Chal>").And.Contain("<Data>407</Data>"));

        using var key = RSA.Create(2048);
        var now = DateTimeOffset.UtcNow;
        using var foreign = new CertificateRequest("CN=intruder", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(TestMdm.Start.AddDays(-1), now.AddYears(20));
        var intruder = new ScriptedDevice(mdm, enrollment) { ClientCertificate = foreign };
        (status, why) = await intruder.PostAsync(intruder.Message("<Alert><CmdID>1</CmdID><Data>1201</Data></Alert>"));
        Assert.That(status, Is.EqualTo(403));
        Assert.That(why, Does.Contain("not issued by this server's CA"));
    }

    [Test]
    [Description("docs/mock-mdm.md \"Device authentication\": a foreign or expired certificate is refused with 403")]
    public async Task An_expired_enrollment_certificate_is_refused_with_403()
    {
        await using var mdm = await TestMdm.StartAsync(plainHttp: false);
        var enrollment = await mdm.EnrollAsync();
        var device = new ScriptedDevice(mdm, enrollment) { ClientCertificate = enrollment.ClientCertificate };
        var (status, _) = await device.PostAsync(device.Message("<Alert><CmdID>1</CmdID><Data>1201</Data></Alert>"));
        Assert.That(status, Is.EqualTo(200), "the certificate works while it is valid");

        mdm.Clock.Advance(enrollment.ClientCertificate.NotAfter.ToUniversalTime() - TestMdm.Start.UtcDateTime + TimeSpan.FromSeconds(1));
        (status, var why) = await device.PostAsync(device.Message("<Alert><CmdID>1</CmdID><Data>1201</Data></Alert>"));

        Assert.That(status, Is.EqualTo(403));
        Assert.That(why, Is.EqualTo("the client certificate was not issued by this server's CA or is not valid now"));
    }
}

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MockMdm.Tests.Support;

namespace MockMdm.Tests.OmaDm;

/// <summary>Device authentication by the enrollment client certificate (protocol.md 1.1 "Client auth").</summary>
public class MutualTlsTests
{
    [Test]
    public async Task TheEnrollmentCertificate_IdentifiesTheDevice_OthersAreRefused()
    {
        await using var mdm = await TestMdm.StartAsync(plainHttp: false);
        var enrollment = await mdm.EnrollAsync();
        Assert.That(enrollment.ManagementServerUrl.Query, Is.Empty, "mutual-TLS mode puts no token in ADDR");

        var device = new ScriptedDevice(mdm, enrollment) { ClientCertificate = enrollment.ClientCertificate };
        var reply = await device.StartSessionAsync();
        Assert.That(reply.SyncBody.Commands, Has.Count.GreaterThan(4));

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
}

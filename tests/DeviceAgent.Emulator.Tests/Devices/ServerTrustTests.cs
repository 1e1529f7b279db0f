using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Emulator.Devices;

namespace DeviceAgent.Emulator.Tests.Devices;

public class ServerTrustTests
{
    private static (X509Certificate2 Root, X509Certificate2 Leaf) Issue(string name)
    {
        using var rootKey = RSA.Create(2048);
        var rootRequest = new CertificateRequest($"CN={name} Root", rootKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        var root = rootRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        using var leafKey = RSA.Create(2048);
        var leafRequest = new CertificateRequest("CN=mdm.test", leafKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var leaf = leafRequest.Create(root, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(10), [1, 2, 3, 4]);
        return (root, leaf);
    }

    [Test]
    public void A_certificate_chaining_to_a_trust_root_or_the_provisioned_root_is_accepted_and_others_are_not()
    {
        var (root, leaf) = Issue("A");
        var (other, _) = Issue("B");

        Assert.That(new ServerTrust([root], false).Accepts(leaf, null, SslPolicyErrors.RemoteCertificateChainErrors), Is.True);
        Assert.That(ServerTrust.SystemStore.Accepts(leaf, null, SslPolicyErrors.RemoteCertificateChainErrors), Is.False);
        Assert.That(new ServerTrust([other], false).Accepts(leaf, null, SslPolicyErrors.RemoteCertificateChainErrors), Is.False);
        Assert.That(ServerTrust.SystemStore.Accepts(leaf, null, SslPolicyErrors.RemoteCertificateChainErrors, provisionedRoot: root), Is.True);
        // What the system store verified is accepted like on Windows.
        Assert.That(ServerTrust.SystemStore.Accepts(leaf, null, SslPolicyErrors.None), Is.True);
    }

    [Test]
    public void A_certificate_for_another_host_is_refused_whatever_the_roots_unless_insecure()
    {
        var (root, leaf) = Issue("A");
        const SslPolicyErrors errors = SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateChainErrors;

        Assert.That(new ServerTrust([root], false).Accepts(leaf, null, errors), Is.False);
        Assert.That(new ServerTrust([], true).Accepts(leaf, null, errors), Is.True);
        Assert.That(new ServerTrust([], true).Describe(), Does.Contain("--insecure"));
    }

    [Test]
    public void Trust_root_files_that_are_missing_or_hold_no_certificate_are_refused_by_name()
    {
        var missing = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".pem");
        var empty = Path.GetTempFileName();
        try
        {
            File.WriteAllText(empty, "not a certificate");
            Assert.That(() => ServerTrust.FromPemFiles([missing], false), Throws.TypeOf<TrustRootException>().With.Message.Contains(missing));
            Assert.That(() => ServerTrust.FromPemFiles([empty], false), Throws.TypeOf<TrustRootException>().With.Message.Contains(empty).And.Message.Contains("BEGIN CERTIFICATE"));

            var (root, _) = Issue("A");
            File.WriteAllText(empty, root.ExportCertificatePem());
            Assert.That(ServerTrust.FromPemFiles([empty], false).ExtraRoots.Single().Thumbprint, Is.EqualTo(root.Thumbprint));
        }
        finally
        {
            File.Delete(empty);
        }
    }
}

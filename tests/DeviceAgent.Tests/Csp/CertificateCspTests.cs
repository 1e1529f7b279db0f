using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Csp;
using DeviceAgent.SyncML;
using DeviceAgent.Tests.Dm;
using static DeviceAgent.Tests.Dm.DmTestDevice;

namespace DeviceAgent.Tests.Csp;

/// <summary>CertificateStore, RootCATrustedCertificates and ClientCertificateInstall PFXCertInstall (docs/csps.md "Certificates").</summary>
public class CertificateCspTests
{
    private const string Store = "./Vendor/MSFT/CertificateStore";
    private const string Pfx = "./Vendor/MSFT/ClientCertificateInstall/PFXCertInstall/wifi";

    private static X509Certificate2 NewCertificate(string subject, out RSA key)
    {
        key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return request.CreateSelfSigned(new DateTimeOffset(2017, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero));
    }

    private static async Task<string> ValueAsync(DmTestDevice device, string uri)
    {
        var answers = await device.RunAsync(Get("9", uri));
        var status = answers.OfType<Status>().Single().Data;
        return status == "200" ? SingleResult(answers).Data?.Value ?? "" : "status " + status;
    }

    [Test]
    public async Task An_added_root_reads_back_its_fields_under_its_thumbprint_and_Delete_removes_it()
    {
        var device = new DmTestDevice();
        using var root = NewCertificate("CN=Contoso Root, O=Contoso", out var key);
        key.Dispose();
        var node = $"{Store}/Root/System/{root.Thumbprint.ToLowerInvariant()}";

        // The provisioning document's spelling (Root) reaches the DDF's ROOT: the CSP's names are case insensitive.
        Assert.That(await device.RunDescribedAsync(Add("2", node + "/EncodedCertificate", Convert.ToBase64String(root.RawData), "b64")),
            Is.EqualTo(new[] { "Status 2 Add 200" }));

        Assert.Multiple(async () =>
        {
            Assert.That(await ValueAsync(device, $"{Store}/ROOT/System"), Is.EqualTo(root.Thumbprint.ToLowerInvariant()));
            Assert.That(await ValueAsync(device, $"{Store}/ROOT/System/{root.Thumbprint}/IssuedTo"), Is.EqualTo("CN=Contoso Root, O=Contoso"));
            Assert.That(await ValueAsync(device, node + "/IssuedBy"), Is.EqualTo("CN=Contoso Root, O=Contoso"));
            Assert.That(await ValueAsync(device, node + "/ValidFrom"), Is.EqualTo("2017-01-01T00:00:00Z"));
            Assert.That(await ValueAsync(device, node + "/ValidTo"), Is.EqualTo("2027-01-01T00:00:00Z"));
            Assert.That(await ValueAsync(device, node + "/TemplateName"), Is.EqualTo(""));
            Assert.That(await ValueAsync(device, node + "/EncodedCertificate"), Is.EqualTo(Convert.ToBase64String(root.RawData)));
        });

        Assert.That(await device.RunDescribedAsync(Delete("3", node)), Is.EqualTo(new[] { "Status 3 Delete 200" }));
        Assert.That(await ValueAsync(device, node + "/IssuedTo"), Is.EqualTo("status 404"));
    }

    [Test]
    public async Task Data_that_is_not_the_certificate_of_its_thumbprint_is_refused_and_nothing_is_stored()
    {
        var device = new DmTestDevice();
        using var root = NewCertificate("CN=Contoso Root", out var key);
        using var other = NewCertificate("CN=Other", out var otherKey);
        key.Dispose();
        otherKey.Dispose();

        Assert.Multiple(async () =>
        {
            Assert.That(await device.RunDescribedAsync(Add("2", $"{Store}/CA/System/{root.Thumbprint}/EncodedCertificate", Convert.ToBase64String(other.RawData), "b64")),
                Is.EqualTo(new[] { "Status 2 Add 400" }), "another certificate's thumbprint");
            Assert.That(await device.RunDescribedAsync(Add("3", $"{Store}/CA/System/{root.Thumbprint}/EncodedCertificate", Convert.ToBase64String([1, 2, 3, 4]), "b64")),
                Is.EqualTo(new[] { "Status 3 Add 400" }), "not DER X.509");
            Assert.That(await ValueAsync(device, $"{Store}/CA/System"), Is.EqualTo(""));
        });
    }

    [Test]
    public async Task RootCATrustedCertificates_holds_roots_by_thumbprint()
    {
        var device = new DmTestDevice();
        using var root = NewCertificate("CN=Trusted", out var key);
        key.Dispose();
        var node = $"./Vendor/MSFT/RootCATrustedCertificates/Root/{root.Thumbprint}";

        Assert.That(await device.RunDescribedAsync(Add("2", node + "/EncodedCertificate", Convert.ToBase64String(root.RawData), "b64")), Is.EqualTo(new[] { "Status 2 Add 200" }));
        Assert.That(await ValueAsync(device, node + "/IssuedTo"), Is.EqualTo("CN=Trusted"));
    }

    private static Atomic PfxInstall(string blob, string? password, string keyLocation = "3") =>
        Atomic("2",
            Add("3", Pfx + "/KeyLocation", keyLocation, "int"),
            Add("4", Pfx + "/PFXCertPassword", password ?? ""),
            Add("5", Pfx + "/PFXCertBlob", blob, "bin"));

    [Test]
    public async Task A_PFX_blob_is_installed_and_its_certificate_appears_in_the_personal_store_until_its_request_is_deleted()
    {
        var device = new DmTestDevice();
        using var certificate = NewCertificate("CN=Wi-Fi user", out var key);
        using (key)
        {
            var pfx = Convert.ToBase64String(certificate.Export(X509ContentType.Pfx, "s3cret"));

            Assert.That(await device.RunDescribedAsync(PfxInstall(pfx, "s3cret")), Does.Contain("Status 2 Atomic 200"));
        }

        var installed = $"{Store}/MY/User/{certificate.Thumbprint}";
        Assert.Multiple(async () =>
        {
            Assert.That(await ValueAsync(device, Pfx + "/Thumbprint"), Is.EqualTo(certificate.Thumbprint));
            Assert.That(await ValueAsync(device, Pfx + "/Status"), Is.EqualTo("0"));
            Assert.That(await ValueAsync(device, installed + "/IssuedTo"), Is.EqualTo("CN=Wi-Fi user"));
            Assert.That(await ValueAsync(device, installed + "/EncodedCertificate"), Is.EqualTo(Convert.ToBase64String(certificate.RawData)));
        });

        Assert.That(await device.RunDescribedAsync(Delete("6", Pfx)), Is.EqualTo(new[] { "Status 6 Delete 200" }));
        Assert.That(await ValueAsync(device, installed), Is.EqualTo("status 404"));
    }

    [Test]
    public async Task A_wrong_password_or_a_blob_that_is_no_PFX_fails_with_the_import_error_in_Status()
    {
        var device = new DmTestDevice();
        using var certificate = NewCertificate("CN=Wi-Fi user", out var key);
        string pfx;
        using (key)
        {
            pfx = Convert.ToBase64String(certificate.Export(X509ContentType.Pfx, "s3cret"));
        }

        Assert.That(await device.RunDescribedAsync(Add("2", Pfx + "/KeyLocation", "3", "int"), Add("3", Pfx + "/PFXCertPassword", "wrong")),
            Is.EqualTo(new[] { "Status 2 Add 200", "Status 3 Add 200" }));

        Assert.That(await device.RunDescribedAsync(Add("4", Pfx + "/PFXCertBlob", pfx, "bin")), Is.EqualTo(new[] { "Status 4 Add 500" }));
        Assert.Multiple(async () =>
        {
            Assert.That(await ValueAsync(device, Pfx + "/Status"), Is.EqualTo(ClientCertificateInstallCsp.StatusInvalidPassword.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(await ValueAsync(device, Pfx + "/PFXCertBlob"), Is.EqualTo("status 404"), "the blob is not kept");
            Assert.That(await ValueAsync(device, $"{Store}/MY/User"), Is.EqualTo(""));
        });

        Assert.That(await device.RunDescribedAsync(Add("5", Pfx + "/PFXCertBlob", Convert.ToBase64String(certificate.RawData), "bin")), Is.EqualTo(new[] { "Status 5 Add 500" }));
        Assert.That(await ValueAsync(device, Pfx + "/Status"), Is.EqualTo(ClientCertificateInstallCsp.StatusBadEncoding.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Test]
    public async Task An_exportable_key_outside_software_storage_is_refused()
    {
        var device = new DmTestDevice();
        using var certificate = NewCertificate("CN=Wi-Fi user", out var key);
        string pfx;
        using (key)
        {
            pfx = Convert.ToBase64String(certificate.Export(X509ContentType.Pfx, "s3cret"));
        }

        var answers = await device.RunDescribedAsync(Atomic("2",
            Add("3", Pfx + "/KeyLocation", "2", "int"),
            Add("4", Pfx + "/PFXKeyExportable", "true", "bool"),
            Add("5", Pfx + "/PFXCertPassword", "s3cret"),
            Add("6", Pfx + "/PFXCertBlob", pfx, "bin")));

        Assert.That(answers, Does.Contain("Status 2 Atomic 507").And.Contain("Status 6 Add 500"));
        Assert.That(await ValueAsync(device, $"{Store}/MY/User"), Is.EqualTo(""));
    }
}

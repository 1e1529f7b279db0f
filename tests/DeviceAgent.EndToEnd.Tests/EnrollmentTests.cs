using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using DeviceAgent.Emulator.Devices;
using DeviceAgent.Emulator.Server;
using DeviceAgent.Enrollment;
using DeviceAgent.Protocol;

namespace DeviceAgent.EndToEnd.Tests;

/// <summary>An emulated phone enrolls by MS-MDE2 against the embedded server and runs OMA-DM sessions, over each transport.</summary>
public class EnrollmentTests
{
    public static IEnumerable<TestCaseData> Hosts()
    {
        yield return new TestCaseData(EmbeddedHost.TestServer, false).SetName("TestHost, plain HTTP (device token)");
        yield return new TestCaseData(EmbeddedHost.Kestrel, true).SetName("Kestrel 127.0.0.1, mutual TLS");
        yield return new TestCaseData(EmbeddedHost.Kestrel, false).SetName("Kestrel 127.0.0.1, plain HTTP");
    }

    [TestCaseSource(nameof(Hosts))]
    public async Task A_phone_enrolls_with_its_own_key_and_syncs(EmbeddedHost host, bool tls)
    {
        await using var mdm = await EmbeddedMdm.StartAsync(new EmbeddedMdmOptions { Host = host, Tls = tls, Keys = Keys.Material });
        using var transport = mdm.CreateDeviceTransport();
        // The device's key pair comes from a one-key pool so the test knows it; the server must certify exactly that key.
        var ownKeys = new EnrollmentKeyPool(1);
        using var ownKey = ownKeys.Next();
        using var device = await EmulatedDevice.CreateAsync(
            new DeviceSpec { Name = "phone1", User = "alice@contoso.com" },
            new EmulatorOptions { Pbkdf2Iterations = 10, PinResetService = mdm.PinResetService, EnrollmentKeys = ownKeys });

        var enrollment = await device.EnrollAsync(transport);
        var beforeSync = DateTimeOffset.UtcNow;
        var session = await device.SyncAsync();
        var afterSync = DateTimeOffset.UtcNow;

        using var api = new MdmApiClient(mdm.BaseUrl, mdm.ApiKey, mdm.CreateApiHandler());
        var managed = await api.GetAsync($"api/deviceManagement/managedDevices/{device.ManagedDeviceId}", CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(enrollment.ClientCertificate.HasPrivateKey, Is.True);
            Assert.That(enrollment.ClientCertificate.GetRSAPublicKey()!.ExportSubjectPublicKeyInfo(), Is.EqualTo(ownKey.ExportSubjectPublicKeyInfo()), "the certificate is for the device's own key");
            Assert.That(enrollment.ManagementServerUrl.Query, tls ? Does.Not.Contain("devicetoken") : Does.Contain("devicetoken="));
            Assert.That(enrollment.ManagementServerUrl.Scheme, Is.EqualTo(tls ? "https" : "http"));
            Assert.That(session.Succeeded, Is.True, session.Reason);
            Assert.That(managed.GetProperty("joinType").GetString(), Is.EqualTo("azureADJoined"));
            Assert.That(managed.GetProperty("lastSyncDateTime").GetDateTimeOffset(), Is.InRange(beforeSync.AddMilliseconds(-1), afterSync), "the time of this session");
            Assert.That(managed.GetProperty("devId").GetString(), Is.EqualTo(device.Profile.DevId));
        });
    }

    [Test]
    public async Task Without_its_client_certificate_a_device_is_refused_over_mutual_TLS()
    {
        await using var mdm = await EmbeddedMdm.StartAsync(new EmbeddedMdmOptions { Host = EmbeddedHost.Kestrel, Tls = true, Keys = Keys.Material });
        using var transport = mdm.CreateDeviceTransport();
        using var device = await EmulatedDevice.CreateAsync(new DeviceSpec { Name = "phone1", User = "alice@contoso.com" }, new EmulatorOptions { Pbkdf2Iterations = 10 });
        var enrollment = await device.EnrollAsync(transport);
        using var noCertificate = new SocketsHttpHandler
        {
            SslOptions = new System.Net.Security.SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) => SocketDeviceTransport.ChainsTo(enrollment.RootCertificate, certificate, errors),
            },
        };
        device.Connect(enrollment.ManagementServerUrl, noCertificate);

        var session = await device.SyncAsync();

        Assert.That(session.Succeeded, Is.False);
        // No certificate: the server takes the caller for a standard OMA-DM client and asks for OMA-DM credentials
        // (SyncHdr status 407 with a Chal, docs/omadm-clients.md), which a Windows device does not have.
        Assert.That(session.Reason, Does.Contain("407"));
    }

    [Test]
    public async Task An_older_build_is_refused_at_enrollment()
    {
        await using var mdm = await EmbeddedMdm.StartAsync(new EmbeddedMdmOptions { Host = EmbeddedHost.TestServer, Keys = Keys.Material });
        using var transport = mdm.CreateDeviceTransport();
        using var device = await EmulatedDevice.CreateAsync(new DeviceSpec { Name = "old", User = "bob@contoso.com", OsBuild = "10.0.14393" }, new EmulatorOptions { Pbkdf2Iterations = 10 });

        var e = Assert.ThrowsAsync<EnrollmentFaultException>(() => device.EnrollAsync(transport));

        Assert.That(e!.Subcode, Is.EqualTo("DeviceNotSupported"));
        Assert.That(e.Message, Does.Contain("14393"));
    }
}

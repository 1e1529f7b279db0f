using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using DeviceAgent.Enrollment;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MockMdm.Enrollment;
using MockMdm.Tests.Support;

namespace MockMdm.Tests.OmaDm;

/// <summary>Real sockets and TLS on loopback: Kestrel asks for the client certificate and the OMA-DM endpoint accepts the enrolled one.</summary>
public class KestrelMutualTlsTests
{
    [Test]
    public async Task OverRealTls_TheEnrollmentCertificateOpensASession()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var options = new MockMdmOptions { DatabasePath = null, Store = TestMdm.SeededStore(), ApiKey = TestMdm.ApiKey, Seed = 7 };
        options.TimeProvider = new TestClock(TestMdm.Start);
        options.Urls.Add($"https://127.0.0.1:{port}");
        await using var app = MockMdmServer.Build(options, b => b.Logging.SetMinimumLevel(LogLevel.Warning));
        await app.StartAsync();
        var ca = app.Services.GetRequiredService<CertificateAuthority>().Certificate;
        bool TrustOurCa(object _, X509Certificate? cert, X509Chain? __, SslPolicyErrors ___)
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(ca);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.VerificationTime = TestMdm.Start.UtcDateTime.AddHours(1);
            return cert is not null && chain.Build(new X509Certificate2(cert));
        }

        using var enrollHandler = new SocketsHttpHandler();
        enrollHandler.SslOptions.RemoteCertificateValidationCallback = TrustOurCa;
        using var enroller = new EnrollmentClient(enrollHandler);
        var enrollment = await enroller.EnrollAsync(new EnrollmentRequest
        {
            DiscoveryUrl = new Uri($"https://127.0.0.1:{port}/EnrollmentServer/Discovery.svc"),
            UserPrincipalName = "tls@contoso.com",
            DeviceId = "TLS-1",
        });
        Assert.That(enrollment.ManagementServerUrl.Scheme, Is.EqualTo("https"));

        using var deviceHandler = new SocketsHttpHandler();
        deviceHandler.SslOptions.RemoteCertificateValidationCallback = TrustOurCa;
        deviceHandler.SslOptions.ClientCertificates = [enrollment.ClientCertificate];
        using var device = new HttpClient(deviceHandler);
        var message = "<SyncML xmlns=\"SYNCML:SYNCML1.2\"><SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto><SessionID>1</SessionID><MsgID>1</MsgID>" +
                      $"<Target><LocURI>{enrollment.ManagementServerUrl}</LocURI></Target><Source><LocURI>TLS-DEV</LocURI></Source></SyncHdr>" +
                      "<SyncBody><Alert><CmdID>1</CmdID><Data>1201</Data></Alert><Final/></SyncBody></SyncML>";
        using var content = new StringContent(message, Encoding.UTF8, "application/vnd.syncml.dm+xml");
        using var response = await device.PostAsync(enrollment.ManagementServerUrl, content);
        var body = await response.Content.ReadAsStringAsync();

        Assert.That((int)response.StatusCode, Is.EqualTo(200), body);
        Assert.That(body, Does.Contain("<Cmd>SyncHdr</Cmd><Data>200</Data>").And.Contain("./DevDetail/SwV"));

        using var anonymous = new SocketsHttpHandler();
        anonymous.SslOptions.RemoteCertificateValidationCallback = TrustOurCa;
        using var stranger = new HttpClient(anonymous);
        using var content2 = new StringContent(message, Encoding.UTF8, "application/vnd.syncml.dm+xml");
        using var refused = await stranger.PostAsync(enrollment.ManagementServerUrl, content2);
        var refusal = await refused.Content.ReadAsStringAsync();
        Assert.That((int)refused.StatusCode, Is.EqualTo(200), refusal);
        Assert.That(refusal, Does.Contain("<Chal>").And.Contain("<Data>407</Data>"), "without a certificate the client is asked for OMA-DM credentials");
        await app.StopAsync();
    }
}

using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Enrollment;
using Microsoft.AspNetCore.TestHost;

namespace DeviceAgent.Emulator.Devices;

/// <summary>How emulated devices reach an MDM server: its discovery URL, the HTTP handler for enrollment and one handler per enrolled device for OMA-DM sessions.</summary>
public interface IDeviceTransport : IDisposable
{
    /// <summary>The MS-MDE2 discovery URL (…/EnrollmentServer/Discovery.svc).</summary>
    Uri DiscoveryUrl { get; }

    /// <summary>The handler enrollment runs over (shared; the transport owns it).</summary>
    HttpMessageHandler EnrollmentHandler { get; }

    /// <summary>A new handler for one enrolled device's sessions; the device owns and disposes it.</summary>
    HttpMessageHandler CreateSessionHandler(EnrollmentResult enrollment);
}

/// <summary>
/// Devices and server in one process through TestHost: no sockets, no TLS, so the server must run in plain-HTTP mode
/// (devices are identified by the device token in their w7 ADDR; docs/emulator.md).
/// </summary>
public sealed class TestServerDeviceTransport(TestServer server) : IDeviceTransport
{
    private readonly HttpMessageHandler _enrollment = server.CreateHandler();

    public Uri DiscoveryUrl { get; } = new(server.BaseAddress, "/EnrollmentServer/Discovery.svc");

    public HttpMessageHandler EnrollmentHandler => _enrollment;

    public HttpMessageHandler CreateSessionHandler(EnrollmentResult enrollment) => server.CreateHandler();

    public void Dispose() => _enrollment.Dispose();
}

/// <summary>
/// Devices over real sockets. Over https a device verifies the server with <see cref="ServerTrust"/>: during enrollment the
/// system store and the extra roots; for OMA-DM sessions also the root its provisioning document delivered
/// (CertificateStore/Root/System), presenting the client certificate it was issued (mutual TLS,
/// docs/reference/enrollment.md; docs/emulator.md "Trust").
/// </summary>
public sealed class SocketDeviceTransport : IDeviceTransport
{
    private readonly SocketsHttpHandler _enrollment;
    private readonly ServerTrust _trust;

    public SocketDeviceTransport(Uri serverBaseUrl, ServerTrust? trust = null)
    {
        ArgumentNullException.ThrowIfNull(serverBaseUrl);
        DiscoveryUrl = new Uri(serverBaseUrl, "/EnrollmentServer/Discovery.svc");
        _trust = trust ?? ServerTrust.SystemStore;
        _enrollment = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), SslOptions = _trust.SslOptions() };
    }

    public Uri DiscoveryUrl { get; }

    public HttpMessageHandler EnrollmentHandler => _enrollment;

    public HttpMessageHandler CreateSessionHandler(EnrollmentResult enrollment)
    {
        ArgumentNullException.ThrowIfNull(enrollment);
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        if (enrollment.ManagementServerUrl.Scheme == Uri.UriSchemeHttps)
        {
            var options = _trust.SslOptions(enrollment.RootCertificate);
            options.ClientCertificates = [enrollment.ClientCertificate];
            handler.SslOptions = options;
        }

        return handler;
    }

    public void Dispose() => _enrollment.Dispose();

    /// <summary>Accepts a server certificate that names the host and chains to <paramref name="root"/> alone.</summary>
    public static bool ChainsTo(X509Certificate2 root, X509Certificate? certificate, SslPolicyErrors errors) =>
        new ServerTrust([root], insecure: false).Accepts(certificate, null, errors == SslPolicyErrors.None ? SslPolicyErrors.RemoteCertificateChainErrors : errors);
}

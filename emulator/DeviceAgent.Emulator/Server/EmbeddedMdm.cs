using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Emulator.Devices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MockMdm;
using MockMdm.AdminConsole;
using MockMdm.Enrollment;
using MockMdm.PinReset;
using MockMdm.Store;
using MockMdm.Tenants;

namespace DeviceAgent.Emulator.Server;

/// <summary>Where an embedded mock MDM listens.</summary>
public enum EmbeddedHost
{
    /// <summary>Kestrel on 127.0.0.1 with an ephemeral port (real sockets).</summary>
    Kestrel,

    /// <summary>TestHost: in-process, no sockets and no TLS (plain-HTTP device identification).</summary>
    TestServer,
}

/// <summary>How to start an <see cref="EmbeddedMdm"/>.</summary>
public sealed record EmbeddedMdmOptions
{
    public EmbeddedHost Host { get; init; } = EmbeddedHost.Kestrel;

    /// <summary>Kestrel only: https with mutual TLS (devices present their enrollment certificate); false: plain HTTP with device tokens.</summary>
    public bool Tls { get; init; } = true;

    /// <summary>The clock the server reads (the run's <see cref="EmulatorClock"/>).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Seed of the server's ID generator.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>SQLite file; null keeps the store in memory.</summary>
    public string? DatabasePath { get; init; }

    public string ApiKey { get; init; } = MockMdmOptions.DefaultApiKey;

    /// <summary>CA and PIN reset service keys to start from (shared by many short-lived servers in tests); null generates them.</summary>
    public MdmKeyMaterial? Keys { get; init; }

    /// <summary>Server log output at Warning and above (off by default: the CLI narrates instead).</summary>
    public bool Logging { get; init; }

    /// <summary>Path of the server's Prometheus scrape endpoint ("/metrics"); null serves none (docs/observability.md).</summary>
    public string? MetricsPath { get; init; }

    /// <summary>OTLP endpoint for the server's metrics and traces; null uses OTEL_EXPORTER_OTLP_ENDPOINT when set.</summary>
    public Uri? OtlpEndpoint { get; init; }

    /// <summary>The w7 DEFAULTENCODING the server provisions (MockMdmOptions.DefaultEncoding): WBXML makes enrolled devices send WBXML.</summary>
    public ProvisionedEncoding DefaultEncoding { get; init; } = ProvisionedEncoding.Xml;
}

/// <summary>
/// The mock MDM server hosted in the emulator's process (docs/emulator.md "Embedded server"): MockMdm's own builder on
/// Kestrel 127.0.0.1 (ephemeral port) or TestHost, an in-memory or SQLite store, the run's clock, pushes recorded
/// instead of sent. Exposes what devices and the scenario world need: the base URL, the API key, the hosted PIN reset
/// service instance and the CA root.
/// </summary>
public sealed class EmbeddedMdm : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly IMdmStore? _ownedStore;

    private EmbeddedMdm(WebApplication app, EmbeddedMdmOptions options, Uri baseUrl, IMdmStore? ownedStore, RecordingPushHandler pushes)
    {
        _app = app;
        Options = options;
        BaseUrl = baseUrl;
        _ownedStore = ownedStore;
        Pushes = pushes;
        PinResetService = app.Services.GetRequiredService<IPinResetService>();
        RootCertificate = app.Services.GetRequiredService<CertificateAuthority>().Certificate;
        EventLogs = app.Services.GetRequiredService<DeviceNgcEventLogs>();
    }

    public EmbeddedMdmOptions Options { get; }

    /// <summary>Where the server listens (http://127.0.0.1:port/, https://… or TestHost's http://localhost/).</summary>
    public Uri BaseUrl { get; }

    public string ApiKey => Options.ApiKey;

    /// <summary>True when devices are identified by device tokens rather than client certificates.</summary>
    public bool PlainHttp => Options.Host == EmbeddedHost.TestServer || !Options.Tls;

    /// <summary>The server's hosted PIN reset service: the instance its consent endpoints update and devices call.</summary>
    public IPinResetService PinResetService { get; }

    /// <summary>The server's CA certificate (root of its TLS and client certificates).</summary>
    public X509Certificate2 RootCertificate { get; }

    /// <summary>Pushes the server sent to device channel URIs (recorded; nothing leaves the process).</summary>
    public RecordingPushHandler Pushes { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>The NGC event logs the admin console shows (docs/console.md "NGC event log"); devices of this process publish theirs here.</summary>
    public DeviceNgcEventLogs EventLogs { get; }

    /// <summary>
    /// Shows <paramref name="device"/>'s live NGC event log in this server's console (keyed by its ./DevInfo/DevId) until
    /// the returned object is disposed: the device is hosted in the server's process, so its log can be shared.
    /// </summary>
    public IDisposable PublishEventLog(EmulatedDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        var devId = device.Profile.DevId;
        EventLogs.Publish(devId, device.EventLog.Entries);
        return new Withdrawal(EventLogs, devId);
    }

    /// <summary>Starts the server; the returned object stops it when disposed.</summary>
    public static async Task<EmbeddedMdm> StartAsync(EmbeddedMdmOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var pushes = new RecordingPushHandler();
        var store = options.DatabasePath is null ? new InMemoryMdmStore() : null;
        if (store is not null && options.Keys is { } keys)
        {
            keys.CopyTo(store);
        }

        var mdm = new MockMdmOptions
        {
            DatabasePath = options.DatabasePath,
            Store = store,
            ApiKey = options.ApiKey,
            TimeProvider = options.Time,
            Seed = options.Seed,
            PushHandler = pushes,
            // Emulated devices report channels on this host (EmulatedDevice.PushChannelUri); RecordingPushHandler is its WNS.
            PushChannelPattern = "https://push.emulator.invalid",
            MetricsPath = options.MetricsPath,
            OtlpEndpoint = options.OtlpEndpoint,
            DefaultEncoding = options.DefaultEncoding,
        };
        if (options.Host == EmbeddedHost.Kestrel)
        {
            mdm.Urls.Add(options.Tls ? "https://127.0.0.1:0" : "http://127.0.0.1:0");
        }

        mdm.PlainHttp = options.Host == EmbeddedHost.TestServer || !options.Tls;
        var app = MockMdmServer.Build(mdm, builder =>
        {
            builder.Logging.ClearProviders();
            if (options.Logging)
            {
                builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
            }

            if (options.Host == EmbeddedHost.TestServer)
            {
                builder.WebHost.UseTestServer();
            }
        });
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var baseUrl = options.Host == EmbeddedHost.TestServer
                ? app.GetTestServer().BaseAddress
                : new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/");
            return new EmbeddedMdm(app, options, baseUrl, store, pushes);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            store?.Dispose();
            pushes.Dispose();
            throw;
        }
    }

    /// <summary>How devices reach this server: TestHost's handler, or sockets trusting the server's CA (mutual TLS after enrollment).</summary>
    public IDeviceTransport CreateDeviceTransport() => Options.Host == EmbeddedHost.TestServer
        ? new TestServerDeviceTransport(_app.GetTestServer())
        : new SocketDeviceTransport(BaseUrl, BaseUrl.Scheme == Uri.UriSchemeHttps ? ServerTrust.SystemStore.With(RootCertificate) : null);

    /// <summary>A handler for the admin API and consent pages (the caller disposes it).</summary>
    public HttpMessageHandler CreateApiHandler()
    {
        if (Options.Host == EmbeddedHost.TestServer)
        {
            return _app.GetTestServer().CreateHandler();
        }

        var root = RootCertificate;
        return new SocketsHttpHandler
        {
            SslOptions = new System.Net.Security.SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) => SocketDeviceTransport.ChainsTo(root, certificate, errors),
            },
        };
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _ownedStore?.Dispose();
        Pushes.Dispose();
    }
}

/// <summary>Withdraws a published NGC event log once.</summary>
internal sealed class Withdrawal(DeviceNgcEventLogs logs, string devId) : IDisposable
{
    private int _done;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _done, 1) == 0)
        {
            logs.Withdraw(devId);
        }
    }
}

/// <summary>
/// The server's CA and PIN reset service keys, generated once and copied into the stores of many embedded servers
/// (key generation is most of a server's start-up time).
/// </summary>
public sealed class MdmKeyMaterial
{
    private readonly CertificateAuthorityRecord _ca;
    private readonly PinResetServiceKeyRecord _pinReset;

    private MdmKeyMaterial(CertificateAuthorityRecord ca, PinResetServiceKeyRecord pinReset)
    {
        _ca = ca;
        _pinReset = pinReset;
    }

    /// <summary>Generates a CA (valid from <paramref name="time"/>'s now) and a PIN reset service key.</summary>
    public static MdmKeyMaterial Create(TimeProvider? time = null)
    {
        using var store = new InMemoryMdmStore();
        using (CertificateAuthority.LoadOrCreate(store, time ?? TimeProvider.System))
        {
        }

        using var rsa = RSA.Create(2048);
        return new MdmKeyMaterial(
            store.Find<CertificateAuthorityRecord>(CertificateAuthorityRecord.SingletonId)!,
            new PinResetServiceKeyRecord { Pkcs8 = Convert.ToBase64String(rsa.ExportPkcs8PrivateKey()) });
    }

    internal void CopyTo(IMdmStore store) => store.Write(tx =>
    {
        tx.Put(_ca);
        tx.Put(_pinReset);
    });
}

/// <summary>Records the pushes a server sends and answers 200: the emulated WNS (no network but loopback).</summary>
public sealed class RecordingPushHandler : HttpMessageHandler
{
    private readonly List<Uri> _requests = [];

    /// <summary>Channel URIs pushed to, in order.</summary>
    public IReadOnlyList<Uri> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (_requests)
        {
            _requests.Add(request.RequestUri!);
        }

        return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
    }
}

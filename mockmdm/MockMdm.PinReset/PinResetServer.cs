using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MockMdm.PinReset;

/// <summary>How the standalone PIN reset service runs (`deviceagent pinreset serve`, tests).</summary>
public sealed record PinResetServerOptions
{
    /// <summary>The URL a standalone service listens on when none is given.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5090";

    /// <summary>Kestrel URLs (http or https); port 0 picks a free port.</summary>
    public IReadOnlyList<string> Urls { get; init; } = [DefaultUrl];

    /// <summary>The service to host; the caller owns it.</summary>
    public required IPinResetService Service { get; init; }

    /// <summary>The TLS certificate (with its private key) for https URLs; required when one is https.</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>Log at Warning and above to the console.</summary>
    public bool Logging { get; init; }
}

/// <summary>
/// The Microsoft PIN reset service run alone on Kestrel: the device endpoints and the consent endpoints of
/// <see cref="PinResetEndpoints"/> at the root of its URLs (docs/pin-reset.md "Running the service alone").
/// </summary>
public static class PinResetServer
{
    /// <summary>Builds the service's application; <paramref name="configure"/> may adjust the builder (tests add TestHost).</summary>
    /// <exception cref="ArgumentException">An https URL without a certificate, or a URL that is not http(s).</exception>
    public static WebApplication Build(PinResetServerOptions options, Action<WebApplicationBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var url in options.Urls)
        {
            if (!Uri.TryCreate(url.Replace("*", "localhost", StringComparison.Ordinal).Replace("+", "localhost", StringComparison.Ordinal), UriKind.Absolute, out var uri)
                || uri.Scheme is not ("http" or "https"))
            {
                throw new ArgumentException($"--urls: '{url}' is not an http:// or https:// URL", nameof(options));
            }

            if (uri.Scheme == "https" && options.Certificate is null)
            {
                throw new ArgumentException($"--urls: '{url}' is https, so the service needs a TLS certificate", nameof(options));
            }
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        if (options.Logging)
        {
            builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
        }

        builder.Services.AddSingleton(options.Service);
        if (options.Certificate is { } certificate)
        {
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate));
        }

        configure?.Invoke(builder);
        var app = builder.Build();
        foreach (var url in options.Urls)
        {
            app.Urls.Add(url);
        }

        // Whatever escapes an endpoint is a JSON 500 (or the client's 400/413), never an empty answer or a stack trace.
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context).ConfigureAwait(false);
            }
            catch (Exception e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
            {
                var (status, message) = e is BadHttpRequestException bad
                    ? (bad.StatusCode, bad.Message)
                    : (500, "the PIN reset service failed to handle the request");
                context.Response.Clear();
                await PinResetEndpoints.Error(status, status == 500 ? "InternalError" : "BadRequest", message).ExecuteAsync(context).ConfigureAwait(false);
            }
        });
        PinResetEndpoints.MapDeviceEndpoints(app);
        PinResetEndpoints.MapConsentEndpoints(app);
        return app;
    }

    /// <summary>
    /// A self-signed TLS certificate for <paramref name="hostNames"/> (valid a year from now), for a lab service whose
    /// clients trust it with --trust-root (its PEM is the trust anchor).
    /// </summary>
    public static X509Certificate2 CreateSelfSignedCertificate(IEnumerable<string> hostNames)
    {
        ArgumentNullException.ThrowIfNull(hostNames);
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=DeviceAgent PIN reset service (lab)", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var host in hostNames.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (System.Net.IPAddress.TryParse(host, out var address))
            {
                names.AddIpAddress(address);
            }
            else
            {
                names.AddDnsName(host);
            }
        }

        request.CertificateExtensions.Add(names.Build());
        // Self-signed, so it is its own root: a CA certificate that may sign only itself.
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.KeyCertSign, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        using var created = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(1));
        // Kestrel on Linux needs the key in an exportable form it can load; a PKCS#12 round trip gives one.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>The service key from a PKCS#8 PEM file, created (RSA-2048) when missing, so protectors survive restarts.</summary>
    /// <exception cref="InvalidDataException">The file exists but holds no usable RSA private key.</exception>
    public static RSA LoadOrCreateKey(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var key = RSA.Create();
        if (File.Exists(path))
        {
            try
            {
                key.ImportFromPem(File.ReadAllText(path));
                return key;
            }
            catch (Exception e) when (e is ArgumentException or CryptographicException)
            {
                key.Dispose();
                throw new InvalidDataException($"--key-file {path}: not a PEM RSA private key: {e.Message}", e);
            }
        }

        key.Dispose();
        key = RSA.Create(2048);
        File.WriteAllText(path, key.ExportPkcs8PrivateKeyPem());
        return key;
    }
}

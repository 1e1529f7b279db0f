using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Hosting;
using MockMdm.PinReset;

namespace DeviceAgent.Cli.Commands;

/// <summary>
/// `deviceagent pinreset serve`: the Microsoft PIN reset service (mock cloud side) alone, on its own URLs
/// (docs/pin-reset.md "Running the service alone"). Devices of fleet, scenario run and demo call it with
/// --pin-reset-service URL; over https they verify its certificate with --trust-root as for any server.
/// </summary>
internal static class PinResetCommands
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls") { Description = "';'-separated http:// or https:// URLs to listen on", DefaultValueFactory = _ => PinResetServerOptions.DefaultUrl };
        var keyFile = new Option<FileInfo?>("--key-file") { Description = "The service's RSA key (PKCS#8 PEM), created when missing, so protectors sealed before a restart still open; default: a new key per run" };
        var certificate = new Option<FileInfo?>("--tls-certificate") { Description = "PEM certificate for https URLs (with --tls-key); default: a self-signed one for localhost and 127.0.0.1" };
        var certificateKey = new Option<FileInfo?>("--tls-key") { Description = "PEM private key of --tls-certificate" };
        var certificateOut = new Option<FileInfo?>("--certificate-out") { Description = "Write the self-signed TLS certificate (PEM) here, for --trust-root of the commands that call the service" };
        var pinLength = new Option<int>("--pin-length") { Description = "Length of the PINs the service generates (4-127; upper, lower, digit and special each at least once)", DefaultValueFactory = _ => PinGenerationProfile.Default.Length };
        var serve = new Command("serve", """
            Run the PIN reset service (mock of the Microsoft cloud service) until Ctrl+C: the device endpoints (public key,
            release of recovery protectors, PIN generation) and the consent endpoints of the two enterprise applications
            per tenant (docs/pin-reset.md "Wire").

            Examples:
              deviceagent pinreset serve --urls http://127.0.0.1:5090
              deviceagent pinreset serve --urls https://127.0.0.1:5091 --certificate-out pinreset.pem --key-file pinreset-key.pem
              deviceagent fleet --pin-reset-service https://127.0.0.1:5091 --trust-root pinreset.pem --devices 20
            """)
        { urls, keyFile, certificate, certificateKey, certificateOut, pinLength };
        serve.SetAction((parse, cancellationToken) => ServeAsync(
            parse.GetValue(urls)!.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            parse.GetValue(keyFile)?.FullName,
            parse.GetValue(certificate)?.FullName,
            parse.GetValue(certificateKey)?.FullName,
            parse.GetValue(certificateOut)?.FullName,
            parse.GetValue(pinLength),
            Console.Out,
            Console.Error,
            cancellationToken));
        return new Command("pinreset", "The PIN reset service (mock cloud side) as a network service") { serve };
    }

    internal static async Task<int> ServeAsync(IReadOnlyList<string> urls, string? keyFile, string? certificatePath, string? certificateKeyPath, string? certificateOut,
        int pinLength, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (urls.Count == 0)
        {
            await error.WriteLineAsync("pinreset serve: --urls names no URL").ConfigureAwait(false);
            return 2;
        }

        if ((certificatePath is null) != (certificateKeyPath is null))
        {
            await error.WriteLineAsync("pinreset serve: --tls-certificate and --tls-key go together").ConfigureAwait(false);
            return 2;
        }

        PinGenerationProfile profile;
        try
        {
            profile = PinGenerationProfile.Default with { Length = pinLength };
        }
        catch (ArgumentOutOfRangeException e)
        {
            await error.WriteLineAsync($"pinreset serve: --pin-length: {e.Message}").ConfigureAwait(false);
            return 2;
        }

        RSA? key = null;
        X509Certificate2? tls = null;
        try
        {
            key = keyFile is null ? null : PinResetServer.LoadOrCreateKey(keyFile);
            if (urls.Any(u => u.StartsWith("https:", StringComparison.OrdinalIgnoreCase)))
            {
                tls = certificatePath is not null
                    ? X509CertificateLoader.LoadPkcs12(X509Certificate2.CreateFromPemFile(certificatePath, certificateKeyPath).Export(X509ContentType.Pkcs12), null)
                    : PinResetServer.CreateSelfSignedCertificate(HostNames(urls));
                if (certificatePath is null && certificateOut is not null)
                {
                    await File.WriteAllTextAsync(certificateOut, tls.ExportCertificatePem() + "\n", cancellationToken).ConfigureAwait(false);
                    output.WriteLine($"TLS certificate written to {certificateOut} (give it to --trust-root)");
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException or CryptographicException)
        {
            key?.Dispose();
            tls?.Dispose();
            await error.WriteLineAsync($"pinreset serve: {e.Message}").ConfigureAwait(false);
            return 2;
        }

        using var service = new PinResetService(profile, key);
        try
        {
            var app = PinResetServer.Build(new PinResetServerOptions { Urls = urls, Service = service, Certificate = tls, Logging = true });
            await using (app.ConfigureAwait(false))
            {
                await app.StartAsync(cancellationToken).ConfigureAwait(false);
                foreach (var url in app.Urls)
                {
                    output.WriteLine($"PIN reset service listening on {url} (Ctrl+C to stop)");
                }

                await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is ArgumentException or IOException)
        {
            await error.WriteLineAsync($"pinreset serve: {e.Message}").ConfigureAwait(false);
            return 2;
        }
        finally
        {
            tls?.Dispose();
        }

        return 0;
    }

    private static HashSet<string> HostNames(IEnumerable<string> urls)
    {
        var hosts = new HashSet<string>(["localhost", "127.0.0.1"], StringComparer.OrdinalIgnoreCase);
        foreach (var url in urls)
        {
            if (Uri.TryCreate(url.Replace("*", "localhost", StringComparison.Ordinal).Replace("+", "localhost", StringComparison.Ordinal), UriKind.Absolute, out var uri))
            {
                hosts.Add(uri.Host);
            }
        }

        return hosts;
    }
}

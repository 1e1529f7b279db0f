using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DeviceAgent.Emulator.Devices;

/// <summary>A trust-root file given with --trust-root could not be used; the message names the file and what is wrong.</summary>
public sealed class TrustRootException(string message) : Exception(message);

/// <summary>
/// Which TLS server certificates emulated devices and the CLI accept (docs/emulator.md "Trust"). Like Windows, a
/// certificate is accepted when it names the host and chains to a root of the system store; in addition to Windows,
/// to one of <see cref="ExtraRoots"/> (--trust-root files, or an embedded server's CA); for OMA-DM sessions also to the
/// root the provisioning document delivered (CertificateStore/Root/System, docs/reference/enrollment.md).
/// <see cref="Insecure"/> turns verification off for lab servers; the CLI warns on every run that uses it.
/// </summary>
public sealed class ServerTrust
{
    /// <summary>The system store only (what a phone trusts before enrollment).</summary>
    public static ServerTrust SystemStore { get; } = new([], insecure: false);

    public ServerTrust(IEnumerable<X509Certificate2> extraRoots, bool insecure)
    {
        ArgumentNullException.ThrowIfNull(extraRoots);
        ExtraRoots = [.. extraRoots];
        Insecure = insecure;
    }

    /// <summary>Roots trusted besides the system store.</summary>
    public IReadOnlyList<X509Certificate2> ExtraRoots { get; }

    /// <summary>True: any certificate is accepted (no verification at all).</summary>
    public bool Insecure { get; }

    /// <summary>One sentence for reports: how server certificates were verified.</summary>
    public string Describe() => Insecure
        ? "NOT verified (--insecure)"
        : ExtraRoots.Count == 0 ? "system store" : $"system store + {ExtraRoots.Count} trusted root(s)";

    /// <summary>Reads every certificate of each PEM file; a missing, unreadable or certificate-less file is a <see cref="TrustRootException"/>.</summary>
    public static ServerTrust FromPemFiles(IEnumerable<string> paths, bool insecure)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var roots = new List<X509Certificate2>();
        foreach (var path in paths)
        {
            X509Certificate2Collection certificates = [];
            try
            {
                certificates.ImportFromPemFile(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
            {
                throw new TrustRootException($"--trust-root {path}: cannot read a PEM certificate: {e.Message}");
            }

            if (certificates.Count == 0)
            {
                throw new TrustRootException($"--trust-root {path}: the file holds no '-----BEGIN CERTIFICATE-----' block");
            }

            roots.AddRange(certificates);
        }

        return new ServerTrust(roots, insecure);
    }

    /// <summary>This trust plus <paramref name="root"/> (an embedded server's CA).</summary>
    public ServerTrust With(X509Certificate2 root)
    {
        ArgumentNullException.ThrowIfNull(root);
        return new ServerTrust([.. ExtraRoots, root], Insecure);
    }

    /// <summary>True when <paramref name="certificate"/> is acceptable; <paramref name="provisionedRoot"/> is the root of the device's provisioning document, if any.</summary>
    public bool Accepts(X509Certificate? certificate, X509Chain? presented, SslPolicyErrors errors, X509Certificate2? provisionedRoot = null)
    {
        if (Insecure)
        {
            return true;
        }

        if (certificate is not X509Certificate2 server || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            // No certificate, or one that does not name the host: no root makes that acceptable.
            return false;
        }

        if (errors == SslPolicyErrors.None)
        {
            return true; // Chains to the system store.
        }

        var roots = provisionedRoot is null ? ExtraRoots : [.. ExtraRoots, provisionedRoot];
        if (roots.Count == 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots.ToArray());
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (presented is not null)
        {
            // Intermediates the server sent help build the chain; they are not trusted by themselves.
            foreach (var element in presented.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return chain.Build(server);
    }

    /// <summary>TLS options that verify with this trust (and <paramref name="provisionedRoot"/>).</summary>
    public SslClientAuthenticationOptions SslOptions(X509Certificate2? provisionedRoot = null) => new()
    {
        RemoteCertificateValidationCallback = (_, certificate, chain, errors) => Accepts(certificate, chain, errors, provisionedRoot),
    };

    /// <summary>A handler for the CLI's own calls to a server (admin API, discovery checks) with this trust.</summary>
    public SocketsHttpHandler CreateHandler() => new() { SslOptions = SslOptions(), PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
}

using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Protocol;
using MockMdm.Store;

namespace MockMdm.Enrollment;

/// <summary>The CA's key material as stored, so the same CA signs across restarts.</summary>
public sealed class CertificateAuthorityRecord : IStoreRecord
{
    public const string SingletonId = "ca";

    public string Id { get; init; } = SingletonId;
    public string? Owner => null;

    /// <summary>The CA certificate with its private key, PKCS#12, base64.</summary>
    public required string Pkcs12 { get; init; }

    /// <summary>Key of the HMAC that signs mock STS tokens, base64.</summary>
    public required string TokenKey { get; init; }
}

/// <summary>
/// The server's own certificate authority (docs/design.md rule 6): signs the device's PKCS#10 request at enrollment,
/// issues the TLS server certificate, and checks that a client certificate is one it issued.
/// </summary>
public sealed class CertificateAuthority : IDisposable
{
    private readonly X509Certificate2 _ca;
    private readonly TimeProvider _time;

    private CertificateAuthority(X509Certificate2 ca, byte[] tokenKey, TimeProvider time)
    {
        _ca = ca;
        TokenKey = tokenKey;
        _time = time;
    }

    /// <summary>The CA certificate (public part), the trusted root of the provisioning document.</summary>
    public X509Certificate2 Certificate => _ca;

    /// <summary>Key of the HMAC that signs mock STS tokens.</summary>
    internal byte[] TokenKey { get; }

    /// <summary>Loads the CA from the store, creating and storing a new one on first start.</summary>
    public static CertificateAuthority LoadOrCreate(IMdmStore store, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        var record = store.Write(tx =>
        {
            var existing = tx.Find<CertificateAuthorityRecord>(CertificateAuthorityRecord.SingletonId);
            if (existing is not null)
            {
                return existing;
            }

            using var key = RSA.Create(2048);
            var request = new CertificateRequest("CN=MockMdm Device CA, O=DeviceAgent", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
            var now = time.GetUtcNow();
            using var ca = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(20));
            var created = new CertificateAuthorityRecord
            {
                Pkcs12 = Convert.ToBase64String(ca.Export(X509ContentType.Pkcs12)),
                TokenKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            };
            tx.Put(created);
            return created;
        });
        var certificate = X509CertificateLoader.LoadPkcs12(
            Convert.FromBase64String(record.Pkcs12), null, X509KeyStorageFlags.Exportable | X509KeyStorageFlags.EphemeralKeySet);
        return new CertificateAuthority(certificate, Convert.FromBase64String(record.TokenKey), time);
    }

    /// <summary>
    /// Signs a device's PKCS#10 request (its signature is verified first) as a TLS client certificate with subject
    /// CN=<paramref name="subjectCommonName"/>; CertificateRequest fault when the request is not valid PKCS#10.
    /// </summary>
    public X509Certificate2 SignClientRequest(byte[] pkcs10, string subjectCommonName, int minimumKeyBits)
    {
        ArgumentNullException.ThrowIfNull(pkcs10);
        var algorithm = SignatureAlgorithmOf(pkcs10);
        if (!s_acceptedSignatureAlgorithms.Contains(algorithm))
        {
            throw new EnrollmentFaultException(
                EnrollmentFaultException.Subcodes.CertificateRequest,
                $"the PKCS#10 request is signed with algorithm {algorithm}; the enrollment policy's hashAlgorithmOIDReference names SHA-256, " +
                "so sha256WithRSAEncryption (1.2.840.113549.1.1.11) is expected (SHA-384 and SHA-512 are also accepted; SHA-1 and MD5 are not)");
        }

        CertificateRequest request;
        try
        {
            request = CertificateRequest.LoadSigningRequest(
                pkcs10, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.Default, RSASignaturePadding.Pkcs1);
        }
        catch (Exception ex) when (ex is CryptographicException or NotSupportedException)
        {
            throw new EnrollmentFaultException(
                EnrollmentFaultException.Subcodes.CertificateRequest,
                $"the BinarySecurityToken is not a valid, correctly signed PKCS#10 request: {ex.Message}");
        }

        using (var rsa = request.PublicKey.GetRSAPublicKey())
        {
            if (rsa is null || rsa.KeySize < minimumKeyBits)
            {
                throw new EnrollmentFaultException(
                    EnrollmentFaultException.Subcodes.CertificateRequest,
                    $"the PKCS#10 request must carry an RSA key of at least {minimumKeyBits} bits (the XCEP policy's minimalKeyLength)");
            }
        }

        // The server decides the subject and extensions; only the key is taken from the device's request.
        var issued = new CertificateRequest(
            new X500DistinguishedName("CN=" + subjectCommonName), request.PublicKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        issued.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        issued.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        issued.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        return Issue(issued, TimeSpan.FromDays(365));
    }

    /// <summary>
    /// Signature algorithms a certificate request may use: RSA PKCS#1 v1.5 with the SHA-2 family (RFC 4055 section 5).
    /// The policy (XCEP GetPoliciesResponse, MS-XCEP 3.1.4.1.3.13 hashAlgorithmOIDReference) advertises SHA-256, and
    /// Windows signs its WSTEP request with it; SHA-1 and MD5 are refused (docs/security.md "Enrollment").
    /// </summary>
    private static readonly HashSet<string> s_acceptedSignatureAlgorithms =
        ["1.2.840.113549.1.1.11", "1.2.840.113549.1.1.12", "1.2.840.113549.1.1.13"];

    /// <summary>The signatureAlgorithm OID of a PKCS#10 CertificationRequest (RFC 2986 section 4.2).</summary>
    private static string SignatureAlgorithmOf(byte[] pkcs10)
    {
        try
        {
            var request = new AsnReader(pkcs10, AsnEncodingRules.DER).ReadSequence();
            request.ReadEncodedValue(); // certificationRequestInfo
            return request.ReadSequence().ReadObjectIdentifier();
        }
        catch (AsnContentException ex)
        {
            throw new EnrollmentFaultException(
                EnrollmentFaultException.Subcodes.CertificateRequest,
                $"the BinarySecurityToken is not a DER-encoded PKCS#10 request: {ex.Message}");
        }
    }

    /// <summary>A TLS server certificate for the given host names, with a fresh key (for Kestrel's HTTPS endpoints).</summary>
    public X509Certificate2 CreateServerCertificate(IEnumerable<string> hostNames)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=MockMdm", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var host in hostNames)
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
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var publicOnly = Issue(request, TimeSpan.FromDays(365));
        return publicOnly.CopyWithPrivateKey(key);
    }

    /// <summary>True when <paramref name="certificate"/> chains to this CA and is valid now.</summary>
    public bool Issued(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = _time.GetUtcNow().UtcDateTime;
        return chain.Build(certificate) && chain.ChainElements[^1].Certificate.Thumbprint == _ca.Thumbprint;
    }

    public void Dispose() => _ca.Dispose();

    private X509Certificate2 Issue(CertificateRequest request, TimeSpan validity)
    {
        var now = _time.GetUtcNow();
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_ca, true, false));
        var notAfter = now + validity < _ca.NotAfter ? now + validity : new DateTimeOffset(_ca.NotAfter);
        return request.Create(_ca, now.AddMinutes(-5), notAfter, serial);
    }
}

using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;
using DeviceAgent.Enrollment;
using DeviceAgent.Protocol;
using MockMdm.Tests.Support;

namespace MockMdm.Tests.Hardening;

/// <summary>
/// Issue 16 items 4 and the smaller ones on enrollment: a certificate request signed with a digest other than the
/// policy's SHA-2 family and an oversized DeviceName are MS-MDE2 faults that say why, never a bare 500.
/// </summary>
public partial class EnrollmentHardeningTests
{
    /// <summary>Signs with the given algorithm OID (the signature bytes need not verify: the server refuses first).</summary>
    private sealed class OidSignatureGenerator(RSA key, string oid) : X509SignatureGenerator
    {
        public override byte[] GetSignatureAlgorithmIdentifier(HashAlgorithmName hashAlgorithm)
        {
            var writer = new AsnWriter(AsnEncodingRules.DER);
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(oid);
                writer.WriteNull();
            }

            return writer.Encode();
        }

        // A valid signature where the platform can make one (SHA-1, MD5), so only the digest is wrong.
        public override byte[] SignData(byte[] data, HashAlgorithmName hashAlgorithm) => oid switch
        {
            "1.2.840.113549.1.1.5" => key.SignData(data, HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1),
            "1.2.840.113549.1.1.4" => key.SignData(data, HashAlgorithmName.MD5, RSASignaturePadding.Pkcs1),
            _ => key.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        };

        protected override PublicKey BuildPublicKey() => new(key);
    }

    private static byte[] RequestSignedWith(string oid)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=device", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return request.CreateSigningRequest(new OidSignatureGenerator(key, oid));
    }

    [GeneratedRegex("(ValueType=\"[^\"]*#PKCS10\"[^>]*>)[^<]*<")]
    private static partial Regex Pkcs10Token();

    [GeneratedRegex("(<ac:ContextItem Name=\"DeviceName\"><ac:Value>)[^<]*<|(<ContextItem Name=\"DeviceName\"[^>]*><Value[^>]*>)[^<]*<")]
    private static partial Regex DeviceNameItem();

    /// <summary>Rewrites the WSTEP request on its way to the server.</summary>
    private sealed class Rewriter(HttpMessageHandler inner, Func<string, string> rewrite) : DelegatingHandler(inner)
    {
        public int LastStatus { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method == HttpMethod.Post && request.RequestUri!.AbsolutePath.EndsWith("Enrollment.svc", StringComparison.Ordinal))
            {
                var text = await request.Content!.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                var type = request.Content.Headers.ContentType;
                request.Content = new StringContent(rewrite(text), Encoding.UTF8);
                request.Content.Headers.ContentType = type;
            }

            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            LastStatus = (int)response.StatusCode;
            return response;
        }
    }

    private static async Task<(EnrollmentFaultException? Error, int Status)> EnrollRewrittenAsync(TestMdm mdm, Func<string, string> rewrite, string deviceName = "Phone")
    {
        using var rewriter = new Rewriter(mdm.Server.CreateHandler(), rewrite);
        using var client = new EnrollmentClient(rewriter);
        try
        {
            await client.EnrollAsync(new EnrollmentRequest
            {
                DiscoveryUrl = new Uri(TestMdm.BaseUrl, "/EnrollmentServer/Discovery.svc"),
                UserPrincipalName = "alice@contoso.com",
                DeviceId = "2F0B3A1C-0001-4000-8000-0000000000AA",
                DeviceType = "WindowsPhone",
                OsVersion = "10.0.15063.0",
                EnrollmentType = "Full",
                DeviceName = deviceName,
                AuthenticationQuery = new Dictionary<string, string> { ["join"] = "AzureADJoined" },
            });
            return (null, rewriter.LastStatus);
        }
        catch (EnrollmentFaultException ex)
        {
            return (ex, rewriter.LastStatus);
        }
    }

    [TestCase("1.2.840.113549.1.1.4", TestName = "MD5-RSA")]
    [TestCase("1.2.840.113549.1.1.5", TestName = "SHA1-RSA")]
    [TestCase("1.2.840.113549.1.1.2", TestName = "MD2-RSA")]
    [CancelAfter(30_000)]
    public async Task ACertificateRequestSignedWithAWeakDigest_IsACertificateRequestFault(string oid, CancellationToken cancellationToken)
    {
        await using var mdm = await TestMdm.StartAsync();
        var csr = Convert.ToBase64String(RequestSignedWith(oid));

        var (error, status) = await EnrollRewrittenAsync(mdm, text => Pkcs10Token().Replace(text, m => m.Groups[1].Value + csr + "<"));

        Assert.That(error, Is.Not.Null, "the request must be refused");
        Assert.That(error!.Subcode, Is.EqualTo("CertificateRequest"), error.Message);
        Assert.That(error.Message, Does.Contain(oid));
        Assert.That(status, Is.EqualTo(500), "an MS-MDE2 SOAP fault is sent with HTTP 500 (SOAP 1.2 HTTP binding)");
        using var devices = await mdm.GetJsonAsync("/api/deviceManagement/managedDevices");
        Assert.That(devices.RootElement.GetProperty("value").GetArrayLength(), Is.Zero);
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task AnOversizedDeviceName_IsAMessageFormatFault(CancellationToken cancellationToken)
    {
        await using var mdm = await TestMdm.StartAsync();

        var (error, _) = await EnrollRewrittenAsync(mdm, text => text, deviceName: new string('n', 200_000));

        Assert.That(error, Is.Not.Null, "the request must be refused");
        Assert.That(error!.Subcode, Is.EqualTo("MessageFormat"), error.Message);
        Assert.That(error.Message, Does.Contain("DeviceName"));
    }
}

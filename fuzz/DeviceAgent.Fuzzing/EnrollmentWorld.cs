using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using DeviceAgent.Emulator.Server;
using DeviceAgent.Enrollment;
using DeviceAgent.Protocol;

namespace DeviceAgent.Fuzzing;

/// <summary>
/// A mock MDM server in process (TestHost) and one real MS-MDE2 enrollment against it, recorded: the enrollment
/// targets fuzz one message of that conversation and answer the others as the server did. Built once per process
/// (an afl-fuzz run reuses the process for many inputs).
/// </summary>
internal sealed class EnrollmentWorld
{
    /// <summary>Stands for the server-issued user token in seed files (the token's key is new in every server).</summary>
    public const string TokenPlaceholder = "@@TOKEN@@";

    private static readonly Lazy<RSA> s_deviceKey = new(() =>
    {
        using var stream = typeof(EnrollmentWorld).Assembly.GetManifestResourceStream("FuzzDeviceKey.pem")!;
        using var reader = new StreamReader(stream);
        var key = RSA.Create();
        key.ImportFromPem(reader.ReadToEnd());
        return key;
    });

    private static readonly Lazy<EnrollmentWorld> s_instance = new(() => CreateAsync().GetAwaiter().GetResult());

    private EnrollmentWorld(EmbeddedMdm mdm, EnrollmentRequest request, IReadOnlyList<HttpExchange> exchanges, string userToken)
    {
        Mdm = mdm;
        Request = request;
        Exchanges = exchanges;
        UserToken = userToken;
    }

    public static EnrollmentWorld Instance => s_instance.Value;

    /// <summary>The fuzzed device's enrollment key (FuzzDeviceKey.pem, a key made for fuzzing only).</summary>
    public static RSA DeviceKey => s_deviceKey.Value;

    /// <summary>The running server; it lives as long as the process.</summary>
    public EmbeddedMdm Mdm { get; }

    /// <summary>The device's request, with the key pair the recorded provisioning document was issued for.</summary>
    public EnrollmentRequest Request { get; }

    /// <summary>GET discovery, POST discovery, GET STS, POST policy, POST enrollment, in order.</summary>
    public IReadOnlyList<HttpExchange> Exchanges { get; }

    /// <summary>The user token the mock STS issued (text, as the device sends it base64-encoded in the WS-Security header).</summary>
    public string UserToken { get; }

    /// <summary>The POST answers: discovery, policy, enrollment.</summary>
    public IReadOnlyList<HttpExchange> Posts => [.. Exchanges.Where(e => e.Method == HttpMethod.Post)];

    /// <summary>The STS page (the GET that is not the discovery probe).</summary>
    public HttpExchange StsPage => Exchanges.Where(e => e.Method == HttpMethod.Get).Skip(1).First();

    private static async Task<EnrollmentWorld> CreateAsync()
    {
        var mdm = await EmbeddedMdm.StartAsync(new EmbeddedMdmOptions
        {
            Host = EmbeddedHost.TestServer,
            // FUZZ_SERVER_LOG=1 shows the server's warnings and errors (to read what an InternalServiceFault hid).
            Logging = Environment.GetEnvironmentVariable("FUZZ_SERVER_LOG") == "1",
        }).ConfigureAwait(false);
        var transport = mdm.CreateDeviceTransport();
        var recorder = new RecordingHandler(transport.EnrollmentHandler);
        var request = new EnrollmentRequest
        {
            DiscoveryUrl = transport.DiscoveryUrl,
            UserPrincipalName = "fuzz@contoso.com",
            DeviceId = "FUZZ0000000000000000000000000001",
            DeviceName = "fuzz-phone",
            HwDevId = new string('A', 64),
            OsVersion = "10.0.15063.297",
            KeyPair = DeviceKey,
        };
        using (var client = new EnrollmentClient(recorder))
        {
            _ = await client.EnrollAsync(request).ConfigureAwait(false);
        }

        var exchanges = recorder.Exchanges;
        var policy = exchanges.Where(e => e.Method == HttpMethod.Post).Skip(1).First();
        var token = XDocument.Parse(Encoding.UTF8.GetString(policy.RequestBody!))
            .Descendants(Mde2Names.Security + "BinarySecurityToken")
            .First(e => (string?)e.Attribute("ValueType") == Mde2Names.DeviceEnrollmentUserToken).Value;
        return new EnrollmentWorld(mdm, request, exchanges, Encoding.UTF8.GetString(Convert.FromBase64String(token)));
    }
}

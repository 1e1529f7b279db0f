using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using DeviceAgent.Enrollment;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MockMdm.Store;

namespace MockMdm.Tests.Support;

/// <summary>A MockMdm on TestServer with an in-memory store, a manual clock and a recording push handler.</summary>
public sealed class TestMdm : IAsyncDisposable
{
    public const string ApiKey = "test-api-key";
    public static readonly Uri BaseUrl = new("http://mdm.test/");

    /// <summary>When every test server's clock starts.</summary>
    public static readonly DateTimeOffset Start = new(2017, 6, 1, 9, 0, 0, TimeSpan.Zero);

    private TestMdm(WebApplication app, MockMdmOptions options, RecordingHandler pushes)
    {
        App = app;
        Options = options;
        Pushes = pushes;
        Server = app.GetTestServer();
        Api = Server.CreateClient();
        Api.BaseAddress = BaseUrl;
        Api.DefaultRequestHeaders.Add("api-key", ApiKey);
    }

    public WebApplication App { get; }
    public MockMdmOptions Options { get; }
    public TestServer Server { get; }
    public RecordingHandler Pushes { get; }

    /// <summary>An HTTP client that sends the API key.</summary>
    public HttpClient Api { get; }

    public TestClock Clock => (TestClock)Options.TimeProvider;

    public IMdmStore Store => App.Services.GetRequiredService<IMdmStore>();

    /// <summary>
    /// Starts a test server; <paramref name="store"/> replaces the seeded in-memory store (e.g. a decorator that counts
    /// transactions) and <paramref name="configure"/> may adjust the builder further (e.g. add a logger provider).
    /// </summary>
    public static async Task<TestMdm> StartAsync(bool plainHttp = true, string? databasePath = null, IMdmStore? store = null,
        Action<WebApplicationBuilder>? configure = null)
    {
        var pushes = new RecordingHandler();
        var options = new MockMdmOptions
        {
            DatabasePath = databasePath,
            Store = databasePath is null ? store ?? SeededStore() : null,
            ApiKey = ApiKey,
            TimeProvider = new TestClock(Start),
            PlainHttp = plainHttp,
            Seed = 42,
            PublicBaseUrl = BaseUrl,
            PushHandler = pushes,
        };
        var app = MockMdmServer.Build(options, b =>
        {
            b.WebHost.UseTestServer();
            b.Logging.SetMinimumLevel(LogLevel.Warning);
            // The push test double: the only channel host the test server pushes to (docs/security.md "Push").
            b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["MockMdm:PushChannelPattern"] = "https://push.device.test",
                ["MockMdm:PushTimeout"] = "00:00:01",
            });
            configure?.Invoke(b);
        });
        await app.StartAsync().ConfigureAwait(false);
        return new TestMdm(app, options, pushes);
    }

    private static readonly Lazy<(MockMdm.Enrollment.CertificateAuthorityRecord Ca, MockMdm.Tenants.PinResetServiceKeyRecord Pin)> s_keys = new(() =>
    {
        var store = new InMemoryMdmStore();
        using (MockMdm.Enrollment.CertificateAuthority.LoadOrCreate(store, new TestClock(Start)))
        using (MockMdmServer.PinResetServiceKey(store))
        {
        }

        return (store.Find<MockMdm.Enrollment.CertificateAuthorityRecord>(MockMdm.Enrollment.CertificateAuthorityRecord.SingletonId)!,
            store.Find<MockMdm.Tenants.PinResetServiceKeyRecord>(MockMdm.Tenants.PinResetServiceKeyRecord.SingletonId)!);
    });

    /// <summary>An in-memory store holding a CA and PIN reset key made once per test run: key generation is the slow part of a start.</summary>
    public static InMemoryMdmStore SeededStore()
    {
        var store = new InMemoryMdmStore();
        store.Write(tx =>
        {
            tx.Put(s_keys.Value.Ca);
            tx.Put(s_keys.Value.Pin);
        });
        return store;
    }

    /// <summary>Enrolls a device through the real MS-MDE2 client.</summary>
    public async Task<EnrollmentResult> EnrollAsync(
        string upn = "alice@contoso.com",
        string deviceType = "WindowsPhone",
        string osVersion = "10.0.15063.0",
        bool azureAdJoined = true,
        string deviceId = "2F0B3A1C-0001-4000-8000-000000000001",
        string enrollmentType = "Full")
    {
        using var client = new EnrollmentClient(Server.CreateHandler());
        return await client.EnrollAsync(new EnrollmentRequest
        {
            DiscoveryUrl = new Uri(BaseUrl, "/EnrollmentServer/Discovery.svc"),
            UserPrincipalName = upn,
            DeviceId = deviceId,
            DeviceType = deviceType,
            OsVersion = osVersion,
            EnrollmentType = enrollmentType,
            DeviceName = "Phone-" + deviceId[^4..],
            AuthenticationQuery = azureAdJoined
                ? new Dictionary<string, string> { ["join"] = "AzureADJoined" }
                : new Dictionary<string, string>(),
        }).ConfigureAwait(false);
    }

    /// <summary>The managed device ID of the only (or last) device enrolled.</summary>
    public async Task<string> LastDeviceIdAsync()
    {
        using var doc = await GetJsonAsync("/api/deviceManagement/managedDevices").ConfigureAwait(false);
        return doc.RootElement.GetProperty("value").EnumerateArray().Last().GetProperty("id").GetString()!;
    }

    public async Task<JsonDocument> GetJsonAsync(string path)
    {
        using var response = await Api.GetAsync(new Uri(BaseUrl, path)).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        Assert.That((int)response.StatusCode, Is.EqualTo(200), text);
        return JsonDocument.Parse(text);
    }

    public async Task<HttpResponseMessage> SendJsonAsync(HttpMethod method, string path, string? json)
    {
        using var request = new HttpRequestMessage(method, new Uri(BaseUrl, path));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        }

        return await Api.SendAsync(request).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        await App.StopAsync().ConfigureAwait(false);
        await App.DisposeAsync().ConfigureAwait(false);
        Pushes.Dispose();
    }
}

/// <summary>
/// Records every push the server sends and answers 200: after <see cref="Delay"/> (a slow channel), or fails it when
/// <see cref="Fail"/> is set or with <see cref="Throw"/>.
/// </summary>
public sealed class RecordingHandler : HttpMessageHandler
{
    private readonly Lock _gate = new();
    private readonly List<Uri> _requests = [];
    private readonly List<(HttpMethod Method, string WnsType, int BodyLength)> _shapes = [];

    /// <summary>The pushes so far, as a snapshot (the handler owns its lock; callers never lock it).</summary>
    public IReadOnlyList<Uri> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Each push as it arrived (method, X-WNS-Type header values, body length), as a snapshot.</summary>
    public IReadOnlyList<(HttpMethod Method, string WnsType, int BodyLength)> Shapes
    {
        get
        {
            lock (_gate)
            {
                return [.. _shapes];
            }
        }
    }

    /// <summary>When true, every push ends in an HttpRequestException (the channel is unreachable).</summary>
    public bool Fail { get; set; }

    /// <summary>Forgets the pushes recorded so far.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _requests.Clear();
            _shapes.Clear();
        }
    }

    /// <summary>How long the channel takes to answer (a slow push endpoint).</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>When set, the send fails with this exception after recording the request.</summary>
    public Exception? Throw { get; set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var wnsType = request.Headers.TryGetValues("X-WNS-Type", out var values) ? string.Join(",", values) : "";
        lock (_gate)
        {
            _requests.Add(request.RequestUri!);
            _shapes.Add((request.Method, wnsType, body.Length));
        }

        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay, cancellationToken).ConfigureAwait(false);
        }

        if (Fail)
        {
            throw new HttpRequestException("the push channel is unreachable");
        }

        return Throw is null ? new HttpResponseMessage(System.Net.HttpStatusCode.OK) : throw Throw;
    }
}

/// <summary>An <see cref="IMdmStore"/> that counts transactions and can fail the next one after its work ran (a failed commit).</summary>
public sealed class CountingStore(IMdmStore inner) : IMdmStore
{
    private int _writes;

    /// <summary>Transactions started so far.</summary>
    public int Writes => Volatile.Read(ref _writes);

    /// <summary>When true, the next transaction runs its work and then throws, so none of it is applied.</summary>
    public bool FailNextWrite { get; set; }

    public T Read<T>(Func<IStoreView, T> read) => inner.Read(read);

    public T Write<T>(Func<IStoreTransaction, T> write)
    {
        Interlocked.Increment(ref _writes);
        if (!FailNextWrite)
        {
            return inner.Write(write);
        }

        FailNextWrite = false;
        return inner.Write<T>(tx =>
        {
            write(tx);
            throw new IOException("simulated commit failure");
        });
    }

    public void Dispose() => inner.Dispose();
}

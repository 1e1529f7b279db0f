using System.Net.Http.Json;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using DeviceAgent.Csp;
using DeviceAgent.Dm;
using DeviceAgent.Enrollment;
using DeviceAgent.Ngc;
using DeviceAgent.Ngc.Software;
using DeviceAgent.Session;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;
using MockMdm;

namespace DeviceAgent.Benchmarks.Session;

/// <summary>
/// One full OMA-DM session of an enrolled standard device against MockMdm in process (TestServer, in-memory store):
/// a poll (package 1, statuses, end) and a session carrying a queued RemoteLock Lock (package 1, Exec, Status, end).
/// </summary>
[MemoryDiagnoser]
public class DeviceSessionBenchmarks : IDisposable
{
    private static readonly Uri s_baseUrl = new("http://mdm.bench/");
    private WebApplication _app = null!;
    private HttpMessageHandler _handler = null!;
    private HttpClient _api = null!;
    private StandardDevice _device = null!;
    private DmClient _client = null!;
    private Uri _remoteLock = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var options = new MockMdmOptions { DatabasePath = null, PlainHttp = true, PushEnabled = false, PublicBaseUrl = s_baseUrl, Seed = 1 };
        _app = MockMdmServer.Build(options, b =>
        {
            b.WebHost.UseTestServer();
            b.Logging.SetMinimumLevel(LogLevel.Warning);
        });
        await _app.StartAsync().ConfigureAwait(false);
        var server = _app.GetTestServer();
        _handler = server.CreateHandler();
        _api = new HttpClient(_handler, disposeHandler: false) { BaseAddress = s_baseUrl };
        _api.DefaultRequestHeaders.Add("api-key", options.ApiKey);

        var profile = DeviceProfiles.Win10Mobile1703(new Random(1));
        _device = await StandardDevice.CreateAsync(profile, new Random(1), new WindowsHelloOptions
        {
            Ngc = new SoftwareNgcOptions { Pbkdf2Iterations = 1, KeyAlgorithm = NgcKeyAlgorithm.EcdsaP256 },
        }).ConfigureAwait(false);
        using var enroller = new EnrollmentClient(_handler);
        var enrollment = await enroller.EnrollAsync(new EnrollmentRequest
        {
            DiscoveryUrl = new Uri(s_baseUrl, "EnrollmentServer/Discovery.svc"),
            UserPrincipalName = profile.SignedInUser!,
            DeviceId = profile.DevId,
            AuthenticationQuery = new Dictionary<string, string> { ["join"] = "AzureADJoined" },
        }).ConfigureAwait(false);
        _client = new DmClient(_handler, new DmClientOptions
        {
            ServerUrl = enrollment.ManagementServerUrl,
            Device = new DmDeviceIdentity(profile.DevId, profile.Manufacturer, profile.Model) { HWDevID = profile.HwDevId },
            ConnRetryFreq = 0,
        }, _device.Executor, TimeProvider.System, new Random(1));
        Require(await _client.RunSessionAsync(DmSessionTrigger.ClientInitiated).ConfigureAwait(false), "first session");
        using var devices = await _api.GetFromJsonAsync<JsonDocument>(new Uri("api/deviceManagement/managedDevices", UriKind.Relative)).ConfigureAwait(false);
        var id = devices!.RootElement.GetProperty("value")[0].GetProperty("id").GetString();
        _remoteLock = new Uri($"api/deviceManagement/managedDevices/{id}/remoteLock", UriKind.Relative);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        Dispose();
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Releases the device's and the API's HTTP clients (BenchmarkDotNet calls <see cref="CleanupAsync"/>).</summary>
    public void Dispose()
    {
        _client.Dispose();
        _api.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark]
    public async Task<DmSessionResult> Session_Poll() =>
        Require(await _client.RunSessionAsync(DmSessionTrigger.ClientInitiated).ConfigureAwait(false), "poll");

    /// <summary>The admin queues Lock, the device's session executes it; the user then unlocks with the PIN.</summary>
    [Benchmark]
    public async Task<DmSessionResult> Session_RemoteLock()
    {
        using (var queued = await _api.PostAsync(_remoteLock, null).ConfigureAwait(false))
        {
            queued.EnsureSuccessStatusCode();
        }

        var result = Require(await _client.RunSessionAsync(DmSessionTrigger.ClientInitiated).ConfigureAwait(false), "lock session");
        await _device.Hello.Ngc.VerifyPinAsync(_device.Profile.SignedInUser!, _device.Hello.InitialPin!).ConfigureAwait(false);
        return result;
    }

    private static DmSessionResult Require(DmSessionResult result, string what) =>
        result.Succeeded ? result : throw new InvalidOperationException($"{what}: {result.Outcome}: {result.Reason}");
}

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Csp;
using DeviceAgent.Dm;
using DeviceAgent.Enrollment;
using DeviceAgent.Ngc;
using DeviceAgent.Ngc.Software;
using DeviceAgent.PinReset;
using DeviceAgent.Session;
using DeviceAgent.SyncML;

namespace DeviceAgent.LoadHarness;

/// <summary>
/// One emulated phone of a load run: a standard device (DM tree, Windows Hello on the software NGC provider, CSPs),
/// enrolled through the agent's MS-MDE2 client and driven by the agent's DmClient. What it keeps while idle: its
/// profile, DM tree, NGC container, certificate (DER) and private key (PKCS#8), and the DM client.
/// </summary>
public sealed class LoadDevice : IDisposable
{
    private readonly StandardDevice _device;
    private DmClient? _client;

    private LoadDevice(StandardDevice device, Random random, string upn)
    {
        _device = device;
        Random = random;
        Upn = upn;
        CurrentPin = _device.Hello.InitialPin ?? throw new InvalidOperationException("Windows Hello was not provisioned");
    }

    public static async Task<LoadDevice> CreateAsync(int index, int seed, IPinResetServiceClient pinResetService, int pbkdf2Iterations,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pinResetService);
        var random = new Random(HashCode.Combine(seed, index));
        var upn = $"user{index}@contoso.onmicrosoft.com";
        var profile = DeviceProfiles.Win10Mobile1703(random, upn) with { DeviceName = "load-" + index };
        var device = await StandardDevice.CreateAsync(profile, random, new WindowsHelloOptions
        {
            PinResetService = pinResetService,
            Ngc = new SoftwareNgcOptions { Pbkdf2Iterations = pbkdf2Iterations, KeyAlgorithm = NgcKeyAlgorithm.EcdsaP256 },
        }, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new LoadDevice(device, random, upn);
    }

    /// <summary>The PIN the user knows: the initial one, then each New passcode the admin read out to them.</summary>
    public string CurrentPin { get; set; }

    public string Upn { get; }

    public DeviceProfile Profile => _device.Profile;

    public Random Random { get; }

    /// <summary>The enrollment certificate (DER) and its private key (PKCS#8), kept as bytes.</summary>
    public byte[]? Certificate { get; private set; }

    public byte[]? PrivateKey { get; private set; }

    /// <summary>The MDM's ID of this device (managedDevice id), once known.</summary>
    public string? ManagedDeviceId { get; set; }

    /// <summary>Enrolls over <paramref name="handler"/> (Azure AD joined, so New passcode is LockAndRecoverPIN) and connects the DM client.</summary>
    public async Task EnrollAsync(HttpMessageHandler handler, Uri server, CancellationToken cancellationToken)
    {
        using var enroller = new EnrollmentClient(handler);
        var result = await enroller.EnrollAsync(new EnrollmentRequest
        {
            DiscoveryUrl = new Uri(server, "EnrollmentServer/Discovery.svc"),
            UserPrincipalName = Upn,
            DeviceId = Profile.DevId,
            HwDevId = Profile.HwDevId,
            DeviceName = Profile.DeviceName,
            AuthenticationQuery = new Dictionary<string, string> { ["join"] = "AzureADJoined" },
        }, cancellationToken).ConfigureAwait(false);
        using (var certificate = result.ClientCertificate)
        using (result.RootCertificate)
        {
            Certificate = certificate.RawData;
            using var key = certificate.GetRSAPrivateKey() ?? throw new InvalidOperationException("the enrollment certificate has no RSA private key");
            PrivateKey = key.ExportPkcs8PrivateKey();
        }

        _client = new DmClient(handler, new DmClientOptions
        {
            ServerUrl = result.ManagementServerUrl,
            Device = new DmDeviceIdentity(Profile.DevId, Profile.Manufacturer, Profile.Model, Profile.DmV, Profile.Language) { HWDevID = Profile.HwDevId },
            ConnRetryFreq = 0,
            RequestTimeout = TimeSpan.FromSeconds(60),
        }, _device.Executor, TimeProvider.System, new Random(Random.Next()));
    }

    /// <summary>
    /// Sets PassportForWork EnablePinRecovery for <paramref name="tenantId"/> on the device, as a delivered profile
    /// would, so LockAndRecoverPIN can succeed; false when the device refused it.
    /// </summary>
    public async Task<bool> EnablePinRecoveryAsync(string tenantId, CancellationToken cancellationToken)
    {
        var add = new Add { CmdID = "1" };
        add.Items.Add(new Item
        {
            Target = new LocationElement($"./Device/Vendor/MSFT/PassportForWork/{tenantId}/Policies/EnablePinRecovery"),
            Meta = new Meta { Format = "bool" },
            Data = new Data("true"),
        });
        var answers = await _device.Executor.ExecuteAsync([add], "1", cancellationToken).ConfigureAwait(false);
        return answers.OfType<Status>().All(s => s.Data is "200");
    }

    /// <summary>
    /// The user at the lock screen after a session: unlocks with the PIN they know. Unlocking also completes a pending
    /// recovery protector (a locked container defers it, docs/ngc.md), so the next New passcode can succeed.
    /// </summary>
    public async Task<NgcOutcome> UnlockAsync(CancellationToken cancellationToken) =>
        (await _device.Hello.Ngc.VerifyPinAsync(Upn, CurrentPin, cancellationToken).ConfigureAwait(false)).Outcome;

    /// <summary>The newest NGC events, for error messages.</summary>
    public string RecentNgcEvents() => string.Join(" | ", _device.Hello.EventLog.Events.TakeLast(4));

    /// <summary>One client-initiated session.</summary>
    public Task<DmSessionResult> RunSessionAsync(CancellationToken cancellationToken) =>
        (_client ?? throw new InvalidOperationException("the device is not enrolled")).RunSessionAsync(DmSessionTrigger.ClientInitiated, null, cancellationToken);

    public void Dispose()
    {
        _client?.Dispose();
        if (PrivateKey is not null)
        {
            CryptographicOperations.ZeroMemory(PrivateKey);
        }
    }
}

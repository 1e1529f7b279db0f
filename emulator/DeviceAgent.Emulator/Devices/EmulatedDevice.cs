using System.Globalization;
using DeviceAgent.Csp;
using DeviceAgent.Dm;
using DeviceAgent.Emulator.Observability;
using DeviceAgent.Emulator.Traces;
using DeviceAgent.Enrollment;
using DeviceAgent.Ngc;
using DeviceAgent.Ngc.Software;
using DeviceAgent.Protocol;
using DeviceAgent.Session;
using DeviceAgent.SyncML;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MockMdm.PinReset;

namespace DeviceAgent.Emulator.Devices;

/// <summary>
/// An emulated Windows 10 Mobile phone built on <see cref="StandardDevice"/> (DM tree, every standard CSP, Windows Hello
/// with its event log, policy and PIN reset wiring), plus what the agent does not model: MS-MDE2 enrollment with its
/// own key pair, a lock screen, a SyncML trace, a push channel and a poll schedule. Everything random is drawn from
/// the run seed and the device's name.
/// </summary>
public sealed class EmulatedDevice : IDisposable
{
    /// <summary>Name of the Hello key provisioned at setup; whether it survives a reset shows destructive vs not.</summary>
    public const string LoginKeyName = WindowsHello.LoginKeyName;

    private readonly EmulatorOptions _options;
    private readonly byte[]? _originalLoginKey;
    private DmClient? _client;
    private HttpMessageHandler? _ownedHandler;
    private HttpMessageHandler? _handler;
    private Func<CancellationToken, ValueTask<string?>>? _bearerToken;
    private Uri? _serverUrl;
    private readonly PinResetService? _ownedPinResetService;

    private EmulatedDevice(DeviceSpec spec, EmulatorOptions options, Random random, DeviceProfile profile, Uri pushChannelUri,
        StandardDevice standard, byte[]? originalLoginKey, PinResetService? ownedPinResetService)
    {
        _ownedPinResetService = ownedPinResetService;
        Spec = spec;
        _options = options;
        Random = random;
        Profile = profile;
        PushChannelUri = pushChannelUri;
        Standard = standard;
        _originalLoginKey = originalLoginKey;
        LockScreen = new LockScreen(Ngc, spec.User);
        // A reset replaces the PIN the user knew: the phone locks and asks for a new PIN after sign-in (docs/emulator.md).
        Hello.RemoteLock.Executed += (action, _) => LockScreen.Lock(pinChangeRequired: action != RemoteLockAction.Lock);
        CurrentPin = Hello.InitialPin;
        LastBootTime = options.Time.GetUtcNow();
        // RemoteRing Ring: the phone rings; the trace records it beside the session that asked (docs/csps.md "RemoteRing").
        standard.RemoteRing.Rang += at => Trace.Note($"RemoteRing: the phone rings ({at.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'})");
    }

    /// <summary>Builds the phone: its identity from the seed and name, Windows Hello provisioned for the spec's user.</summary>
    /// <exception cref="ArgumentException">The spec's initial PIN breaks the device's policy.</exception>
    public static async Task<EmulatedDevice> CreateAsync(DeviceSpec spec, EmulatorOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(options);
        var random = new Random(StableSeed.For(options.Seed, spec.Name));
        var profile = BuildProfile(spec, options, random);
        var pushChannelUri = new Uri($"https://push.emulator.invalid/channel/{NewGuid(random):N}");
        StandardDevice standard;
        var ownedPinResetService = options.PinResetService is null && options.PinResetServiceClient is null ? new PinResetService() : null;
        try
        {
            standard = await StandardDevice.CreateAsync(profile, random, new WindowsHelloOptions
            {
                Time = options.Time,
                PinResetService = options.PinResetServiceClient ?? new InProcessPinResetServiceClient(options.PinResetService ?? ownedPinResetService!),
                InitialPin = spec.InitialPin,
                LocalPinPolicy = [spec.LocalPinPolicy],
                Ngc = new SoftwareNgcOptions
                {
                    Directory = options.StateDirectory is { } dir ? Path.Combine(dir, spec.Name, "ngc") : null,
                    Pbkdf2Iterations = options.Pbkdf2Iterations,
                    KeyAlgorithm = options.HelloKeyAlgorithm,
                },
            }, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            ownedPinResetService?.Dispose();
            throw new ArgumentException($"device {spec.Name}: {e.Message}", nameof(spec), e);
        }

        byte[]? originalLoginKey = null;
        try
        {
            if (spec.User is { } user && await standard.Hello.Ngc.OpenKeyAsync(user, LoginKeyName, cancellationToken).ConfigureAwait(false) is { IsSuccess: true } key)
            {
                originalLoginKey = key.Required.PublicKey;
            }
        }
        catch
        {
            ownedPinResetService?.Dispose();
            throw;
        }

        return new EmulatedDevice(spec, options, random, profile, pushChannelUri, standard, originalLoginKey, ownedPinResetService);
    }

    public DeviceSpec Spec { get; }

    public string Name => Spec.Name;

    /// <summary>The device's own seeded random source (identity, PINs the device draws, NGC salts).</summary>
    public Random Random { get; }

    public DeviceProfile Profile { get; }

    /// <summary>The agent's composition this device runs: tree, handlers, executor, Windows Hello.</summary>
    public StandardDevice Standard { get; }

    public DmTree Tree => Standard.Tree;

    public DmCommandExecutor Executor => Standard.Executor;

    /// <summary>Windows Hello: NGC storage, event log, merged PIN policy, PassportForWork and RemoteLock CSPs.</summary>
    public WindowsHello Hello => Standard.Hello;

    public INgcKeyStorage Ngc => Hello.Ngc;

    public NgcEventLog EventLog => Hello.EventLog;

    public LockScreen LockScreen { get; }

    public TraceRecorder Trace { get; } = new();

    private readonly List<DmProtocolWarning> _protocolWarnings = [];

    /// <summary>Every protocol warning of this device's sessions so far (docs/session.md "Protocol checks").</summary>
    public IReadOnlyList<DmProtocolWarning> ProtocolWarnings
    {
        get
        {
            lock (_protocolWarnings)
            {
                return [.. _protocolWarnings];
            }
        }
    }

    /// <summary>The WNS channel the device would report as DMClient Push/ChannelURI (never contacted: no network but loopback).</summary>
    public Uri PushChannelUri { get; }

    /// <summary>
    /// DMClient/Provider/{id}/Poll of the enrolled provider as the DM tree holds it now (what enrollment provisioned, or
    /// a server's later Replace); the MS-MDE2 sample's schedule when not enrolled.
    /// </summary>
    public PollSchedule PollSchedule => Enrollment is { } enrollment
        ? new PollSchedule(DmClientCsp.GetPollSchedule(Tree, enrollment.ProviderId))
        : PollSchedule.Default;

    /// <summary>Where the next session goes: the enrolled provider's DMAcc address (or ManagementServiceAddress), else the address given to <see cref="Connect"/>.</summary>
    public Uri? ServerAddress => (Enrollment is { } enrollment ? DmClientCsp.ServerAddress(Tree, enrollment.ProviderId) : null) ?? _serverUrl;

    /// <summary>
    /// Polls as the DMClient schedule says, on the run's clock: waits the interval before each scheduled poll (read
    /// again after every session, so a server's change of Poll applies from the next wait), then runs a session. Ends
    /// when the schedule ends, when the phone is no longer connected (unenrolled, wiped) or when cancelled. Returns
    /// the number of sessions run (docs/csps.md "Sessions follow DMClient and DMAcc").
    /// </summary>
    public async Task<int> RunPollScheduleAsync(CancellationToken cancellationToken = default)
    {
        var polls = 0;
        while (IsConnected && PollSchedule.IntervalBefore(polls) is { } wait)
        {
            await Task.Delay(wait, _options.Time, cancellationToken).ConfigureAwait(false);
            if (!IsConnected)
            {
                break;
            }

            await SyncAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            polls++;
        }

        return polls;
    }

    /// <summary>The PIN the user knows (initial, or the last one they set at the lock screen).</summary>
    public string? CurrentPin { get; private set; }

    /// <summary>Sessions run so far.</summary>
    public int SessionCount { get; private set; }

    /// <summary>What MS-MDE2 enrollment provisioned (certificate, w7 ADDR, poll schedule), or null before enrollment.</summary>
    public EnrollmentResult? Enrollment { get; private set; }

    /// <summary>The managed device ID the server gave the device: the CN of its enrollment certificate.</summary>
    public string? ManagedDeviceId => Enrollment?.ClientCertificate.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, false);

    /// <summary>True once a server address has been provisioned (by enrollment or <see cref="Connect"/>).</summary>
    public bool IsConnected => _client is not null;

    /// <summary>Raised for every Status the device sends back to a server command.</summary>
    public event Action<SyncMLCommand, Status>? CommandAnswered;

    /// <summary>Raised after each session.</summary>
    public event Action<DmSessionResult>? SessionCompleted;

    /// <summary>Whether the Hello key provisioned at setup still exists with the same public key (non-destructive reset keeps it).</summary>
    public async Task<bool> HelloKeysIntactAsync(CancellationToken cancellationToken = default)
    {
        if (Spec.User is not { } user || _originalLoginKey is null)
        {
            return false;
        }

        var key = await Ngc.OpenKeyAsync(user, LoginKeyName, cancellationToken).ConfigureAwait(false);
        return key.IsSuccess && key.Required.PublicKey.AsSpan().SequenceEqual(_originalLoginKey);
    }

    /// <summary>
    /// Enrolls with MS-MDE2 (discovery, the STS token for the user, policies, a PKCS#10 request with the device's own
    /// RSA key) over <paramref name="transport"/>, then points sessions at the provisioned w7 ADDR. The server's refusal
    /// is an <see cref="EnrollmentFaultException"/>.
    /// </summary>
    public async Task<EnrollmentResult> EnrollAsync(IDeviceTransport transport, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transport);
        var user = Spec.User ?? throw new InvalidOperationException($"device {Name}: enrollment needs a signed-in user (DeviceSpec.User)");
        using var keyPair = _options.EnrollmentKeys?.Next();
        using var client = new EnrollmentClient(transport.EnrollmentHandler, _options.LoggerFactory?.CreateLogger<EnrollmentClient>(), _options.Time);
        // A client span around discovery, policy and enrollment; the HTTP calls under it carry its trace context to the server.
        using var activity = EmulatorMetrics.Source.StartActivity("MS-MDE2 enrollment", System.Diagnostics.ActivityKind.Client);
        activity?.SetTag("deviceagent.device.name", Name);
        EnrollmentResult result;
        try
        {
            result = await EnrollCoreAsync(client, user, keyPair, transport, cancellationToken).ConfigureAwait(false);
        }
        catch (EnrollmentFaultException e)
        {
            _options.Metrics?.Enrollment("refused", e.Subcode);
            activity?.SetTag("deviceagent.mde2.fault", e.Subcode);
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, e.Subcode);
            throw;
        }

        _options.Metrics?.Enrollment("enrolled", "");
        // The provisioning document lands in the DM tree (DMAcc, DMClient/Provider) before the first session (docs/csps.md).
        await EnrollmentTree.ApplyAsync(Executor, result, Tree, cancellationToken).ConfigureAwait(false);
        Enrollment = result;
        var handler = transport.CreateSessionHandler(result);
        Connect(result.ManagementServerUrl, handler);
        _ownedHandler = handler;
        return result;
    }

    private Task<EnrollmentResult> EnrollCoreAsync(EnrollmentClient client, string user, System.Security.Cryptography.RSA? keyPair, IDeviceTransport transport, CancellationToken cancellationToken) =>
        client.EnrollAsync(new EnrollmentRequest
        {
            DiscoveryUrl = transport.DiscoveryUrl,
            UserPrincipalName = user,
            DeviceId = Profile.DevId,
            DeviceType = Spec.IsMobile ? "WindowsPhone" : "CIMClient_Windows",
            OsVersion = Profile.OsBuild,
            // GetProductInfo: 104 Windows 10 Mobile, 4 Enterprise.
            OsEdition = Spec.IsMobile ? "104" : "4",
            DeviceName = Name,
            HwDevId = Profile.HwDevId,
            Locale = Profile.Language,
            // The mock STS stands in for the Azure AD join with join=AzureADJoined (docs/mock-mdm.md "Authentication").
            AuthenticationQuery = Spec.Join == JoinType.AzureADJoined
                ? new Dictionary<string, string> { ["join"] = "AzureADJoined" }
                : new Dictionary<string, string>(),
            KeyPair = keyPair,
            AuthPolicies = _options.EnrollmentCredentials?.AuthPolicies,
            Password = _options.EnrollmentCredentials?.Password,
            UserToken = _options.EnrollmentCredentials?.UserToken,
            AuthenticationCertificate = _options.EnrollmentCredentials?.Certificate,
        }, cancellationToken);

    /// <summary>Points the OMA-DM client at <paramref name="serverUrl"/> through <paramref name="handler"/> (the caller owns the handler; enrollment does this itself).</summary>
    public void Connect(Uri serverUrl, HttpMessageHandler handler, Func<CancellationToken, ValueTask<string?>>? bearerToken = null)
    {
        ArgumentNullException.ThrowIfNull(serverUrl);
        ArgumentNullException.ThrowIfNull(handler);
        _client?.Dispose();
        _ownedHandler?.Dispose();
        _ownedHandler = null;
        _handler = handler;
        _bearerToken = bearerToken;
        _client = CreateClient(serverUrl);
    }

    private DmClient CreateClient(Uri serverUrl)
    {
        _serverUrl = serverUrl;
        var observed = new CommandObserver(Executor, (command, status) =>
        {
            _options.Metrics?.CommandAnswered(command, status);
            CommandAnswered?.Invoke(command, status);
        });
        return new DmClient(_handler!, new DmClientOptions
        {
            ServerUrl = serverUrl,
            Device = Identity,
            BearerTokenProvider = Spec.Join == JoinType.AzureADJoined ? _bearerToken : null,
            InitialBackoffTime = _options.InitialBackoffTime,
            MaxBackoffTime = _options.InitialBackoffTime * 8,
            ConnRetryFreq = _options.ConnRetryFreq,
            Encoding = SessionEncoding(),
            Session = new DmSessionOptions { FailOnProtocolWarnings = _options.FailOnProtocolWarnings },
            Logger = (ILogger?)_options.LoggerFactory?.CreateLogger<DmClient>() ?? NullLogger.Instance,
        }, observed, _options.Time, new Random(Random.Next()));
    }

    /// <summary>
    /// The encoding OMA-DM messages are sent in: the run's override, else what enrollment provisioned (w7 DEFAULTENCODING
    /// in DMAcc, as Windows keeps it), else XML (docs/emulator.md "Encoding").
    /// </summary>
    public SyncMLEncoding SessionEncoding() =>
        _options.Encoding ?? (Enrollment is { } enrollment ? EnrollmentTree.DefaultEncoding(Tree, enrollment.ProviderId) : SyncMLEncoding.Xml);

    /// <summary>What package 1 reports (./DevInfo, HWDevID, login status).</summary>
    public DmDeviceIdentity Identity => new(Profile.DevId, Profile.Manufacturer, Profile.Model, Profile.DmV, Profile.Language)
    {
        HWDevID = Profile.HwDevId,
        LoginStatus = Spec.User is null ? "none" : "user",
    };

    /// <summary>Runs one client-initiated session (a poll or a user "Sync"), recording it in <see cref="Trace"/>.</summary>
    public async Task<DmSessionResult> SyncAsync(DmSessionTrigger? trigger = null, CancellationToken cancellationToken = default)
    {
        var client = _client ?? throw new InvalidOperationException($"device {Name} is not enrolled: no management server address");
        if (ServerAddress is { } address && address != _serverUrl)
        {
            // A server moved the phone (DMAcc AppAddr/Addr or DMClient ManagementServiceAddress): this session goes there.
            client.Dispose();
            _client = client = CreateClient(address);
        }

        Trace.BeginSession();
        using var activity = EmulatorMetrics.Source.StartActivity("OMA-DM session", System.Diagnostics.ActivityKind.Client);
        activity?.SetTag("deviceagent.device.name", Name);
        try
        {
            var result = await client.RunSessionAsync(trigger ?? DmSessionTrigger.ClientInitiated,
                entry => Trace.Record(entry.Direction == DmTraceDirection.Sent ? TraceDirection.DeviceToServer : TraceDirection.ServerToDevice, entry.Bytes.Span),
                cancellationToken).ConfigureAwait(false);
            SessionCount++;
            _options.Metrics?.SessionEnded(result);
            if (activity is not null)
            {
                activity.SetTag("deviceagent.omadm.session_id", result.SessionID);
                activity.SetTag("deviceagent.omadm.outcome", result.Outcome.ToString());
                if (!result.Succeeded)
                {
                    activity.SetStatus(System.Diagnostics.ActivityStatusCode.Error, result.Reason);
                }
            }

            foreach (var warning in result.ProtocolWarnings)
            {
                // On the device's trace, next to the session that broke the rule (docs/session.md "Protocol checks").
                Trace.Note($"protocol warning ({warning.Check}), session {result.SessionID}, {warning}");
            }

            lock (_protocolWarnings)
            {
                _protocolWarnings.AddRange(result.ProtocolWarnings);
            }

            SessionCompleted?.Invoke(result);
            return result;
        }
        finally
        {
            Trace.EndSession();
            // RemoteFind's DesiredAccuracy, Timeout and MaximumAge hold for the session only (RemoteFind CSP page).
            Standard.RemoteFind.EndSession();
            // An Exec of DMClient Unenroll takes effect once the session that carried it has ended (docs/csps.md "Unenroll").
            foreach (var provider in Standard.DmClient.TakePendingUnenrollments())
            {
                await UnenrollAsync(provider, CancellationToken.None).ConfigureAwait(false);
            }

            // RemoteWipe and Reboot likewise act after the session (docs/csps.md); a wipe ends with a restart.
            var wipe = Standard.RemoteWipe.TakePending().Count > 0;
            var reboot = Standard.Reboot.TakePending().Count > 0;
            if (wipe)
            {
                await WipeAsync(CancellationToken.None).ConfigureAwait(false);
            }
            else if (reboot)
            {
                Reboot();
            }
        }
    }

    /// <summary>Times the phone has started (1 after creation).</summary>
    public int BootCount { get; private set; } = 1;

    /// <summary>When the phone last started (the run's clock).</summary>
    public DateTimeOffset LastBootTime { get; private set; }

    /// <summary>Raised after the phone restarted (Reboot RebootNow, or the end of a wipe).</summary>
    public event Action? Rebooted;

    /// <summary>Raised after the phone was wiped to its factory state (RemoteWipe doWipe).</summary>
    public event Action? Wiped;

    /// <summary>
    /// Restarts the phone (Reboot CSP RebootNow): it boots to a locked screen and the boot count and time move on;
    /// the enrollment, the tree and Windows Hello persist, so the next session starts from the same state, as after a
    /// restart, with what waits for a restart applied (docs/csps.md "Reboot").
    /// </summary>
    public void Reboot()
    {
        BootCount++;
        LastBootTime = _options.Time.GetUtcNow();
        // What waits for a restart takes effect now: a replaced DevDetail DeviceName (docs/dm-tree.md "DevInfo, DevDetail").
        Standard.DevDetail.Restart();
        LockScreen.Lock();
        Rebooted?.Invoke();
    }

    /// <summary>
    /// Returns the phone to its factory state (RemoteWipe CSP doWipe): every DMClient provider is unenrolled (accounts,
    /// policies, PassportForWork state and certificates go), the user's Windows Hello container and keys are deleted,
    /// the phone is disconnected from any server, then restarts (docs/csps.md "RemoteWipe").
    /// </summary>
    public async Task WipeAsync(CancellationToken cancellationToken = default)
    {
        var providers = Tree.Read(t => t.Find(EnrollmentTree.ProviderRoot)?.Children.Select(c => c.Name).ToArray() ?? []);
        foreach (var provider in providers)
        {
            await UnenrollAsync(provider, cancellationToken).ConfigureAwait(false);
        }

        // Certificates left without an enrollment go too: the phone returns to its factory state (docs/csps.md).
        await EnrollmentTree.RemoveCertificatesAsync(Executor, Tree, cancellationToken).ConfigureAwait(false);
        _client?.Dispose();
        _client = null;
        _ownedHandler?.Dispose();
        _ownedHandler = null;
        if (Spec.User is { } user)
        {
            _ = await Ngc.DeleteContainerAsync(user, cancellationToken).ConfigureAwait(false);
        }

        CurrentPin = null;
        Wiped?.Invoke();
        Reboot();
    }

    /// <summary>Raised after the device unenrolled from a provider (DMClient Unenroll), with the provider ID.</summary>
    public event Action<string>? Unenrolled;

    /// <summary>
    /// Unenrolls from <paramref name="providerId"/>: its DMClient provider, DMAcc account, PassportForWork tenants and
    /// Policy CSP settings leave the tree (the PIN recovery protector with them); for the enrolled provider the
    /// enrollment certificate is dropped and sessions stop (docs/csps.md "Unenroll").
    /// </summary>
    public async Task UnenrollAsync(string providerId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(providerId);
        await EnrollmentTree.RemoveAsync(Executor, Tree, providerId, cancellationToken).ConfigureAwait(false);
        if (Enrollment is { } enrollment && enrollment.ProviderId == providerId)
        {
            Enrollment = null;
            _client?.Dispose();
            _client = null;
            _ownedHandler?.Dispose();
            _ownedHandler = null;
            enrollment.ClientCertificate.Dispose();
        }

        Unenrolled?.Invoke(providerId);
    }

    /// <summary>The user types at the lock screen; a successful PIN change becomes the PIN the user knows.</summary>
    public async Task<UnlockAttempt> UnlockAsync(string pin, string? newPin = null, CancellationToken cancellationToken = default)
    {
        var attempt = await LockScreen.UnlockAsync(pin, newPin, cancellationToken).ConfigureAwait(false);
        if (attempt.Unlocked)
        {
            CurrentPin = newPin ?? pin;
        }

        return attempt;
    }

    /// <summary>File names of <see cref="SaveArtifacts"/> inside the device's folder.</summary>
    public const string TraceFileName = "syncml-trace.xml";

    public const string EventLogFileName = "ngc-events.log";

    /// <summary>Writes the device's trace and NGC event log to <c>directory/Name/</c>; returns that folder.</summary>
    public string SaveArtifacts(string directory)
    {
        var folder = Path.Combine(directory, Name);
        Directory.CreateDirectory(folder);
        Trace.Save(Path.Combine(folder, TraceFileName));
        using var log = new StreamWriter(Path.Combine(folder, EventLogFileName), append: false, new System.Text.UTF8Encoding(false));
        EventLog.WriteTo(log);
        return folder;
    }

    public void Dispose()
    {
        _client?.Dispose();
        _client = null;
        _ownedHandler?.Dispose();
        _ownedHandler = null;
        _ownedPinResetService?.Dispose();
    }

    private static DeviceProfile BuildProfile(DeviceSpec spec, EmulatorOptions options, Random random)
    {
        var phone = (spec.Phone ?? options.PhoneSpec).CreateProfile(random, new DeviceNumber(options.Seed, spec.Number), spec.User);
        var build = spec.OsBuild.Count(c => c == '.') == 2 ? spec.OsBuild + ".0" : spec.OsBuild;
        return phone with
        {
            OsBuild = build,
            OsPlatform = spec.IsMobile ? "Windows 10 Mobile" : "Windows 10 Enterprise",
            AzureAdJoined = spec.Join == JoinType.AzureADJoined,
            AadDeviceId = spec.Join == JoinType.AzureADJoined ? phone.AadDeviceId : null,
            DeviceName = spec.Name,
            SignedInUser = spec.User,
        };
    }

    private static Guid NewGuid(Random random)
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes);
    }

    /// <summary>The device's OS build as a number (15063), for refusal decisions and display.</summary>
    public int BuildNumber => int.Parse(Profile.OsBuild.Split('.')[2], CultureInfo.InvariantCulture);
}

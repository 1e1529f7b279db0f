using System.Globalization;
using DeviceAgent.Dm;
using DeviceAgent.Emulator.Scenarios;
using DeviceAgent.Emulator.Traces;
using DeviceAgent.Ngc;
using DeviceAgent.Ngc.Policy;
using DeviceAgent.Ngc.Software;
using DeviceAgent.Session;
using DeviceAgent.SyncML;

namespace DeviceAgent.Emulator.Devices;

/// <summary>
/// An emulated Windows 10 Mobile phone: identity (DeviceProfile), DM tree and command executor, the signed-in user's
/// Windows Hello container on the software NGC provider with its event log, a lock screen, a SyncML trace, a push
/// channel and a poll schedule. Everything random is drawn from the run seed and the device's name.
/// </summary>
public sealed class EmulatedDevice : IDisposable
{
    /// <summary>Name of the Hello key the device creates at setup; whether it survives a reset shows destructive vs not.</summary>
    public const string LoginKeyName = "login";

    private readonly EmulatorOptions _options;
    private readonly byte[]? _originalLoginKey;
    private DmClient? _client;
    private HttpMessageHandler? _handler;

    public EmulatedDevice(DeviceSpec spec, EmulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(options);
        Spec = spec;
        _options = options;
        Random = new Random(StableSeed.For(options.Seed, spec.Name));
        Profile = BuildProfile(spec, Random);
        PushChannelUri = new Uri($"https://push.emulator.invalid/channel/{NewGuid(Random):N}");
        Tree = DmTree.ForProfile(Profile);
        PolicySource = new DevicePinPolicySource(spec.LocalPinPolicy);
        EventLog = new NgcEventLog(options.Time);
        var software = new SoftwareNgcKeyStorage(new SoftwareNgcOptions
        {
            Directory = options.StateDirectory is { } dir ? Path.Combine(dir, spec.Name, "ngc") : null,
            Pbkdf2Iterations = options.Pbkdf2Iterations,
            TimeProvider = options.Time,
            PolicySource = PolicySource,
            SecretRandom = destination => Random.NextBytes(destination),
        });
        Ngc = new LoggingNgcKeyStorage(software, EventLog);
        var handlers = options.CspHandlers?.Invoke(this) ?? [];
        Executor = new DmCommandExecutor(Tree, handlers, DmExecutorOptions.ForProfile(Profile));
        LockScreen = new LockScreen(Ngc, spec.User);
        if (spec.User is { } user)
        {
            CurrentPin = spec.InitialPin ?? PinGenerator.Generate(PolicySource.GetPolicy(user), Random);
            var created = Ngc.CreateContainer(user, CurrentPin);
            if (!created.IsSuccess)
            {
                throw new ArgumentException($"device {spec.Name}: the initial PIN was refused: {created.Outcome}", nameof(spec));
            }

            _originalLoginKey = Ngc.CreateKey(user, CurrentPin, LoginKeyName).Required.PublicKey;
        }
    }

    public DeviceSpec Spec { get; }

    public string Name => Spec.Name;

    /// <summary>The device's own seeded random source (identity, PINs the device draws, NGC salts).</summary>
    public Random Random { get; }

    public DeviceProfile Profile { get; }

    public DmTree Tree { get; }

    public DmCommandExecutor Executor { get; }

    public INgcKeyStorage Ngc { get; }

    public NgcEventLog EventLog { get; }

    /// <summary>The device's PIN policy: local settings merged with what management delivered.</summary>
    public DevicePinPolicySource PolicySource { get; }

    public LockScreen LockScreen { get; }

    public TraceRecorder Trace { get; } = new();

    /// <summary>The WNS channel the device would report as DMClient Push/ChannelURI (never contacted: no network but loopback).</summary>
    public Uri PushChannelUri { get; }

    public PollSchedule PollSchedule { get; init; } = PollSchedule.Default;

    /// <summary>The PIN the user knows (initial, or the last one they set at the lock screen).</summary>
    public string? CurrentPin { get; private set; }

    /// <summary>Sessions run so far.</summary>
    public int SessionCount { get; private set; }

    /// <summary>True once a server address has been provisioned (by enrollment or <see cref="Connect"/>).</summary>
    public bool IsConnected => _client is not null;

    /// <summary>Raised for every Status the device sends back to a server command.</summary>
    public event Action<SyncMLCommand, Status>? CommandAnswered;

    /// <summary>Raised after each session.</summary>
    public event Action<DmSessionResult>? SessionCompleted;

    /// <summary>Whether the Hello key created at setup still exists with the same public key (non-destructive reset keeps it).</summary>
    public bool HelloKeysIntact()
    {
        if (Spec.User is not { } user || _originalLoginKey is null)
        {
            return false;
        }

        var key = Ngc.OpenKey(user, LoginKeyName);
        return key.IsSuccess && key.Required.PublicKey.AsSpan().SequenceEqual(_originalLoginKey);
    }

    /// <summary>Points the OMA-DM client at <paramref name="serverUrl"/> through <paramref name="handler"/> (the caller owns the handler).</summary>
    public void Connect(Uri serverUrl, HttpMessageHandler handler, Func<CancellationToken, ValueTask<string?>>? bearerToken = null)
    {
        ArgumentNullException.ThrowIfNull(serverUrl);
        ArgumentNullException.ThrowIfNull(handler);
        _client?.Dispose();
        _handler = handler;
        var observed = new CommandObserver(Executor, (command, status) => CommandAnswered?.Invoke(command, status));
        _client = new DmClient(handler, new DmClientOptions
        {
            ServerUrl = serverUrl,
            Device = Identity,
            BearerTokenProvider = Spec.Join == JoinType.AzureAdJoined ? bearerToken : null,
            InitialBackoffTime = _options.InitialBackoffTime,
            MaxBackoffTime = _options.InitialBackoffTime * 8,
            ConnRetryFreq = _options.ConnRetryFreq,
        }, observed, _options.Time, new Random(Random.Next()));
    }

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
        Trace.BeginSession();
        try
        {
            var result = await client.RunSessionAsync(trigger ?? DmSessionTrigger.ClientInitiated,
                entry => Trace.Record(entry.Direction == DmTraceDirection.Sent ? TraceDirection.DeviceToServer : TraceDirection.ServerToDevice, entry.Bytes.Span),
                cancellationToken).ConfigureAwait(false);
            SessionCount++;
            SessionCompleted?.Invoke(result);
            return result;
        }
        finally
        {
            Trace.EndSession();
        }
    }

    /// <summary>The user types at the lock screen; a successful PIN change becomes the PIN the user knows.</summary>
    public UnlockAttempt Unlock(string pin, string? newPin = null)
    {
        var attempt = LockScreen.Unlock(pin, newPin);
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
        _handler = null;
    }

    private static DeviceProfile BuildProfile(DeviceSpec spec, Random random)
    {
        var phone = DeviceProfiles.Win10Mobile1703(random, spec.User);
        var build = spec.OsBuild.Count(c => c == '.') == 2 ? spec.OsBuild + ".0" : spec.OsBuild;
        return phone with
        {
            OsBuild = build,
            OsPlatform = spec.IsMobile ? "Windows 10 Mobile" : "Windows 10 Enterprise",
            AzureAdJoined = spec.Join == JoinType.AzureAdJoined,
            AadDeviceId = spec.Join == JoinType.AzureAdJoined ? phone.AadDeviceId : null,
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

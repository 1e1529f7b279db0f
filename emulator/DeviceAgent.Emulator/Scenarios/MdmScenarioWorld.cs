using System.Globalization;
using System.Text.Json;
using DeviceAgent.Emulator.Devices;
using DeviceAgent.Emulator.Server;
using DeviceAgent.Enrollment;
using DeviceAgent.Ngc;
using DeviceAgent.Ngc.Policy;
using DeviceAgent.Protocol;
using MockMdm.AdminConsole;
using MockMdm.PinReset;
using MockMdm.Tenants;

namespace DeviceAgent.Emulator.Scenarios;

/// <summary>What a <see cref="MdmScenarioWorld"/> acts on besides its API client.</summary>
public sealed record ScenarioWorldParts
{
    /// <summary>Where the server is (embedded or at --server).</summary>
    public required Uri ServerUrl { get; init; }

    /// <summary>The admin API of the server, or null for a server without this project's API (only API-free steps run; docs/scenarios.md).</summary>
    public MdmApiClient? Api { get; init; }

    /// <summary>How devices reach the server.</summary>
    public required IDeviceTransport Transport { get; init; }

    /// <summary>Settings of every device (clock, seed, PIN reset service, PBKDF2 iterations).</summary>
    public required EmulatorOptions Devices { get; init; }

    /// <summary>The clock shared with the server (or the devices' clock when <see cref="ServerClockByApi"/>), or null when the server keeps its own (advance-time then fails).</summary>
    public EmulatorClock? Clock { get; init; }

    /// <summary>advance-time also moves the server's clock through /api/testing/clock (a running mock with --clock-control true).</summary>
    public bool ServerClockByApi { get; init; }

    /// <summary>
    /// The consent endpoints of a standalone PIN reset service the devices call (--pin-reset-service): create-tenant and
    /// consent steps are sent there as well as to the server. Null when devices use the server's hosted service.
    /// </summary>
    public PinResetConsentClient? ServiceConsent { get; init; }

    /// <summary>The embedded server's console NGC event logs: each enrolled device publishes its log there (null for a server at --server, which cannot see device logs).</summary>
    public DeviceNgcEventLogs? EventLogs { get; init; }

    /// <summary>Disposed with the world (an embedded server).</summary>
    public IAsyncDisposable? Owned { get; init; }
}

/// <summary>The console's view of a device action: state, the label it shows, the RemoteLock method, the passcode while visible, the failure reason.</summary>
public sealed record ConsoleAction(ActionState State, string DisplayState, string? Method, string? Passcode, string? Reason);

/// <summary>
/// The scenario world over a mock MDM's REST API (/api/..., api-key) and its consent pages, with emulated devices that
/// enroll by MS-MDE2 and sync over OMA-DM (docs/scenarios.md "How steps run").
/// </summary>
public sealed class MdmScenarioWorld : IScenarioWorld
{
    private const string CustomConfiguration = "#microsoft.graph.windows10CustomConfiguration";
    private readonly ScenarioWorldParts _parts;
    private readonly Random _random;
    private readonly Dictionary<string, TenantInfo> _tenants = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _profiles = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _assignments = new(StringComparer.Ordinal);
    private readonly Dictionary<(GroupKind, string), GroupInfo> _groups = [];
    private readonly Dictionary<string, EmulatedDevice> _devices = new(StringComparer.Ordinal);
    private int _devicesCreated;
    private readonly Dictionary<string, List<ActionRequest>> _requests = new(StringComparer.Ordinal);
    private TenantInfo? _defaultTenant;

    public MdmScenarioWorld(ScenarioWorldParts parts, int seed)
    {
        ArgumentNullException.ThrowIfNull(parts);
        _parts = parts;
        _random = new Random(seed);
    }

    /// <summary>
    /// Starts an embedded server for <paramref name="scenario"/> (its seed; the shared clock) and a world over it. Devices
    /// call the server's PIN reset service in process, or <paramref name="pinResetService"/> over HTTP (a service in its
    /// own process; consent steps are sent there too).
    /// </summary>
    public static Task<MdmScenarioWorld> StartEmbeddedAsync(Scenario scenario, EmbeddedMdmOptions server, EmulatorOptions devices, CancellationToken cancellationToken = default) =>
        StartEmbeddedAsync(scenario, server, devices, null, cancellationToken);

    /// <inheritdoc cref="StartEmbeddedAsync(Scenario, EmbeddedMdmOptions, EmulatorOptions, CancellationToken)"/>
    public static async Task<MdmScenarioWorld> StartEmbeddedAsync(Scenario scenario, EmbeddedMdmOptions server, EmulatorOptions devices,
        PinResetServiceEndpoint? pinResetService, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(devices);
        var clock = new EmulatorClock();
        var mdm = await EmbeddedMdm.StartAsync(server with { Time = clock, Seed = scenario.Seed }, cancellationToken).ConfigureAwait(false);
        if (pinResetService is not null)
        {
            var client = pinResetService.CreateClient();
            return new MdmScenarioWorld(new ScenarioWorldParts
            {
                ServerUrl = mdm.BaseUrl,
                Api = new MdmApiClient(mdm.BaseUrl, mdm.ApiKey, mdm.CreateApiHandler()),
                Transport = mdm.CreateDeviceTransport(),
                Devices = devices with { Time = clock, Seed = scenario.Seed, PinResetServiceClient = client },
                ServiceConsent = pinResetService.CreateConsentClient(),
                Clock = clock,
                EventLogs = mdm.EventLogs,
                Owned = new DisposeAction(() => client.Dispose(), mdm),
            }, scenario.Seed);
        }

        return new MdmScenarioWorld(new ScenarioWorldParts
        {
            ServerUrl = mdm.BaseUrl,
            Api = new MdmApiClient(mdm.BaseUrl, mdm.ApiKey, mdm.CreateApiHandler()),
            Transport = mdm.CreateDeviceTransport(),
            Devices = devices with { Time = clock, Seed = scenario.Seed, PinResetService = mdm.PinResetService },
            Clock = clock,
            EventLogs = mdm.EventLogs,
            Owned = mdm,
        }, scenario.Seed);
    }

    /// <summary>
    /// A world over a server at --server (<paramref name="server"/>, probed): its clock cannot be moved; devices call the
    /// PIN reset service the server names (--pin-reset-service or its hosted one) over HTTP; without the admin API only
    /// API-free steps can run (<see cref="ScenarioRequirements"/> refuses the others before the run).
    /// </summary>
    public static MdmScenarioWorld ForServer(Scenario scenario, ExternalServer server, EmulatorOptions devices)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(devices);
        var pinReset = server.CreatePinResetClient();
        // A server that lets the run move its clock: the devices get a clock of their own that moves with it.
        var clock = server.Offer.ClockControl ? new EmulatorClock() : null;
        return new MdmScenarioWorld(new ScenarioWorldParts
        {
            ServerUrl = server.ServerUrl,
            Api = server.CreateApiClient(),
            Transport = new SocketDeviceTransport(server.ServerUrl, server.Trust),
            Devices = devices with { Seed = scenario.Seed, PinResetServiceClient = pinReset, Time = clock ?? devices.Time },
            Clock = clock,
            ServerClockByApi = clock is not null,
            ServiceConsent = server.CreateConsentClient(),
            Owned = new DisposeAction(() => (pinReset as IDisposable)?.Dispose()),
        }, scenario.Seed);
    }

    /// <summary>The devices created so far, by name.</summary>
    public IReadOnlyDictionary<string, EmulatedDevice> Devices => _devices;

    /// <summary>The server's base URL.</summary>
    public Uri ServerUrl => _parts.ServerUrl;

    /// <summary>The admin API; a step that needs it was refused before the run when the server has none.</summary>
    private MdmApiClient Api => _parts.Api
        ?? throw new InvalidOperationException($"{_parts.ServerUrl} offers no admin API of this project's mock MDM (/api), which this step needs");

    /// <summary>Raised when enroll creates a device (before it enrolls), e.g. to show its SyncML.</summary>
    public event Action<EmulatedDevice>? DeviceCreated;

    /// <summary>What the console shows for the device's latest action of a kind (null: any kind), or null when it has none.</summary>
    public async Task<ConsoleAction?> ConsoleActionAsync(string device, DeviceActionKind? kind, CancellationToken cancellationToken)
    {
        var graphAction = kind switch
        {
            null => null,
            DeviceActionKind.Lock => "remoteLock",
            _ => "resetPasscode",
        };
        var observed = await LatestActionAsync(device, graphAction, cancellationToken).ConfigureAwait(false);
        if (observed is null)
        {
            return null;
        }

        string? Text(string name) => observed.Element is { } e && e.GetProperty(name).ValueKind == JsonValueKind.String ? e.GetProperty(name).GetString() : null;
        return new ConsoleAction(observed.State, Text("displayState") ?? Kebab(observed.State), Text("method"), Text("passcode"), observed.Reason);
    }

    public Task ExecuteAsync(ScenarioStep step, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        return step switch
        {
            CreateTenantStep s => CreateTenantAsync(s, cancellationToken),
            ConsentStep s => ConsentAsync(s, cancellationToken),
            CreateProfileStep s => CreateProfileAsync(s, cancellationToken),
            AssignProfileStep s => AssignProfileAsync(s, cancellationToken),
            EnrollStep s => EnrollAsync(s, cancellationToken),
            RequestActionStep s => RequestActionAsync(s, cancellationToken),
            SyncStep s => SyncAsync(s, cancellationToken),
            AdvanceTimeStep s => AdvanceTimeAsync(s, cancellationToken),
            UnlockStep s => UnlockAsync(s, cancellationToken),
            ExpectActionStep s => ExpectActionAsync(s, cancellationToken),
            ExpectPasscodeStep s => ExpectPasscodeAsync(s, cancellationToken),
            ExpectProfileStep s => ExpectProfileAsync(s, cancellationToken),
            ExpectLockStep s => Check(Device(s.Device).LockScreen.IsLocked == s.Locked, $"{s.Device} is {(Device(s.Device).LockScreen.IsLocked ? "locked" : "unlocked")}"),
            ExpectEventStep s => ExpectEvent(s),
            ExpectKeysStep s => ExpectKeysAsync(s, cancellationToken),
            _ => throw new NotSupportedException($"no world behaviour for step {step.Kind}"),
        };
    }

    private async Task ExpectKeysAsync(ExpectKeysStep step, CancellationToken cancellationToken)
    {
        var kept = await Device(step.Device).HelloKeysIntactAsync(cancellationToken).ConfigureAwait(false);
        await Check(kept == step.Kept, $"{step.Device}'s Hello key '{EmulatedDevice.LoginKeyName}' was {(kept ? "kept" : "deleted or replaced")}").ConfigureAwait(false);
    }

    private async Task CreateTenantAsync(CreateTenantStep step, CancellationToken cancellationToken)
    {
        if (_tenants.ContainsKey(step.Name))
        {
            throw new InvalidOperationException($"tenant '{step.Name}' was already created");
        }

        var id = (step.TenantId ?? NewGuid().ToString("D")).ToLowerInvariant();
        await Api.PostAsync("api/tenants", new Dictionary<string, object?>
        {
            ["id"] = id,
            ["displayName"] = step.Name,
            ["domains"] = step.Domain is null ? Array.Empty<string>() : [step.Domain],
        }, 201, cancellationToken).ConfigureAwait(false);
        var tenant = new TenantInfo(id, step.Domain);
        _tenants[step.Name] = tenant;
        _defaultTenant ??= tenant;
        if (_parts.ServiceConsent is { } service)
        {
            await service.AddTenantAsync(id, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ConsentAsync(ConsentStep step, CancellationToken cancellationToken)
    {
        var tenant = await TenantAsync(step.Tenant, cancellationToken).ConfigureAwait(false);
        await Api.ConsentAsync(tenant.Id, TenantDirectory.ClientIdOf(step.App), step.Granted, cancellationToken).ConfigureAwait(false);
        if (_parts.ServiceConsent is { } service)
        {
            await service.SetConsentAsync(tenant.Id, TenantDirectory.ClientIdOf(step.App), step.Granted, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task CreateProfileAsync(CreateProfileStep step, CancellationToken cancellationToken)
    {
        if (_profiles.ContainsKey(step.Name))
        {
            throw new InvalidOperationException($"profile '{step.Name}' was already created");
        }

        var tenant = await TenantAsync(step.Tenant, cancellationToken).ConfigureAwait(false);
        var settings = step.Settings.Select(s => new Dictionary<string, object?>
        {
            ["@odata.type"] = "#microsoft.graph.omaSetting" + s.Type,
            ["displayName"] = s.OmaUri[(s.OmaUri.LastIndexOf('/') + 1)..],
            ["omaUri"] = s.OmaUri.Replace("{tenant}", tenant.Id, StringComparison.Ordinal),
            ["value"] = s.Type switch
            {
                OmaSettingType.Boolean => bool.Parse(s.Value),
                OmaSettingType.Integer => (object)int.Parse(s.Value, CultureInfo.InvariantCulture),
                _ => s.Value,
            },
        }).ToList();
        var created = await Api.PostAsync("api/deviceManagement/deviceConfigurations", new Dictionary<string, object?>
        {
            ["@odata.type"] = CustomConfiguration,
            ["displayName"] = step.Name,
            ["omaSettings"] = settings,
            ["supportedDeviceTypes"] = step.Platforms.Select(DeviceTypeOf).ToList(),
        }, 201, cancellationToken).ConfigureAwait(false);
        _profiles[step.Name] = created.GetProperty("id").GetString()!;
        _assignments[step.Name] = [];
    }

    private async Task AssignProfileAsync(AssignProfileStep step, CancellationToken cancellationToken)
    {
        var profileId = _profiles.GetValueOrDefault(step.Profile) ?? throw new InvalidOperationException($"no profile named '{step.Profile}' (create it with create-profile)");
        var group = await GroupAsync(step.GroupKind, step.Group, cancellationToken).ConfigureAwait(false);
        var assigned = _assignments[step.Profile];
        if (!assigned.Contains(group.Id))
        {
            assigned.Add(group.Id);
        }

        // Graph's assign replaces the whole list, so every group assigned so far is sent again.
        await Api.PostAsync($"api/deviceManagement/deviceConfigurations/{profileId}/assign", new
        {
            assignments = assigned.Select(id => new { target = new Dictionary<string, object?> { ["@odata.type"] = "#microsoft.graph.groupAssignmentTarget", ["groupId"] = id } }),
        }, 200, cancellationToken).ConfigureAwait(false);
    }

    private async Task EnrollAsync(EnrollStep step, CancellationToken cancellationToken)
    {
        if (_devices.ContainsKey(step.Device))
        {
            throw new InvalidOperationException($"device '{step.Device}' already exists");
        }

        // Without the admin API the device enrolls with its own user and no tenant the run knows (docs/scenarios.md).
        var tenant = _parts.Api is null && step.Tenant is null ? null : await TenantAsync(step.Tenant, cancellationToken).ConfigureAwait(false);
        var spec = new DeviceSpec
        {
            Name = step.Device,
            Join = step.Join,
            OsBuild = step.OsBuild,
            Platform = step.Platform,
            User = step.User ?? $"{step.Device}@{tenant?.Domain ?? "contoso.com"}",
            LocalPinPolicy = ToComplexity(step.PinPolicy),
            InitialPin = step.Pin,
            TenantId = tenant?.Id,
            Phone = step.Phone,
            // The device's number in the run: its IMEI and MAC addresses differ from every other device's (docs/emulator.md).
            Number = _devicesCreated++,
        };
        var device = await EmulatedDevice.CreateAsync(spec, _parts.Devices, cancellationToken).ConfigureAwait(false);
        DeviceCreated?.Invoke(device);
        try
        {
            await device.EnrollAsync(_parts.Transport, cancellationToken).ConfigureAwait(false);
        }
        catch (EnrollmentFaultException e) when (step.ExpectRefused)
        {
            device.Dispose();
            if (e.Subcode != "DeviceNotSupported")
            {
                throw new ScenarioExpectationException($"the server refused {step.Device} with {e.Subcode} ({e.Message}), not DeviceNotSupported");
            }

            return;
        }
        catch
        {
            device.Dispose();
            throw;
        }

        _devices[step.Device] = device;
        _parts.EventLogs?.Publish(device.Profile.DevId, device.EventLog.Entries);
        if (step.ExpectRefused)
        {
            throw new ScenarioExpectationException($"the server enrolled {step.Device} ({step.Platform} {step.OsBuild}) although a refusal was expected");
        }

        foreach (var name in step.UserGroups)
        {
            await AddMemberAsync(GroupKind.User, name, spec.User, cancellationToken).ConfigureAwait(false);
        }

        foreach (var name in step.DeviceGroups)
        {
            await AddMemberAsync(GroupKind.Device, name, device.ManagedDeviceId!, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task RequestActionAsync(RequestActionStep step, CancellationToken cancellationToken)
    {
        var device = Device(step.Device);
        var graphAction = step.Action == DeviceActionKind.Lock ? "remoteLock" : "resetPasscode";
        var requests = _requests.TryGetValue(step.Device, out var list) ? list : _requests[step.Device] = [];
        var method = step.Method == PinResetMethod.Auto || step.Action == DeviceActionKind.Lock ? null : step.Method.ToString();
        string actionId;
        try
        {
            actionId = await Api.RequestActionAsync(device.ManagedDeviceId!, graphAction, method, cancellationToken).ConfigureAwait(false);
        }
        catch (MdmApiException e) when (e.Status == 400)
        {
            // The console refuses the action for this device (e.g. a desktop): the state it shows is "not supported".
            requests.Add(new ActionRequest(graphAction, null, e.Message));
            return;
        }

        requests.Add(new ActionRequest(graphAction, actionId, null));
    }

    private async Task SyncAsync(SyncStep step, CancellationToken cancellationToken)
    {
        var devices = step.Device is null ? _devices.Values.ToList() : [Device(step.Device)];
        foreach (var device in devices)
        {
            for (var i = 0; i < step.Sessions; i++)
            {
                var result = await device.SyncAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                if (!result.Succeeded)
                {
                    throw new InvalidOperationException($"{device.Name}: session {result.SessionID} ended {result.Outcome}: {result.Reason}", result.Error);
                }
            }
        }
    }

    private async Task AdvanceTimeAsync(AdvanceTimeStep step, CancellationToken cancellationToken)
    {
        var clock = _parts.Clock ?? throw new InvalidOperationException("advance-time moves the embedded server's clock; a server given by --server keeps its own");
        if (_parts.ServerClockByApi)
        {
            // The server first: if it refuses, the devices' clock has not moved either.
            await Api.PostAsync("api/testing/clock", new { advanceSeconds = step.By.TotalSeconds }, 200, cancellationToken).ConfigureAwait(false);
        }

        clock.Advance(step.By);
    }

    private async Task UnlockAsync(UnlockStep step, CancellationToken cancellationToken)
    {
        var device = Device(step.Device);
        var pin = step.Pin;
        if (pin == UnlockStep.PasscodeToken)
        {
            var action = await LatestActionAsync(step.Device, "resetPasscode", cancellationToken).ConfigureAwait(false);
            pin = action?.Element is { } a && a.GetProperty("passcode").ValueKind == JsonValueKind.String ? a.GetProperty("passcode").GetString() : null;
            if (string.IsNullOrEmpty(pin))
            {
                throw new ScenarioExpectationException($"the console shows no passcode for {step.Device} to unlock it with");
            }
        }

        var attempt = await device.UnlockAsync(pin!, step.NewPin, cancellationToken).ConfigureAwait(false);
        if (attempt.Unlocked != step.ExpectSuccess)
        {
            throw new ScenarioExpectationException($"{step.Device}: {(attempt.Unlocked ? "unlocked although a rejection was expected" : attempt.Message)}");
        }
    }

    private async Task ExpectActionAsync(ExpectActionStep step, CancellationToken cancellationToken)
    {
        var graphAction = step.Action switch
        {
            null => null,
            DeviceActionKind.Lock => "remoteLock",
            _ => "resetPasscode",
        };
        var latest = await LatestActionAsync(step.Device, graphAction, cancellationToken).ConfigureAwait(false);
        var state = latest?.State ?? ActionState.None;
        var reason = latest?.Reason;
        if (state != step.State)
        {
            throw new ScenarioExpectationException($"{step.Device}: the console shows {Kebab(state)}{(reason is null ? "" : $" ({reason})")}, expected {Kebab(step.State)}");
        }

        if (step.ErrorContains is { } text && (reason is null || !reason.Contains(text, StringComparison.OrdinalIgnoreCase)))
        {
            throw new ScenarioExpectationException($"{step.Device}: the action's reason is '{reason}', which does not contain '{text}'");
        }
    }

    private async Task ExpectPasscodeAsync(ExpectPasscodeStep step, CancellationToken cancellationToken)
    {
        var device = Device(step.Device);
        var action = await LatestActionAsync(step.Device, "resetPasscode", cancellationToken).ConfigureAwait(false);
        var passcode = action?.Element is { } a && a.GetProperty("passcode").ValueKind == JsonValueKind.String ? a.GetProperty("passcode").GetString() : null;
        var problems = new List<string>();
        if (step.Present is { } present && present != (passcode is not null))
        {
            problems.Add(passcode is null ? "no passcode is shown" : "a passcode is shown");
        }

        if (step.Length is { } length && passcode?.Length != length)
        {
            problems.Add(passcode is null ? "no passcode to measure" : $"the passcode has {passcode.Length} characters, expected {length}");
        }

        if (step.MeetsPolicy is { } meets)
        {
            var outcome = passcode is null ? (NgcOutcome?)null : PinValidator.Validate(passcode, device.Hello.PolicySource.GetPolicy(device.Spec.User!));
            if (outcome is null)
            {
                problems.Add("no passcode to check against the policy");
            }
            else if ((outcome == NgcOutcome.Success) != meets)
            {
                problems.Add($"the passcode {(meets ? "breaks" : "meets")} the device's policy ({outcome})");
            }
        }

        if (problems.Count > 0)
        {
            throw new ScenarioExpectationException($"{step.Device}: {string.Join("; ", problems)}");
        }
    }

    private async Task ExpectProfileAsync(ExpectProfileStep step, CancellationToken cancellationToken)
    {
        var device = Device(step.Device);
        var profileId = _profiles.GetValueOrDefault(step.Profile) ?? throw new InvalidOperationException($"no profile named '{step.Profile}'");
        var statuses = await Api.GetAsync($"api/deviceManagement/deviceConfigurations/{profileId}/deviceStatuses", cancellationToken).ConfigureAwait(false);
        var status = statuses.GetProperty("value").EnumerateArray()
            .FirstOrDefault(s => s.GetProperty("deviceId").GetString() == device.ManagedDeviceId);
        var observed = status.ValueKind == JsonValueKind.Object ? status.GetProperty("status").GetString() : null;
        var expected = step.State switch
        {
            ProfileState.Pending => "pending",
            ProfileState.Succeeded => "succeeded",
            ProfileState.Error => "failed",
            _ => "notApplicable",
        };
        if (observed != expected)
        {
            var reason = status.ValueKind == JsonValueKind.Object && status.GetProperty("reason").GetString() is { } r ? $" ({r})" : "";
            throw new ScenarioExpectationException($"profile {step.Profile} on {step.Device} is {observed ?? "not assigned"}{reason}, expected {expected}");
        }
    }

    private Task ExpectEvent(ExpectEventStep step)
    {
        var lines = Device(step.Device).EventLog.Events.Select(e => e.ToString()).ToList();
        var found = lines.Any(l => l.Contains(step.Contains, StringComparison.Ordinal));
        return found == !step.Absent
            ? Task.CompletedTask
            : throw new ScenarioExpectationException(step.Absent
                ? $"{step.Device}'s NGC log has a line containing \"{step.Contains}\": {lines.First(l => l.Contains(step.Contains, StringComparison.Ordinal))}"
                : $"{step.Device}'s NGC log has no line containing \"{step.Contains}\" ({lines.Count} lines; last: {lines.LastOrDefault() ?? "none"})");
    }

    private static Task Check(bool holds, string observed) =>
        holds ? Task.CompletedTask : throw new ScenarioExpectationException(observed);

    private EmulatedDevice Device(string name) =>
        _devices.GetValueOrDefault(name) ?? throw new InvalidOperationException($"no enrolled device named '{name}' (enroll it first)");

    /// <summary>The console's view of the device's latest action of a kind: the world's own request log first (refusals), else the server's list.</summary>
    private async Task<ObservedAction?> LatestActionAsync(string deviceName, string? graphAction, CancellationToken cancellationToken)
    {
        var device = Device(deviceName);
        var request = _requests.GetValueOrDefault(deviceName)?.LastOrDefault(r => graphAction is null || r.GraphAction == graphAction);
        if (request is { ActionId: null })
        {
            return new ObservedAction(ActionState.NotSupported, request.Refusal, null);
        }

        var actions = await Api.GetAsync($"api/deviceManagement/managedDevices/{device.ManagedDeviceId}/deviceActionResults", cancellationToken).ConfigureAwait(false);
        var list = actions.GetProperty("value").EnumerateArray()
            .Where(a => graphAction is null || a.GetProperty("actionName").GetString() == graphAction).ToList();
        var chosen = request is not null
            ? list.FirstOrDefault(a => a.GetProperty("id").GetString() == request.ActionId)
            : list.OrderBy(a => a.GetProperty("startDateTime").GetDateTimeOffset()).LastOrDefault();
        if (chosen.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var state = Enum.Parse<ActionState>(chosen.GetProperty("actionState").GetString()!, ignoreCase: true);
        var reason = chosen.GetProperty("reason").ValueKind == JsonValueKind.String ? chosen.GetProperty("reason").GetString() : null;
        return new ObservedAction(state, reason, chosen);
    }

    private async Task<TenantInfo> TenantAsync(string? name, CancellationToken cancellationToken)
    {
        if (name is not null)
        {
            return _tenants.GetValueOrDefault(name) ?? throw new InvalidOperationException($"no tenant named '{name}' (create it with create-tenant)");
        }

        if (_defaultTenant is null)
        {
            // No create-tenant step: the server's default tenant.
            var tenants = await Api.GetAsync("api/tenants", cancellationToken).ConfigureAwait(false);
            var first = tenants.GetProperty("value").EnumerateArray().First();
            _defaultTenant = new TenantInfo(first.GetProperty("id").GetString()!, null);
        }

        return _defaultTenant;
    }

    private async Task<GroupInfo> GroupAsync(GroupKind kind, string name, CancellationToken cancellationToken)
    {
        if (_groups.TryGetValue((kind, name), out var group))
        {
            return group;
        }

        var created = await Api.PostAsync("api/groups", new
        {
            displayName = name,
            groupType = kind == GroupKind.User ? "user" : "device",
            members = Array.Empty<string>(),
        }, 201, cancellationToken).ConfigureAwait(false);
        group = new GroupInfo(created.GetProperty("id").GetString()!, []);
        _groups[(kind, name)] = group;
        return group;
    }

    private async Task AddMemberAsync(GroupKind kind, string groupName, string member, CancellationToken cancellationToken)
    {
        var group = await GroupAsync(kind, groupName, cancellationToken).ConfigureAwait(false);
        if (!group.Members.Contains(member))
        {
            group.Members.Add(member);
            await Api.PutAsync($"api/groups/{group.Id}/members", new { members = group.Members }, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string DeviceTypeOf(string platform) => platform.ToLowerInvariant() switch
    {
        "windows10mobile" => "WindowsPhone",
        "windows10" => "CIMClient_Windows",
        _ => throw new InvalidOperationException($"platform '{platform}' is not windows10mobile or windows10"),
    };

    private static PinComplexity ToComplexity(PinPolicySpec? spec) => spec is null
        ? PinComplexity.Unconfigured
        : new PinComplexity
        {
            MinimumPINLength = spec.MinimumPINLength,
            MaximumPINLength = spec.MaximumPINLength,
            Digits = (PinCharacterRule?)spec.Digits,
            LowercaseLetters = (PinCharacterRule?)spec.LowercaseLetters,
            UppercaseLetters = (PinCharacterRule?)spec.UppercaseLetters,
            SpecialCharacters = (PinCharacterRule?)spec.SpecialCharacters,
            Expiration = spec.Expiration,
        };

    private static string Kebab(ActionState state) => state switch
    {
        ActionState.NotSupported => "not-supported",
        _ => state.ToString().ToLowerInvariant(),
    };

    private Guid NewGuid()
    {
        var bytes = new byte[16];
        _random.NextBytes(bytes);
        return new Guid(bytes);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var device in _devices.Values)
        {
            _parts.EventLogs?.Withdraw(device.Profile.DevId);
            device.Dispose();
        }

        _devices.Clear();
        _parts.Api?.Dispose();
        _parts.ServiceConsent?.Dispose();
        _parts.Transport.Dispose();
        if (_parts.Owned is { } owned)
        {
            await owned.DisposeAsync().ConfigureAwait(false);
        }
    }

    private sealed record TenantInfo(string Id, string? Domain);

    private sealed record GroupInfo(string Id, List<string> Members);

    private sealed record ActionRequest(string GraphAction, string? ActionId, string? Refusal);

    private sealed record ObservedAction(ActionState State, string? Reason, JsonElement? Element);

    private sealed class DisposeAction(Action dispose, IAsyncDisposable? then = null) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            dispose();
            if (then is not null)
            {
                await then.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}

using System.Globalization;
using System.Text.Json;
using DeviceAgent.Emulator.Devices;
using DeviceAgent.Emulator.Traces;
using DeviceAgent.Protocol;
using DeviceAgent.Session;
using DeviceAgent.SyncML;

namespace DeviceAgent.Testing;

/// <summary>What a Get of one DM tree node answered.</summary>
/// <param name="LocUri">The node read.</param>
/// <param name="Status">The SyncML status code: 200, or e.g. 404 (not found), 405 (no Get access), 425 (not allowed).</param>
/// <param name="Value">The node's value on 200 (an interior node's child list), else null.</param>
public sealed record DmNodeRead(string LocUri, int Status, string? Value);

/// <summary>An admin's device action, as the console offers it (docs/reference/remotelock.md §4).</summary>
public enum PhoneAction
{
    /// <summary>resetPasscode with RemoteLock LockAndRecoverPIN: the PIN reset service makes a new PIN, keys are kept.</summary>
    NewPasscode,

    /// <summary>resetPasscode with RemoteLock LockAndResetPIN: the phone makes a new PIN and resets Windows Hello.</summary>
    ResetPasscode,

    /// <summary>remoteLock: RemoteLock Lock.</summary>
    RemoteLock,
}

/// <summary>What the console shows for a device action: its Graph actionState, the label, the passcode while visible and the failure reason.</summary>
/// <param name="ActionId">The action's ID (the server's X-MockMdm-ActionId).</param>
/// <param name="State">Graph's actionState.</param>
/// <param name="DisplayState">The console's label, e.g. "New Passcode Failed".</param>
/// <param name="Passcode">The generated passcode while the console shows it, else null.</param>
/// <param name="Reason">Why it failed, in the server's words, else null.</param>
public sealed record ActionOutcome(string ActionId, ActionState State, string? DisplayState, string? Passcode, string? Reason)
{
    /// <summary>True once the action is over (done, failed, canceled or not supported).</summary>
    public bool IsFinished => State is ActionState.Done or ActionState.Failed or ActionState.Canceled or ActionState.NotSupported;
}

/// <summary>An action queued for a phone; <see cref="CompleteAsync"/> runs the phone's sessions until it is over.</summary>
public sealed class QueuedAction
{
    private readonly TestPhone _phone;

    internal QueuedAction(TestPhone phone, PhoneAction action, string actionId)
    {
        _phone = phone;
        Action = action;
        ActionId = actionId;
    }

    /// <summary>What was asked.</summary>
    public PhoneAction Action { get; }

    /// <summary>The server's ID of the action.</summary>
    public string ActionId { get; }

    /// <summary>What the console shows now, without running a session.</summary>
    public async Task<ActionOutcome> GetOutcomeAsync(CancellationToken cancellationToken = default)
    {
        var results = await _phone.Server.Api.GetAsync($"api/deviceManagement/managedDevices/{Uri.EscapeDataString(_phone.ManagedDeviceId)}/deviceActionResults", cancellationToken).ConfigureAwait(false);
        foreach (var result in results.GetProperty("value").EnumerateArray())
        {
            if (result.GetProperty("id").GetString() == ActionId)
            {
                static string? Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
                var state = Enum.Parse<ActionState>(Text(result, "actionState") ?? nameof(ActionState.None), ignoreCase: true);
                return new ActionOutcome(ActionId, state, Text(result, "displayState"), Text(result, "passcode"), Text(result, "reason"));
            }
        }

        throw new InvalidOperationException($"the server lists no action {ActionId} for {_phone.Name}");
    }

    /// <summary>
    /// Runs the phone's sessions (at most <paramref name="maxSessions"/>) until the action is over, and returns its end
    /// state. A session that does not complete is an <see cref="InvalidOperationException"/> naming how it ended.
    /// </summary>
    public async Task<ActionOutcome> CompleteAsync(int maxSessions = 3, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSessions, 1);
        var outcome = await GetOutcomeAsync(cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < maxSessions && !outcome.IsFinished; i++)
        {
            var session = await _phone.SyncAsync(cancellationToken).ConfigureAwait(false);
            if (!session.Succeeded)
            {
                throw new InvalidOperationException($"{_phone.Name}: session {session.SessionID} ended {session.Outcome}: {session.Reason}", session.Error);
            }

            outcome = await GetOutcomeAsync(cancellationToken).ConfigureAwait(false);
        }

        return outcome;
    }
}

/// <summary>
/// An emulated Windows 10 Mobile phone enrolled in an <see cref="MdmTestServer"/>: run its sessions, queue actions
/// for it and await them, read its DM tree, NGC event log and SyncML trace, use its lock screen.
/// <see cref="Device"/> is the full emulated device for anything else.
/// </summary>
public sealed class TestPhone : IDisposable
{
    private readonly IDisposable? _publishedLog;

    internal TestPhone(MdmTestServer server, EmulatedDevice device, IDisposable? publishedLog)
    {
        Server = server;
        Device = device;
        _publishedLog = publishedLog;
        ManagedDeviceId = device.ManagedDeviceId ?? throw new InvalidOperationException($"{device.Name} has no managed device ID after enrollment");
    }

    /// <summary>The server the phone is enrolled in.</summary>
    public MdmTestServer Server { get; }

    /// <summary>The emulated device (DeviceAgent.Emulator), for what this class does not wrap.</summary>
    public EmulatedDevice Device { get; }

    /// <summary>The phone's name.</summary>
    public string Name => Device.Name;

    /// <summary>The server's managed device ID (the CN of the enrollment certificate).</summary>
    public string ManagedDeviceId { get; }

    /// <summary>./DevInfo/DevId, as package 1 reports it.</summary>
    public string DevId => Device.Profile.DevId;

    /// <summary>Runs one client-initiated OMA-DM session and returns how it ended (the test asserts on it).</summary>
    public Task<DmSessionResult> SyncAsync(CancellationToken cancellationToken = default) =>
        Device.SyncAsync(cancellationToken: cancellationToken);

    /// <summary>Asks the server for <paramref name="action"/> on this phone; a refusal is an MdmApiException with the server's message.</summary>
    public async Task<QueuedAction> QueueAsync(PhoneAction action, CancellationToken cancellationToken = default)
    {
        var (graphAction, method) = action switch
        {
            PhoneAction.NewPasscode => ("resetPasscode", "LockAndRecoverPIN"),
            PhoneAction.ResetPasscode => ("resetPasscode", "LockAndResetPIN"),
            PhoneAction.RemoteLock => ("remoteLock", (string?)null),
            _ => throw new ArgumentOutOfRangeException(nameof(action), action, "not a phone action"),
        };
        var id = await Server.Api.RequestActionAsync(ManagedDeviceId, graphAction, method, cancellationToken).ConfigureAwait(false);
        return new QueuedAction(this, action, id);
    }

    /// <summary>Queues <paramref name="action"/>, runs sessions until it is over and returns its end state.</summary>
    public async Task<ActionOutcome> RunActionAsync(PhoneAction action, CancellationToken cancellationToken = default)
    {
        var queued = await QueueAsync(action, cancellationToken).ConfigureAwait(false);
        return await queued.CompleteAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads a DM tree node as a server's Get would (the phone's own command executor, its access rules and CSP
    /// handlers): the Status code and, on 200, the value; an interior node's value is its child list ("a/b/c"). A Get
    /// has a Get's effects: a one-time node such as RemoteLock NewPINValue is spent by it.
    /// </summary>
    public async Task<DmNodeRead> ReadNodeAsync(string locUri, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(locUri);
        var get = new Get { CmdID = "1" };
        get.Items.Add(new Item { Target = new LocationElement(locUri) });
        var answers = await Device.Executor.ExecuteAsync([get], "1", cancellationToken).ConfigureAwait(false);
        var status = answers.OfType<Status>().First(s => s.CmdRef == "1");
        var value = answers.OfType<Results>().FirstOrDefault(r => r.CmdRef == "1") is { } results && results.Items.Count > 0 ? results.Items[0].Data?.Value : null;
        return new DmNodeRead(locUri, int.Parse(status.Data ?? "0", NumberStyles.None, CultureInfo.InvariantCulture), value);
    }

    /// <summary>The phone's NGC (Windows Hello) event log so far, one entry per operation (docs/ngc.md).</summary>
    public IReadOnlyList<NgcEventLogEntry> NgcLog => Device.EventLog.Entries();

    /// <summary>The NGC event log as text lines, as `deviceagent device log` prints them.</summary>
    public IReadOnlyList<string> NgcLogLines => [.. Device.EventLog.Events.Select(e => e.ToString())];

    /// <summary>The SyncML exchanges so far, in SyncMLViewer's stream format (`deviceagent trace show` reads it).</summary>
    public string TraceText => Device.Trace.GetText();

    /// <summary>The SyncML messages so far, each with its session number.</summary>
    public IReadOnlyList<TracedMessage> TraceMessages => SyncMLTrace.Read(TraceText);

    /// <summary>Whether the lock screen is up (after a RemoteLock, or a reset that asks for a new PIN).</summary>
    public bool IsLocked => Device.LockScreen.IsLocked;

    /// <summary>The PIN the user knows (initial, or the last one set at the lock screen).</summary>
    public string? CurrentPin => Device.CurrentPin;

    /// <summary>The user types <paramref name="pin"/> at the lock screen, and a new PIN when one is asked for.</summary>
    public Task<UnlockAttempt> UnlockAsync(string pin, string? newPin = null, CancellationToken cancellationToken = default) =>
        Device.UnlockAsync(pin, newPin, cancellationToken);

    /// <summary>Writes the trace and NGC log into <c>directory/Name/</c> (for a CI artifact) and returns that folder.</summary>
    public string SaveArtifacts(string directory) => Device.SaveArtifacts(directory);

    /// <summary>A one-line description for test output.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name} ({ManagedDeviceId}, {Device.SessionCount} sessions)");

    /// <summary>Withdraws the phone's log from the embedded console and disposes the device.</summary>
    public void Dispose()
    {
        _publishedLog?.Dispose();
        Device.Dispose();
    }
}

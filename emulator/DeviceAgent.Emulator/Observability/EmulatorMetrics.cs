using System.Diagnostics.Metrics;
using System.Globalization;
using DeviceAgent.Csp;
using DeviceAgent.Session;
using DeviceAgent.SyncML;

namespace DeviceAgent.Emulator.Observability;

/// <summary>
/// The emulator's meter "DeviceAgent.Emulator" (docs/emulator.md "Logs and metrics"): sessions, command statuses,
/// enrollments and passcode actions as the phones see them, the device-side mirror of the server's
/// <c>DeviceAgent.MockMdm</c> meter. Instrument names follow OpenTelemetry's style. Devices feed it through
/// <see cref="Devices.EmulatorOptions.Metrics"/>; fleets and scenarios share one per run.
/// </summary>
public sealed class EmulatorMetrics : IDisposable
{
    /// <summary>The meter's name, for <c>dotnet-counters monitor --counters DeviceAgent.Emulator</c> or an OpenTelemetry exporter.</summary>
    public const string MeterName = "DeviceAgent.Emulator";

    /// <summary>The emulator's activity source: one span per device session and per enrollment (docs/observability.md "Traces").</summary>
    public const string ActivitySourceName = "DeviceAgent.Emulator";

    internal static readonly System.Diagnostics.ActivitySource Source = new(ActivitySourceName, MockMdm.Observability.Telemetry.Version);

    private readonly Meter? _ownedMeter;
    private readonly Counter<long> _sessions;
    private readonly Counter<long> _commands;
    private readonly Counter<long> _enrollments;
    private readonly Counter<long> _passcodeActions;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/> (a host's), or on a meter of its own when null.</summary>
    public EmulatorMetrics(IMeterFactory? meterFactory = null)
    {
        Meter = meterFactory?.Create(MeterName) ?? (_ownedMeter = new Meter(MeterName));
        _sessions = Meter.CreateCounter<long>("deviceagent.omadm.sessions", "{session}", "OMA-DM sessions the devices ran, by how they ended (tag outcome).");
        _commands = Meter.CreateCounter<long>("deviceagent.omadm.commands", "{command}", "Server commands the devices answered, by the status they gave (tag status).");
        _enrollments = Meter.CreateCounter<long>("deviceagent.enrollments", "{enrollment}", "MS-MDE2 enrollments the devices attempted (tags result, subcode).");
        _passcodeActions = Meter.CreateCounter<long>("deviceagent.passcode_actions", "{action}", "RemoteLock Execs the devices ran (tags action, result).");
    }

    /// <summary>The meter the instruments live on (a MeterListener can pick exactly these).</summary>
    public Meter Meter { get; }

    /// <summary>A session ended; tag outcome is the <see cref="DmSessionState"/> (Completed, AbortedByServer, AbortedByClient, Failed).</summary>
    public void SessionEnded(DmSessionResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        _sessions.Add(1, new KeyValuePair<string, object?>("outcome", result.Outcome.ToString()));
    }

    /// <summary>A device answered one server command; a RemoteLock Exec also counts as a passcode action.</summary>
    public void CommandAnswered(SyncMLCommand command, Status status)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(status);
        var code = status.Data?.Trim() ?? "";
        _commands.Add(1, new KeyValuePair<string, object?>("status", code));
        if (command is Exec exec && RemoteLockAction(exec) is { } action)
        {
            var succeeded = int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is >= 200 and < 300;
            _passcodeActions.Add(1,
                new KeyValuePair<string, object?>("action", action),
                new KeyValuePair<string, object?>("result", succeeded ? "succeeded" : "failed"));
        }
    }

    /// <summary>An enrollment ended: result "enrolled" (subcode empty) or "refused" with the MS-MDE2 fault subcode or "Protocol".</summary>
    public void Enrollment(string result, string subcode) =>
        _enrollments.Add(1, new KeyValuePair<string, object?>("result", result), new KeyValuePair<string, object?>("subcode", subcode));

    /// <summary>Disposes the meter when this object made it (a factory's meters are the factory's).</summary>
    public void Dispose() => _ownedMeter?.Dispose();

    // Lock, LockAndResetPIN or LockAndRecoverPIN when the Exec targets the RemoteLock CSP (./Device/Vendor/MSFT/RemoteLock
    // or the 1703 DDF's ./Vendor/MSFT/RemoteLock, docs/reference/remotelock.md); null for any other Exec.
    private static string? RemoteLockAction(Exec exec)
    {
        var uri = exec.Items.FirstOrDefault()?.Target?.LocURI;
        if (uri is null)
        {
            return null;
        }

        foreach (var root in (string[])[RemoteLockCsp.Root, "./Vendor/MSFT/RemoteLock"])
        {
            if (uri.StartsWith(root + "/", StringComparison.Ordinal))
            {
                var name = uri[(root.Length + 1)..];
                return Enum.GetNames<RemoteLockAction>().Contains(name, StringComparer.Ordinal) ? name : null;
            }
        }

        return null;
    }
}

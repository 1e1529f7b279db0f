using System.Diagnostics.Metrics;

namespace MockMdm.Observability;

/// <summary>
/// The server's meter "DeviceAgent.MockMdm" (docs/mock-mdm.md "Logs and metrics"), made through the host's
/// IMeterFactory so each server (and each test's server) has its own. Instrument names follow OpenTelemetry's style.
/// </summary>
public sealed class MockMdmMetrics
{
    public const string MeterName = "DeviceAgent.MockMdm";

    private readonly Counter<long> _sessions;
    private readonly Counter<long> _commands;
    private readonly Counter<long> _enrollments;
    private readonly Counter<long> _actions;

    public MockMdmMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _sessions = meter.CreateCounter<long>("mockmdm.omadm.sessions", "{session}", "OMA-DM sessions started by enrolled devices.");
        _commands = meter.CreateCounter<long>("mockmdm.omadm.commands", "{command}", "Queued commands the device answered, by the status it gave (tag status).");
        _enrollments = meter.CreateCounter<long>("mockmdm.enrollments", "{enrollment}", "MS-MDE2 requests that enrolled a device or were refused (tags result, step).");
        _actions = meter.CreateCounter<long>("mockmdm.actions", "{action}", "Device actions requested through the admin API (tags action, result).");
    }

    public void SessionStarted() => _sessions.Add(1);

    public void CommandAnswered(int status) =>
        _commands.Add(1, new KeyValuePair<string, object?>("status", status.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>A device enrolled (step "enrollment") or a step of enrollment refused it.</summary>
    public void Enrollment(string result, string step) =>
        _enrollments.Add(1, new KeyValuePair<string, object?>("result", result), new KeyValuePair<string, object?>("step", step));

    /// <summary>An admin asked for an action; result "queued" or "refused".</summary>
    public void Action(string action, string result) =>
        _actions.Add(1, new KeyValuePair<string, object?>("action", action), new KeyValuePair<string, object?>("result", result));
}

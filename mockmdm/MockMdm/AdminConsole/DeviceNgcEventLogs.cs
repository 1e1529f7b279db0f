using System.Collections.Concurrent;
using DeviceAgent.Protocol;

namespace MockMdm.AdminConsole;

/// <summary>
/// NGC event logs that devices hosted in the server's process have published (docs/console.md "NGC event log"). A
/// real device keeps its NGC log to itself, so the server has one only for an emulated device whose host called
/// <see cref="Publish"/>; the console says so when a device has none.
/// </summary>
public sealed class DeviceNgcEventLogs
{
    private readonly ConcurrentDictionary<string, Func<IReadOnlyList<NgcEventLogEntry>>> _byDevId = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Makes <paramref name="log"/> (read each time the console asks) the live NGC event log of the device whose ./DevInfo/DevId is <paramref name="devId"/>
    /// (the LocURI it sends as SyncHdr Source, which the emulator knows without asking the server). Replaces an earlier one.
    /// </summary>
    public void Publish(string devId, Func<IReadOnlyList<NgcEventLogEntry>> log)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(devId);
        ArgumentNullException.ThrowIfNull(log);
        _byDevId[devId] = log;
    }

    /// <summary>Stops showing the device's log (the emulated device was disposed); false when none was published.</summary>
    public bool Withdraw(string devId)
    {
        ArgumentNullException.ThrowIfNull(devId);
        return _byDevId.TryRemove(devId, out _);
    }

    /// <summary>The events of the log published for <paramref name="devId"/>, oldest first, or null when none was.</summary>
    public IReadOnlyList<NgcEventLogEntry>? Find(string? devId) =>
        devId is not null && _byDevId.TryGetValue(devId, out var log) ? log() : null;
}

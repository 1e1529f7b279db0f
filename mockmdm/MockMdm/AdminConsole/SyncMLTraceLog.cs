using System.Collections.Concurrent;
using System.Text;

namespace MockMdm.AdminConsole;

/// <summary>Which way a traced SyncML message went.</summary>
public enum SyncMLDirection
{
    /// <summary>Device to server (the HTTP request).</summary>
    FromDevice,

    /// <summary>Server to device (the HTTP response).</summary>
    ToDevice,
}

/// <summary>One SyncML message of a device's OMA-DM traffic as the server saw it on the wire.</summary>
/// <param name="Sequence">Increases by one per message across all devices, so a client can ask only for newer ones.</param>
/// <param name="Time">When the server received or answered it (the server's TimeProvider).</param>
/// <param name="HttpStatus">The HTTP status of the exchange (a refused message is traced too).</param>
/// <param name="Text">The message as UTF-8 text (bytes that are not UTF-8 are shown replaced, never interpreted).</param>
public sealed record SyncMLTraceEntry(long Sequence, DateTimeOffset Time, SyncMLDirection Direction, int HttpStatus, string Text);

/// <summary>
/// The SyncML each device exchanged with the server, newest kept, oldest dropped (docs/console.md "SyncML trace"). In
/// memory only: a trace is for watching a session, not an audit log, so it does not survive a restart.
/// </summary>
public sealed class SyncMLTraceLog
{
    /// <summary>Messages kept per device unless configured otherwise.</summary>
    public const int DefaultCapacityPerDevice = 400;

    /// <summary>Longest message text kept; a longer one is cut and says so.</summary>
    public const int MaxMessageChars = 256 * 1024;

    private readonly ConcurrentDictionary<string, Queue<SyncMLTraceEntry>> _byDevice = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _sequence;

    /// <summary>Creates an empty log keeping <paramref name="capacityPerDevice"/> messages per device.</summary>
    public SyncMLTraceLog(int capacityPerDevice = DefaultCapacityPerDevice)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacityPerDevice, 1);
        CapacityPerDevice = capacityPerDevice;
    }

    /// <summary>Most messages kept per device.</summary>
    public int CapacityPerDevice { get; }

    /// <summary>Records one message of the managed device <paramref name="deviceId"/>.</summary>
    public SyncMLTraceEntry Record(string deviceId, DateTimeOffset time, SyncMLDirection direction, int httpStatus, ReadOnlySpan<byte> bytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(deviceId);
        var text = Encoding.UTF8.GetString(bytes.Length > MaxMessageChars ? bytes[..MaxMessageChars] : bytes);
        if (bytes.Length > MaxMessageChars)
        {
            text += $"\n[trace cut: the message has {bytes.Length} bytes, {MaxMessageChars} are kept]";
        }

        var queue = _byDevice.GetOrAdd(deviceId, _ => new Queue<SyncMLTraceEntry>());
        lock (_gate)
        {
            var entry = new SyncMLTraceEntry(++_sequence, time, direction, httpStatus, text);
            if (queue.Count == CapacityPerDevice)
            {
                queue.Dequeue();
            }

            queue.Enqueue(entry);
            return entry;
        }
    }

    /// <summary>The device's messages with a sequence number above <paramref name="after"/>, oldest first.</summary>
    public IReadOnlyList<SyncMLTraceEntry> For(string deviceId, long after = 0)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        if (!_byDevice.TryGetValue(deviceId, out var queue))
        {
            return [];
        }

        lock (_gate)
        {
            return queue.Where(e => e.Sequence > after).ToArray();
        }
    }
}

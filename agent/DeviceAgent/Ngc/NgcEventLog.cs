using System.Globalization;
using System.Text;
using DeviceAgent.Protocol;

namespace DeviceAgent.Ngc;

/// <summary>NGC operations as the event log names them.</summary>
public enum NgcOperation
{
    /// <summary><see cref="INgcKeyStorage.CreateContainerAsync"/>.</summary>
    CreateContainer,

    /// <summary><see cref="INgcKeyStorage.GetContainerInfoAsync"/>.</summary>
    GetContainerInfo,

    /// <summary><see cref="INgcKeyStorage.VerifyPinAsync"/>.</summary>
    VerifyPin,

    /// <summary><see cref="INgcKeyStorage.ChangePinAsync"/>.</summary>
    ChangePin,

    /// <summary><see cref="INgcKeyStorage.LockAsync"/>.</summary>
    Lock,

    /// <summary><see cref="INgcKeyStorage.ResetPinDestructiveAsync"/>.</summary>
    ResetPinDestructive,

    /// <summary><see cref="INgcKeyStorage.EnablePinRecoveryAsync"/>.</summary>
    EnablePinRecovery,

    /// <summary><see cref="INgcKeyStorage.DisablePinRecoveryAsync"/>.</summary>
    DisablePinRecovery,

    /// <summary><see cref="INgcKeyStorage.GetEncryptedRecoveryProtectorAsync"/>.</summary>
    GetEncryptedRecoveryProtector,

    /// <summary><see cref="INgcKeyStorage.RecoverPinAsync"/>.</summary>
    RecoverPin,

    /// <summary><see cref="INgcKeyStorage.CreateKeyAsync"/>.</summary>
    CreateKey,

    /// <summary><see cref="INgcKeyStorage.OpenKeyAsync"/>.</summary>
    OpenKey,

    /// <summary><see cref="INgcKeyStorage.ListKeysAsync"/>.</summary>
    ListKeys,

    /// <summary><see cref="INgcKeyStorage.SignAsync"/>.</summary>
    Sign,

    /// <summary><see cref="INgcKeyStorage.DeleteKeyAsync"/>.</summary>
    DeleteKey,

    /// <summary><see cref="INgcKeyStorage.DeleteContainerAsync"/>.</summary>
    DeleteContainer,
}

/// <summary>One entry of a device's NGC event log. Never holds a PIN or key material.</summary>
/// <param name="Time">When the operation finished.</param>
/// <param name="Source">The emitting component (see <see cref="NgcEventLog.DefaultSource"/>).</param>
/// <param name="Operation">What was attempted.</param>
/// <param name="Outcome">Its result, printed by name (e.g. InvalidPinTooFewCharacters).</param>
/// <param name="UserId">Whose container.</param>
/// <param name="Detail">Extra context such as a key name or a tenant; null when none.</param>
public sealed record NgcEvent(DateTimeOffset Time, string Source, NgcOperation Operation, NgcOutcome Outcome, string UserId, string? Detail)
{
    /// <summary>The event as it leaves the device (operation and outcome by name, the printed line beside them).</summary>
    public NgcEventLogEntry ToEntry() => new(Time, Source, Operation.ToString(), Outcome.ToString(), UserId, Detail, ToString());

    /// <summary>
    /// One line: <c>2017-06-01T12:00:00.000Z Microsoft.Windows.Security.NGC.KspSvc VerifyPin IncorrectPin user=alice [detail]</c>.
    /// Fields are space-separated; user and detail are quoted when they contain white space, quotes or '=' (docs/ngc.md).
    /// </summary>
    public override string ToString()
    {
        var line = new StringBuilder()
            .Append(Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture))
            .Append(' ').Append(Source)
            .Append(' ').Append(Operation)
            .Append(' ').Append(Outcome)
            .Append(" user=").Append(Quote(UserId));
        if (Detail is not null)
        {
            line.Append(' ').Append(Quote(Detail));
        }

        return line.ToString();
    }

    private static string Quote(string value) =>
        value.Length > 0 && !value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '"' or '\\')
            ? value
            : "\"" + string.Concat(value.Select(Escape)) + "\"";

    private static string Escape(char c) => c switch
    {
        '"' => "\\\"",
        '\\' => "\\\\",
        '\n' => "\\n",
        '\r' => "\\r",
        '\t' => "\\t",
        _ when char.IsControl(c) => $"\\u{(int)c:x4}",
        _ => c.ToString(),
    };
}

/// <summary>
/// A device's NGC event log, in the spirit of the phone security log Field Medic captures: every NGC operation with
/// time, source, operation and outcome. Bounded (oldest dropped first) and thread-safe; queryable in tests.
/// </summary>
public sealed class NgcEventLog
{
    /// <summary>
    /// Default source name. Unverified: no public source confirms this component name (docs/reference/pin-reset.md §4 and 9 item 10);
    /// it is kept because the project brief uses it, and is configurable.
    /// </summary>
    public const string DefaultSource = "Microsoft.Windows.Security.NGC.KspSvc";

    /// <summary>Default number of _events kept.</summary>
    public const int DefaultCapacity = 10_000;

    private readonly Queue<NgcEvent> _events = new();
    private readonly TimeProvider _timeProvider;
    private readonly Lock _gate = new();

    /// <summary>Creates an empty log.</summary>
    public NgcEventLog(TimeProvider? timeProvider = null, string source = DefaultSource, int capacity = DefaultCapacity)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        if (source.Any(char.IsWhiteSpace))
        {
            throw new ArgumentException("The event source must not contain white space: it is one field of a printed line.", nameof(source));
        }

        _timeProvider = timeProvider ?? TimeProvider.System;
        Source = source;
        Capacity = capacity;
    }

    /// <summary>The source written on every event.</summary>
    public string Source { get; }

    /// <summary>Most _events kept.</summary>
    public int Capacity { get; }

    /// <summary>Records one operation now.</summary>
    public NgcEvent Append(NgcOperation operation, NgcOutcome outcome, string userId, string? detail = null)
    {
        ArgumentNullException.ThrowIfNull(userId);
        var entry = new NgcEvent(_timeProvider.GetUtcNow(), Source, operation, outcome, userId, detail);
        lock (_gate)
        {
            if (_events.Count == Capacity)
            {
                _events.Dequeue();
            }

            _events.Enqueue(entry);
        }

        return entry;
    }

    /// <summary>The _events as they leave the device, oldest first (<see cref="NgcEvent.ToEntry"/>).</summary>
    public IReadOnlyList<NgcEventLogEntry> Entries() => Events.Select(e => e.ToEntry()).ToArray();

    /// <summary>Every event kept, oldest first.</summary>
    public IReadOnlyList<NgcEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return _events.ToArray();
            }
        }
    }

    /// <summary>Events matching every filter given, oldest first.</summary>
    public IReadOnlyList<NgcEvent> Query(NgcOperation? operation = null, NgcOutcome? outcome = null, string? userId = null) =>
        Events.Where(e => (operation is null || e.Operation == operation)
                          && (outcome is null || e.Outcome == outcome)
                          && (userId is null || e.UserId == userId)).ToArray();

    /// <summary>Writes one line per event.</summary>
    public void WriteTo(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        foreach (var entry in Events)
        {
            writer.WriteLine(entry.ToString());
        }
    }

    /// <summary>Empties the log.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _events.Clear();
        }
    }

    /// <summary>The whole log, one line per event.</summary>
    public override string ToString()
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        WriteTo(writer);
        return writer.ToString();
    }
}

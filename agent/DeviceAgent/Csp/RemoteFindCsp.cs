using System.Globalization;
using DeviceAgent.Dm;
using DeviceAgent.SyncML;

namespace DeviceAgent.Csp;

/// <summary>
/// ./Device/Vendor/MSFT/RemoteFind (RemoteFind CSP page; the 1607 DDF, unchanged in 1703/1709): the phone's location
/// from its device spec. DesiredAccuracy (1-1000 m, default 50), Timeout (0-1800 s, default 7) and MaximumAge
/// (0-1440 min, default 60) are replaced for the current session only (<see cref="EndSession"/> restores them). The
/// Location leaves read in one message come from one fix (docs/csps.md "RemoteFind"): the last fix when it is no older
/// than MaximumAge, else a new one (age 0), unless Timeout is 0 (no time to take one: the last fix is answered).
/// </summary>
public sealed class RemoteFindCsp : CspHandler, ICspMessageObserver
{
    /// <summary>The CSP root in the tree.</summary>
    public const string Root = "./Device/Vendor/MSFT/RemoteFind";

    private static readonly Dictionary<string, (int Default, int Min, int Max)> s_settings = new(StringComparer.Ordinal)
    {
        ["DesiredAccuracy"] = (50, 1, 1000),
        ["Timeout"] = (7, 0, 1800),
        ["MaximumAge"] = (60, 0, 1440),
    };

    private readonly DeviceProfile _profile;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, int> _session = new(StringComparer.Ordinal);
    private DateTimeOffset _lastFix;
    private DateTimeOffset? _messageFix;

    /// <summary>Answers the location of <paramref name="profile"/>; its last fix was taken <see cref="DeviceProfile.LocationFixAge"/> before now.</summary>
    public RemoteFindCsp(DeviceProfile profile, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(time);
        _profile = profile;
        _time = time;
        _lastFix = time.GetUtcNow() - profile.LocationFixAge;
    }

    /// <inheritdoc/>
    public override IReadOnlyList<string> Roots { get; } = [Root];

    /// <summary>The value of a session setting (DesiredAccuracy, Timeout, MaximumAge) in force.</summary>
    public int Setting(string name) => _session.TryGetValue(name, out var value) ? value : s_settings[name].Default;

    /// <summary>The settings a server replaced go back to their defaults (called when a session has ended).</summary>
    public void EndSession() => _session.Clear();

    /// <summary>Answers the session settings and the Location leaves; other nodes come from the tree.</summary>
    public override ValueTask<CspReadResult> GetAsync(CspContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var path = context.RelativePath;
        if (s_settings.ContainsKey(path))
        {
            return new(CspReadResult.Of(Setting(path).ToString(CultureInfo.InvariantCulture)));
        }

        if (!path.StartsWith("Location/", StringComparison.Ordinal))
        {
            return new(CspReadResult.FromTree);
        }

        var fix = _messageFix ??= TakeFix();
        return new(path switch
        {
            "Location/Latitude" => CspReadResult.Of(_profile.Latitude.ToString("0.######", CultureInfo.InvariantCulture)),
            "Location/Longitude" => CspReadResult.Of(_profile.Longitude.ToString("0.######", CultureInfo.InvariantCulture)),
            "Location/Altitude" => CspReadResult.Of(_profile.Altitude.ToString("0.##", CultureInfo.InvariantCulture)),
            "Location/Accuracy" => CspReadResult.Of(_profile.LocationAccuracyMeters.ToString(CultureInfo.InvariantCulture)),
            "Location/AltitudeAccuracy" => CspReadResult.Of(_profile.AltitudeAccuracyMeters.ToString(CultureInfo.InvariantCulture)),
            // The page: the age in 100-nanosecond units, an integer (the DDF's format is time; docs/csps.md).
            "Location/Age" => CspReadResult.Of((_time.GetUtcNow() - fix).Ticks.ToString(CultureInfo.InvariantCulture)),
            _ => CspReadResult.FromTree,
        });
    }

    /// <summary>Checks a Replace of a session setting against the page's range (500 outside it) and keeps it for the session.</summary>
    public override ValueTask<CspResult> OnWritingAsync(CspWriteContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!s_settings.TryGetValue(context.RelativePath, out var range) || context.Kind != CspWriteKind.Replace)
        {
            return new(CspResult.Ok);
        }

        if (!int.TryParse(context.NewValue, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < range.Min || value > range.Max)
        {
            return new(CspResult.Fail(StatusCodes.CommandFailed));
        }

        var name = context.RelativePath;
        var had = _session.TryGetValue(name, out var previous);
        _session[name] = value;
        return new(CspResult.Success(() =>
        {
            if (had)
            {
                _session[name] = previous;
            }
            else
            {
                _session.Remove(name);
            }
        }));
    }

    /// <summary>The next message's Location reads take a fix of their own.</summary>
    public void OnMessageCompleted() => _messageFix = null;

    private DateTimeOffset TakeFix()
    {
        var now = _time.GetUtcNow();
        if (now - _lastFix > TimeSpan.FromMinutes(Setting("MaximumAge")) && Setting("Timeout") > 0)
        {
            _lastFix = now;
        }

        return _lastFix;
    }
}

/// <summary>
/// ./User/Vendor/MSFT/RemoteRing (RemoteRing CSP page; the 1703 DDF): Exec of Ring makes the phone ring. The DDF gives
/// Ring the AccessType Get while its description and the page say Exec: the phone allows both (docs/csps.md
/// "RemoteRing"; <see cref="DdfSet"/> adds Exec when it loads the file). Get answers the null-format node.
/// </summary>
public sealed class RemoteRingCsp : CspHandler
{
    /// <summary>The CSP root in the tree.</summary>
    public const string Root = "./User/Vendor/MSFT/RemoteRing";

    private readonly TimeProvider _time;
    private readonly List<DateTimeOffset> _rings = [];

    /// <summary>A ringer that dates each ring with <paramref name="time"/>.</summary>
    public RemoteRingCsp(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
    }

    /// <inheritdoc/>
    public override IReadOnlyList<string> Roots { get; } = [Root];

    /// <summary>When the phone rang, oldest first.</summary>
    public IReadOnlyList<DateTimeOffset> Rings => _rings;

    /// <summary>Raised when the phone starts ringing (the emulator records it in the device's trace).</summary>
    public event Action<DateTimeOffset>? Rang;

    /// <summary>Exec Ring: the phone rings at once; a ring cannot be taken back, so an Atomic rollback of it reports 516.</summary>
    public override ValueTask<CspResult> ExecAsync(CspExecContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.RelativePath != "Ring")
        {
            return new(CspResult.Fail(StatusCodes.OptionalFeatureNotSupported));
        }

        var now = _time.GetUtcNow();
        _rings.Add(now);
        Rang?.Invoke(now);
        return new(CspResult.Irreversible("the phone has rung"));
    }
}

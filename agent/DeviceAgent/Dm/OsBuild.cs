using System.Globalization;

namespace DeviceAgent.Dm;

/// <summary>A Windows OS build "Major.Minor.Build[.QFE]" such as 10.0.15063.0 (DDF MSFT:OsBuildVersion entries omit the QFE).</summary>
public readonly record struct OsBuild(int Major, int Minor, int Build, int? Qfe = null) : IComparable<OsBuild>
{
    /// <summary>Whether <paramref name="left"/> is an older build than <paramref name="right"/>.</summary>
    public static bool operator <(OsBuild left, OsBuild right) => left.CompareTo(right) < 0;

    /// <summary>Whether <paramref name="left"/> is the same build as <paramref name="right"/> or older.</summary>
    public static bool operator <=(OsBuild left, OsBuild right) => left.CompareTo(right) <= 0;

    /// <summary>Whether <paramref name="left"/> is a newer build than <paramref name="right"/>.</summary>
    public static bool operator >(OsBuild left, OsBuild right) => left.CompareTo(right) > 0;

    /// <summary>Whether <paramref name="left"/> is the same build as <paramref name="right"/> or newer.</summary>
    public static bool operator >=(OsBuild left, OsBuild right) => left.CompareTo(right) >= 0;

    /// <summary>Parses "10.0.15063" or "10.0.15063.297".</summary>
    public static bool TryParse(string? text, out OsBuild build)
    {
        build = default;
        if (text is null)
        {
            return false;
        }

        var parts = text.Trim().Split('.');
        if (parts.Length is < 3 or > 4)
        {
            return false;
        }

        Span<int> numbers = stackalloc int[4];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i]))
            {
                return false;
            }
        }

        build = new OsBuild(numbers[0], numbers[1], numbers[2], parts.Length == 4 ? numbers[3] : null);
        return true;
    }

    /// <summary>Parses or throws <see cref="FormatException"/> naming the bad text.</summary>
    public static OsBuild Parse(string text) =>
        TryParse(text, out var build) ? build : throw new FormatException($"'{text}' is not an OS build of the form 10.0.15063[.0]");

    /// <summary>Compares Major.Minor.Build only.</summary>
    public int CompareTo(OsBuild other)
    {
        var c = Major.CompareTo(other.Major);
        if (c == 0)
        {
            c = Minor.CompareTo(other.Minor);
        }

        return c == 0 ? Build.CompareTo(other.Build) : c;
    }

    /// <summary>
    /// True when a DDF MSFT:OsBuildVersion value applies to this build. The value is a comma list when a node was
    /// back-ported ("10.0.22621, 10.0.22000.527, 10.0.19044.1566"): the entry with the highest build at or below this
    /// one decides; on the same build its QFE must be reached. Unparsable entries ("99.9.99999" is Insider-only) never apply.
    /// </summary>
    public bool Satisfies(string osBuildVersion)
    {
        OsBuild? best = null;
        foreach (var part in osBuildVersion.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (TryParse(part, out var entry) && entry.CompareTo(this) <= 0 && (best is null || entry.CompareTo(best.Value) > 0))
            {
                best = entry;
            }
        }

        if (best is not { } decider)
        {
            return false;
        }

        return decider.CompareTo(this) < 0 || decider.Qfe is not { } qfe || (Qfe ?? 0) >= qfe;
    }

    /// <inheritdoc/>
    public override string ToString() =>
        Qfe is { } qfe ? $"{Major}.{Minor}.{Build}.{qfe}" : $"{Major}.{Minor}.{Build}";
}

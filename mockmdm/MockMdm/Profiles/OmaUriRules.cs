using System.Globalization;

namespace MockMdm.Profiles;

/// <summary>Checks of custom OMA-URI settings: errors refuse the profile, warnings are stored and shown with it.</summary>
public static class OmaUriRules
{
    private const int MaxUriLength = 1024;

    /// <summary>PassportForWork nodes that sit beside the {TenantId} node rather than under it (PassportForWork DDF).</summary>
    private static readonly HashSet<string> s_tenantlessPassportNodes =
        new(["Biometrics", "DeviceUnlock", "DynamicLock", "SecurityKey"], StringComparer.Ordinal);

    /// <summary>Why the OMA-URI is malformed (docs/reference/omadm.md §10 "URI syntax", 1.8 parser rules), or null.</summary>
    public static string? UriError(string? uri)
    {
        if (string.IsNullOrEmpty(uri))
        {
            return "omaUri is empty";
        }

        if (uri.Length > MaxUriLength)
        {
            return $"omaUri is longer than {MaxUriLength} characters";
        }

        if (!uri.StartsWith("./", StringComparison.Ordinal))
        {
            return $"omaUri '{uri}' must start with \"./\" (e.g. ./Device/Vendor/MSFT/...)";
        }

        if (uri.EndsWith('/'))
        {
            return $"omaUri '{uri}' must not end with \"/\"";
        }

        if (uri.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return $"omaUri '{uri}' contains white space or control characters (percent-encode them)";
        }

        var segments = uri.Split('/');
        for (var i = 1; i < segments.Length; i++)
        {
            if (segments[i].Length == 0)
            {
                return $"omaUri '{uri}' has an empty segment (\"//\")";
            }

            if (segments[i] is "." or "..")
            {
                return $"omaUri '{uri}' uses \"{segments[i]}\" after the first segment";
            }

            if (segments[i] == "*")
            {
                return $"omaUri '{uri}' has a segment that is just \"*\"";
            }
        }

        return segments.Length < 2 ? $"omaUri '{uri}' names no node" : null;
    }

    /// <summary>Why the value does not fit the data type, or null.</summary>
    public static string? ValueError(OmaDataType type, string value) => type switch
    {
        OmaDataType.Boolean when !bool.TryParse(value, out _) => $"a Boolean setting's value must be true or false, not '{value}'",
        OmaDataType.Integer when !int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) =>
            $"an Integer setting's value must be a 32-bit integer, not '{value}'",
        _ => null,
    };

    /// <summary>Problems worth a warning: a PassportForWork URI without the tenant ID segment, a Boolean typed as String.</summary>
    public static IEnumerable<string> Warnings(OmaSetting setting, string tenantId)
    {
        ArgumentNullException.ThrowIfNull(setting);
        var segments = setting.OmaUri.Split('/');
        var passport = Array.FindIndex(segments, s => s.Equals("PassportForWork", StringComparison.OrdinalIgnoreCase));
        if (passport > 0 && passport + 1 < segments.Length)
        {
            var next = segments[passport + 1];
            if (!Guid.TryParse(next, out var tenant) && !s_tenantlessPassportNodes.Contains(next))
            {
                yield return $"'{setting.DisplayName}': {setting.OmaUri} lacks the tenant ID segment: PassportForWork policies live under " +
                             $"./Device/Vendor/MSFT/PassportForWork/{tenantId}/Policies/... (docs/reference/remotelock.md §4)";
            }
            else if (Guid.TryParse(next, out tenant) && !tenant.ToString("D").Equals(tenantId, StringComparison.OrdinalIgnoreCase))
            {
                yield return $"'{setting.DisplayName}': {setting.OmaUri} names tenant {next}, not this tenant ({tenantId})";
            }
        }

        if (setting.DataType == OmaDataType.String && bool.TryParse(setting.Value.Trim(), out _))
        {
            yield return $"'{setting.DisplayName}': the value '{setting.Value}' is a Boolean typed as String: Intune sends it with " +
                         "Format chr, which a bool node may reject; use the Boolean data type (Format bool)";
        }
    }

    /// <summary>The SyncML Meta/Format Intune uses for a data type (docs/reference/omadm.md §10).</summary>
    public static string Format(OmaDataType type) => type switch
    {
        OmaDataType.Boolean => "bool",
        OmaDataType.Integer => "int",
        _ => "chr",
    };
}

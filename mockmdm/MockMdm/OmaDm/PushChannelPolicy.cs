namespace MockMdm.OmaDm;

/// <summary>
/// Which push channel URIs the server accepts from a device and will POST to (docs/security.md "Push"). A channel URI
/// is chosen by the device, so it is hostile input: without this check a device could make the server send requests to
/// any scheme, address and path. A pattern is "scheme://host" where the host may start with "*." (one or more labels
/// in front of the rest); the URI must use that scheme, that host, the scheme's default port and no user info.
/// The default is WNS: channel URIs are https://&lt;region&gt;.notify.windows.com/?token=... (WNS overview, "Push
/// notification channels"); several patterns are ';'-separated (MockMdmOptions.PushChannelPattern).
/// </summary>
public sealed class PushChannelPolicy
{
    /// <summary>The WNS channel host pattern.</summary>
    public const string Wns = "https://*.notify.windows.com";

    private readonly IReadOnlyList<(string Scheme, string Host, bool AnySubdomain)> _patterns;

    private PushChannelPolicy(IReadOnlyList<(string Scheme, string Host, bool AnySubdomain)> patterns) => _patterns = patterns;

    /// <summary>The policy for a ';'-separated pattern list, or null with the reason when one is not a pattern.</summary>
    public static PushChannelPolicy? Parse(string value, out string error)
    {
        ArgumentNullException.ThrowIfNull(value);
        error = "";
        var patterns = new List<(string, string, bool)>();
        foreach (var part in value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var separator = part.IndexOf("://", StringComparison.Ordinal);
            var scheme = separator > 0 ? part[..separator].ToLowerInvariant() : "";
            var host = separator > 0 ? part[(separator + 3)..].ToLowerInvariant() : "";
            var any = host.StartsWith("*.", StringComparison.Ordinal);
            var rest = any ? host[2..] : host;
            if (scheme is not ("https" or "http") || rest.Length == 0 || Uri.CheckHostName(rest) == UriHostNameType.Unknown)
            {
                error = $"'{part}' is not a push channel pattern such as {Wns} (scheme http or https, a host, optionally starting with '*.')";
                return null;
            }

            patterns.Add((scheme, rest, any));
        }

        if (patterns.Count == 0)
        {
            error = $"no push channel pattern given (the default is {Wns})";
            return null;
        }

        return new PushChannelPolicy(patterns);
    }

    /// <summary>Null when the server may push to <paramref name="channel"/>, else why not (for the device's log and ours).</summary>
    public string? Refusal(string channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        if (!Uri.TryCreate(channel, UriKind.Absolute, out var uri))
        {
            return "the push channel URI is not an absolute URI";
        }

        var host = uri.IdnHost.ToLowerInvariant();
        foreach (var (scheme, expected, any) in _patterns)
        {
            if (uri.Scheme == scheme && uri.IsDefaultPort && uri.UserInfo.Length == 0
                && (any ? host.EndsWith("." + expected, StringComparison.Ordinal) : host == expected))
            {
                return null;
            }
        }

        return $"the push channel URI is outside the configured notification service ({string.Join(';', _patterns.Select(p => $"{p.Scheme}://{(p.AnySubdomain ? "*." : "")}{p.Host}"))})";
    }
}

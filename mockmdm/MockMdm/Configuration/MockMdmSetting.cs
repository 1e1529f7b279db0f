using System.Globalization;

namespace MockMdm.Configuration;

/// <summary>
/// One configurable setting of <see cref="MockMdmOptions"/> and every name a person can give it: the property (and so
/// the configuration key "MockMdm:Property" of appsettings.json), the environment variable and the command-line flag.
/// The command line (<see cref="MockMdm.CommandLine"/>), the raw-value check, the validator's messages and
/// docs/mock-mdm.md "Configuration" all follow this one list.
/// </summary>
public sealed record MockMdmSetting(string Property, string Flag, string ValueName, string Description, Func<string, bool>? IsWellFormed = null, string? Expected = null)
{
    /// <summary>The configuration key, e.g. "MockMdm:Seed".</summary>
    public string Key => $"{MockMdmOptions.SectionName}:{Property}";

    /// <summary>The environment variable, e.g. "MOCKMDM__SEED" (configuration keys are case-insensitive).</summary>
    public string EnvironmentVariable => $"{MockMdmOptions.SectionName.ToUpperInvariant()}__{Property.ToUpperInvariant()}";

    /// <summary>How messages name the setting: every spelling, so whoever set it finds it.</summary>
    public string DisplayName => $"{Property} ({Flag}, {EnvironmentVariable}, \"{Key}\")";

    public static readonly MockMdmSetting Urls = new(nameof(MockMdmOptions.Urls), "--urls", "URL[;URL]",
        $"Kestrel URLs, ';'-separated; https:// URLs use a certificate from the server's CA and ask for client certificates (mutual TLS). Default {MockMdmOptions.DefaultUrl}.");

    public static readonly MockMdmSetting DatabasePath = new(nameof(MockMdmOptions.DatabasePath), "--db", "FILE",
        "SQLite file, created and migrated at start (default mockmdm.db); empty keeps everything in memory.");

    public static readonly MockMdmSetting ApiKey = new(nameof(MockMdmOptions.ApiKey), "--api-key", "KEY",
        $"Key every /api request sends (api-key header or Bearer). The default '{MockMdmOptions.DefaultApiKey}' is public: loopback and CI only.");

    public static readonly MockMdmSetting PlainHttp = new(nameof(MockMdmOptions.PlainHttp), "--plain-http", "true|false",
        "Identify devices by the device token of their w7 ADDR instead of the TLS client certificate. Default: on when no URL is https://.",
        IsBoolean, "true or false");

    public static readonly MockMdmSetting PushEnabled = new(nameof(MockMdmOptions.PushEnabled), "--no-push", "",
        "Send no WNS push after queuing an action (PushEnabled=false); devices pick commands up at their next poll.",
        IsBoolean, "true or false");

    public static readonly MockMdmSetting PushChannelPattern = new(nameof(MockMdmOptions.PushChannelPattern), "--push-channels", "PATTERN[;PATTERN]",
        $"Push channel URIs devices may report and the server POSTs to: 'scheme://host' patterns, the host may start with '*.'. Default {OmaDm.PushChannelPolicy.Wns} (WNS).",
        value => OmaDm.PushChannelPolicy.Parse(value, out _) is not null, "';'-separated patterns such as https://*.notify.windows.com");

    public static readonly MockMdmSetting PushTimeout = new(nameof(MockMdmOptions.PushTimeout), "--push-timeout", "HH:MM:SS",
        "The longest an action request waits for its push before answering (the push is abandoned and logged). Default 00:00:02.",
        value => TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out _), "a time span such as 00:00:02");

    public static readonly MockMdmSetting PublicBaseUrl = new(nameof(MockMdmOptions.PublicBaseUrl), "--public-url", "URL",
        "Base URL written into discovery and provisioning documents. Default: the request's own scheme and host.",
        IsHttpUrl, "an absolute http:// or https:// URL");

    public static readonly MockMdmSetting TenantId = new(nameof(MockMdmOptions.TenantId), "--tenant-id", "GUID",
        $"Directory (tenant) ID of the default tenant. Default {MockMdmOptions.DefaultTenantId}.",
        value => Guid.TryParse(value, out _), "a GUID");

    public static readonly MockMdmSetting TenantDisplayName = new(nameof(MockMdmOptions.TenantDisplayName), "--tenant-name", "NAME",
        "Display name of the default tenant. Default 'Contoso (mock)'.");

    public static readonly MockMdmSetting ProviderId = new(nameof(MockMdmOptions.ProviderId), "--provider-id", "ID",
        "The w7 PROVIDER-ID and DMClient provider ID written at enrollment (Intune uses 'MS DM Server'). Default MockMdm.");

    public static readonly MockMdmSetting OnPremisePassword = new(nameof(MockMdmOptions.OnPremisePassword), "--onpremise-password", "PASSWORD",
        "Offer the OnPremise enrollment AuthPolicy: devices that offer it sign in with their UPN and this password (wsse:UsernameToken). Default: none, Federated only.");

    public static readonly MockMdmSetting PushPackageFamilyName = new(nameof(MockMdmOptions.PushPackageFamilyName), "--push-pfn", "PFN",
        "Package family name sent as DMClient Push/PFN so devices register a push channel. Default MockMdm.Push_8wekyb3d8bbwe.");

    public static readonly MockMdmSetting Seed = new(nameof(MockMdmOptions.Seed), "--seed", "N",
        "Seed of the random source of IDs and device tokens (same seed, same IDs). Default: drawn from the system.",
        value => value.Length == 0 || int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _), "an integer");

    public static readonly MockMdmSetting PasscodeVisibility = new(nameof(MockMdmOptions.PasscodeVisibility), "--passcode-visibility", "D.HH:MM:SS",
        "How long a generated passcode stays visible to the admin. Default 7.00:00:00 (seven days, as Intune).",
        value => TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out _), "a time span such as 7.00:00:00");

    public static readonly MockMdmSetting MaxCommandsPerMessage = new(nameof(MockMdmOptions.MaxCommandsPerMessage), "--max-commands", "N",
        "Most queued commands sent in one server message. Default 20.",
        value => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _), "a whole number");

    public static readonly MockMdmSetting MaxInventoryKeys = new(nameof(MockMdmOptions.MaxInventoryKeys), "--max-inventory-keys", "N",
        "Most distinct inventory keys kept per device; a Replace past it is refused with SyncML 420. Default 512.",
        value => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _), "a whole number");

    public static readonly MockMdmSetting MaxInventoryBytes = new(nameof(MockMdmOptions.MaxInventoryBytes), "--max-inventory-bytes", "N",
        "Most UTF-8 bytes of inventory keys and values kept per device; a Replace past it is refused with SyncML 420. Default 262144.",
        value => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _), "a whole number");

    public static readonly MockMdmSetting MaxCommandAttempts = new(nameof(MockMdmOptions.MaxCommandAttempts), "--max-attempts", "N",
        "How many times a command is sent (a session that breaks before its Status sends it again) before it fails with 'no answer after N attempts'. Default 3.",
        value => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _), "a whole number");

    public static readonly MockMdmSetting MetricsPath = new(nameof(MockMdmOptions.MetricsPath), "--metrics-path", "PATH",
        $"Path of the Prometheus scrape endpoint (OpenTelemetry); empty serves none. Default {MockMdmOptions.DefaultMetricsPath} under mdm serve.",
        value => value.Length == 0 || (value.StartsWith('/') && !value.StartsWith("/api", StringComparison.OrdinalIgnoreCase) && Uri.IsWellFormedUriString(value, UriKind.Relative)),
        "empty or a path such as /metrics (not under /api)");

    public static readonly MockMdmSetting OtlpEndpoint = new(nameof(MockMdmOptions.OtlpEndpoint), "--otlp-endpoint", "URL",
        $"Export metrics and traces by OTLP to this collector. Default: the standard {Observability.TelemetryExport.OtlpEndpointVariable} variable when set, else no OTLP export.",
        IsHttpUrl, "an absolute http:// or https:// URL");

    public static readonly MockMdmSetting DefaultEncoding = new(nameof(MockMdmOptions.DefaultEncoding), "--default-encoding", "xml|wbxml|none",
        "The w7 DEFAULTENCODING of provisioning documents: the encoding Windows devices send OMA-DM messages in (none leaves it out; devices then use XML). Default xml.",
        value => Enum.GetNames<ProvisionedEncoding>().Contains(value, StringComparer.OrdinalIgnoreCase), "xml, wbxml or none");

    public static readonly MockMdmSetting ClockControl = new(nameof(MockMdmOptions.ClockControl), "--clock-control", "true|false",
        "Lab servers only: let API clients move the server's clock forward with POST /api/testing/clock (scenario advance-time against --server). Default false.",
        IsBoolean, "true or false");

    /// <summary>Every setting, in the order help and docs list them.</summary>
    public static IReadOnlyList<MockMdmSetting> All { get; } =
    [
        Urls, DatabasePath, ApiKey, PlainHttp, PushEnabled, PushChannelPattern, PushTimeout, PublicBaseUrl, TenantId, TenantDisplayName, ProviderId,
        OnPremisePassword, PushPackageFamilyName, DefaultEncoding, Seed, PasscodeVisibility, MaxCommandsPerMessage, MaxCommandAttempts,
        MaxInventoryKeys, MaxInventoryBytes, ClockControl, MetricsPath, OtlpEndpoint,
    ];

    private static bool IsBoolean(string value) => bool.TryParse(value, out _);

    private static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps);
}

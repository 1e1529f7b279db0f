namespace MockMdm;

/// <summary>
/// Everything a host (Program, the CLI, tests) chooses about a MockMdm server (docs/mock-mdm.md "Configuration").
/// The scalar settings are bound from the configuration section <see cref="SectionName"/> (appsettings.json, then
/// MOCKMDM__ environment variables, then the command line) on top of the host's own instance, and validated at start
/// by <see cref="MockMdmOptionsValidator"/>; <see cref="Store"/>, <see cref="TimeProvider"/> and
/// <see cref="PushHandler"/> are objects only code can give.
/// </summary>
public sealed class MockMdmOptions
{
    /// <summary>The configuration section the settings are bound from ("MockMdm:ApiKey", env MOCKMDM__APIKEY).</summary>
    public const string SectionName = "MockMdm";

    /// <summary>The URL a standalone server (Program, `deviceagent mdm serve`) listens on when none is configured.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>An already opened store to use instead of <see cref="DatabasePath"/> (hosts that own their store; tests). The server does not dispose it.</summary>
    public Store.IMdmStore? Store { get; set; }

    /// <summary>The API key used when none is configured; documented, so only for local and CI runs.</summary>
    public const string DefaultApiKey = "mockmdm-local-api-key";

    /// <summary>The default tenant's directory (tenant) ID.</summary>
    public const string DefaultTenantId = "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b";

    /// <summary>
    /// Kestrel URLs, e.g. "http://127.0.0.1:5080" or "https://127.0.0.1:5443". In configuration either one
    /// ';'-separated value ("MockMdm:Urls") or a list ("MockMdm:Urls:0", ...); the single value replaces the list.
    /// </summary>
    public IList<string> Urls { get; private set; } = [];

    /// <summary>The SQLite file; null or empty keeps everything in memory (tests, throw-away runs).</summary>
    public string? DatabasePath { get; set; } = "mockmdm.db";

    /// <summary>Whether <see cref="DatabasePath"/> asks for the in-memory store.</summary>
    public bool InMemory => string.IsNullOrEmpty(DatabasePath);

    /// <summary>The key every /api call must send in the api-key header (or "Authorization: Bearer key").</summary>
    public string ApiKey { get; set; } = DefaultApiKey;

    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// Plain-HTTP mode: devices are identified by the device token that enrollment put in their w7 ADDR (query
    /// "devicetoken") or the X-MockMdm-DeviceToken header instead of the TLS client certificate. Null chooses it when
    /// no URL is https (mutual TLS needs TLS).
    /// </summary>
    public bool? PlainHttp { get; set; }

    /// <summary>Seed of the random source for IDs; null draws from the system.</summary>
    public int? Seed { get; set; }

    /// <summary>Base URL written into discovery and provisioning documents; null takes the request's scheme and host.</summary>
    public Uri? PublicBaseUrl { get; set; }

    public string TenantId { get; set; } = DefaultTenantId;
    public string TenantDisplayName { get; set; } = "Contoso (mock)";

    /// <summary>The w7 PROVIDER-ID and DMClient provider ID (Intune uses "MS DM Server").</summary>
    public string ProviderId { get; set; } = "MockMdm";

    /// <summary>
    /// When set, enrollment offers the OnPremise AuthPolicy (MS-MDE2 3.1.4.1.3.2) to devices that offer it: a device
    /// authenticates with its user's UPN and this password in a wsse:UsernameToken. Null: Federated only (docs/mock-mdm.md).
    /// </summary>
    public string? OnPremisePassword { get; set; }

    /// <summary>Package family name sent as DMClient Push/PFN so the device registers a push channel.</summary>
    public string PushPackageFamilyName { get; set; } = "MockMdm.Push_8wekyb3d8bbwe";

    /// <summary>
    /// False: no WNS push is sent after queuing an action; devices pick commands up at their next poll. Load runs use it
    /// because emulated devices report channel URIs on the real WNS host, which only loopback-bound runs must not reach.
    /// </summary>
    public bool PushEnabled { get; set; } = true;

    /// <summary>
    /// The push channel URIs a device may report and the server will POST to: ';'-separated "scheme://host" patterns,
    /// the host optionally starting with "*." (OmaDm.PushChannelPolicy; docs/security.md "Push"). Default WNS.
    /// </summary>
    public string PushChannelPattern { get; set; } = OmaDm.PushChannelPolicy.Wns;

    /// <summary>The longest an admin's action request waits for its push; the push is abandoned (and logged) after it.</summary>
    public TimeSpan PushTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The seam through which pushes are POSTed to device channel URIs; null uses sockets.</summary>
    public HttpMessageHandler? PushHandler { get; set; }

    /// <summary>How long a generated passcode stays visible (Intune: seven days, docs/reference/remotelock.md §4).</summary>
    public TimeSpan PasscodeVisibility { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Most queued commands sent in one server message.</summary>
    public int MaxCommandsPerMessage { get; set; } = 20;

    /// <summary>Most distinct inventory keys (DevInfo, DevDetail, ... LocURIs) kept per device; past it a Replace gets 420.</summary>
    public int MaxInventoryKeys { get; set; } = 512;

    /// <summary>Most UTF-8 bytes (keys and values) of inventory kept per device; past it a Replace gets 420.</summary>
    public int MaxInventoryBytes { get; set; } = 256 * 1024;

    /// <summary>How many times a command is sent before it fails with "no answer after N attempts" (docs/omadm-clients.md "Bookkeeping").</summary>
    public int MaxCommandAttempts { get; set; } = 3;

    /// <summary>The Prometheus scrape endpoint's path when `mdm serve` is given none (docs/observability.md).</summary>
    public const string DefaultMetricsPath = "/metrics";

    /// <summary>
    /// Path of the Prometheus scrape endpoint (OpenTelemetry's exporter, unauthenticated like any scrape endpoint: it
    /// shows counts, no device data); null or empty serves none. `mdm serve` defaults it to <see cref="DefaultMetricsPath"/>.
    /// </summary>
    public string? MetricsPath { get; set; }

    /// <summary>OTLP endpoint for the server's metrics and traces; null uses OTEL_EXPORTER_OTLP_ENDPOINT when set, else no OTLP export.</summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary>
    /// The w7 DEFAULTENCODING the provisioning document gives devices (w7 APPLICATION CSP page; MS-MDE2 2.2.9): Windows
    /// encodes its OMA-DM messages in it. Default Xml, written as the MS-MDE2 sample does; None leaves the parm out
    /// (Windows then uses XML, DMAcc DDF).
    /// </summary>
    public ProvisionedEncoding DefaultEncoding { get; set; } = ProvisionedEncoding.Xml;

    /// <summary>
    /// Lab servers only: /api/testing/clock lets an API client move the server's clock forward (scenario advance-time
    /// against a running server, docs/scenarios.md). Off by default: a server's clock is its own.
    /// </summary>
    public bool ClockControl { get; set; }

    /// <summary>Whether plain-HTTP mode is in effect after resolving the null default.</summary>
    public bool EffectivePlainHttp =>
        PlainHttp ?? !Urls.Any(u => u.StartsWith("https:", StringComparison.OrdinalIgnoreCase));

    /// <summary>A copy the server binds configuration onto, so the host's instance is left as the host made it.</summary>
    internal MockMdmOptions Clone()
    {
        var copy = (MockMdmOptions)MemberwiseClone();
        copy.Urls = [.. Urls];
        return copy;
    }
}

/// <summary>What the provisioning document's w7 DEFAULTENCODING says (MockMdmOptions.DefaultEncoding).</summary>
public enum ProvisionedEncoding
{
    /// <summary>application/vnd.syncml.dm+xml.</summary>
    Xml,

    /// <summary>application/vnd.syncml.dm+wbxml.</summary>
    Wbxml,

    /// <summary>No DEFAULTENCODING parm.</summary>
    None,
}

using DeviceAgent.SyncML;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DeviceAgent.Session;

/// <summary>How the OMA-DM client reaches its server: URL, HTTP headers, retries and limits (docs/session.md).</summary>
public sealed record DmClientOptions
{
    /// <summary>The DM server address (w7 ADDR / DMClient ManagementServiceAddress, docs/reference/enrollment.md); also the SyncHdr Target.</summary>
    public required Uri ServerUrl { get; init; }

    /// <summary>What package 1 reports about the device.</summary>
    public required DmDeviceIdentity Device { get; init; }

    /// <summary>Limits of the session core.</summary>
    public DmSessionOptions Session { get; init; } = DmSessionOptions.Default;

    /// <summary>
    /// The mode query parameter (Maintenance: a user is signed in; Machine: SYSTEM context), or null to send none.
    /// Windows 10 sends it; whether Windows 10 Mobile does is open question 7 (docs/reference/open-questions.md; docs/reference/omadm.md §1).
    /// </summary>
    public string? Mode { get; init; } = "Maintenance";

    /// <summary>The Platform query parameter (Windows clients send WoA), or null to send none (docs/reference/omadm.md §1, docs/reference/open-questions.md item 7).</summary>
    public string? Platform { get; init; } = "WoA";

    /// <summary>User-Agent header; MS-MDM 2.1 names this value (docs/reference/omadm.md §1).</summary>
    public string UserAgent { get; init; } = DmHttp.WindowsUserAgent;

    /// <summary>Send Client-Request-Id and MS-CV as the Windows capture in the corpus does (MS-MDM dates them 21H2+; see docs/session.md).</summary>
    public bool SendCorrelationHeaders { get; init; } = true;

    /// <summary>Value of Client-Request-Id (EntDMID in MS-MDM 2.1 note 8; the capture shows 0).</summary>
    public string ClientRequestId { get; init; } = "0";

    /// <summary>Supplies the AAD token for Authorization: Bearer (Azure AD joined devices, docs/reference/omadm.md §1), or null for none.</summary>
    public Func<CancellationToken, ValueTask<string?>>? BearerTokenProvider { get; init; }

    /// <summary>w7 CONNRETRYFREQ: retries after a connection-level failure (default 3, docs/reference/enrollment.md).</summary>
    public int ConnRetryFreq { get; init; } = 3;

    /// <summary>w7 INITIALBACKOFFTIME: wait before the first retry (default 16000 ms, docs/reference/enrollment.md); it doubles per retry.</summary>
    public TimeSpan InitialBackoffTime { get; init; } = TimeSpan.FromMilliseconds(16000);

    /// <summary>w7 MAXBACKOFFTIME: the longest wait between retries (default 86400000 ms, docs/reference/enrollment.md).</summary>
    public TimeSpan MaxBackoffTime { get; init; } = TimeSpan.FromMilliseconds(86400000);

    /// <summary>
    /// Honour HTTP 429 with Retry-After. False for 1703: builds up to Windows 10 2004 ignore rate limiting
    /// (docs/reference/omadm.md §1 Throttling), so a 429 fails the session like any other HTTP error.
    /// </summary>
    public bool HonorRetryAfter { get; init; }

    /// <summary>How long one HTTP exchange may take before it counts as a connection failure (measured on the TimeProvider).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Largest server message body read from the network; a longer body fails the session.</summary>
    public int MaxResponseBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>How client-chosen SessionIDs are written: short hex (mobile) or decimal (desktop) (docs/reference/omadm.md §2).</summary>
    public DmSessionIdStyle SessionIdStyle { get; init; } = DmSessionIdStyle.Hex;

    /// <summary>The number behind the first client-chosen SessionID; later sessions count up and wrap after 0xFFFF.</summary>
    public int FirstSessionNumber { get; init; } = 1;

    /// <summary>
    /// The encoding of the client's messages: w7 DEFAULTENCODING, kept in DMAcc/{account}/Ext/Microsoft/DefaultEncoding
    /// (w7 APPLICATION CSP page; DMAcc DDF; docs/session.md "Encoding"). XML unless provisioned otherwise. The server's
    /// replies are read in whichever encoding their Content-Type names.
    /// </summary>
    public SyncMLEncoding Encoding { get; init; } = SyncMLEncoding.Xml;

    /// <summary>Limits of the SyncML reader applied to server messages.</summary>
    public SyncMLReaderOptions ReaderOptions { get; init; } = SyncMLReaderOptions.Default;

    /// <summary>Where the client logs session start and end, messages, failed commands, server problems and retries (docs/session.md "Logs and metrics").</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>Throws when a setting is out of range, naming it.</summary>
    public void Validate()
    {
        if (!ServerUrl.IsAbsoluteUri || (ServerUrl.Scheme != Uri.UriSchemeHttps && ServerUrl.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException($"ServerUrl must be an absolute http or https URL, not '{ServerUrl}'.", nameof(ServerUrl));
        }

        if (ConnRetryFreq < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(ConnRetryFreq), ConnRetryFreq, "CONNRETRYFREQ cannot be negative.");
        }

        if (InitialBackoffTime < TimeSpan.Zero || MaxBackoffTime < InitialBackoffTime)
        {
            throw new ArgumentOutOfRangeException(nameof(InitialBackoffTime), InitialBackoffTime, "INITIALBACKOFFTIME must be between 0 and MAXBACKOFFTIME.");
        }

        if (RequestTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(RequestTimeout), RequestTimeout, "RequestTimeout must be positive.");
        }

        if (MaxResponseBytes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxResponseBytes), MaxResponseBytes, "MaxResponseBytes must be positive.");
        }

        if (FirstSessionNumber is < 0 or > 0xFFFF)
        {
            throw new ArgumentOutOfRangeException(nameof(FirstSessionNumber), FirstSessionNumber, "FirstSessionNumber must fit in 2 bytes.");
        }

        Session.Validate();
    }
}

/// <summary>How a client-chosen SessionID is written (docs/reference/omadm.md §2).</summary>
public enum DmSessionIdStyle
{
    /// <summary>Short upper-case hex text of a 2-byte number (Windows 10 Mobile).</summary>
    Hex,

    /// <summary>Decimal integer (Windows desktop before SyncApplicationVersion 2.0).</summary>
    Decimal,
}

/// <summary>HTTP constants of the Windows DM client (docs/reference/omadm.md §1; tests/corpus/syncml/README.md "HTTP facts").</summary>
public static class DmHttp
{
    /// <summary>Content-Type of XML SyncML DM messages (OMA-DM 1.2).</summary>
    public const string ContentType = "application/vnd.syncml.dm+xml";
    /// <summary>Content-Type of WBXML SyncML DM messages (OMA DM 1.2), sent when <see cref="DmClientOptions.Encoding"/> is WBXML.</summary>
    public const string WbxmlContentType = "application/vnd.syncml.dm+wbxml";
    /// <summary>Accept header Windows sends: XML, WBXML and octet-stream.</summary>
    public const string Accept = "application/vnd.syncml.dm+xml, application/vnd.syncml.dm+wbxml, application/octet-stream";
    /// <summary>Accept-Charset header Windows sends.</summary>
    public const string AcceptCharset = "UTF-8";
    /// <summary>User-Agent of the Windows 10 DM client (MS-MDM 2.1).</summary>
    public const string WindowsUserAgent = "MSFT OMA DM Client/1.2.0.1";
    /// <summary>Header carrying the enrollment's EntDMID (MS-MDM 2.1 note 8).</summary>
    public const string ClientRequestIdHeader = "Client-Request-Id";
    /// <summary>Header carrying the correlation vector, one value per request of a session.</summary>
    public const string CorrelationVectorHeader = "MS-CV";
    /// <summary>Header listing the critical or fatal generic alert types that caused the session (MS-MDM 2.1 note 5).</summary>
    public const string GenericAlertHeader = "MDM-GenericAlert";
}

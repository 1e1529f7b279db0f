using System.Security.Cryptography.X509Certificates;

namespace DeviceAgent.Enrollment;

/// <summary>DMClient/Provider/{id}/Poll as provisioned (intervals in minutes).</summary>
public sealed record PollSchedule(
    int NumberOfFirstRetries,
    int IntervalForFirstSetOfRetries,
    int NumberOfSecondRetries,
    int IntervalForSecondSetOfRetries,
    int NumberOfRemainingScheduledRetries,
    int IntervalForRemainingScheduledRetries,
    bool PollOnLogin)
{
    /// <summary>
    /// The DMClient CSP's own defaults (DMClient CSP page, Provider/ProviderID/Poll; the same in the DDF's descriptions):
    /// 10 first retries every 15 minutes, no second or remaining set, no poll on login. A provisioning document that
    /// gives only some Poll values gets these for the rest, as on Windows (docs/reference/enrollment.md §6).
    /// </summary>
    public static PollSchedule DmClientDefaults { get; } = new(10, 15, 0, 0, 0, 0, false);
}

/// <summary>Something the server sent that Windows accepts although it is not what MS-MDE2 describes, and what the client did instead.</summary>
/// <param name="Step">"discovery", "policy", "enrollment" or "provisioning document".</param>
/// <param name="Text">One sentence: the field, what was sent, and the value used.</param>
public sealed record EnrollmentNote(string Step, string Text)
{
    /// <summary>"step: text".</summary>
    public override string ToString() => $"{Step}: {Text}";
}

/// <summary>The outcome of an MS-MDE2 enrollment: the identity certificate, the trusted root and the w7/DMClient values.</summary>
public sealed record EnrollmentResult
{
    /// <summary>The client certificate the server issued, with the device's private key.</summary>
    public required X509Certificate2 ClientCertificate { get; init; }

    /// <summary>CertificateStore/Root/System: the root to trust for the management server.</summary>
    public required X509Certificate2 RootCertificate { get; init; }

    /// <summary>True when the client certificate went to My/System (device context), false for My/User.</summary>
    public required bool DeviceContext { get; init; }

    /// <summary>w7 ADDR: where OMA-DM sessions are POSTed.</summary>
    public required Uri ManagementServerUrl { get; init; }

    /// <summary>w7 PROVIDER-ID, equal to the DMClient provider ID.</summary>
    public required string ProviderId { get; init; }

    /// <summary>w7 NAME: the server's display name, or null.</summary>
    public string? ServerName { get; init; }
    /// <summary>w7 DEFAULTENCODING (application/vnd.syncml.dm+xml or +wbxml), or null.</summary>
    public string? DefaultEncoding { get; init; }
    /// <summary>w7 SSLCLIENTCERTSEARCHCRITERIA: how the DM client finds its certificate (subject, store), or null.</summary>
    public string? SslClientCertSearchCriteria { get; init; }

    /// <summary>DMClient/Provider/{id}/UPN.</summary>
    public string? UserPrincipalName { get; init; }

    /// <summary>DMClient/Provider/{id}/Poll: the provisioned poll schedule, or null when the document sets none.</summary>
    public PollSchedule? Poll { get; init; }

    /// <summary>The authentication policy the server chose in its DiscoverResponse.</summary>
    public EnrollmentAuthPolicy AuthPolicy { get; init; } = EnrollmentAuthPolicy.Federated;

    /// <summary>DiscoverResult EnrollmentVersion as the server sent it, or null when it sent none.</summary>
    public string? EnrollmentVersion { get; init; }

    /// <summary>The policy's minimalKeyLength (2048 when the policy gives none, as on Windows).</summary>
    public int MinimalKeyLength { get; init; } = EnrollmentClient.DefaultMinimalKeyLength;

    /// <summary>What the server left out or sent loosely that the client accepted, with the value it used instead.</summary>
    public IReadOnlyList<EnrollmentNote> Notes { get; init; } = [];

    /// <summary>The wap-provisioningdoc as received.</summary>
    public required string ProvisioningDocument { get; init; }
}

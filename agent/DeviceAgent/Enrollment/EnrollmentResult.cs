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
    bool PollOnLogin);

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

    /// <summary>The wap-provisioningdoc as received.</summary>
    public required string ProvisioningDocument { get; init; }
}

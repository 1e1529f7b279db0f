namespace DeviceAgent.Protocol;

/// <summary>
/// An enrollment refused or broken: the MS-MDE2 2.2.10 fault subcode and a sentence saying why. The server throws it to
/// answer a SOAP fault; the device's enrollment client throws it when the server sends a fault or a malformed answer.
/// </summary>
public sealed class EnrollmentFaultException(string subcode, string reason) : Exception(reason)
{
    /// <summary>MS-MDE2 2.2.10 subcode (MessageFormat, Authentication, ...) or <see cref="Subcodes.Protocol"/>.</summary>
    public string Subcode { get; } = subcode;

    /// <summary>
    /// Set by the device's enrollment client: the step that refused ("discovery", "token", "policy", "enrollment",
    /// "provisioning document"); the message then starts with it. Null on the server side.
    /// </summary>
    public string? Step { get; init; }

    /// <summary>MS-MDE2 2.2.10 subcodes this project uses, and its own <see cref="Protocol"/>.</summary>
    public static class Subcodes
    {
        public const string MessageFormat = "MessageFormat";
        public const string Authentication = "Authentication";
        public const string Authorization = "Authorization";
        public const string CertificateRequest = "CertificateRequest";
        public const string DeviceNotSupported = "DeviceNotSupported";
        public const string InternalServiceFault = "InternalServiceFault";

        /// <summary>Not an MS-MDE2 subcode: the device's name for an answer that is not MS-MDE2 at all (no fault to quote).</summary>
        public const string Protocol = "Protocol";
    }
}

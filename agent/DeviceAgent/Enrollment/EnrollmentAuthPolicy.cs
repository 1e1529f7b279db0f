namespace DeviceAgent.Enrollment;

/// <summary>
/// The MS-MDE2 authentication policies (MS-MDE2 3.1.4.1.3.2 AuthPolicy; docs/reference/enrollment.md §2): how the device
/// proves who enrolls in GetPolicies and RequestSecurityToken.
/// </summary>
public enum EnrollmentAuthPolicy
{
    /// <summary>A token from the server's STS (AuthenticationServiceUrl), sent as a wsse:BinarySecurityToken (MS-MDE2 3.2).</summary>
    Federated,

    /// <summary>The user's name and password in a wsse:UsernameToken (MS-MDE2 3.3.4.1.1.1.3, 3.4.4.1.1.1.3).</summary>
    OnPremise,

    /// <summary>A certificate the device already has, sent as an X509v3 token with a signed u:Timestamp (MS-MDE2 3.3.4.1.1.1.2, 3.4.4.1.1.1.2).</summary>
    Certificate,
}

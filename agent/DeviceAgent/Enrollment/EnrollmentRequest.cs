namespace DeviceAgent.Enrollment;

/// <summary>What a device tells the enrollment server about itself (MS-MDE2 Discover and RST context items; docs/reference/enrollment.md).</summary>
public sealed record EnrollmentRequest
{
    /// <summary>The discovery URL, e.g. https://EnterpriseEnrollment.contoso.com/EnrollmentServer/Discovery.svc.</summary>
    public required Uri DiscoveryUrl { get; init; }

    /// <summary>The user's UPN (Discover EmailAddress, STS login_hint).</summary>
    public required string UserPrincipalName { get; init; }

    /// <summary>The DeviceID context item.</summary>
    public required string DeviceId { get; init; }

    /// <summary>WindowsPhone (Windows 10 Mobile) or CIMClient_Windows (desktop).</summary>
    public string DeviceType { get; init; } = "WindowsPhone";

    /// <summary>OSVersion / ApplicationVersion, a.b.c.d; Windows 10 Mobile Creators Update is 10.0.15063.x.</summary>
    public string OsVersion { get; init; } = "10.0.15063.0";

    /// <summary>GetProductInfo value: 104 Windows 10 Mobile, 133 Mobile Enterprise.</summary>
    public string OsEdition { get; init; } = "104";

    /// <summary>Full (user) or Device (device-only) enrollment.</summary>
    public string EnrollmentType { get; init; } = "Full";

    /// <summary>DeviceName context item of RequestSecurityToken (MS-MDE2 AdditionalContext), or null to send none.</summary>
    public string? DeviceName { get; init; }

    /// <summary>HWDevID context item (64 hex characters), sent from 1703-era builds on.</summary>
    public string? HwDevId { get; init; }

    /// <summary>Locale context item: the device's language, e.g. en-US.</summary>
    public string Locale { get; init; } = "en-US";

    /// <summary>
    /// The token for the Federated policy when the device already has one (e.g. from its Azure AD join); null fetches it
    /// from the AuthenticationServiceUrl with login_hint.
    /// </summary>
    public string? UserToken { get; init; }

    /// <summary>Extra query parameters for the STS request (the mock MDM reads join=AzureADJoined; docs/mock-mdm.md).</summary>
    public IReadOnlyDictionary<string, string> AuthenticationQuery { get; init; } = new Dictionary<string, string>();

    /// <summary>RSA key size of the device's key pair; at least the policy's minimalKeyLength is used.</summary>
    public int KeySize { get; init; } = 2048;

    /// <summary>
    /// The device's RSA key pair when it already has one (an emulated fleet reusing pre-generated keys); null generates
    /// one of <see cref="KeySize"/> bits. The client does not dispose it.
    /// </summary>
    public System.Security.Cryptography.RSA? KeyPair { get; init; }

    /// <summary>
    /// The authentication policies the device offers in Discover, in order of preference (MS-MDE2 3.1.4.1.3.1
    /// AuthPolicies); the server names the one it uses. Null offers every policy this request has credentials for:
    /// OnPremise when <see cref="Password"/> is set, Certificate when <see cref="AuthenticationCertificate"/> is, and
    /// Federated always (docs/reference/enrollment.md §9).
    /// </summary>
    public IReadOnlyList<EnrollmentAuthPolicy>? AuthPolicies { get; init; }

    /// <summary>The user's password for the OnPremise policy (sent with <see cref="UserPrincipalName"/> in a wsse:UsernameToken).</summary>
    public string? Password { get; init; }

    /// <summary>The certificate (with its private key) the device authenticates with under the Certificate policy; the client does not dispose it.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? AuthenticationCertificate { get; init; }

    /// <summary>The policies offered, in order: <see cref="AuthPolicies"/>, or those this request has credentials for.</summary>
    /// <exception cref="ArgumentException">A policy is offered without its credentials, or none is offered.</exception>
    public IReadOnlyList<EnrollmentAuthPolicy> OfferedAuthPolicies()
    {
        if (AuthPolicies is null)
        {
            var offered = new List<EnrollmentAuthPolicy>();
            if (Password is not null)
            {
                offered.Add(EnrollmentAuthPolicy.OnPremise);
            }

            if (AuthenticationCertificate is not null)
            {
                offered.Add(EnrollmentAuthPolicy.Certificate);
            }

            offered.Add(EnrollmentAuthPolicy.Federated);
            return offered;
        }

        if (AuthPolicies.Count == 0)
        {
            throw new ArgumentException("AuthPolicies must offer at least one policy (MS-MDE2 3.1.4.1.3.1 sends one to three).", nameof(AuthPolicies));
        }

        if (AuthPolicies.Contains(EnrollmentAuthPolicy.OnPremise) && Password is null)
        {
            throw new ArgumentException("the OnPremise policy is offered but no Password is given.", nameof(AuthPolicies));
        }

        if (AuthPolicies.Contains(EnrollmentAuthPolicy.Certificate) && AuthenticationCertificate is not { HasPrivateKey: true })
        {
            throw new ArgumentException("the Certificate policy is offered but no AuthenticationCertificate with a private key is given.", nameof(AuthPolicies));
        }

        return [.. AuthPolicies.Distinct()];
    }
}

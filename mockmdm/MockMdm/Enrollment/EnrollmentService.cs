using System.Globalization;
using System.Net;
using System.Text;
using System.Xml.Linq;
using DeviceAgent.Protocol;
using MockMdm.OmaDm;
using MockMdm.Store;
using MockMdm.Tenants;
using F = DeviceAgent.Protocol.EnrollmentFaultException;

namespace MockMdm.Enrollment;

/// <summary>The MS-MDE2 operations (docs/reference/enrollment.md); every refusal is an <see cref="EnrollmentFaultException"/> that says why.</summary>
internal sealed class EnrollmentService(
    IMdmStore store,
    CertificateAuthority ca,
    TenantDirectory tenants,
    IdGenerator ids,
    InventoryCommands inventory,
    Profiles.ProfileService profiles,
    MockMdmOptions options)
{
    /// <summary>minimalKeyLength of the XCEP policy; the WSTEP request's key must be at least this long.</summary>
    public const int MinimalKeyLength = 2048;

    /// <summary>
    /// Longest DeviceName context item accepted (MS-MDE2 2.2.9.1 sets no limit; Windows device names are far shorter,
    /// and the name is shown in every device list). Our choice, docs/security.md "Enrollment".
    /// </summary>
    public const int MaxDeviceNameLength = 256;

    private const string ManagementPath = "/ManagementServer/MDM.svc";

    /// <summary>
    /// Discover: the AuthPolicy is OnPremise when the device offers it and <see cref="MockMdmOptions.OnPremisePassword"/> is
    /// set, else Federated when offered (MS-MDE2 3.1.4.1.3.2); a device offering neither is refused.
    /// </summary>
    public XElement Discover(SoapRequest request, Uri baseUrl)
    {
        var ns = Mde2Names.Discovery;
        var body = request.Operation(ns + "Discover").Element(ns + "request")
            ?? throw new F(F.Subcodes.MessageFormat, "Discover has no request element");
        var deviceType = body.Element(ns + "DeviceType")?.Value.Trim();
        var version = body.Element(ns + "ApplicationVersion")?.Value.Trim();
        if (DevicePlatform.EnrollmentRefusal(deviceType, version) is { } refusal)
        {
            throw new F(F.Subcodes.DeviceNotSupported, refusal);
        }

        var policies = body.Element(ns + "AuthPolicies")?.Elements(ns + "AuthPolicy").Select(e => e.Value.Trim()).ToList() ?? [];
        var onPremise = options.OnPremisePassword is not null && policies.Contains(OnPremisePolicy);
        if (!onPremise && policies.Count > 0 && !policies.Contains(FederatedPolicy))
        {
            throw new F(F.Subcodes.Authentication,
                $"this server supports the {(options.OnPremisePassword is null ? "Federated AuthPolicy" : "Federated and OnPremise AuthPolicies")}; the device offered {string.Join(", ", policies)}");
        }

        var result = new XElement(ns + "DiscoverResult",
            new XElement(ns + "AuthPolicy", onPremise ? OnPremisePolicy : FederatedPolicy),
            new XElement(ns + "EnrollmentVersion", "4.0"),
            new XElement(ns + "EnrollmentPolicyServiceUrl", new Uri(baseUrl, EnrollmentEndpoints.PolicyPath)),
            new XElement(ns + "EnrollmentServiceUrl", new Uri(baseUrl, EnrollmentEndpoints.EnrollmentPath)));
        if (!onPremise)
        {
            result.Add(new XElement(ns + "AuthenticationServiceUrl", new Uri(baseUrl, EnrollmentEndpoints.AuthenticatePath)));
        }

        return new XElement(ns + "DiscoverResponse", result);
    }

    private const string FederatedPolicy = "Federated";
    private const string OnPremisePolicy = "OnPremise";

    /// <summary>
    /// The mock STS (MS-MDE2 3.2): signs the user in without a password and returns the page that posts the token as
    /// wresult to appru. join=AzureADJoined stands in for a device that enrolls as part of an Azure AD join.
    /// </summary>
    public IResult Authenticate(HttpRequest request)
    {
        var upn = request.Query["login_hint"].ToString().Trim();
        var appru = request.Query["appru"].ToString();
        var joinText = request.Query["join"].ToString();
        if (upn.Length == 0 || upn.Length > 256 || !upn.Contains('@', StringComparison.Ordinal))
        {
            return Results.BadRequest(new { error = "login_hint must be the user's UPN (user@domain)" });
        }

        // The page posts the token to appru: only the ms-app:// redirect of MS-MDE2 3.2 is allowed, never a web or script URL.
        if (!appru.StartsWith("ms-app://", StringComparison.OrdinalIgnoreCase) || appru.Length > 512)
        {
            return Results.BadRequest(new { error = "appru must be the client's ms-app:// redirect URI" });
        }

        var join = JoinType.WorkplaceJoined;
        if (joinText.Length > 0 && !Enum.TryParse(joinText, ignoreCase: true, out join))
        {
            return Results.BadRequest(new { error = $"join must be AzureADJoined or WorkplaceJoined, not '{joinText}'" });
        }

        var tenant = store.Read(v => tenants.TenantForUser(v, upn));
        var token = new EnrollmentUserToken(upn, tenant.Id, join).Sign(ca.TokenKey);
        var html = $"""
            <!DOCTYPE html>
            <html><head><title>MockMdm sign-in</title></head>
            <body onload="document.forms[0].submit()">
            <form method="post" action="{WebUtility.HtmlEncode(appru)}">
            <input type="hidden" name="wresult" value="{WebUtility.HtmlEncode(token)}"/>
            <p>Signed in as {WebUtility.HtmlEncode(upn)} ({join}).</p>
            </form></body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8);
    }

    public XElement GetPolicies(SoapRequest request, Uri baseUrl)
    {
        _ = UserToken(request);
        request.Operation(Mde2Names.Policy + "GetPolicies");
        XNamespace p = Mde2Names.Policy;
        var nil = new XAttribute(Mde2Names.Xsi + "nil", "true");
        return new XElement(p + "GetPoliciesResponse",
            new XAttribute(XNamespace.Xmlns + "xsi", Mde2Names.Xsi.NamespaceName),
            new XElement(p + "response",
                new XElement(p + "policyID", options.ProviderId),
                new XElement(p + "policyFriendlyName", "MockMdm device policy"),
                new XElement(p + "nextUpdateHours", nil),
                new XElement(p + "policiesNotChanged", nil),
                new XElement(p + "policies",
                    new XElement(p + "policy",
                        new XElement(p + "policyOIDReference", "0"),
                        new XElement(p + "cAs", nil),
                        new XElement(p + "attributes",
                            new XElement(p + "commonName", "MockMdmDevice"),
                            new XElement(p + "policySchema", "3"),
                            new XElement(p + "certificateValidity",
                                new XElement(p + "validityPeriodSeconds", "31536000"),
                                new XElement(p + "renewalPeriodSeconds", "5184000")),
                            new XElement(p + "permission", new XElement(p + "enroll", "true"), new XElement(p + "autoEnroll", "false")),
                            new XElement(p + "privateKeyAttributes",
                                new XElement(p + "minimalKeyLength", MinimalKeyLength.ToString(CultureInfo.InvariantCulture)),
                                new XElement(p + "keySpec", nil),
                                new XElement(p + "keyUsageProperty", nil),
                                new XElement(p + "permissions", nil),
                                new XElement(p + "algorithmOIDReference", nil),
                                new XElement(p + "cryptoProviders", nil)),
                            new XElement(p + "revision", new XElement(p + "majorRevision", "101"), new XElement(p + "minorRevision", "0")),
                            new XElement(p + "supersededPolicies", nil),
                            new XElement(p + "privateKeyFlags", nil),
                            new XElement(p + "subjectNameFlags", nil),
                            new XElement(p + "enrollmentFlags", nil),
                            new XElement(p + "generalFlags", nil),
                            new XElement(p + "hashAlgorithmOIDReference", "0"),
                            new XElement(p + "rARequirements", nil),
                            new XElement(p + "keyArchivalAttributes", nil),
                            new XElement(p + "extensions", nil))))),
            new XElement(p + "cAs", nil),
            new XElement(p + "oIDs",
                new XElement(p + "oID",
                    new XElement(p + "value", "2.16.840.1.101.3.4.2.1"),
                    new XElement(p + "group", "1"),
                    new XElement(p + "oIDReferenceID", "0"),
                    new XElement(p + "defaultName", "szOID_NIST_sha256"))));
    }

    public XElement RequestSecurityToken(SoapRequest request, Uri baseUrl)
    {
        var user = UserToken(request);
        var rst = request.Operation(Mde2Names.Trust + "RequestSecurityToken");
        var tokenType = rst.Element(Mde2Names.Trust + "TokenType")?.Value.Trim();
        if (tokenType != Mde2Names.DeviceEnrollmentToken)
        {
            throw new F(F.Subcodes.MessageFormat, $"TokenType must be {Mde2Names.DeviceEnrollmentToken}");
        }

        var requestType = rst.Element(Mde2Names.Trust + "RequestType")?.Value.Trim();
        if (requestType != Mde2Names.IssueRequestType)
        {
            throw new F(F.Subcodes.MessageFormat, $"RequestType must be {Mde2Names.IssueRequestType} (renewal is not supported)");
        }

        var csrElement = rst.Element(Mde2Names.Security + "BinarySecurityToken");
        if (csrElement is null || (string?)csrElement.Attribute("ValueType") != Mde2Names.Pkcs10)
        {
            throw new F(F.Subcodes.MessageFormat, $"RequestSecurityToken needs a wsse:BinarySecurityToken with ValueType {Mde2Names.Pkcs10}");
        }

        byte[] csr;
        try
        {
            csr = Convert.FromBase64String(csrElement.Value.Trim());
        }
        catch (FormatException)
        {
            throw new F(F.Subcodes.CertificateRequest, "the PKCS#10 BinarySecurityToken is not base64");
        }

        var context = ContextItems(rst);
        var deviceType = context.GetValueOrDefault("DeviceType");
        var osVersion = context.GetValueOrDefault("OSVersion");
        if (DevicePlatform.EnrollmentRefusal(deviceType, osVersion) is { } refusal)
        {
            throw new F(F.Subcodes.DeviceNotSupported, refusal);
        }

        var enrollmentType = context.GetValueOrDefault("EnrollmentType") ?? "Full";
        if (enrollmentType is not ("Full" or "Device"))
        {
            throw new F(F.Subcodes.MessageFormat, $"EnrollmentType must be Full or Device, not '{enrollmentType}'");
        }

        var deviceId = context.GetValueOrDefault("DeviceID");
        if (string.IsNullOrWhiteSpace(deviceId) || deviceId.Length > 128)
        {
            throw new F(F.Subcodes.MessageFormat, "the DeviceID context item is missing or longer than 128 characters");
        }

        if (context.GetValueOrDefault("DeviceName") is { Length: > MaxDeviceNameLength } longName)
        {
            throw new F(F.Subcodes.MessageFormat,
                $"the DeviceName context item is {longName.Length} characters long; at most {MaxDeviceNameLength} are accepted");
        }

        var managedDeviceId = ids.NewId();
        using var certificate = ca.SignClientRequest(csr, managedDeviceId, MinimalKeyLength);
        var device = new DeviceRecord
        {
            Id = managedDeviceId,
            EnrollmentDeviceId = deviceId,
            TenantId = user.TenantId,
            UserPrincipalName = user.UserPrincipalName,
            DeviceType = deviceType!,
            OsVersion = osVersion!,
            OsEdition = context.GetValueOrDefault("OSEdition"),
            EnrollmentType = enrollmentType,
            JoinType = user.JoinType,
            Ownership = user.JoinType == JoinType.AzureADJoined ? Ownership.Company : Ownership.Personal,
            DeviceName = context.GetValueOrDefault("DeviceName"),
            HwDevId = context.GetValueOrDefault("HWDevID"),
            CertificateThumbprint = certificate.Thumbprint,
            DeviceToken = ids.NewToken(),
            EnrolledDateTime = options.TimeProvider.GetUtcNow(),
        };
        store.Write(tx =>
        {
            tx.Put(device);
            DeviceKeyRecord.Index(tx, device);
            inventory.EnqueueAfterEnrollment(tx, device);
            profiles.ReconcileAll(tx);
        });

        var doc = ProvisioningDocument.Build(new ProvisioningDocument.Inputs(
            ca.Certificate, certificate, enrollmentType == "Device", options.ProviderId,
            ManagementUrl(baseUrl, device), device.UserPrincipalName, device.DeviceName, options.DefaultEncoding));
        XNamespace t = Mde2Names.Trust;
        return new XElement(t + "RequestSecurityTokenResponseCollection",
            new XElement(t + "RequestSecurityTokenResponse",
                new XElement(t + "TokenType", Mde2Names.DeviceEnrollmentToken),
                new XElement(Mde2Names.Enrollment + "DispositionMessage"),
                new XElement(t + "RequestedSecurityToken",
                    new XElement(Mde2Names.Security + "BinarySecurityToken",
                        new XAttribute("ValueType", Mde2Names.DeviceEnrollmentProvisionDoc),
                        new XAttribute("EncodingType", Mde2Names.Base64Binary),
                        Convert.ToBase64String(Encoding.UTF8.GetBytes(doc)))),
                new XElement(Mde2Names.Enrollment + "RequestID", "0")));
    }

    /// <summary>The w7 ADDR: the OMA-DM URL, carrying the device token in plain-HTTP mode (docs/mock-mdm.md).</summary>
    private string ManagementUrl(Uri baseUrl, DeviceRecord device)
    {
        var url = new Uri(baseUrl, ManagementPath).ToString();
        return options.EffectivePlainHttp ? $"{url}?devicetoken={device.DeviceToken}" : url;
    }

    /// <summary>
    /// Who enrolls: the Federated token of a wsse:BinarySecurityToken, or (with OnPremisePassword set) the UPN and
    /// password of a wsse:UsernameToken (MS-MDE2 3.3 and 3.4 "Authentication"). Elements are matched by namespace and
    /// local name, never by prefix.
    /// </summary>
    private EnrollmentUserToken UserToken(SoapRequest request)
    {
        var security = request.Header.Element(Mde2Names.Security + "Security");
        if (security?.Element(Mde2Names.Security + "UsernameToken") is { } usernameToken)
        {
            return OnPremiseUser(usernameToken);
        }

        var token = security
            ?.Elements(Mde2Names.Security + "BinarySecurityToken")
            .FirstOrDefault(e => (string?)e.Attribute("ValueType") == Mde2Names.DeviceEnrollmentUserToken);
        if (token is null)
        {
            throw new F(F.Subcodes.Authentication,
                $"the wsse:Security header has no BinarySecurityToken with ValueType {Mde2Names.DeviceEnrollmentUserToken}" +
                (options.OnPremisePassword is null ? "" : " and no wsse:UsernameToken"));
        }

        string text;
        try
        {
            text = Encoding.UTF8.GetString(Convert.FromBase64String(token.Value.Trim()));
        }
        catch (FormatException)
        {
            throw new F(F.Subcodes.Authentication, "the DeviceEnrollmentUserToken is not base64");
        }

        var user = EnrollmentUserToken.Verify(text, ca.TokenKey);
        if (store.Find<TenantRecord>(user.TenantId) is null)
        {
            throw new F(F.Subcodes.Authorization, $"tenant {user.TenantId} is not known to this server");
        }

        return user;
    }

    private EnrollmentUserToken OnPremiseUser(XElement usernameToken)
    {
        if (options.OnPremisePassword is not { } expected)
        {
            throw new F(F.Subcodes.Authentication, "this server does not offer the OnPremise AuthPolicy (no OnPremisePassword is configured)");
        }

        var upn = usernameToken.Element(Mde2Names.Security + "Username")?.Value.Trim() ?? "";
        var password = usernameToken.Element(Mde2Names.Security + "Password")?.Value ?? "";
        if (upn.Length == 0 || upn.Length > 256 || !upn.Contains('@', StringComparison.Ordinal))
        {
            throw new F(F.Subcodes.Authentication, "the wsse:UsernameToken's Username must be the user's UPN (user@domain)");
        }

        // Compared in constant time: the password is a secret even on a lab server.
        if (!System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(password), Encoding.UTF8.GetBytes(expected)))
        {
            throw new F(F.Subcodes.Authentication, $"wrong password for {upn}");
        }

        var tenant = store.Read(v => tenants.TenantForUser(v, upn));
        return new EnrollmentUserToken(upn, tenant.Id, JoinType.WorkplaceJoined);
    }

    private static Dictionary<string, string> ContextItems(XElement rst)
    {
        var items = new Dictionary<string, string>(StringComparer.Ordinal);
        var context = rst.Element(Mde2Names.Authorization + "AdditionalContext");
        foreach (var item in context?.Elements(Mde2Names.Authorization + "ContextItem") ?? [])
        {
            var name = (string?)item.Attribute("Name");
            var value = item.Element(Mde2Names.Authorization + "Value")?.Value.Trim();
            if (!string.IsNullOrEmpty(name) && value is not null)
            {
                // MAC repeats once per NIC; the first of each name is kept.
                items.TryAdd(name, value);
            }
        }

        return items;
    }
}

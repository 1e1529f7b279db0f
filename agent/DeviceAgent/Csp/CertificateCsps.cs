using System.Formats.Asn1;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Dm;
using DeviceAgent.SyncML;

namespace DeviceAgent.Csp;

/// <summary>
/// The certificates the phone holds, as the CertificateStore and RootCATrustedCertificates CSPs show them
/// (docs/csps.md "Certificates"). A certificate is a {CertHash} node whose EncodedCertificate holds the base64 DER
/// certificate; the device answers IssuedBy, IssuedTo, ValidFrom, ValidTo and TemplateName from it (MS-MDE2 2.2.9.2:
/// the CERT_INFO Issuer, Subject, NotBefore and NotAfter) and MY/WSTEP/CertThumprint from the MDM client certificate.
/// Other nodes (SCEP, WSTEP/Renew) are answered by the generic store.
/// </summary>
public sealed class CertificateStoreCsp : CspHandler
{
    /// <summary>The CertificateStore CSP root.</summary>
    public const string Root = "./Device/Vendor/MSFT/CertificateStore";

    /// <summary>Where the phone lists its personal certificates: the MDM client certificate and PFX installs (the 1703/1709 DDF has no MY/System).</summary>
    public const string PersonalStore = Root + "/MY/User";

    /// <summary>Where the MDM root of the provisioning document goes (MS-MDE2 2.2.9.2 Root/System).</summary>
    public const string RootStore = Root + "/ROOT/System";

    /// <summary>The RootCATrustedCertificates CSP roots.</summary>
    public const string TrustedRoot = "./Device/Vendor/MSFT/RootCATrustedCertificates";

    private const string UserTrustedRoot = "./User/Vendor/MSFT/RootCATrustedCertificates";

    private readonly DdfNodeStore _store;

    /// <summary>Serves both certificate CSPs; <paramref name="store"/> answers the nodes without certificate behaviour.</summary>
    public CertificateStoreCsp(DdfNodeStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    /// <summary>CertificateStore and RootCATrustedCertificates (device and user scope).</summary>
    public override IReadOnlyList<string> Roots { get; } = [Root, TrustedRoot, UserTrustedRoot];

    /// <summary>Answers the certificate's fields and the MDM client certificate's thumbprint; other nodes from the generic store.</summary>
    public override ValueTask<CspReadResult> GetAsync(CspContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var schema = context.Schema;
        if (schema.Parent is { IsDynamicName: true } holder && holder.FindNamedChild(EncodedCertificate) is not null
            && schema.Name != EncodedCertificate && context.Node?.Parent is { } certificateNode)
        {
            using var certificate = Decode(certificateNode.FindChild(EncodedCertificate)?.Value);
            return new(CspReadResult.Of(certificate is null ? null : Field(certificate, schema.Name)));
        }

        if (context.RelativePath.Equals("MY/WSTEP/CertThumprint", StringComparison.OrdinalIgnoreCase))
        {
            // MS-MDE2 2.2.9.2: the current MDM client certificate's thumbprint; nothing enrolled: nothing to report.
            return new(CspReadResult.Of(ClientCertificateThumbprint(context.Tree) ?? ""));
        }

        return _store.GetAsync(context, cancellationToken);
    }

    /// <summary>
    /// Refuses an EncodedCertificate that is not a DER X.509 certificate, or whose SHA-1 thumbprint is not the
    /// {CertHash} it is added under, with 400 [choice]; nothing is stored.
    /// </summary>
    public override ValueTask<CspResult> OnWritingAsync(CspWriteContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Kind == CspWriteKind.Delete || context.Schema.Name != EncodedCertificate || context.Schema.Parent is not { IsDynamicName: true })
        {
            return new(CspResult.Ok);
        }

        using var certificate = Decode(context.NewValue);
        var hash = context.Segments[^2];
        return new(certificate is not null && certificate.Thumbprint.Equals(hash, StringComparison.OrdinalIgnoreCase)
            ? CspResult.Ok
            : CspResult.Fail(StatusCodes.BadRequest));
    }

    /// <summary>The EncodedCertificate leaf of a {CertHash} node.</summary>
    public const string EncodedCertificate = "EncodedCertificate";

    /// <summary>
    /// The thumbprint of the MDM client certificate: the certificate of the personal store whose subject the DMAcc
    /// account's SSLCLIENTCERTSEARCHCRITERIA names (w7 APPLICATION CSP page: how the DM client finds its certificate),
    /// or null when no enrollment left one.
    /// </summary>
    public static string? ClientCertificateThumbprint(DmTree tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        if (tree.Find("./SyncML/DMAcc") is not { } accounts || tree.Find(PersonalStore) is not { } personal)
        {
            return null;
        }

        foreach (var account in accounts.Children)
        {
            var criteria = account.FindChild("Ext")?.FindChild("Microsoft")?.FindChild("SSLCLIENTCERTSEARCHCRITERIA")?.Value;
            if (SearchSubject(criteria) is not { } subject)
            {
                continue;
            }

            foreach (var node in personal.Children)
            {
                using var certificate = Decode(node.FindChild(EncodedCertificate)?.Value);
                if (certificate is not null && certificate.Subject == subject)
                {
                    return certificate.Thumbprint;
                }
            }
        }

        return null;
    }

    /// <summary>The Subject of "Subject=CN%3D...&amp;Stores=My%5CUser" (URL-encoded, w7 APPLICATION CSP page), or null.</summary>
    private static string? SearchSubject(string? criteria)
    {
        if (string.IsNullOrEmpty(criteria))
        {
            return null;
        }

        foreach (var part in criteria.Split('&'))
        {
            if (part.StartsWith("Subject=", StringComparison.OrdinalIgnoreCase))
            {
                return Uri.UnescapeDataString(part["Subject=".Length..]);
            }
        }

        return null;
    }

    /// <summary>The certificate in base64 DER, or null when the text is not one.</summary>
    public static X509Certificate2? Decode(string? base64)
    {
        if (string.IsNullOrEmpty(base64))
        {
            return null;
        }

        try
        {
            return X509CertificateLoader.LoadCertificate(Convert.FromBase64String(base64));
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            return null;
        }
    }

    private static string? Field(X509Certificate2 certificate, string leaf) => leaf switch
    {
        "IssuedBy" => certificate.Issuer,
        "IssuedTo" => certificate.Subject,
        // Windows shows CERT_INFO times; written as UTC ISO 8601 [choice].
        "ValidFrom" => certificate.NotBefore.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        "ValidTo" => certificate.NotAfter.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        "TemplateName" => TemplateName(certificate),
        _ => null,
    };

    /// <summary>
    /// The certificate template: the name of the szOID_ENROLL_CERTTYPE_EXTENSION (1.3.6.1.4.1.311.20.2, a BMPString),
    /// else the template OID of szOID_CERTIFICATE_TEMPLATE (1.3.6.1.4.1.311.21.7), else empty (no template).
    /// </summary>
    private static string TemplateName(X509Certificate2 certificate)
    {
        try
        {
            if (certificate.Extensions["1.3.6.1.4.1.311.20.2"] is { } name)
            {
                return new AsnReader(name.RawData, AsnEncodingRules.DER).ReadCharacterString(UniversalTagNumber.BMPString);
            }

            if (certificate.Extensions["1.3.6.1.4.1.311.21.7"] is { } template)
            {
                var sequence = new AsnReader(template.RawData, AsnEncodingRules.DER).ReadSequence();
                return sequence.ReadObjectIdentifier();
            }
        }
        catch (AsnContentException)
        {
            // A malformed extension names no template.
        }

        return "";
    }
}

/// <summary>
/// ClientCertificateInstall PFXCertInstall (ClientCertificateInstall CSP page): an Add or Replace of PFXCertBlob
/// installs the PFX with the parameters already set under its {UniqueID} (KeyLocation, PFXCertPassword,
/// PFXCertPasswordEncryptionType, PFXKeyExportable, ContainerName); the certificate then appears in the
/// CertificateStore personal store, Thumbprint names it and Status holds the result code; Delete of the {UniqueID}
/// removes the certificate (docs/csps.md "Certificates"). SCEP is left to the generic store.
/// </summary>
public sealed class ClientCertificateInstallCsp : CspHandler
{
    /// <summary>Status when the PFX was installed.</summary>
    public const int StatusInstalled = 0;

    /// <summary>Status for a wrong PFXCertPassword: ERROR_INVALID_PASSWORD (86), what PfxImportCertStore leaves in GetLastError.</summary>
    public const int StatusInvalidPassword = 86;

    /// <summary>Status for a blob that is not a PFX: CRYPT_E_BAD_ENCODE (0x80092002) as a signed int.</summary>
    public const int StatusBadEncoding = unchecked((int)0x80092002);

    /// <summary>Status for a parameter combination the page says fails (no KeyLocation, exportable key outside software, NGC without container): E_INVALIDARG.</summary>
    public const int StatusInvalidArgument = unchecked((int)0x80070057);

    /// <summary>Status for an encrypted PFXCertPassword (PFXCertPasswordEncryptionType 1 or 2), not modelled: NTE_NOT_SUPPORTED.</summary>
    public const int StatusNotSupported = unchecked((int)0x80090029);

    private readonly DdfNodeStore _store;
    private readonly DeviceProfile _profile;

    /// <summary>Installs PFX blobs on the phone of <paramref name="profile"/> (its TPM decides KeyLocation 1).</summary>
    public ClientCertificateInstallCsp(DeviceProfile profile, DdfNodeStore store)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(store);
        _profile = profile;
        _store = store;
    }

    /// <summary>ClientCertificateInstall, device and user scope.</summary>
    public override IReadOnlyList<string> Roots { get; } =
        ["./Device/Vendor/MSFT/ClientCertificateInstall", "./User/Vendor/MSFT/ClientCertificateInstall"];

    /// <summary>Thumbprint and Status of a PFX install come from the tree (set at install); the rest from the generic store.</summary>
    public override ValueTask<CspReadResult> GetAsync(CspContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (IsPfx(context) && context.RelativeSegment(2) is "Thumbprint" or "Status" && context.Node?.Value is null)
        {
            // Nothing installed yet: no thumbprint; Status 0 [choice: nothing failed].
            return new(CspReadResult.Of(context.RelativeSegment(2) == "Status" ? "0" : ""));
        }

        return _store.GetAsync(context, cancellationToken);
    }

    /// <summary>Installs the PFX on an Add or Replace of PFXCertBlob; removes its certificate on Delete of the {UniqueID}.</summary>
    public override ValueTask<CspResult> OnWritingAsync(CspWriteContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!IsPfx(context))
        {
            return new(CspResult.Ok);
        }

        if (context.Kind == CspWriteKind.Delete && context.RelativeSegment(2) is null && context.Node is { } install)
        {
            return new(Uninstall(context.Tree, install));
        }

        return new(context.Kind != CspWriteKind.Delete && context.RelativeSegment(2) == "PFXCertBlob" ? Install(context) : CspResult.Ok);
    }

    private static bool IsPfx(CspContext context) =>
        context.RelativeSegment(0) == "PFXCertInstall" && context.RelativeSegment(1) is not null;

    private CspResult Install(CspWriteContext context)
    {
        var tree = context.Tree;
        var install = context.Node?.Parent ?? tree.Lookup([.. context.Segments.Take(context.Segments.Count - 1)]).Node;
        if (install is null)
        {
            // The parameters must be set before the blob (ClientCertificateInstall CSP page, PFXCertBlob).
            return CspResult.Fail(StatusCodes.CommandFailed);
        }

        string? Parameter(string name) => install.FindChild(name)?.Value;
        var (code, certificate) = Import(context.NewValue, Parameter("PFXCertPassword"), Parameter("KeyLocation"),
            Parameter("PFXCertPasswordEncryptionType"), Parameter("PFXKeyExportable"), Parameter("ContainerName"));
        var undo = new List<Action>();
        tree.Change(() =>
        {
            Set(install, "Status", code.ToString(CultureInfo.InvariantCulture), undo);
            return true;
        });
        if (certificate is null)
        {
            // Status keeps the reason; the blob is not stored (command failed, docs/csps.md).
            return CspResult.Fail(StatusCodes.CommandFailed);
        }

        using (certificate)
        {
            tree.Change(() =>
            {
                // Replace overwrites the certificate the blob installed before (ClientCertificateInstall CSP page).
                RemoveCertificate(tree, install.FindChild("Thumbprint")?.Value, undo);
                Set(install, "Thumbprint", certificate.Thumbprint, undo);
                AddCertificate(tree, certificate, undo);
                return true;
            });
        }

        return CspResult.Success(() => tree.Change(() =>
        {
            for (var i = undo.Count - 1; i >= 0; i--)
            {
                undo[i]();
            }

            return true;
        }));
    }

    /// <summary>
    /// Decodes the PFX (base64 text of the bin blob) with <see cref="X509CertificateLoader"/>: the Status code and the
    /// certificate that carries the private key, or null with the code of the failure.
    /// </summary>
    private (int Code, X509Certificate2? Certificate) Import(string? blob, string? password, string? keyLocation,
        string? encryptionType, string? exportable, string? containerName)
    {
        if (encryptionType is "1" or "2")
        {
            return (StatusNotSupported, null);
        }

        // KeyLocation is required; 1 needs a TPM; 4 (Windows Hello) needs a ContainerName; an exportable key only in software.
        var keyInvalid = keyLocation switch
        {
            "1" => _profile.TpmSpecificationVersion is null,
            "2" or "3" => false,
            "4" => string.IsNullOrEmpty(containerName),
            _ => true,
        };
        if (keyInvalid || (exportable == "true" && keyLocation != "3"))
        {
            return (StatusInvalidArgument, null);
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(blob ?? "");
        }
        catch (FormatException)
        {
            return (StatusBadEncoding, null);
        }

        if (!LooksLikePfx(bytes))
        {
            return (StatusBadEncoding, null);
        }

        X509Certificate2Collection collection;
        try
        {
            collection = X509CertificateLoader.LoadPkcs12Collection(bytes, password, X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (CryptographicException)
        {
            // The structure is a PFX (checked above): the MAC or the key bags did not open with this password.
            return (StatusInvalidPassword, null);
        }

        X509Certificate2? leaf = null;
        foreach (var certificate in collection)
        {
            if (leaf is null && certificate.HasPrivateKey)
            {
                leaf = certificate;
            }
            else
            {
                certificate.Dispose();
            }
        }

        return leaf is null ? (StatusBadEncoding, null) : (StatusInstalled, leaf);
    }

    /// <summary>PFX ::= SEQUENCE { version INTEGER (3), authSafe ContentInfo, macData OPTIONAL } (RFC 7292 section 4).</summary>
    private static bool LooksLikePfx(byte[] bytes)
    {
        try
        {
            var reader = new AsnReader(bytes, AsnEncodingRules.BER);
            var pfx = reader.ReadSequence();
            if (reader.HasData || !pfx.TryReadInt32(out var version) || version != 3)
            {
                return false;
            }

            pfx.ReadSequence();
            return true;
        }
        catch (AsnContentException)
        {
            return false;
        }
    }

    private static CspResult Uninstall(DmTree tree, DmNode install)
    {
        var undo = new List<Action>();
        tree.Change(() =>
        {
            // Delete of the {UniqueID} deletes the certificates and keys its blob installed (ClientCertificateInstall CSP page).
            RemoveCertificate(tree, install.FindChild("Thumbprint")?.Value, undo);
            return true;
        });
        return CspResult.Success(() => tree.Change(() =>
        {
            undo.ForEach(u => u());
            return true;
        }));
    }

    private static void Set(DmNode install, string leaf, string value, List<Action> undo)
    {
        if (install.FindChild(leaf) is { } node)
        {
            var old = node.Value;
            node.Value = value;
            undo.Add(() => node.Value = old);
        }
    }

    private static void AddCertificate(DmTree tree, X509Certificate2 certificate, List<Action> undo)
    {
        if (tree.Find(CertificateStoreCsp.PersonalStore) is not { Schema.DynamicChild: { } dynamic } store || store.FindChild(certificate.Thumbprint) is not null)
        {
            return;
        }

        var node = store.CreateChild(certificate.Thumbprint, dynamic);
        var encoded = dynamic.ResolveChild(CertificateStoreCsp.EncodedCertificate)!;
        node.CreateChild(encoded.Name, encoded).Value = Convert.ToBase64String(certificate.RawData);
        undo.Add(() => node.Detach());
    }

    private static void RemoveCertificate(DmTree tree, string? thumbprint, List<Action> undo)
    {
        if (string.IsNullOrEmpty(thumbprint) || tree.Find(CertificateStoreCsp.PersonalStore) is not { } store || store.FindChild(thumbprint) is not { } node)
        {
            return;
        }

        var position = node.Detach();
        undo.Add(() => node.Reattach(store, position));
    }
}

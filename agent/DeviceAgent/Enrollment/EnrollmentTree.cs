using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using DeviceAgent.Csp;
using DeviceAgent.Dm;
using DeviceAgent.Protocol;
using DeviceAgent.SyncML;

namespace DeviceAgent.Enrollment;

/// <summary>
/// Writes what enrollment provisioned into the DM tree and takes it out again at unenrollment (docs/csps.md
/// "DMAcc and DMClient"). The provisioning document's w7 APPLICATION becomes a DMAcc account and its DMClient
/// characteristic becomes DMClient/Provider/{ProviderID}; both are applied as one Atomic through the device's own
/// executor, so every value is checked against the DDF and nothing is half-applied.
/// </summary>
public static class EnrollmentTree
{
    /// <summary>The DMAcc root (1703 DDF path ./SyncML/DMAcc).</summary>
    public const string DmAccRoot = "./SyncML/DMAcc";

    /// <summary>The DMClient provider list.</summary>
    public const string ProviderRoot = DmClientCsp.Root + "/Provider";

    private static readonly string[] s_certificateRoots =
        [CertificateStoreCsp.Root, CertificateStoreCsp.TrustedRoot, "./User/Vendor/MSFT/RootCATrustedCertificates"];

    private static readonly string[] s_installRoots = ["./Device/Vendor/MSFT/ClientCertificateInstall", "./User/Vendor/MSFT/ClientCertificateInstall"];

    // Where Policy CSP settings live, device scope first (Unenroll clears both).
    private static readonly string[] s_policyConfigRoots = ["./Device/Vendor/MSFT/Policy/Config", "./User/Vendor/MSFT/Policy/Config"];

    /// <summary>
    /// w7 parms and the DMAcc node each sets (w7 APPLICATION CSP page; "Mapping between w7 and DMS"; DMAcc CSP page),
    /// with the node's DDF format.
    /// </summary>
    private static readonly (string Parm, string Node, string Format)[] s_w7Nodes =
    [
        ("APPID", "AppID", "chr"),
        ("PROVIDER-ID", "ServerID", "chr"),
        ("NAME", "Name", "chr"),
        ("ADDR", "AppAddr/1/Addr", "chr"),
        ("AAUTHPREF", "AAuthPref", "chr"),
        ("PROTOVER", "Ext/Microsoft/ProtoVer", "chr"),
        ("DEFAULTENCODING", "Ext/Microsoft/DefaultEncoding", "chr"),
        ("CONNRETRYFREQ", "Ext/Microsoft/ConnRetryFreq", "int"),
        ("INITIALBACKOFFTIME", "Ext/Microsoft/InitialBackOffTime", "int"),
        ("MAXBACKOFFTIME", "Ext/Microsoft/MaxBackOffTime", "int"),
        ("BACKCOMPATRETRYDISABLED", "Ext/Microsoft/BackCompatRetryDisabled", "bool"),
        ("USEHWDEVID", "Ext/Microsoft/UseHwDevID", "bool"),
        ("SSLCLIENTCERTSEARCHCRITERIA", "Ext/Microsoft/SSLCLIENTCERTSEARCHCRITERIA", "chr"),
    ];

    /// <summary>
    /// The DMAcc account node of a w7-bootstrapped server: the SHA-256 of the PROVIDER-ID (DMAcc CSP page), written as
    /// upper-case hex [choice: the page does not say how the hash is written].
    /// </summary>
    public static string AccountName(string providerId)
    {
        ArgumentException.ThrowIfNullOrEmpty(providerId);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(providerId)));
    }

    /// <summary>
    /// The encoding the DM client sends in for the server <paramref name="providerId"/>: its DMAcc account's
    /// Ext/Microsoft/DefaultEncoding, where w7 DEFAULTENCODING lands (DMAcc DDF: "the encoding that the OMA-DM client will
    /// use"; XML when the node is unset or there is no account). A value that names no SyncML DM encoding is an
    /// <see cref="InvalidDataException"/> naming the node.
    /// </summary>
    public static SyncMLEncoding DefaultEncoding(DmTree tree, string providerId)
    {
        ArgumentNullException.ThrowIfNull(tree);
        ArgumentException.ThrowIfNullOrEmpty(providerId);
        var path = DmAccRoot + "/" + DmUri.EncodeSegment(AccountName(providerId)) + "/Ext/Microsoft/DefaultEncoding";
        var value = tree.Read(t => t.Find(path)?.Value);
        if (string.IsNullOrEmpty(value))
        {
            return SyncMLEncoding.Xml;
        }

        return SyncMLMediaTypes.TryParseDefaultEncoding(value, out var encoding)
            ? encoding
            : throw new InvalidDataException($"{path} is '{value}', neither {SyncMLMediaTypes.DmXml} nor {SyncMLMediaTypes.DmWbxml}");
    }

    /// <summary>
    /// The Atomic that writes <paramref name="enrollment"/>'s provisioning document into the tree; the certificates go to
    /// the CertificateStore CSP only when <paramref name="certificateStore"/> says the device has it (a desktop profile
    /// built from the 2025 DDF set has none, docs/csp-coverage.md).
    /// </summary>
    public static Atomic ProvisioningCommands(EnrollmentResult enrollment, bool certificateStore = true)
    {
        ArgumentNullException.ThrowIfNull(enrollment);
        var root = EnrollmentClient.ParseXml(Encoding.UTF8.GetBytes(enrollment.ProvisioningDocument), "the provisioning document", EnrollmentClient.Steps.ProvisioningDocument);
        var w7 = root.Elements("characteristic").First(c => Type(c) == "APPLICATION" && Parm(c, "APPID") == "w7");
        var commands = new Atomic { CmdID = "1" };
        var account = DmAccRoot + "/" + DmUri.EncodeSegment(AccountName(enrollment.ProviderId));
        foreach (var (parm, node, format) in s_w7Nodes)
        {
            if (w7.Elements("parm").FirstOrDefault(p => (string?)p.Attribute("name") == parm) is not { } element)
            {
                continue;
            }

            // BACKCOMPATRETRYDISABLED is a flag: present without a value means set (w7 APPLICATION CSP page).
            var value = (string?)element.Attribute("value") ?? (format == "bool" ? "true" : "");
            commands.Commands.Add(Item<Add>(commands, account + "/" + node, value, format));
        }

        commands.Commands.Add(Item<Add>(commands, account + "/AppAddr/1/AddrType", "URI", "chr"));

        if (certificateStore)
        {
            // The certificates of the document land in the CertificateStore CSP (MS-MDE2 2.2.9.2): the MDM root in
            // Root/System, the client certificate in the personal store (the 1703/1709 DDF has MY/User only, docs/csps.md).
            commands.Commands.Add(Item<Add>(commands, Certificate(CertificateStoreCsp.RootStore, enrollment.RootCertificate), Base64(enrollment.RootCertificate), "b64"));
            commands.Commands.Add(Item<Add>(commands, Certificate(CertificateStoreCsp.PersonalStore, enrollment.ClientCertificate), Base64(enrollment.ClientCertificate), "b64"));
            var renew = root.Elements("characteristic").Where(c => Type(c) == "CertificateStore")
                .Select(c => Child(c, "My")).Select(m => m is null ? null : Child(m, "WSTEP")).Select(w => w is null ? null : Child(w, "Renew"))
                .FirstOrDefault(r => r is not null);
            if (renew is not null)
            {
                // WSTEP/Renew settings (RenewPeriod, RetryInterval, ROBOSupport) as the document sets them.
                AddCharacteristic(commands, CertificateStoreCsp.Root + "/MY/WSTEP/Renew", renew);
            }
        }

        var provider = ProviderRoot + "/" + DmUri.EncodeSegment(enrollment.ProviderId);
        var settings = root.Elements("characteristic").Where(c => Type(c) == "DMClient")
            .Select(c => Child(c, "Provider")).Select(p => p is null ? null : Child(p, enrollment.ProviderId)).FirstOrDefault(p => p is not null);
        commands.Commands.Add(Item<Add>(commands, provider, null, "node"));
        if (settings is not null)
        {
            AddCharacteristic(commands, provider, settings);
        }

        // The server address the device manages itself with follows the w7 ADDR (DMClient CSP page, ManagementServiceAddress).
        commands.Commands.Add(Item<Replace>(commands, provider + "/ManagementServiceAddress", enrollment.ManagementServerUrl.AbsoluteUri, "chr"));
        if (!commands.Commands.OfType<Add>().Any(a => a.Items[0].Target!.LocURI.EndsWith("/Push/PFN", StringComparison.Ordinal)))
        {
            // The provider is created with Push/PFN unset so that a server's Replace of it (the push registration an
            // Intune-like server sends after enrollment) finds the node [choice, docs/csps.md]; Get answers 404 until set.
            commands.Commands.Add(Item<Add>(commands, provider + "/Push/PFN", null, "chr"));
        }

        return commands;
    }

    /// <summary>
    /// Applies the provisioning document to the tree through <paramref name="executor"/>; a refusal rolls the whole
    /// document back and throws <see cref="EnrollmentFaultException"/> naming the node and status.
    /// </summary>
    /// <param name="executor">The device's command executor.</param>
    /// <param name="enrollment">What the enrollment returned.</param>
    /// <param name="tree">The device's tree, to leave out the certificates when it has no CertificateStore CSP; null writes them.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public static async ValueTask ApplyAsync(IDmCommandExecutor executor, EnrollmentResult enrollment, DmTree? tree, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(executor);
        var certificateStore = tree is null || tree.Read(t => t.Find(CertificateStoreCsp.Root)) is not null;
        var atomic = ProvisioningCommands(enrollment, certificateStore);
        var answers = await executor.ExecuteAsync([atomic], "enrollment", cancellationToken).ConfigureAwait(false);
        ThrowOnFailure(atomic, answers, "the provisioning document");
    }

    /// <summary>
    /// The Atomic that removes what an enrollment left for <paramref name="providerId"/>: the DMClient provider, its
    /// DMAcc account, the PassportForWork tenants (device and signed-in user; the PassportForWork handler then removes
    /// the recovery protector), the policies set through the Policy CSP and the certificates the server configured
    /// (docs/csps.md "Unenroll"). Null when
    /// nothing is left.
    /// </summary>
    public static Atomic? UnenrollmentCommands(DmTree tree, string providerId)
    {
        ArgumentNullException.ThrowIfNull(tree);
        ArgumentException.ThrowIfNullOrEmpty(providerId);
        var targets = tree.Read(t =>
        {
            var list = new List<string>();
            Existing(t, ProviderRoot + "/" + DmUri.EncodeSegment(providerId), list);
            Existing(t, DmAccRoot + "/" + DmUri.EncodeSegment(AccountName(providerId)), list);
            // The server's node cache goes with its configuration (NodeCache CSP: one {ProviderID} per DM server).
            Existing(t, "./Device/Vendor/MSFT/NodeCache/" + DmUri.EncodeSegment(providerId), list);
            if (t.SignedInUser is not null)
            {
                Existing(t, "./User/Vendor/MSFT/NodeCache/" + DmUri.EncodeSegment(providerId), list);
            }

            foreach (var root in new[] { PassportForWorkPolicy.DeviceRoot, PassportForWorkPolicy.UserRoot })
            {
                if (t.Find(root) is { } passport && (root == PassportForWorkPolicy.DeviceRoot || t.SignedInUser is not null))
                {
                    list.AddRange(passport.Children.Where(c => c.Schema.IsDynamicName).Select(c => c.Path));
                }
            }

            foreach (var config in s_policyConfigRoots)
            {
                if ((config.StartsWith("./Device", StringComparison.Ordinal) || t.SignedInUser is not null) && t.Find(config) is { } node)
                {
                    Deletable(node, list);
                }
            }

            return list;
        });

        // "Removes certificates that are configured by MDM server" (Disconnecting from the management infrastructure).
        targets.AddRange(ConfiguredCertificates(tree));
        if (targets.Count == 0)
        {
            return null;
        }

        var atomic = new Atomic { CmdID = "1" };
        foreach (var target in targets)
        {
            atomic.Commands.Add(Item<Delete>(atomic, target, null, null));
        }

        return atomic;
    }

    /// <summary>Removes the enrollment of <paramref name="providerId"/> from the tree; throws when the device refuses a Delete (nothing removed).</summary>
    public static async ValueTask RemoveAsync(IDmCommandExecutor executor, DmTree tree, string providerId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(executor);
        if (UnenrollmentCommands(tree, providerId) is not { } atomic)
        {
            return;
        }

        var answers = await executor.ExecuteAsync([atomic], "unenrollment", cancellationToken).ConfigureAwait(false);
        ThrowOnFailure(atomic, answers, "unenrollment");
    }

    private static void ThrowOnFailure(Atomic atomic, IReadOnlyList<SyncMLCommand> answers, string what)
    {
        var statuses = answers.OfType<Status>().ToList();
        if (statuses.FirstOrDefault(s => s.CmdRef == atomic.CmdID)?.Data == "200")
        {
            return;
        }

        var failed = statuses.FirstOrDefault(s => s.CmdRef != atomic.CmdID && s.Data is not ("200" or "215" or "216"));
        var command = failed is null ? null : atomic.Commands.OfType<ItemCommand>().FirstOrDefault(c => c.CmdID == failed.CmdRef);
        throw new EnrollmentFaultException(EnrollmentFaultException.Subcodes.Protocol,
            $"{what} could not be applied to the DM tree: {command?.Name} {command?.Items[0].Target?.LocURI} answered {failed?.Data ?? "?"}; nothing was changed");
    }

    private static void AddCharacteristic(Atomic commands, string path, XElement characteristic)
    {
        foreach (var parm in characteristic.Elements("parm"))
        {
            var name = (string?)parm.Attribute("name");
            if (string.IsNullOrEmpty(name))
            {
                throw EnrollmentClient.Refuse(EnrollmentClient.Steps.ProvisioningDocument, $"a parm under {path} has no name attribute; expected name and value.");
            }

            var format = (string?)parm.Attribute("datatype") switch
            {
                "integer" => "int",
                "boolean" => "bool",
                _ => "chr",
            };
            commands.Commands.Add(Item<Add>(commands, path + "/" + DmUri.EncodeSegment(name), (string?)parm.Attribute("value") ?? "", format));
        }

        foreach (var child in characteristic.Elements("characteristic"))
        {
            if (Type(child) is not { Length: > 0 } type)
            {
                throw EnrollmentClient.Refuse(EnrollmentClient.Steps.ProvisioningDocument, $"a characteristic under {path} has no type attribute; expected one.");
            }

            var childPath = path + "/" + DmUri.EncodeSegment(type);
            commands.Commands.Add(Item<Add>(commands, childPath, null, "node"));
            AddCharacteristic(commands, childPath, child);
        }
    }

    private static string Certificate(string store, System.Security.Cryptography.X509Certificates.X509Certificate2 certificate) =>
        store + "/" + certificate.Thumbprint + "/" + CertificateStoreCsp.EncodedCertificate;

    private static string Base64(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate) => Convert.ToBase64String(certificate.RawData);

    /// <summary>
    /// Every certificate the MDM server configured: the {CertHash} nodes of CertificateStore and RootCATrustedCertificates
    /// (the enrollment's own included), then the ClientCertificateInstall requests (whose Delete removes the certificates
    /// they installed). The emulated phone holds no certificate but these, so all of them go [choice, docs/csps.md].
    /// </summary>
    public static IReadOnlyList<string> ConfiguredCertificates(DmTree tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        return tree.Read(t =>
        {
            var list = new List<string>();
            foreach (var root in s_certificateRoots)
            {
                if ((root.StartsWith("./Device", StringComparison.Ordinal) || t.SignedInUser is not null) && t.Find(root) is { } node)
                {
                    DynamicBelow(node, list);
                }
            }

            foreach (var root in s_installRoots)
            {
                if ((root.StartsWith("./Device", StringComparison.Ordinal) || t.SignedInUser is not null) && t.Find(root) is { } node)
                {
                    foreach (var kind in node.Children)
                    {
                        list.AddRange(kind.Children.Where(c => c.Schema.IsDynamicName).Select(c => c.Path));
                    }
                }
            }

            return list;
        });

        static void DynamicBelow(DmNode node, List<string> list)
        {
            foreach (var child in node.Children)
            {
                if (child.Schema.IsDynamicName)
                {
                    list.Add(child.Path);
                }
                else
                {
                    DynamicBelow(child, list);
                }
            }
        }
    }

    /// <summary>Removes every certificate the MDM server configured (<see cref="ConfiguredCertificates"/>); what RemoteWipe does when no enrollment is left.</summary>
    public static async ValueTask RemoveCertificatesAsync(IDmCommandExecutor executor, DmTree tree, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(executor);
        var targets = ConfiguredCertificates(tree);
        if (targets.Count == 0)
        {
            return;
        }

        var atomic = new Atomic { CmdID = "1" };
        foreach (var target in targets)
        {
            atomic.Commands.Add(Item<Delete>(atomic, target, null, null));
        }

        var answers = await executor.ExecuteAsync([atomic], "certificate removal", cancellationToken).ConfigureAwait(false);
        ThrowOnFailure(atomic, answers, "certificate removal");
    }

    private static void Existing(DmTree tree, string path, List<string> list)
    {
        if (tree.Find(path) is not null)
        {
            list.Add(path);
        }
    }

    /// <summary>The highest nodes below <paramref name="node"/> that a Delete may remove (areas without Delete are walked into).</summary>
    private static void Deletable(DmNode node, List<string> list)
    {
        foreach (var child in node.Children)
        {
            if ((child.Schema.AccessType & DdfAccessType.Delete) != 0)
            {
                list.Add(child.Path);
            }
            else
            {
                Deletable(child, list);
            }
        }
    }

    private static T Item<T>(Atomic atomic, string target, string? data, string? format)
        where T : ItemCommand, new()
    {
        var command = new T { CmdID = (atomic.Commands.Count + 2).ToString(CultureInfo.InvariantCulture) };
        command.Items.Add(new Item
        {
            Target = new LocationElement(target),
            Data = data is null ? null : new Data(data),
            Meta = format is null ? null : new Meta { Format = format },
        });
        return command;
    }

    private static string? Type(XElement e) => (string?)e.Attribute("type");

    private static XElement? Child(XElement e, string type) => e.Elements("characteristic").FirstOrDefault(c => Type(c) == type);

    private static string? Parm(XElement e, string name) =>
        (string?)e.Elements("parm").FirstOrDefault(p => (string?)p.Attribute("name") == name)?.Attribute("value");
}

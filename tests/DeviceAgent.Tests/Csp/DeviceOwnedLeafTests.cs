using System.Globalization;
using DeviceAgent.Csp;
using DeviceAgent.Dm;
using DeviceAgent.Ngc;
using DeviceAgent.Ngc.Software;
using DeviceAgent.SyncML;
using DeviceAgent.Testing;
using static DeviceAgent.Tests.Dm.DmTestDevice;

namespace DeviceAgent.Tests.Csp;

/// <summary>
/// Issue 13 item 2: every Get-able device-owned leaf the phone has (AccessType Get only, no DDF DefaultValue) answers
/// a value from the device spec or a documented idle value, never a placeholder and never the generic store's
/// format fallback (docs/csp-coverage.md "Generic store").
/// </summary>
[TestFixture]
public sealed class DeviceOwnedLeafTests
{
    // Placeholder words documentation samples and stubs use.
    private static readonly string[] s_placeholders = ["value", "sample", "string", "text", "placeholder", "null", "todo", "n/a", "not available", "unknown"];

    // Leaves whose empty answer is the documented truth: an empty list, nothing issued, the page's null.
    private static readonly HashSet<string> s_emptyByDesign = new(StringComparer.Ordinal)
    {
        "DeviceStatus/DomainName", "DynamicManagement/ActiveList", "HealthAttestation/Certificate", "HealthAttestation/CorrelationID",
        "Messaging/Auditing/Messages/Data", "Reporting/EnterpriseDataProtection/RetrieveByTimeRange/Logs",
        "Reporting/EnterpriseDataProtection/RetrieveByCount/Logs", "Reporting/SecurityAuditing/RetrieveByTimeRange/Logs",
        "Reporting/SecurityAuditing/RetrieveByCount/Logs",
        // EnterpriseModernAppManagement CSP page: ResourceID is null for a main package.
        "EnterpriseModernAppManagement/AppManagement/{}/{}/{}/ResourceID",
        // No PIN generated in this message (docs/reference/remotelock.md: a one-time read).
        "RemoteLock/NewPINValue",
    };

    // CertificateStore's enrollment (WSTEP) certificate nodes belong to the certificate work (issue 13, CertificateStore
    // reflects the certificates the phone holds); they are not judged here.
    private const string CertificateWork = "./Device/Vendor/MSFT/CertificateStore/";

    [TestCase("win10-mobile-1703")]
    [TestCase("win10-mobile-1709")]
    [CancelAfter(60_000)]
    public async Task EveryDeviceOwnedLeafAnswersARealValue(string profileName, CancellationToken cancellationToken)
    {
        var random = new Random(3);
        var profile = profileName == "win10-mobile-1703" ? DeviceProfiles.Win10Mobile1703(random) : DeviceProfiles.Win10Mobile1709(random);
        var device = await StandardDevice.CreateAsync(profile, random, new WindowsHelloOptions
        {
            Time = new TestClock(new DateTimeOffset(2017, 7, 26, 10, 30, 0, TimeSpan.Zero)),
            Ngc = new SoftwareNgcOptions { Pbkdf2Iterations = 1, KeyAlgorithm = NgcKeyAlgorithm.EcdsaP256 },
        }, cancellationToken: cancellationToken);
        var store = device.Handlers.OfType<DdfNodeStore>().Single();
        var ownRoots = device.Handlers.Where(h => h is not DdfNodeStore).SelectMany(h => h.Roots).ToList();
        var leaves = device.Tree.Read(tree => Leaves(tree.Root).ToList());
        var problems = new List<string>();
        var cmdId = 0;
        foreach (var (path, schema) in leaves)
        {
            var key = DdfNodeStore.Key(schema);
            if (path.StartsWith(CertificateWork, StringComparison.Ordinal))
            {
                continue;
            }

            if (!ownRoots.Any(root => path.StartsWith(root + "/", StringComparison.OrdinalIgnoreCase)) && store.AnswersNothingToReport(schema))
            {
                problems.Add($"{path}: the generic store has no value for it (neither the spec, nor IdleValues, nor the DDF)");
                continue;
            }

            var answers = await device.Executor.ExecuteAsync([Get((++cmdId).ToString(CultureInfo.InvariantCulture), path)], "1", cancellationToken);
            var status = answers.OfType<Status>().Single().Data;
            if (status == "404")
            {
                continue; // the device has nothing there (no SIM, no value): an answer, not a placeholder
            }

            var value = status == "200" ? SingleResult(answers).Data?.Value ?? "" : null;
            if (value is null)
            {
                problems.Add($"{path}: status {status}");
            }
            else if (value.Trim().Length == 0 ? !s_emptyByDesign.Contains(key) && !IsUnsetPolicyWithoutDefault(path, schema) : s_placeholders.Contains(value.Trim().ToLowerInvariant()))
            {
                problems.Add($"{path}: placeholder '{value}'");
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(problems, Is.Empty, string.Join("\n", problems));
            Assert.That(leaves, Has.Count.GreaterThan(120), "the walk reached the CSPs");
            Assert.That(leaves.Select(l => l.Path), Does.Contain("./Device/Vendor/MSFT/DeviceStatus/CellularIdentities/" + profile.Imei + "/ICCID"));
        });
    }

    // Existing device-owned leaves without a DefaultValue: what the phone itself fills in.
    // Policy CSP page: Result is the effective value, the policy's default when unset; a policy whose DDF gives no
    // default (a list, a URL, a name) has nothing to report until a server configures it (docs/csps.md "Policy").
    private static bool IsUnsetPolicyWithoutDefault(string path, DmSchemaNode schema) =>
        path.Contains("/Vendor/MSFT/Policy/Result/", StringComparison.Ordinal) && string.IsNullOrEmpty(schema.Definition?.DefaultValue);

    private static IEnumerable<(string Path, DmSchemaNode Schema)> Leaves(DmNode node)
    {
        if (!node.IsInterior && DdfNodeStore.IsDeviceOwned(node.Schema) && node.Schema.Definition?.DefaultValue is null && node.Schema.Format != DdfFormat.Null)
        {
            yield return (node.Path, node.Schema);
        }

        foreach (var child in node.Children)
        {
            foreach (var leaf in Leaves(child))
            {
                yield return leaf;
            }
        }
    }
}

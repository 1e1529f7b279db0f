using DeviceAgent.Csp;
using DeviceAgent.Dm;
using DeviceAgent.SyncML;
using static DeviceAgent.Tests.Dm.DmTestDevice;

namespace DeviceAgent.Tests.Csp;

/// <summary>
/// Coverage by construction (docs/csp-coverage.md): for every node of every CSP the phone profile's DDF set mounts,
/// Add, Get, Replace, Exec and Delete answer as the node's DDF AccessType says: 405 where it forbids the command,
/// never 404 for a node the phone has. Dynamic nodes are added under a made-up name first, so their subtrees are
/// walked too; a node that neither the device nor the server can create (a dynamic Get-only node) is not walked.
/// </summary>
[TestFixture]
public sealed class CspCoverageTests
{
    public static IEnumerable<TestCaseData> Profiles()
    {
        yield return new TestCaseData("win10-mobile-1703").SetName("EveryNodeOfEveryCspAnswersAsItsAccessTypeSays(win10-mobile-1703)");
        yield return new TestCaseData("win10-mobile-1709").SetName("EveryNodeOfEveryCspAnswersAsItsAccessTypeSays(win10-mobile-1709)");
    }

    [TestCaseSource(nameof(Profiles))]
    [CancelAfter(120_000)]
    public async Task EveryNodeOfEveryCspAnswersAsItsAccessTypeSays(string profileName, CancellationToken cancellationToken)
    {
        var random = new Random(7);
        var profile = profileName == "win10-mobile-1703" ? DeviceProfiles.Win10Mobile1703(random) : DeviceProfiles.Win10Mobile1709(random);
        var device = await StandardDevice.CreateAsync(profile, random, cancellationToken: cancellationToken);
        var walk = new Walk(device, cancellationToken);

        foreach (var scope in device.Tree.Schema.Root.Children)
        {
            foreach (var child in CspRoots(scope))
            {
                await walk.VisitAsync(child, child.Parent!.Path + "/" + child.Name);
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(walk.Failures, Is.Empty, string.Join("\n", walk.Failures.Take(40)));
            Assert.That(walk.Visited, Is.GreaterThan(800), "the walk reached the CSPs");
            Assert.That(walk.Refused, Has.Count.LessThan(walk.Visited / 20), "most sample values are accepted: " + string.Join("\n", walk.Refused));
        });
    }

    // The DDF roots below a scope root: ./DevInfo, ./DevDetail, ./SyncML/DMAcc, ./Device/Vendor/MSFT/X, ./User/Vendor/MSFT/X.
    private static IEnumerable<DmSchemaNode> CspRoots(DmSchemaNode node) =>
        node.IsSynthetic ? node.Children.SelectMany(CspRoots) : [node];

    private sealed class Walk(StandardDevice device, CancellationToken cancellationToken)
    {
        private int _cmdId;

        public List<string> Failures { get; } = [];

        /// <summary>Adds whose sample value the CSP refused: the subtree is not walked.</summary>
        public List<string> Refused { get; } = [];

        public int Visited { get; private set; }

        public async Task VisitAsync(DmSchemaNode schema, string path)
        {
            Visited++;
            var access = schema.AccessType;
            var exists = device.Tree.Find(path) is not null;
            var written = false;
            var add = await StatusAsync(Add(Next(), path, Sample(schema), DdfLoader.FormatName(schema.Format)));
            if ((access & DdfAccessType.Add) == 0)
            {
                Expect(add, 405, "Add", path);
            }
            else
            {
                ExpectAllowed(add, "Add", path);
                written = add == 200;
            }

            if (device.Tree.Find(path) is null)
            {
                // Neither the device nor the server can create it (dynamic Get-only): the phone does not have it.
                // Or the CSP refused the sample value (400, 500: a handler's or the DDF's own validation).
                if (exists)
                {
                    Failures.Add($"{path}: gone after Add ({add})");
                }
                else if ((access & DdfAccessType.Add) != 0)
                {
                    Refused.Add($"{path}: {add}");
                }

                return;
            }

            var replace = await StatusAsync(Replace(Next(), path, Sample(schema), DdfLoader.FormatName(schema.Format)));
            if ((access & DdfAccessType.Replace) == 0)
            {
                Expect(replace, 405, "Replace", path);
            }
            else
            {
                ExpectAllowed(replace, "Replace", path);
                written |= replace == 200;
            }

            var get = await StatusAsync(Get(Next(), path));
            if ((access & DdfAccessType.Get) == 0)
            {
                Expect(get, 405, "Get", path);
            }
            else if (schema.IsInterior || DdfNodeStore.IsDeviceOwned(schema) || written || schema.Format == DdfFormat.Null)
            {
                Expect(get, 200, "Get", path);
            }
            else
            {
                // A setting whose sample value the CSP refused may be unset: 404 is then the right answer.
                ExpectAllowed(get, "Get", path, allow404: true);
            }

            foreach (var child in schema.Children)
            {
                await VisitAsync(child, path + "/" + (child.IsDynamicName ? DynamicName() : child.Name));
            }

            var exec = await StatusAsync(Exec(Next(), path, Sample(schema)));
            if ((access & DdfAccessType.Exec) == 0)
            {
                Expect(exec, 405, "Exec", path);
            }
            else
            {
                // DMClient/Unenroll's Data names a provider; the sample names none, which the CSP answers 404.
                ExpectAllowed(exec, "Exec", path, allow404: path == "./Device/Vendor/MSFT/DMClient/Unenroll");
            }

            if (device.Tree.Find(path) is null)
            {
                return;
            }

            var delete = await StatusAsync(Delete(Next(), path));
            if ((access & DdfAccessType.Delete) == 0)
            {
                Expect(delete, 405, "Delete", path);
            }
            else
            {
                ExpectAllowed(delete, "Delete", path);
            }
        }

        // Server-chosen names: GUIDs, which every dynamic node of the phone's CSPs accepts (TenantId, ProviderID ...).
        private string DynamicName() => new Guid(Visited, 0x1703, 0x4000, 0x80, 0, 0, 0, 0, 0, 0, 1).ToString("D");

        private string Next() => (++_cmdId).ToString(System.Globalization.CultureInfo.InvariantCulture);

        private async Task<int> StatusAsync(SyncMLCommand command)
        {
            var answers = await device.Executor.ExecuteAsync([command], "1", cancellationToken);
            var status = answers.OfType<Status>().First();
            return int.Parse(status.Data!, System.Globalization.CultureInfo.InvariantCulture);
        }

        private void Expect(int actual, int expected, string command, string path)
        {
            if (actual != expected)
            {
                Failures.Add($"{command} {path}: {actual}, expected {expected}");
            }
        }

        private void ExpectAllowed(int actual, string command, string path, bool allow404 = false)
        {
            if (actual == 405 || (actual == 404 && !allow404))
            {
                Failures.Add($"{command} {path}: {actual}, but the DDF allows {command}");
            }
        }

        // A value of the node's format the DDF would accept where it says so (DefaultValue), else a plain one.
        private static string? Sample(DmSchemaNode schema) => schema.Format switch
        {
            DdfFormat.Node or DdfFormat.Null => null,
            _ when schema.Definition?.DefaultValue is { } value => value,
            DdfFormat.Bool => "true",
            DdfFormat.Int => "1",
            DdfFormat.Float => "1.5",
            DdfFormat.B64 => "AAAA",
            DdfFormat.Xml => "<Sample/>",
            DdfFormat.Date => "2017-07-26",
            DdfFormat.Time => "10:30:00",
            _ => "sample",
        };
    }
}

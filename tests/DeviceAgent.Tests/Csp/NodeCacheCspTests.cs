using System.Text;
using DeviceAgent.SyncML;
using DeviceAgent.Tests.Dm;
using static DeviceAgent.Tests.Dm.DmTestDevice;

namespace DeviceAgent.Tests.Csp;

/// <summary>The NodeCache CSP page's session flow, as an Intune-like server runs it (docs/csps.md "NodeCache").</summary>
public class NodeCacheCspTests
{
    private const string Cache = "./Vendor/MSFT/NodeCache/MDMSRV1";
    private const string PasswordEnabled = "./Vendor/MSFT/Policy/Config/DeviceLock/DevicePasswordEnabled";
    private const string DeviceName = "./DevDetail/Ext/Microsoft/DeviceName";

    private static async Task<string> ValueAsync(DmTestDevice device, string uri)
    {
        var answers = await device.RunAsync(Get("9", uri));
        var status = answers.OfType<Status>().Single().Data;
        return status == "200" ? SingleResult(answers).Data?.Value ?? "" : "status " + status;
    }

    private static Item Nonexistent(string uri) => new()
    {
        Target = new LocationElement(uri),
        Meta = new Meta { Format = "chr", Type = "application/x-nodemon-nonexistent" },
    };

    [Test]
    public async Task The_documented_flow_reports_changed_nodes_until_the_server_updates_the_expected_values()
    {
        var device = new DmTestDevice();
        Assert.That(await device.RunDescribedAsync(
                Replace("2", PasswordEnabled, "0", "int"),
                Add("3", Cache, null, "node"),
                Add("4", Cache + "/Nodes/Node_0001/NodeURI", PasswordEnabled),
                Add("5", Cache + "/Nodes/Node_0001/ExpectedValue", "0"),
                Add("6", Cache + "/Nodes/Node_0002/NodeURI", DeviceName),
                Add("7", Cache + "/Nodes/Node_0002/ExpectedValue", "phone"),
                Add("8", Cache + "/CacheVersion", "V1")),
            Is.All.EndsWith(" 200"));

        // The device's name is not what the server expected; the password policy is.
        Assert.That(await ValueAsync(device, Cache + "/ChangedNodes"), Is.EqualTo("Node_0002"));
        var actualName = await ValueAsync(device, DeviceName);
        Assert.That(await ValueAsync(device, Cache + "/ChangedNodesData"),
            Is.EqualTo($"<Nodes><Node Id=\"Node_0002\" Uri=\"{DeviceName}\">{Convert.ToBase64String(Encoding.UTF8.GetBytes(actualName))}</Node></Nodes>"));

        // The server reads the value, updates its cache and the device's, and moves the cache version on.
        Assert.That(await device.RunDescribedAsync(
                Replace("10", Cache + "/Nodes/Node_0002/ExpectedValue", actualName),
                Replace("11", Cache + "/CacheVersion", "V2")),
            Is.EqualTo(new[] { "Status 10 Replace 200", "Status 11 Replace 200" }));
        Assert.That(await ValueAsync(device, Cache + "/ChangedNodes"), Is.EqualTo(""));
        Assert.That(await ValueAsync(device, Cache + "/CacheVersion"), Is.EqualTo("V2"));

        // A watched setting changes on the device: it is reported again, with its new value.
        Assert.That(await device.RunDescribedAsync(Replace("12", PasswordEnabled, "1", "int")), Is.EqualTo(new[] { "Status 12 Replace 200" }));
        Assert.That(await ValueAsync(device, Cache + "/ChangedNodes"), Is.EqualTo("Node_0001"));
        Assert.That(await ValueAsync(device, Cache + "/ChangedNodesData"), Does.Contain($"<Node Id=\"Node_0001\" Uri=\"{PasswordEnabled}\">MQ==</Node>"));
    }

    [Test]
    public async Task AutoSetExpectedValue_takes_the_actual_value_and_a_node_without_uri_is_always_changed()
    {
        var device = new DmTestDevice();
        Assert.That(await device.RunDescribedAsync(
                Add("2", Cache + "/Nodes/20/NodeURI", DeviceName),
                Replace("3", Cache + "/Nodes/20/AutoSetExpectedValue", "", "null"),
                Add("4", Cache + "/Nodes/10", null, "node")),
            Is.All.EndsWith(" 200"));

        Assert.That(await ValueAsync(device, Cache + "/Nodes/20/ExpectedValue"), Is.EqualTo(await ValueAsync(device, DeviceName)));
        Assert.That(await ValueAsync(device, Cache + "/ChangedNodes"), Is.EqualTo("10"));
        Assert.That(await ValueAsync(device, Cache + "/ChangedNodesData"), Is.EqualTo("<Nodes><Node Id=\"10\" Uri=\"\"></Node></Nodes>"));
    }

    [Test]
    public async Task An_expected_nonexistent_node_is_changed_once_it_exists()
    {
        var device = new DmTestDevice();
        Assert.That(await device.RunDescribedAsync(
                Add("2", Cache + "/Nodes/N1/NodeURI", PasswordEnabled),
                WithItems(new Add(), "3", Nonexistent(Cache + "/Nodes/N1/ExpectedValue"))),
            Is.All.EndsWith(" 200"));
        Assert.That(await ValueAsync(device, Cache + "/ChangedNodes"), Is.EqualTo(""));

        Assert.That(await device.RunDescribedAsync(Replace("4", PasswordEnabled, "0", "int")), Is.EqualTo(new[] { "Status 4 Replace 200" }));

        Assert.That(await ValueAsync(device, Cache + "/ChangedNodes"), Is.EqualTo("N1"));
    }
}

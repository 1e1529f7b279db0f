using System.Text;
using Microsoft.Extensions.Configuration;
using MockMdm.Tests.Support;

namespace MockMdm.Tests.Hardening;

/// <summary>Issue 16 item 2: one device cannot grow its own record without limit (MaxInventoryKeys, MaxInventoryBytes).</summary>
public class InventoryBoundTests
{
    private static string ReplaceOf(int count, int valueLength, string prefix = "./Vendor/Junk/")
    {
        var body = new StringBuilder("<Replace><CmdID>1</CmdID>");
        for (var i = 0; i < count; i++)
        {
            body.Append($"<Item><Source><LocURI>{prefix}{i}</LocURI></Source><Data>{new string('v', valueLength)}</Data></Item>");
        }

        return body.Append("</Replace>").ToString();
    }

    private static async Task<(ScriptedDevice Device, string Id)> NewSessionAsync(TestMdm mdm)
    {
        var (device, id) = await Fixtures.EnrolledAndSyncedAsync(mdm);
        device.SessionId = "B1";
        device.ResetMessages();
        return (device, id);
    }

    private static string ReplaceStatus(DeviceAgent.SyncML.SyncMLMessage reply) =>
        reply.SyncBody.Commands.OfType<DeviceAgent.SyncML.Status>().Single(s => s.Cmd == "Replace").Data!;

    private static async Task<int> InventoryCountAsync(TestMdm mdm, string id)
    {
        using var d = await mdm.GetJsonAsync($"/api/deviceManagement/managedDevices/{id}");
        return d.RootElement.GetProperty("inventory").EnumerateObject().Count();
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task KeysPastTheCountBound_AreRefusedWith420_AndNoneOfTheReplaceIsApplied(CancellationToken cancellationToken)
    {
        await using var mdm = await TestMdm.StartAsync(configure: b => b.Configuration.AddInMemoryCollection(
            new Dictionary<string, string?> { ["MockMdm:MaxInventoryKeys"] = "40" }));
        var (device, id) = await NewSessionAsync(mdm);
        var before = await InventoryCountAsync(mdm, id);

        var refused = await device.SendBodyAsync(ReplaceOf(41 - before, 1));

        Assert.That(ReplaceStatus(refused), Is.EqualTo("420"));
        Assert.That(await InventoryCountAsync(mdm, id), Is.EqualTo(before), "nothing half-applied");

        var accepted = await device.SendBodyAsync(ReplaceOf(40 - before, 1));
        Assert.That(ReplaceStatus(accepted), Is.EqualTo("200"), "up to the bound is accepted");
        Assert.That(await InventoryCountAsync(mdm, id), Is.EqualTo(40));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task BytesPastTheDefaultBound_AreRefusedWith420_AcrossMessages(CancellationToken cancellationToken)
    {
        await using var mdm = await TestMdm.StartAsync();
        var (device, id) = await NewSessionAsync(mdm);
        var before = await InventoryCountAsync(mdm, id);

        // 40 items of 4,000 characters each fit (160 KB); the next 40 would pass 256 KiB.
        Assert.That(ReplaceStatus(await device.SendBodyAsync(ReplaceOf(40, 4000, "./Vendor/A/"))), Is.EqualTo("200"));
        Assert.That(ReplaceStatus(await device.SendBodyAsync(ReplaceOf(40, 4000, "./Vendor/B/"))), Is.EqualTo("420"));

        Assert.That(await InventoryCountAsync(mdm, id), Is.EqualTo(before + 40));
    }
}

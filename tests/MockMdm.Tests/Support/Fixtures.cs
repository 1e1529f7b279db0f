using System.Text.Json;

namespace MockMdm.Tests.Support;

/// <summary>Shared steps: a device enrolled and through its first session (inventory answered, push channel registered).</summary>
public static class Fixtures
{
    public const string ChannelUri = "https://push.device.test/channel/1";

    /// <summary>Enrolls, runs the first session to its end, and returns the device and its managed ID.</summary>
    public static async Task<(ScriptedDevice Device, string ManagedId)> EnrolledAndSyncedAsync(
        TestMdm mdm, bool azureAdJoined = true, string deviceType = "WindowsPhone", string upn = "alice@contoso.com",
        string deviceId = "2F0B3A1C-0001-4000-8000-000000000001", string devId = "DEV-0001")
    {
        ArgumentNullException.ThrowIfNull(mdm);
        var enrollment = await mdm.EnrollAsync(upn: upn, azureAdJoined: azureAdJoined, deviceType: deviceType, deviceId: deviceId);
        var device = new ScriptedDevice(mdm, enrollment, devId) { SessionId = "A1" };
        var reply = await device.StartSessionAsync();
        var end = await device.SendBodyAsync(DeviceAnswers.For(reply, uri => uri switch
        {
            "./DevDetail/SwV" => "10.0.15063.297",
            "./DevDetail/Ext/Microsoft/OSPlatform" => "Windows 10 Mobile",
            _ when uri.EndsWith("/Push/ChannelURI", StringComparison.Ordinal) => ChannelUri,
            _ => "x",
        }));
        Assert.That(end.SyncBody.Commands, Has.Count.EqualTo(1), "the first session should end after the inventory answers");
        return (device, await mdm.LastDeviceIdAsync());
    }

    public static async Task<JsonElement> LastActionAsync(TestMdm mdm, string managedId)
    {
        ArgumentNullException.ThrowIfNull(mdm);
        using var doc = await mdm.GetJsonAsync($"/api/deviceManagement/managedDevices/{managedId}/deviceActionResults");
        return doc.RootElement.GetProperty("value").EnumerateArray().Last().Clone();
    }
}

using System.Globalization;
using DeviceAgent.Csp;
using DeviceAgent.Dm;
using DeviceAgent.Ngc;
using DeviceAgent.Ngc.Policy;
using DeviceAgent.Ngc.Software;
using DeviceAgent.PinReset;
using DeviceAgent.SyncML;
using DeviceAgent.Tests.Ngc;

namespace DeviceAgent.Tests.Csp;

/// <summary>Builds standard devices for the Hello CSP tests and runs SyncML commands against them.</summary>
internal static class HelloTestDevice
{
    public const string User = "user@contoso.onmicrosoft.com";

    /// <summary>Windows 10 Mobile Anniversary Update (1607).</summary>
    public const string Build14393 = "10.0.14393.1066";

    /// <summary>Windows 10 Mobile Creators Update (1703).</summary>
    public const string Build15063 = "10.0.15063.297";

    /// <summary>
    /// A phone as the win10-mobile-1703 profile means it (Hello provisioned, PIN for the default policy), on the shared
    /// PIN reset service. The 1607 device uses the DDF v2 set filtered for its build: the 1703 download has no
    /// MSFT:Applicability, so only the v2 files say that LockAndRecoverPIN and EnablePinRecovery start at 15063.
    /// </summary>
    public static async Task<StandardDevice> CreateAsync(bool azureAdJoined = true, string osBuild = Build15063, int seed = 1,
        RemoteLockOptions? remoteLock = null, PassportForWorkOptions? passportForWork = null, IPinResetServiceClient? pinResetService = null,
        DeviceLockPolicyOptions? deviceLock = null, PinPolicyMergeOptions? pinPolicyMerge = null)
    {
        var profile = DeviceProfiles.Win10Mobile1703(new Random(seed), User) with
        {
            OsBuild = osBuild,
            AzureAdJoined = azureAdJoined,
        };
        return await StandardDevice.CreateAsync(profile, new Random(seed), new WindowsHelloOptions
        {
            Time = new TestClock(new DateTimeOffset(2017, 6, 1, 12, 0, 0, TimeSpan.Zero)),
            PinResetService = pinResetService ?? SharedPinResetService.Client,
            Ngc = new SoftwareNgcOptions { Pbkdf2Iterations = 1, KeyAlgorithm = NgcKeyAlgorithm.EcdsaP256 },
            RemoteLock = remoteLock ?? RemoteLockOptions.Default,
            PassportForWork = passportForWork ?? PassportForWorkOptions.Default,
            DeviceLock = deviceLock ?? DeviceLockPolicyOptions.Default,
            PinPolicyMerge = pinPolicyMerge ?? PinPolicyMergeOptions.Default,
        });
    }

    public static string DevicePolicies(string tenant) => $"./Device/Vendor/MSFT/PassportForWork/{tenant}/Policies";

    public static string UserPolicies(string tenant) => $"./User/Vendor/MSFT/PassportForWork/{tenant}/Policies";

    /// <summary>An item command with one target and optional data and format.</summary>
    public static T Command<T>(string cmdId, string target, string? data = null, string? format = null)
        where T : ItemCommand, new()
    {
        var command = new T { CmdID = cmdId };
        command.Items.Add(new Item
        {
            Target = new LocationElement(target),
            Data = data is null ? null : new Data(data),
            Meta = format is null ? null : new Meta { Format = format },
        });
        return command;
    }

    /// <summary>Runs one server message; returns the device's answers.</summary>
    public static async Task<IReadOnlyList<SyncMLCommand>> SendAsync(this StandardDevice device, params SyncMLCommand[] commands) =>
        await device.Executor.ExecuteAsync(commands, "1", CancellationToken.None);

    /// <summary>The status code answered to <paramref name="cmdId"/> (the only one for it).</summary>
    public static int StatusOf(this IReadOnlyList<SyncMLCommand> answers, string cmdId) =>
        int.Parse(answers.OfType<Status>().Single(s => s.CmdRef == cmdId).Data!, CultureInfo.InvariantCulture);

    /// <summary>The Results answering <paramref name="cmdId"/>, or null.</summary>
    public static Results? ResultsOf(this IReadOnlyList<SyncMLCommand> answers, string cmdId) =>
        answers.OfType<Results>().SingleOrDefault(r => r.CmdRef == cmdId);

    /// <summary>Sets one int policy leaf with Replace (which creates under Policy) and asserts 200.</summary>
    public static async Task SendReplaceAsync(this StandardDevice device, string uri, string value)
    {
        var answers = await device.SendAsync(Command<Replace>("1", uri, value, "int"));
        Assert.That(answers.StatusOf("1"), Is.EqualTo(StatusCodes.Ok), $"Replace {uri} = {value}");
    }

    /// <summary>Sets one PassportForWork leaf with Add and asserts 200.</summary>
    public static async Task SetAsync(this StandardDevice device, string uri, string value, string format)
    {
        var answers = await device.SendAsync(Command<Add>("1", uri, value, format));
        Assert.That(answers.StatusOf("1"), Is.EqualTo(StatusCodes.Ok), $"Add {uri} = {value}");
    }
}

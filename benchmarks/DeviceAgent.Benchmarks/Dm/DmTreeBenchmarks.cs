using BenchmarkDotNet.Attributes;
using DeviceAgent.Csp;
using DeviceAgent.Dm;
using DeviceAgent.Ngc;
using DeviceAgent.Ngc.Software;
using DeviceAgent.SyncML;

namespace DeviceAgent.Benchmarks.Dm;

/// <summary>DM tree Get and Replace through the command executor of a standard Windows 10 Mobile 1703 device.</summary>
[MemoryDiagnoser]
public class DmTreeBenchmarks
{
    private const string Tenant = "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b";
    private const string MinimumPinLength = "./Device/Vendor/MSFT/PassportForWork/" + Tenant + "/Policies/PINComplexity/MinimumPINLength";
    private StandardDevice _device = null!;
    private SyncMLCommand[] _getLeaf = [];
    private SyncMLCommand[] _getInterior = [];
    private SyncMLCommand[] _replace4 = [];
    private SyncMLCommand[] _replace6 = [];
    private bool _flip;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var profile = DeviceProfiles.Win10Mobile1703(new Random(1));
        _device = await StandardDevice.CreateAsync(profile, new Random(1), new WindowsHelloOptions
        {
            Ngc = new SoftwareNgcOptions { Pbkdf2Iterations = 1, KeyAlgorithm = NgcKeyAlgorithm.EcdsaP256 },
        }).ConfigureAwait(false);
        _getLeaf = [Command<Get>("./DevDetail/SwV")];
        _getInterior = [Command<Get>("./DevInfo")];
        _replace4 = [Command<Replace>(MinimumPinLength, "4", "int")];
        _replace6 = [Command<Replace>(MinimumPinLength, "6", "int")];
        Require(await _device.Executor.ExecuteAsync([Command<Add>(MinimumPinLength, "4", "int")], "1", CancellationToken.None).ConfigureAwait(false), "Add MinimumPINLength");
        Require(await _device.Executor.ExecuteAsync(_getLeaf, "1", CancellationToken.None).ConfigureAwait(false), "Get ./DevDetail/SwV");
        Require(await _device.Executor.ExecuteAsync(_getInterior, "1", CancellationToken.None).ConfigureAwait(false), "Get ./DevInfo");
        Require(await _device.Executor.ExecuteAsync(_replace6, "1", CancellationToken.None).ConfigureAwait(false), "Replace MinimumPINLength");
    }

    [Benchmark]
    public ValueTask<IReadOnlyList<SyncMLCommand>> Get_Leaf() => _device.Executor.ExecuteAsync(_getLeaf, "1", CancellationToken.None);

    [Benchmark]
    public ValueTask<IReadOnlyList<SyncMLCommand>> Get_InteriorChildList() => _device.Executor.ExecuteAsync(_getInterior, "1", CancellationToken.None);

    /// <summary>A PassportForWork policy leaf: the CSP handler checks the DDF range and applies the PIN policy.</summary>
    [Benchmark]
    public ValueTask<IReadOnlyList<SyncMLCommand>> Replace_PolicyLeaf()
    {
        _flip = !_flip;
        return _device.Executor.ExecuteAsync(_flip ? _replace4 : _replace6, "1", CancellationToken.None);
    }

    private static T Command<T>(string target, string? data = null, string? format = null)
        where T : ItemCommand, new()
    {
        var command = new T { CmdID = "2" };
        command.Items.Add(new Item
        {
            Target = new LocationElement(target),
            Data = data is null ? null : new Data(data),
            Meta = format is null ? null : new Meta { Format = format },
        });
        return command;
    }

    private static void Require(IReadOnlyList<SyncMLCommand> answers, string what)
    {
        if (answers.OfType<Status>().FirstOrDefault()?.Data is not "200")
        {
            throw new InvalidOperationException($"{what} did not answer 200: {answers.OfType<Status>().FirstOrDefault()?.Data}");
        }
    }
}

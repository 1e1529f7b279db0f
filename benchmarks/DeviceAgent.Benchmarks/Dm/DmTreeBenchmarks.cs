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
    public void Setup()
    {
        var profile = DeviceProfiles.Win10Mobile1703(new Random(1));
        _device = StandardDevice.Create(profile, new Random(1), new WindowsHelloOptions
        {
            Ngc = new SoftwareNgcOptions { Pbkdf2Iterations = 1, KeyAlgorithm = NgcKeyAlgorithm.EcdsaP256 },
        });
        _getLeaf = [Command<Get>("./DevDetail/SwV")];
        _getInterior = [Command<Get>("./DevInfo")];
        _replace4 = [Command<Replace>(MinimumPinLength, "4", "int")];
        _replace6 = [Command<Replace>(MinimumPinLength, "6", "int")];
        Require(_device.Executor.Execute([Command<Add>(MinimumPinLength, "4", "int")], "1"), "Add MinimumPINLength");
        Require(_device.Executor.Execute(_getLeaf, "1"), "Get ./DevDetail/SwV");
        Require(_device.Executor.Execute(_getInterior, "1"), "Get ./DevInfo");
        Require(_device.Executor.Execute(_replace6, "1"), "Replace MinimumPINLength");
    }

    [Benchmark]
    public IReadOnlyList<SyncMLCommand> Get_Leaf() => _device.Executor.Execute(_getLeaf, "1");

    [Benchmark]
    public IReadOnlyList<SyncMLCommand> Get_InteriorChildList() => _device.Executor.Execute(_getInterior, "1");

    /// <summary>A PassportForWork policy leaf: the CSP handler checks the DDF range and applies the PIN policy.</summary>
    [Benchmark]
    public IReadOnlyList<SyncMLCommand> Replace_PolicyLeaf()
    {
        _flip = !_flip;
        return _device.Executor.Execute(_flip ? _replace4 : _replace6, "1");
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

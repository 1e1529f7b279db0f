using BenchmarkDotNet.Attributes;
using DeviceAgent.Ngc;
using DeviceAgent.Ngc.Software;

namespace DeviceAgent.Benchmarks.Ngc;

/// <summary>PIN operations of the software NGC provider (in memory), at the emulation default and at 1 PBKDF2 iteration.</summary>
[MemoryDiagnoser]
public class NgcPinBenchmarks
{
    private const string User = "user@contoso.onmicrosoft.com";
    private const string PinA = "482915";
    private const string PinB = "730264";
    private static readonly byte[] Challenge = new byte[32];
    private SoftwareNgcKeyStorage _ngc = null!;
    private string _current = PinA;

    [Params(1, SoftwareNgcOptions.DefaultPbkdf2Iterations)]
    public int Pbkdf2Iterations { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _ngc = new SoftwareNgcKeyStorage(new SoftwareNgcOptions { Pbkdf2Iterations = Pbkdf2Iterations, KeyAlgorithm = NgcKeyAlgorithm.EcdsaP256 });
        Require(_ngc.CreateContainer(User, PinA), "CreateContainer");
        Require(_ngc.CreateKey(User, PinA, "login").Outcome, "CreateKey");
        Require(_ngc.ChangePin(User, PinA, PinB), "ChangePin");
        Require(_ngc.ChangePin(User, PinB, PinA), "ChangePin back");
    }

    [Benchmark]
    public NgcOutcome VerifyPin() => _ngc.VerifyPin(User, _current).Outcome;

    /// <summary>Alternates between two PINs (default policy: no history).</summary>
    [Benchmark]
    public NgcOutcome ChangePin()
    {
        var next = _current == PinA ? PinB : PinA;
        var outcome = _ngc.ChangePin(User, _current, next).Outcome;
        _current = next;
        return outcome;
    }

    [Benchmark]
    public NgcOutcome SignWithHelloKey() => _ngc.Sign(User, _current, "login", Challenge).Outcome;

    private static void Require(NgcResult result, string what) => Require(result.Outcome, what);

    private static void Require(NgcOutcome outcome, string what)
    {
        if (outcome != NgcOutcome.Success)
        {
            throw new InvalidOperationException($"{what}: {outcome}");
        }
    }
}

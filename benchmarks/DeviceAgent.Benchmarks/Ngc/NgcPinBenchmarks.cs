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
    private static readonly byte[] s_challenge = new byte[32];
    private SoftwareNgcKeyStorage _ngc = null!;
    private string _current = PinA;

    [Params(1, SoftwareNgcOptions.DefaultPbkdf2Iterations)]
    public int Pbkdf2Iterations { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _ngc = new SoftwareNgcKeyStorage(new SoftwareNgcOptions { Pbkdf2Iterations = Pbkdf2Iterations, KeyAlgorithm = NgcKeyAlgorithm.EcdsaP256 });
        Require(await _ngc.CreateContainerAsync(User, PinA).ConfigureAwait(false), "CreateContainer");
        Require((await _ngc.CreateKeyAsync(User, PinA, "login").ConfigureAwait(false)).Outcome, "CreateKey");
        Require(await _ngc.ChangePinAsync(User, PinA, PinB).ConfigureAwait(false), "ChangePin");
        Require(await _ngc.ChangePinAsync(User, PinB, PinA).ConfigureAwait(false), "ChangePin back");
    }

    [Benchmark]
    public async ValueTask<NgcOutcome> VerifyPin() => (await _ngc.VerifyPinAsync(User, _current).ConfigureAwait(false)).Outcome;

    /// <summary>Alternates between two PINs (default policy: no history).</summary>
    [Benchmark]
    public async ValueTask<NgcOutcome> ChangePin()
    {
        var next = _current == PinA ? PinB : PinA;
        var outcome = (await _ngc.ChangePinAsync(User, _current, next).ConfigureAwait(false)).Outcome;
        _current = next;
        return outcome;
    }

    [Benchmark]
    public async ValueTask<NgcOutcome> SignWithHelloKey() => (await _ngc.SignAsync(User, _current, "login", s_challenge).ConfigureAwait(false)).Outcome;

    private static void Require(NgcResult result, string what) => Require(result.Outcome, what);

    private static void Require(NgcOutcome outcome, string what)
    {
        if (outcome != NgcOutcome.Success)
        {
            throw new InvalidOperationException($"{what}: {outcome}");
        }
    }
}

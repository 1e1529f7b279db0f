using System.Text;
using DeviceAgent.Ngc;
using DeviceAgent.Ngc.Policy;
using DeviceAgent.Ngc.Software;
using DeviceAgent.PinReset;
using DeviceAgent.Protocol;

namespace DeviceAgent.Tests.Ngc;

/// <summary>
/// The two RemoteLock flows at the NGC level, as the CSP layer will drive them (docs/reference/remotelock.md, docs/reference/pin-reset.md §2, §3):
/// LockAndRecoverPIN with a PIN the service generates, LockAndResetPIN with a PIN the device generates.
/// </summary>
public sealed class PinResetFlowTests
{
    private const string User = "alice@contoso.com";
    private const string Pin = "1234";
    private static readonly byte[] s_data = Encoding.UTF8.GetBytes("sign me");
    private FixedPinPolicySource _policy = null!;
    private NgcEventLog _log = null!;
    private LoggingNgcKeyStorage _storage = null!;

    [SetUp]
    public async Task Provision()
    {
        _policy = new FixedPinPolicySource();
        _log = new NgcEventLog();
        _storage = new LoggingNgcKeyStorage(
            new SoftwareNgcKeyStorage(new SoftwareNgcOptions { Pbkdf2Iterations = 5, KeyAlgorithm = NgcKeyAlgorithm.EcdsaP256, PolicySource = _policy }),
            _log);
        await _storage.CreateContainerAsync(User, Pin);
    }

    private static PinPolicy Permissive(int minimum = 4) => PinPolicy.Resolve(new PinComplexity
    {
        MinimumPINLength = minimum,
        UppercaseLetters = PinCharacterRule.Allowed,
        LowercaseLetters = PinCharacterRule.Allowed,
        SpecialCharacters = PinCharacterRule.Allowed,
        Digits = PinCharacterRule.Required,
    });

    private async Task<NgcOutcome> LockAndRecoverPinAsync(string tenant, Random random)
    {
        var blob = (await _storage.GetEncryptedRecoveryProtectorAsync(User));
        if (!blob.IsSuccess)
        {
            return blob.Outcome;
        }

        var released = SharedPinResetService.Instance.RecoverProtector(tenant, blob.Required);
        Assert.That(released.Outcome, Is.EqualTo(PinRecoveryOutcome.Success));
        return (await _storage.RecoverPinAsync(User, released.Protector!, SharedPinResetService.Instance.GeneratePin(random))).Outcome;
    }

    [Test]
    public async Task LockAndRecoverPIN_sets_the_service_pin_and_keeps_the_keys()
    {
        _policy.Policy = Permissive();
        var tenant = SharedPinResetService.ConsentedTenant();
        await _storage.EnablePinRecoveryAsync(User, tenant, SharedPinResetService.Instance.GetPublicKey());
        var key = (await _storage.CreateKeyAsync(User, Pin, "k1")).Required;

        Assert.That(await LockAndRecoverPinAsync(tenant, new Random(1)), Is.EqualTo(NgcOutcome.Success));
        var newPin = SharedPinResetService.Instance.GeneratePin(new Random(1));
        var signature = (await _storage.SignAsync(User, newPin, "k1", s_data)).Required;
        Assert.That(key.Verify(s_data, signature), Is.True);
    }

    [TestCase(7, NgcOutcome.InvalidPinTooFewCharacters)]
    [TestCase(4, NgcOutcome.InvalidPinSpecialCharacterNotAllowed)]
    public async Task LockAndRecoverPIN_with_a_service_pin_the_device_policy_refuses_keeps_pin_and_keys(int minimum, NgcOutcome expected)
    {
        var tenant = SharedPinResetService.ConsentedTenant();
        await _storage.EnablePinRecoveryAsync(User, tenant, SharedPinResetService.Instance.GetPublicKey());
        var key = (await _storage.CreateKeyAsync(User, Pin, "k1")).Required;
        _policy.Policy = minimum == 7
            ? Permissive(minimum: 7)
            : PinPolicy.Resolve(new PinComplexity
            {
                // Special characters left unconfigured: not allowed (docs/reference/passportforwork.md §3).
                Digits = PinCharacterRule.Required,
                UppercaseLetters = PinCharacterRule.Allowed,
                LowercaseLetters = PinCharacterRule.Allowed,
            });

        Assert.That(await LockAndRecoverPinAsync(tenant, new Random(2)), Is.EqualTo(expected));
        var signature2 = (await _storage.SignAsync(User, Pin, "k1", s_data)).Required;
        Assert.That(key.Verify(s_data, signature2), Is.True, "old PIN and key still work");
        Assert.That(_log.Query(NgcOperation.RecoverPin, expected), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task LockAndResetPIN_sets_a_device_generated_pin_that_meets_a_minimum_of_7_and_deletes_the_keys()
    {
        await _storage.CreateKeyAsync(User, Pin, "k1");
        _policy.Policy = PinPolicy.Resolve(new PinComplexity { MinimumPINLength = 7 });
        var newPin = PinGenerator.Generate(_policy.Policy, new Random(3));

        Assert.That(newPin, Has.Length.GreaterThanOrEqualTo(7));
        Assert.That((await _storage.ResetPinDestructiveAsync(User, newPin)).Outcome, Is.EqualTo(NgcOutcome.Success));
        Assert.That((await _storage.ListKeysAsync(User)).Required, Is.Empty);
        Assert.That((await _storage.VerifyPinAsync(User, newPin)).Outcome, Is.EqualTo(NgcOutcome.Success));
    }

    [Test]
    public async Task LockAndRecoverPIN_without_recovery_enabled_is_named()
    {
        Assert.That(await LockAndRecoverPinAsync(SharedPinResetService.ConsentedTenant(), new Random(4)), Is.EqualTo(NgcOutcome.RecoveryNotEnabled));
        Assert.That(_log.Query(outcome: NgcOutcome.RecoveryNotEnabled).Single().Operation, Is.EqualTo(NgcOperation.GetEncryptedRecoveryProtector));
    }
}

using System.Security.Cryptography;
using DeviceAgent.Ngc;
using DeviceAgent.Ngc.Policy;
using DeviceAgent.Protocol;
using MockMdm.PinReset;

namespace MockMdm.Tests.PinReset;

public sealed class PinResetServiceTests
{
    private static readonly Lazy<PinResetService> s_shared = new(() => new PinResetService());

    private static PinResetService Service => s_shared.Value;

    /// <summary>A new tenant that consented both applications (tests keep apart by fresh tenant IDs).</summary>
    private static string ConsentedTenant()
    {
        var tenant = Guid.NewGuid().ToString("D");
        Service.SetConsent(tenant, PinResetApplication.Service, true);
        Service.SetConsent(tenant, PinResetApplication.Client, true);
        return tenant;
    }

    private static byte[] Protector() => RandomNumberGenerator.GetBytes(RecoveryProtectorEnvelope.ProtectorSize);

    [Test]
    public void Consent_is_recorded_per_tenant_and_application_case_insensitively()
    {
        var tenant = Guid.NewGuid().ToString("D");
        Service.SetConsent(tenant.ToUpperInvariant(), PinResetApplication.Service, true);
        Assert.Multiple(() =>
        {
            Assert.That(Service.HasConsent(tenant, PinResetApplication.Service), Is.True);
            Assert.That(Service.HasConsent(tenant, PinResetApplication.Client), Is.False);
            Assert.That(Service.HasConsent(Guid.NewGuid().ToString(), PinResetApplication.Service), Is.False);
        });
        Service.SetConsent(tenant, PinResetApplication.Service, false);
        Assert.That(Service.HasConsent(tenant, PinResetApplication.Service), Is.False);
    }

    [Test]
    public void A_consented_tenant_gets_its_protector_back()
    {
        var tenant = ConsentedTenant();
        var protector = Protector();
        var blob = RecoveryProtectorEnvelope.Seal(Service.GetPublicKey(), protector, tenant);
        var result = Service.RecoverProtector(tenant.ToUpperInvariant(), blob);
        Assert.That(result.Outcome, Is.EqualTo(PinRecoveryOutcome.Success));
        Assert.That(result.Protector, Is.EqualTo(protector));
    }

    [Test]
    public void Refusals_are_named_in_order_unknown_tenant_service_consent_client_consent()
    {
        var tenant = Guid.NewGuid().ToString("D");
        var blob = RecoveryProtectorEnvelope.Seal(Service.GetPublicKey(), Protector(), tenant);
        Assert.That(Service.RecoverProtector(tenant, blob).Outcome, Is.EqualTo(PinRecoveryOutcome.UnknownTenant));
        Service.AddTenant(tenant);
        Assert.That(Service.RecoverProtector(tenant, blob).Outcome, Is.EqualTo(PinRecoveryOutcome.ServiceConsentMissing));
        Service.SetConsent(tenant, PinResetApplication.Client, true);
        Assert.That(Service.RecoverProtector(tenant, blob).Outcome, Is.EqualTo(PinRecoveryOutcome.ServiceConsentMissing));
        Service.SetConsent(tenant, PinResetApplication.Service, true);
        Service.SetConsent(tenant, PinResetApplication.Client, false);
        Assert.That(Service.RecoverProtector(tenant, blob).Outcome, Is.EqualTo(PinRecoveryOutcome.ClientConsentMissing));
    }

    [Test]
    public void Bad_blobs_are_refused_without_throwing()
    {
        var tenant = ConsentedTenant();
        var good = RecoveryProtectorEnvelope.Seal(Service.GetPublicKey(), Protector(), tenant);
        var flipped = (byte[])good.Clone();
        flipped[10] ^= 0x40;
        using var otherKey = RSA.Create(2048);
        var otherService = RecoveryProtectorEnvelope.Seal(otherKey.ExportSubjectPublicKeyInfo(), Protector(), tenant);
        Assert.Multiple(() =>
        {
            Assert.That(Service.RecoverProtector(tenant, []).Outcome, Is.EqualTo(PinRecoveryOutcome.BadBlob));
            Assert.That(Service.RecoverProtector(tenant, good[..100]).Outcome, Is.EqualTo(PinRecoveryOutcome.BadBlob));
            Assert.That(Service.RecoverProtector(tenant, flipped).Outcome, Is.EqualTo(PinRecoveryOutcome.BadBlob));
            Assert.That(Service.RecoverProtector(tenant, otherService).Outcome, Is.EqualTo(PinRecoveryOutcome.BadBlob));
            Assert.That(Service.RecoverProtector(tenant, new byte[256]).Outcome, Is.EqualTo(PinRecoveryOutcome.BadBlob));
        });
    }

    [Test]
    public void A_protector_of_another_tenant_is_refused()
    {
        var tenant = ConsentedTenant();
        var other = ConsentedTenant();
        var blob = RecoveryProtectorEnvelope.Seal(Service.GetPublicKey(), Protector(), other);
        var result = Service.RecoverProtector(tenant, blob);
        Assert.That(result.Outcome, Is.EqualTo(PinRecoveryOutcome.TenantMismatch));
        Assert.That(result.Protector, Is.Null);
    }

    [Test]
    public void The_default_pin_has_six_characters_with_upper_lower_digit_and_special()
    {
        var random = new Random(5);
        for (var i = 0; i < 100; i++)
        {
            var pin = Service.GeneratePin(random);
            Assert.That(pin, Has.Length.EqualTo(6));
            Assert.That(pin, Does.Match("[A-Z]").And.Match("[a-z]").And.Match("[0-9]"));
            Assert.That(pin.Any(c => PinCharacters.Special.Contains(c)), Is.True, pin);
        }
    }

    [Test]
    public void The_same_seed_gives_the_same_service_pins()
    {
        var first = Service.GeneratePin(new Random(99));
        var second = Service.GeneratePin(new Random(99));
        Assert.That(second, Is.EqualTo(first));
        Assert.That(Service.GeneratePin(new Random(100)), Is.Not.EqualTo(first));
    }

    [Test]
    public void The_profile_is_configurable()
    {
        var profile = new PinGenerationProfile { Length = 8, Uppercase = false, Lowercase = false, SpecialCharacters = false };
        Assert.That(profile.Generate(new Random(3)), Does.Match("^[0-9]{8}$"));
    }

    [Test]
    public void Impossible_profiles_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new PinGenerationProfile { Length = 3 });
        var none = new PinGenerationProfile { Uppercase = false, Lowercase = false, Digits = false, SpecialCharacters = false };
        Assert.That(() => none.Generate(new Random(1)), Throws.InvalidOperationException.With.Message.Contains("character classes"));
    }

    [Test]
    public void The_default_service_pin_is_refused_by_an_unconfigured_device()
    {
        // Faithful before convenient (docs/design.md 7): the device forbids letters and specials unless configured.
        var pin = Service.GeneratePin(new Random(11));
        Assert.That(PinValidator.Validate(pin, PinPolicy.Default).IsPolicyViolation(), Is.True);
    }

    [Test]
    public void A_key_shorter_than_2048_bits_is_refused()
    {
        using var weak = RSA.Create(1024);
        Assert.That(() => new PinResetService(key: weak), Throws.ArgumentException.With.Message.Contains("2048"));
    }
}

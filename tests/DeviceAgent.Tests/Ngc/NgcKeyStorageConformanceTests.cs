using System.Text;
using DeviceAgent.Ngc;
using DeviceAgent.Ngc.Policy;

namespace DeviceAgent.Tests.Ngc;

/// <summary>What a provider under test must honour: this clock, this policy source, this lockout threshold.</summary>
public sealed class NgcConformanceEnvironment
{
    /// <summary>Wrong PINs allowed before lockout.</summary>
    public const int LockoutThreshold = 3;

    /// <summary>The clock.</summary>
    public ManualTimeProvider Time { get; } = new();

    /// <summary>The policy source; tests change its policy.</summary>
    public FixedPinPolicySource Policy { get; } = new();
}

/// <summary>
/// The NGC key storage contract (docs/ngc.md), one suite for every provider (docs/design.md decision 5). An operation outside
/// the provider's <see cref="INgcKeyStorage.Capabilities"/> must answer NotSupported, which the suite checks instead.
/// This file is also compiled into DeviceAgent.Windows.Tests.
/// </summary>
public abstract class NgcKeyStorageConformanceTests
{
    private const string Pin = "1234";
    private static readonly byte[] Data = Encoding.UTF8.GetBytes("challenge from the relying party");

    /// <summary>The environment of the current test.</summary>
    protected NgcConformanceEnvironment Env { get; private set; } = null!;

    /// <summary>The provider of the current test.</summary>
    protected INgcKeyStorage Storage { get; private set; } = null!;

    /// <summary>A user ID no other test uses.</summary>
    protected string User { get; private set; } = null!;

    /// <summary>Creates the provider under test, wired to <paramref name="environment"/>.</summary>
    protected abstract INgcKeyStorage CreateStorage(NgcConformanceEnvironment environment);

    /// <summary>Removes what the test left behind (keys on a real machine).</summary>
    protected virtual void CleanUp()
    {
    }

    [SetUp]
    public void CreateProvider()
    {
        Env = new NgcConformanceEnvironment();
        Storage = CreateStorage(Env);
        User = "user-" + Guid.NewGuid().ToString("N")[..8];
    }

    [TearDown]
    public void RemoveLeftovers() => CleanUp();

    // ---- PIN management -------------------------------------------------------------------------------------------

    [Test]
    public void Create_then_verify_accepts_the_pin_and_refuses_another()
    {
        if (!Supports(NgcCapabilities.PinManagement, () => Storage.CreateContainer(User, Pin).Outcome))
        {
            return;
        }

        Assert.That(Storage.CreateContainer(User, Pin).Outcome, Is.EqualTo(NgcOutcome.Success));
        Assert.That(Storage.VerifyPin(User, Pin).Outcome, Is.EqualTo(NgcOutcome.Success));
        Assert.That(Storage.VerifyPin(User, "9999").Outcome, Is.EqualTo(NgcOutcome.IncorrectPin));
        Assert.That(Storage.GetContainerInfo(User).Required.FailedAttempts, Is.EqualTo(1));
    }

    [Test]
    public void A_second_container_for_the_same_user_is_refused()
    {
        if (!Supports(NgcCapabilities.PinManagement, () => Storage.CreateContainer(User, Pin).Outcome))
        {
            return;
        }

        Storage.CreateContainer(User, Pin);
        Assert.That(Storage.CreateContainer(User, "5678").Outcome, Is.EqualTo(NgcOutcome.ContainerAlreadyExists));
        Assert.That(Storage.VerifyPin(User, Pin).Outcome, Is.EqualTo(NgcOutcome.Success), "the first container is untouched");
    }

    [Test]
    public void Every_operation_on_a_user_without_container_says_NoContainer()
    {
        if (!Supports(NgcCapabilities.PinManagement, () => Storage.VerifyPin(User, Pin).Outcome))
        {
            return;
        }

        Assert.Multiple(() =>
        {
            Assert.That(Storage.GetContainerInfo(User).Outcome, Is.EqualTo(NgcOutcome.NoContainer));
            Assert.That(Storage.VerifyPin(User, Pin).Outcome, Is.EqualTo(NgcOutcome.NoContainer));
            Assert.That(Storage.ChangePin(User, Pin, "5678").Outcome, Is.EqualTo(NgcOutcome.NoContainer));
            Assert.That(Storage.Lock(User).Outcome, Is.EqualTo(NgcOutcome.NoContainer));
            Assert.That(Storage.ResetPinDestructive(User, "5678").Outcome, Is.EqualTo(NgcOutcome.NoContainer));
            Assert.That(Storage.CreateKey(User, Pin, "k").Outcome, Is.EqualTo(NgcOutcome.NoContainer));
            Assert.That(Storage.OpenKey(User, "k").Outcome, Is.EqualTo(NgcOutcome.NoContainer));
            Assert.That(Storage.Sign(User, Pin, "k", Data).Outcome, Is.EqualTo(NgcOutcome.NoContainer));
            Assert.That(Storage.DeleteKey(User, "k").Outcome, Is.EqualTo(NgcOutcome.NoContainer));
            Assert.That(Storage.DeleteContainer(User).Outcome, Is.EqualTo(NgcOutcome.NoContainer));
        });
    }

    [Test]
    public void Wrong_pins_up_to_the_threshold_lock_the_container_out_even_for_the_right_pin()
    {
        if (!Supports(NgcCapabilities.PinManagement, () => Storage.VerifyPin(User, Pin).Outcome))
        {
            return;
        }

        Storage.CreateContainer(User, Pin);
        for (var i = 0; i < NgcConformanceEnvironment.LockoutThreshold; i++)
        {
            Assert.That(Storage.VerifyPin(User, "0000").Outcome, Is.EqualTo(NgcOutcome.IncorrectPin), $"attempt {i + 1}");
        }

        Assert.That(Storage.VerifyPin(User, Pin).Outcome, Is.EqualTo(NgcOutcome.LockedOut));
        Assert.That(Storage.ChangePin(User, Pin, "5678").Outcome, Is.EqualTo(NgcOutcome.LockedOut));
    }

    [Test]
    public void A_right_pin_resets_the_failed_attempt_count()
    {
        if (!Supports(NgcCapabilities.PinManagement, () => Storage.VerifyPin(User, Pin).Outcome))
        {
            return;
        }

        Storage.CreateContainer(User, Pin);
        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < NgcConformanceEnvironment.LockoutThreshold - 1; i++)
            {
                Storage.VerifyPin(User, "0000");
            }

            Assert.That(Storage.VerifyPin(User, Pin).Outcome, Is.EqualTo(NgcOutcome.Success), $"round {round}");
        }

        Assert.That(Storage.GetContainerInfo(User).Required.FailedAttempts, Is.Zero);
    }

    [Test]
    public void ChangePin_replaces_the_pin()
    {
        if (!Supports(NgcCapabilities.PinManagement, () => Storage.ChangePin(User, Pin, "5678").Outcome))
        {
            return;
        }

        Storage.CreateContainer(User, Pin);
        Assert.That(Storage.ChangePin(User, Pin, "5678").Outcome, Is.EqualTo(NgcOutcome.Success));
        Assert.That(Storage.VerifyPin(User, "5678").Outcome, Is.EqualTo(NgcOutcome.Success));
        Assert.That(Storage.VerifyPin(User, Pin).Outcome, Is.EqualTo(NgcOutcome.IncorrectPin));
    }

    [Test]
    public void ChangePin_with_a_wrong_current_pin_counts_an_attempt_and_keeps_the_pin()
    {
        if (!Supports(NgcCapabilities.PinManagement, () => Storage.ChangePin(User, Pin, "5678").Outcome))
        {
            return;
        }

        Storage.CreateContainer(User, Pin);
        Assert.That(Storage.ChangePin(User, "0000", "5678").Outcome, Is.EqualTo(NgcOutcome.IncorrectPin));
        Assert.That(Storage.GetContainerInfo(User).Required.FailedAttempts, Is.EqualTo(1));
        Assert.That(Storage.VerifyPin(User, Pin).Outcome, Is.EqualTo(NgcOutcome.Success));
    }

    private static IEnumerable<TestCaseData> DefaultPolicyRefusals()
    {
        yield return new TestCaseData("123", NgcOutcome.InvalidPinTooFewCharacters);
        yield return new TestCaseData(new string('1', 128), NgcOutcome.InvalidPinTooManyCharacters);
        yield return new TestCaseData("12 34", NgcOutcome.InvalidPinUnsupportedCharacter);
        yield return new TestCaseData("1234a", NgcOutcome.InvalidPinLowercaseNotAllowed);
        yield return new TestCaseData("1234A", NgcOutcome.InvalidPinUppercaseNotAllowed);
        yield return new TestCaseData("1234!", NgcOutcome.InvalidPinSpecialCharacterNotAllowed);
    }

    [TestCaseSource(nameof(DefaultPolicyRefusals))]
    public void The_unconfigured_policy_refuses_a_new_container_pin_by_name(string pin, NgcOutcome expected)
    {
        if (!Supports(NgcCapabilities.PinManagement, () => Storage.CreateContainer(User, pin).Outcome))
        {
            return;
        }

        Assert.That(Storage.CreateContainer(User, pin).Outcome, Is.EqualTo(expected));
        Assert.That(Storage.GetContainerInfo(User).Outcome, Is.EqualTo(NgcOutcome.NoContainer), "nothing was created");
    }

    [Test]
    public void A_change_the_policy_refuses_keeps_the_old_pin()
    {
        if (!Supports(NgcCapabilities.PinManagement, () => Storage.ChangePin(User, Pin, "5678").Outcome))
        {
            return;
        }

        Storage.CreateContainer(User, Pin);
        Env.Policy.Policy = PinPolicy.Resolve(new PinComplexity { MinimumPINLength = 8, UppercaseLetters = PinCharacterRule.Required });
        Assert.That(Storage.ChangePin(User, Pin, "1234567").Outcome, Is.EqualTo(NgcOutcome.InvalidPinTooFewCharacters));
        Assert.That(Storage.ChangePin(User, Pin, "12345678").Outcome, Is.EqualTo(NgcOutcome.InvalidPinMissingUppercase));
        Assert.That(Storage.VerifyPin(User, Pin).Outcome, Is.EqualTo(NgcOutcome.Success));
        Assert.That(Storage.ChangePin(User, Pin, "1234567A").Outcome, Is.EqualTo(NgcOutcome.Success));
    }

    [Test]
    public void History_refuses_the_current_and_recent_pins_and_forgets_older_ones()
    {
        if (!Supports(NgcCapabilities.PinManagement, () => Storage.ChangePin(User, Pin, "5678").Outcome))
        {
            return;
        }

        Env.Policy.Policy = PinPolicy.Resolve(new PinComplexity { History = 2 });
        Storage.CreateContainer(User, "1111");
        Assert.That(Storage.ChangePin(User, "1111", "1111").Outcome, Is.EqualTo(NgcOutcome.InvalidPinReusedFromHistory), "the current PIN counts");
        Assert.That(Storage.ChangePin(User, "1111", "2222").Outcome, Is.EqualTo(NgcOutcome.Success));
        Assert.That(Storage.ChangePin(User, "2222", "1111").Outcome, Is.EqualTo(NgcOutcome.InvalidPinReusedFromHistory));
        Assert.That(Storage.ChangePin(User, "2222", "3333").Outcome, Is.EqualTo(NgcOutcome.Success));
        Assert.That(Storage.ChangePin(User, "3333", "1111").Outcome, Is.EqualTo(NgcOutcome.Success), "1111 is three PINs back");
    }

    [Test]
    public void Without_history_the_current_pin_may_be_set_again()
    {
        if (!Supports(NgcCapabilities.PinManagement, () => Storage.ChangePin(User, Pin, Pin).Outcome))
        {
            return;
        }

        Storage.CreateContainer(User, Pin);
        Assert.That(Storage.ChangePin(User, Pin, Pin).Outcome, Is.EqualTo(NgcOutcome.Success));
    }

    [Test]
    public void An_expired_pin_verifies_as_PinExpired_until_it_is_changed()
    {
        if (!Supports(NgcCapabilities.PinManagement, () => Storage.VerifyPin(User, Pin).Outcome))
        {
            return;
        }

        Env.Policy.Policy = PinPolicy.Resolve(new PinComplexity { Expiration = 30 });
        Storage.CreateContainer(User, Pin);
        Env.Time.Advance(TimeSpan.FromDays(29));
        Assert.That(Storage.VerifyPin(User, Pin).Outcome, Is.EqualTo(NgcOutcome.Success));
        Env.Time.Advance(TimeSpan.FromDays(1));
        Assert.That(Storage.VerifyPin(User, Pin).Outcome, Is.EqualTo(NgcOutcome.PinExpired));
        Assert.That(Storage.ChangePin(User, Pin, "5678").Outcome, Is.EqualTo(NgcOutcome.Success));
        Assert.That(Storage.VerifyPin(User, "5678").Outcome, Is.EqualTo(NgcOutcome.Success));
    }

    [Test]
    public void Destructive_reset_deletes_the_keys_and_makes_a_new_container_with_the_new_pin()
    {
        if (!Supports(NgcCapabilities.PinManagement, () => Storage.ResetPinDestructive(User, "5678").Outcome))
        {
            return;
        }

        Env.Policy.Policy = PinPolicy.Resolve(new PinComplexity { History = 5 });
        Storage.CreateContainer(User, Pin);
        Storage.ChangePin(User, Pin, "2468");
        Storage.CreateKey(User, "2468", "k1");
        var before = Storage.GetContainerInfo(User).Required;
        Storage.VerifyPin(User, "0000");

        Assert.That(Storage.ResetPinDestructive(User, "5678").Outcome, Is.EqualTo(NgcOutcome.Success));

        var after = Storage.GetContainerInfo(User).Required;
        Assert.Multiple(() =>
        {
            Assert.That(after.ContainerId, Is.Not.EqualTo(before.ContainerId));
            Assert.That(after.FailedAttempts, Is.Zero);
            Assert.That(Storage.OpenKey(User, "k1").Outcome, Is.EqualTo(NgcOutcome.KeyNotFound));
            Assert.That(Storage.VerifyPin(User, "2468").Outcome, Is.EqualTo(NgcOutcome.IncorrectPin));
            Assert.That(Storage.VerifyPin(User, "5678").Outcome, Is.EqualTo(NgcOutcome.Success));
            Assert.That(Storage.ChangePin(User, "5678", Pin).Outcome, Is.EqualTo(NgcOutcome.Success), "history is not kept across a reset");
        });
    }

    [Test]
    public void A_destructive_reset_the_policy_refuses_changes_nothing()
    {
        if (!Supports(NgcCapabilities.PinManagement, () => Storage.ResetPinDestructive(User, "5678").Outcome))
        {
            return;
        }

        Storage.CreateContainer(User, Pin);
        Storage.CreateKey(User, Pin, "k1");
        var before = Storage.GetContainerInfo(User).Required;
        Env.Policy.Policy = PinPolicy.Resolve(new PinComplexity { MinimumPINLength = 7 });

        Assert.That(Storage.ResetPinDestructive(User, "123456").Outcome, Is.EqualTo(NgcOutcome.InvalidPinTooFewCharacters));
        Assert.That(Storage.GetContainerInfo(User).Required.ContainerId, Is.EqualTo(before.ContainerId));
        Assert.That(Storage.OpenKey(User, "k1").Outcome, Is.EqualTo(NgcOutcome.Success));
        Assert.That(Storage.VerifyPin(User, Pin).Outcome, Is.EqualTo(NgcOutcome.Success));
    }

    [Test]
    public void DeleteContainer_removes_it()
    {
        if (!Supports(NgcCapabilities.PinManagement, () => Storage.DeleteContainer(User).Outcome))
        {
            return;
        }

        Storage.CreateContainer(User, Pin);
        Assert.That(Storage.DeleteContainer(User).Outcome, Is.EqualTo(NgcOutcome.Success));
        Assert.That(Storage.VerifyPin(User, Pin).Outcome, Is.EqualTo(NgcOutcome.NoContainer));
        Assert.That(Storage.CreateContainer(User, Pin).Outcome, Is.EqualTo(NgcOutcome.Success), "the user can provision again");
    }

    // ---- PIN recovery ---------------------------------------------------------------------------------------------

    [Test]
    public void Enabling_recovery_on_an_unlocked_container_creates_the_protector()
    {
        if (!SupportsRecovery())
        {
            return;
        }

        Storage.CreateContainer(User, Pin);
        Assert.That(Storage.GetContainerInfo(User).Required.CanReset, Is.EqualTo("DestructiveOnly"));
        Assert.That(Storage.EnablePinRecovery(User, SharedPinResetService.ConsentedTenant(), ServiceKey).Outcome, Is.EqualTo(NgcOutcome.Success));
        var info = Storage.GetContainerInfo(User).Required;
        Assert.That(info.Recovery, Is.EqualTo(NgcRecoveryState.Enabled));
        Assert.That(info.CanReset, Is.EqualTo("DestructiveAndNonDestructive"));
    }

    [Test]
    public void Non_destructive_recovery_keeps_the_keys_and_replaces_the_pin()
    {
        if (!SupportsRecovery())
        {
            return;
        }

        var tenant = ProvisionWithRecovery();
        var key = Storage.CreateKey(User, Pin, "k1").Required;
        var before = Storage.GetContainerInfo(User).Required;

        var protector = Release(tenant);
        Assert.That(Storage.RecoverPin(User, protector, "8642").Outcome, Is.EqualTo(NgcOutcome.Success));

        Assert.Multiple(() =>
        {
            Assert.That(Storage.GetContainerInfo(User).Required.ContainerId, Is.EqualTo(before.ContainerId));
            Assert.That(Storage.VerifyPin(User, Pin).Outcome, Is.EqualTo(NgcOutcome.IncorrectPin));
            var signature = Storage.Sign(User, "8642", "k1", Data).Required;
            Assert.That(key.Verify(Data, signature), Is.True, "the old key signs under the new PIN");
        });
    }

    [Test]
    public void Recovery_with_a_pin_the_policy_refuses_keeps_the_old_pin_and_keys()
    {
        if (!SupportsRecovery())
        {
            return;
        }

        var tenant = ProvisionWithRecovery();
        Storage.CreateKey(User, Pin, "k1");
        Env.Policy.Policy = PinPolicy.Resolve(new PinComplexity { MinimumPINLength = 7 });

        Assert.That(Storage.RecoverPin(User, Release(tenant), "123456").Outcome, Is.EqualTo(NgcOutcome.InvalidPinTooFewCharacters));
        Assert.That(Storage.VerifyPin(User, Pin).Outcome, Is.EqualTo(NgcOutcome.Success));
        Assert.That(Storage.OpenKey(User, "k1").Outcome, Is.EqualTo(NgcOutcome.Success));
    }

    [Test]
    public void Recovery_clears_a_lockout_and_the_history()
    {
        if (!SupportsRecovery())
        {
            return;
        }

        Env.Policy.Policy = PinPolicy.Resolve(new PinComplexity { History = 5 });
        var tenant = ProvisionWithRecovery();
        for (var i = 0; i < NgcConformanceEnvironment.LockoutThreshold; i++)
        {
            Storage.VerifyPin(User, "0000");
        }

        Assert.That(Storage.VerifyPin(User, Pin).Outcome, Is.EqualTo(NgcOutcome.LockedOut));
        Assert.That(Storage.RecoverPin(User, Release(tenant), "8642").Outcome, Is.EqualTo(NgcOutcome.Success));
        Assert.That(Storage.VerifyPin(User, "8642").Outcome, Is.EqualTo(NgcOutcome.Success));
        Assert.That(Storage.ChangePin(User, "8642", Pin).Outcome, Is.EqualTo(NgcOutcome.Success), "the PIN before recovery is no longer history");
    }

    [Test]
    public void A_protector_that_does_not_open_the_container_is_refused()
    {
        if (!SupportsRecovery())
        {
            return;
        }

        ProvisionWithRecovery();
        Assert.That(Storage.RecoverPin(User, new byte[32], "8642").Outcome, Is.EqualTo(NgcOutcome.RecoveryProtectorInvalid));
        Assert.That(Storage.RecoverPin(User, new byte[5], "8642").Outcome, Is.EqualTo(NgcOutcome.RecoveryProtectorInvalid));
        Assert.That(Storage.VerifyPin(User, Pin).Outcome, Is.EqualTo(NgcOutcome.Success));
    }

    [Test]
    public void The_protector_is_renewed_after_a_recovery()
    {
        if (!SupportsRecovery())
        {
            return;
        }

        var tenant = ProvisionWithRecovery();
        var first = Release(tenant);
        Storage.RecoverPin(User, first, "8642");
        Assert.That(Storage.RecoverPin(User, first, "9753").Outcome, Is.EqualTo(NgcOutcome.RecoveryProtectorInvalid));
        Assert.That(Storage.RecoverPin(User, Release(tenant), "9753").Outcome, Is.EqualTo(NgcOutcome.Success));
    }

    [Test]
    public void Without_recovery_enabled_there_is_no_protector_to_use()
    {
        if (!SupportsRecovery())
        {
            return;
        }

        Storage.CreateContainer(User, Pin);
        Assert.That(Storage.GetEncryptedRecoveryProtector(User).Outcome, Is.EqualTo(NgcOutcome.RecoveryNotEnabled));
        Assert.That(Storage.RecoverPin(User, new byte[32], "8642").Outcome, Is.EqualTo(NgcOutcome.RecoveryNotEnabled));
    }

    [Test]
    public void Recovery_enabled_on_a_locked_container_waits_for_the_next_pin_use()
    {
        if (!SupportsRecovery())
        {
            return;
        }

        Storage.CreateContainer(User, Pin);
        Storage.Lock(User);
        var tenant = SharedPinResetService.ConsentedTenant();
        Assert.That(Storage.EnablePinRecovery(User, tenant, ServiceKey).Outcome, Is.EqualTo(NgcOutcome.RecoveryPending));
        Assert.That(Storage.GetEncryptedRecoveryProtector(User).Outcome, Is.EqualTo(NgcOutcome.RecoveryPending));
        Assert.That(Storage.RecoverPin(User, new byte[32], "8642").Outcome, Is.EqualTo(NgcOutcome.RecoveryPending));

        Assert.That(Storage.VerifyPin(User, Pin).Outcome, Is.EqualTo(NgcOutcome.Success));
        Assert.That(Storage.GetContainerInfo(User).Required.Recovery, Is.EqualTo(NgcRecoveryState.Enabled));
        Assert.That(Storage.RecoverPin(User, Release(tenant), "8642").Outcome, Is.EqualTo(NgcOutcome.Success));
    }

    [Test]
    public void A_destructive_reset_keeps_recovery_enabled_with_a_new_protector()
    {
        if (!SupportsRecovery())
        {
            return;
        }

        var tenant = ProvisionWithRecovery();
        var old = Release(tenant);
        Storage.ResetPinDestructive(User, "5678");
        Assert.That(Storage.GetContainerInfo(User).Required.Recovery, Is.EqualTo(NgcRecoveryState.Enabled));
        Assert.That(Storage.RecoverPin(User, old, "8642").Outcome, Is.EqualTo(NgcOutcome.RecoveryProtectorInvalid));
        Assert.That(Storage.RecoverPin(User, Release(tenant), "8642").Outcome, Is.EqualTo(NgcOutcome.Success));
    }

    [Test]
    public void Disabling_recovery_removes_the_protector()
    {
        if (!SupportsRecovery())
        {
            return;
        }

        ProvisionWithRecovery();
        Assert.That(Storage.DisablePinRecovery(User).Outcome, Is.EqualTo(NgcOutcome.Success));
        Assert.That(Storage.GetEncryptedRecoveryProtector(User).Outcome, Is.EqualTo(NgcOutcome.RecoveryNotEnabled));
    }

    // ---- keys -----------------------------------------------------------------------------------------------------

    [Test]
    public void A_created_key_signs_and_its_public_key_verifies()
    {
        if (!Supports(NgcCapabilities.Keys, () => Storage.CreateKey(User, Pin, "k1").Outcome))
        {
            return;
        }

        Provision();
        var key = Storage.CreateKey(User, Pin, "k1").Required;
        var signature = Storage.Sign(User, Pin, "k1", Data).Required;
        Assert.Multiple(() =>
        {
            Assert.That(key.Name, Is.EqualTo("k1"));
            Assert.That(key.Verify(Data, signature), Is.True);
            Assert.That(key.Verify(Encoding.UTF8.GetBytes("other data"), signature), Is.False);
            Assert.That(Storage.OpenKey(User, "k1").Required.PublicKey, Is.EqualTo(key.PublicKey));
        });
    }

    [Test]
    public void A_key_name_cannot_be_created_twice()
    {
        if (!Supports(NgcCapabilities.Keys, () => Storage.CreateKey(User, Pin, "k1").Outcome))
        {
            return;
        }

        Provision();
        var first = Storage.CreateKey(User, Pin, "k1").Required;
        Assert.That(Storage.CreateKey(User, Pin, "k1").Outcome, Is.EqualTo(NgcOutcome.KeyAlreadyExists));
        Assert.That(Storage.OpenKey(User, "k1").Required.PublicKey, Is.EqualTo(first.PublicKey));
    }

    [Test]
    public void Missing_keys_are_named_as_such()
    {
        if (!Supports(NgcCapabilities.Keys, () => Storage.OpenKey(User, "absent").Outcome))
        {
            return;
        }

        Provision();
        Assert.That(Storage.OpenKey(User, "absent").Outcome, Is.EqualTo(NgcOutcome.KeyNotFound));
        Assert.That(Storage.Sign(User, Pin, "absent", Data).Outcome, Is.EqualTo(NgcOutcome.KeyNotFound));
        Assert.That(Storage.DeleteKey(User, "absent").Outcome, Is.EqualTo(NgcOutcome.KeyNotFound));
    }

    [Test]
    public void A_deleted_key_is_gone()
    {
        if (!Supports(NgcCapabilities.Keys, () => Storage.DeleteKey(User, "k1").Outcome))
        {
            return;
        }

        Provision();
        Storage.CreateKey(User, Pin, "k1");
        Assert.That(Storage.DeleteKey(User, "k1").Outcome, Is.EqualTo(NgcOutcome.Success));
        Assert.That(Storage.OpenKey(User, "k1").Outcome, Is.EqualTo(NgcOutcome.KeyNotFound));
    }

    [Test]
    public void Keys_are_listed_by_name()
    {
        if (!Supports(NgcCapabilities.KeyEnumeration, () => Storage.ListKeys(User).Outcome))
        {
            return;
        }

        Provision();
        Storage.CreateKey(User, Pin, "b");
        Storage.CreateKey(User, Pin, "a");
        Assert.That(Storage.ListKeys(User).Required.Select(k => k.Name), Is.EqualTo(new[] { "a", "b" }));
    }

    [Test]
    public void Signing_needs_the_right_pin()
    {
        if (!Supports(NgcCapabilities.PinManagement, () => Storage.VerifyPin(User, Pin).Outcome))
        {
            return;
        }

        Provision();
        Storage.CreateKey(User, Pin, "k1");
        Assert.That(Storage.Sign(User, "0000", "k1", Data).Outcome, Is.EqualTo(NgcOutcome.IncorrectPin));
        Assert.That(Storage.CreateKey(User, "0000", "k2").Outcome, Is.EqualTo(NgcOutcome.IncorrectPin));
        Assert.That(Storage.GetContainerInfo(User).Required.FailedAttempts, Is.EqualTo(2));
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    private static byte[] ServiceKey => SharedPinResetService.Instance.GetPublicKey();

    /// <summary>
    /// True when the provider has the capability; otherwise checks that <paramref name="probe"/> answers NotSupported
    /// (so the test still proves something) and returns false.
    /// </summary>
    private bool Supports(NgcCapabilities capability, Func<NgcOutcome> probe)
    {
        if (Storage.Capabilities.HasFlag(capability))
        {
            return true;
        }

        Assert.That(probe(), Is.EqualTo(NgcOutcome.NotSupported), $"{Storage.ProviderName} lacks {capability}");
        return false;
    }

    private bool SupportsRecovery() =>
        Supports(NgcCapabilities.PinRecovery, () => Storage.EnablePinRecovery(User, Guid.NewGuid().ToString(), ServiceKey).Outcome)
        && Supports(NgcCapabilities.PinRecovery, () => Storage.RecoverPin(User, new byte[32], "8642").Outcome)
        && Supports(NgcCapabilities.PinManagement, () => Storage.CreateContainer(User, Pin).Outcome);

    /// <summary>Gives the user a container with <see cref="Pin"/> where the provider can; otherwise relies on the platform's.</summary>
    private void Provision()
    {
        if (Storage.Capabilities.HasFlag(NgcCapabilities.PinManagement))
        {
            Assert.That(Storage.CreateContainer(User, Pin).Outcome, Is.EqualTo(NgcOutcome.Success));
        }
    }

    private string ProvisionWithRecovery()
    {
        var tenant = SharedPinResetService.ConsentedTenant();
        Storage.CreateContainer(User, Pin);
        Assert.That(Storage.EnablePinRecovery(User, tenant, ServiceKey).Outcome, Is.EqualTo(NgcOutcome.Success));
        return tenant;
    }

    private byte[] Release(string tenant)
    {
        var blob = Storage.GetEncryptedRecoveryProtector(User).Required;
        var released = SharedPinResetService.Instance.RecoverProtector(tenant, blob);
        Assert.That(released.Outcome, Is.EqualTo(DeviceAgent.Protocol.PinRecoveryOutcome.Success));
        return released.Protector!;
    }
}

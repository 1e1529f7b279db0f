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
    public TestClock Time { get; } = new();

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
    private static readonly byte[] s_data = Encoding.UTF8.GetBytes("challenge from the relying party");

    /// <summary>The environment of the current test.</summary>
    protected NgcConformanceEnvironment Env { get; private set; } = null!;

    /// <summary>The provider of the current test.</summary>
    protected INgcKeyStorage Storage { get; private set; } = null!;

    /// <summary>A user ID no other test uses.</summary>
    protected string User { get; private set; } = null!;

    /// <summary>Creates the provider under test, wired to <paramref name="environment"/>.</summary>
    protected abstract INgcKeyStorage CreateStorage(NgcConformanceEnvironment environment);

    /// <summary>Removes what the test left behind (keys on a real machine).</summary>
    protected virtual Task CleanUpAsync() => Task.CompletedTask;

    [SetUp]
    public void CreateProvider()
    {
        Env = new NgcConformanceEnvironment();
        Storage = CreateStorage(Env);
        User = "user-" + Guid.NewGuid().ToString("N")[..8];
    }

    [TearDown]
    public Task RemoveLeftovers() => CleanUpAsync();

    // ---- PIN management -------------------------------------------------------------------------------------------

    [Test]
    public async Task Create_then_verify_accepts_the_pin_and_refuses_another()
    {
        if (!await SupportsAsync(NgcCapabilities.PinManagement, () => Storage.CreateContainerAsync(User, Pin)))
        {
            return;
        }

        Assert.That((await Storage.CreateContainerAsync(User, Pin)).Outcome, Is.EqualTo(NgcOutcome.Success));
        Assert.That((await Storage.VerifyPinAsync(User, Pin)).Outcome, Is.EqualTo(NgcOutcome.Success));
        Assert.That((await Storage.VerifyPinAsync(User, "9999")).Outcome, Is.EqualTo(NgcOutcome.IncorrectPin));
        Assert.That((await Storage.GetContainerInfoAsync(User)).Required.FailedAttempts, Is.EqualTo(1));
    }

    [Test]
    public async Task A_second_container_for_the_same_user_is_refused()
    {
        if (!await SupportsAsync(NgcCapabilities.PinManagement, () => Storage.CreateContainerAsync(User, Pin)))
        {
            return;
        }

        await Storage.CreateContainerAsync(User, Pin);
        Assert.That((await Storage.CreateContainerAsync(User, "5678")).Outcome, Is.EqualTo(NgcOutcome.ContainerAlreadyExists));
        Assert.That((await Storage.VerifyPinAsync(User, Pin)).Outcome, Is.EqualTo(NgcOutcome.Success), "the first container is untouched");
    }

    [Test]
    public async Task Every_operation_on_a_user_without_container_says_NoContainer()
    {
        if (!await SupportsAsync(NgcCapabilities.PinManagement, () => Storage.VerifyPinAsync(User, Pin)))
        {
            return;
        }

        await Assert.MultipleAsync(async () =>
        {
            Assert.That((await Storage.GetContainerInfoAsync(User)).Outcome, Is.EqualTo(NgcOutcome.NoContainer));
            Assert.That((await Storage.VerifyPinAsync(User, Pin)).Outcome, Is.EqualTo(NgcOutcome.NoContainer));
            Assert.That((await Storage.ChangePinAsync(User, Pin, "5678")).Outcome, Is.EqualTo(NgcOutcome.NoContainer));
            Assert.That((await Storage.LockAsync(User)).Outcome, Is.EqualTo(NgcOutcome.NoContainer));
            Assert.That((await Storage.ResetPinDestructiveAsync(User, "5678")).Outcome, Is.EqualTo(NgcOutcome.NoContainer));
            Assert.That((await Storage.CreateKeyAsync(User, Pin, "k")).Outcome, Is.EqualTo(NgcOutcome.NoContainer));
            Assert.That((await Storage.OpenKeyAsync(User, "k")).Outcome, Is.EqualTo(NgcOutcome.NoContainer));
            Assert.That((await Storage.SignAsync(User, Pin, "k", s_data)).Outcome, Is.EqualTo(NgcOutcome.NoContainer));
            Assert.That((await Storage.DeleteKeyAsync(User, "k")).Outcome, Is.EqualTo(NgcOutcome.NoContainer));
            Assert.That((await Storage.DeleteContainerAsync(User)).Outcome, Is.EqualTo(NgcOutcome.NoContainer));
        });
    }

    [Test]
    public async Task Wrong_pins_up_to_the_threshold_lock_the_container_out_even_for_the_right_pin()
    {
        if (!await SupportsAsync(NgcCapabilities.PinManagement, () => Storage.VerifyPinAsync(User, Pin)))
        {
            return;
        }

        await Storage.CreateContainerAsync(User, Pin);
        for (var i = 0; i < NgcConformanceEnvironment.LockoutThreshold; i++)
        {
            Assert.That((await Storage.VerifyPinAsync(User, "0000")).Outcome, Is.EqualTo(NgcOutcome.IncorrectPin), $"attempt {i + 1}");
        }

        Assert.That((await Storage.VerifyPinAsync(User, Pin)).Outcome, Is.EqualTo(NgcOutcome.LockedOut));
        Assert.That((await Storage.ChangePinAsync(User, Pin, "5678")).Outcome, Is.EqualTo(NgcOutcome.LockedOut));
    }

    [Test]
    public async Task A_right_pin_resets_the_failed_attempt_count()
    {
        if (!await SupportsAsync(NgcCapabilities.PinManagement, () => Storage.VerifyPinAsync(User, Pin)))
        {
            return;
        }

        await Storage.CreateContainerAsync(User, Pin);
        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < NgcConformanceEnvironment.LockoutThreshold - 1; i++)
            {
                await Storage.VerifyPinAsync(User, "0000");
            }

            Assert.That((await Storage.VerifyPinAsync(User, Pin)).Outcome, Is.EqualTo(NgcOutcome.Success), $"round {round}");
        }

        Assert.That((await Storage.GetContainerInfoAsync(User)).Required.FailedAttempts, Is.Zero);
    }

    [Test]
    public async Task ChangePin_replaces_the_pin()
    {
        if (!await SupportsAsync(NgcCapabilities.PinManagement, () => Storage.ChangePinAsync(User, Pin, "5678")))
        {
            return;
        }

        await Storage.CreateContainerAsync(User, Pin);
        Assert.That((await Storage.ChangePinAsync(User, Pin, "5678")).Outcome, Is.EqualTo(NgcOutcome.Success));
        Assert.That((await Storage.VerifyPinAsync(User, "5678")).Outcome, Is.EqualTo(NgcOutcome.Success));
        Assert.That((await Storage.VerifyPinAsync(User, Pin)).Outcome, Is.EqualTo(NgcOutcome.IncorrectPin));
    }

    [Test]
    public async Task ChangePin_with_a_wrong_current_pin_counts_an_attempt_and_keeps_the_pin()
    {
        if (!await SupportsAsync(NgcCapabilities.PinManagement, () => Storage.ChangePinAsync(User, Pin, "5678")))
        {
            return;
        }

        await Storage.CreateContainerAsync(User, Pin);
        Assert.That((await Storage.ChangePinAsync(User, "0000", "5678")).Outcome, Is.EqualTo(NgcOutcome.IncorrectPin));
        Assert.That((await Storage.GetContainerInfoAsync(User)).Required.FailedAttempts, Is.EqualTo(1));
        Assert.That((await Storage.VerifyPinAsync(User, Pin)).Outcome, Is.EqualTo(NgcOutcome.Success));
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
    public async Task The_unconfigured_policy_refuses_a_new_container_pin_by_name(string pin, NgcOutcome expected)
    {
        if (!await SupportsAsync(NgcCapabilities.PinManagement, () => Storage.CreateContainerAsync(User, pin)))
        {
            return;
        }

        Assert.That((await Storage.CreateContainerAsync(User, pin)).Outcome, Is.EqualTo(expected));
        Assert.That((await Storage.GetContainerInfoAsync(User)).Outcome, Is.EqualTo(NgcOutcome.NoContainer), "nothing was created");
    }

    [Test]
    public async Task A_change_the_policy_refuses_keeps_the_old_pin()
    {
        if (!await SupportsAsync(NgcCapabilities.PinManagement, () => Storage.ChangePinAsync(User, Pin, "5678")))
        {
            return;
        }

        await Storage.CreateContainerAsync(User, Pin);
        Env.Policy.Policy = PinPolicy.Resolve(new PinComplexity { MinimumPINLength = 8, UppercaseLetters = PinCharacterRule.Required });
        Assert.That((await Storage.ChangePinAsync(User, Pin, "1234567")).Outcome, Is.EqualTo(NgcOutcome.InvalidPinTooFewCharacters));
        Assert.That((await Storage.ChangePinAsync(User, Pin, "12345678")).Outcome, Is.EqualTo(NgcOutcome.InvalidPinMissingUppercase));
        Assert.That((await Storage.VerifyPinAsync(User, Pin)).Outcome, Is.EqualTo(NgcOutcome.Success));
        Assert.That((await Storage.ChangePinAsync(User, Pin, "1234567A")).Outcome, Is.EqualTo(NgcOutcome.Success));
    }

    [Test]
    public async Task History_refuses_the_current_and_recent_pins_and_forgets_older_ones()
    {
        if (!await SupportsAsync(NgcCapabilities.PinManagement, () => Storage.ChangePinAsync(User, Pin, "5678")))
        {
            return;
        }

        Env.Policy.Policy = PinPolicy.Resolve(new PinComplexity { History = 2 });
        await Storage.CreateContainerAsync(User, "1111");
        Assert.That((await Storage.ChangePinAsync(User, "1111", "1111")).Outcome, Is.EqualTo(NgcOutcome.InvalidPinReusedFromHistory), "the current PIN counts");
        Assert.That((await Storage.ChangePinAsync(User, "1111", "2222")).Outcome, Is.EqualTo(NgcOutcome.Success));
        Assert.That((await Storage.ChangePinAsync(User, "2222", "1111")).Outcome, Is.EqualTo(NgcOutcome.InvalidPinReusedFromHistory));
        Assert.That((await Storage.ChangePinAsync(User, "2222", "3333")).Outcome, Is.EqualTo(NgcOutcome.Success));
        Assert.That((await Storage.ChangePinAsync(User, "3333", "1111")).Outcome, Is.EqualTo(NgcOutcome.Success), "1111 is three PINs back");
    }

    [Test]
    public async Task Without_history_the_current_pin_may_be_set_again()
    {
        if (!await SupportsAsync(NgcCapabilities.PinManagement, () => Storage.ChangePinAsync(User, Pin, Pin)))
        {
            return;
        }

        await Storage.CreateContainerAsync(User, Pin);
        Assert.That((await Storage.ChangePinAsync(User, Pin, Pin)).Outcome, Is.EqualTo(NgcOutcome.Success));
    }

    [Test]
    public async Task An_expired_pin_verifies_as_PinExpired_until_it_is_changed()
    {
        if (!await SupportsAsync(NgcCapabilities.PinManagement, () => Storage.VerifyPinAsync(User, Pin)))
        {
            return;
        }

        Env.Policy.Policy = PinPolicy.Resolve(new PinComplexity { Expiration = 30 });
        await Storage.CreateContainerAsync(User, Pin);
        Env.Time.Advance(TimeSpan.FromDays(29));
        Assert.That((await Storage.VerifyPinAsync(User, Pin)).Outcome, Is.EqualTo(NgcOutcome.Success));
        Env.Time.Advance(TimeSpan.FromDays(1));
        Assert.That((await Storage.VerifyPinAsync(User, Pin)).Outcome, Is.EqualTo(NgcOutcome.PinExpired));
        Assert.That((await Storage.ChangePinAsync(User, Pin, "5678")).Outcome, Is.EqualTo(NgcOutcome.Success));
        Assert.That((await Storage.VerifyPinAsync(User, "5678")).Outcome, Is.EqualTo(NgcOutcome.Success));
    }

    [Test]
    public async Task Destructive_reset_deletes_the_keys_and_makes_a_new_container_with_the_new_pin()
    {
        if (!await SupportsAsync(NgcCapabilities.PinManagement, () => Storage.ResetPinDestructiveAsync(User, "5678")))
        {
            return;
        }

        Env.Policy.Policy = PinPolicy.Resolve(new PinComplexity { History = 5 });
        await Storage.CreateContainerAsync(User, Pin);
        await Storage.ChangePinAsync(User, Pin, "2468");
        await Storage.CreateKeyAsync(User, "2468", "k1");
        var before = (await Storage.GetContainerInfoAsync(User)).Required;
        await Storage.VerifyPinAsync(User, "0000");

        Assert.That((await Storage.ResetPinDestructiveAsync(User, "5678")).Outcome, Is.EqualTo(NgcOutcome.Success));

        var after = (await Storage.GetContainerInfoAsync(User)).Required;
        await Assert.MultipleAsync(async () =>
        {
            Assert.That(after.ContainerId, Is.Not.EqualTo(before.ContainerId));
            Assert.That(after.FailedAttempts, Is.Zero);
            Assert.That((await Storage.OpenKeyAsync(User, "k1")).Outcome, Is.EqualTo(NgcOutcome.KeyNotFound));
            Assert.That((await Storage.VerifyPinAsync(User, "2468")).Outcome, Is.EqualTo(NgcOutcome.IncorrectPin));
            Assert.That((await Storage.VerifyPinAsync(User, "5678")).Outcome, Is.EqualTo(NgcOutcome.Success));
            Assert.That((await Storage.ChangePinAsync(User, "5678", Pin)).Outcome, Is.EqualTo(NgcOutcome.Success), "history is not kept across a reset");
        });
    }

    [Test]
    public async Task A_destructive_reset_the_policy_refuses_changes_nothing()
    {
        if (!await SupportsAsync(NgcCapabilities.PinManagement, () => Storage.ResetPinDestructiveAsync(User, "5678")))
        {
            return;
        }

        await Storage.CreateContainerAsync(User, Pin);
        await Storage.CreateKeyAsync(User, Pin, "k1");
        var before = (await Storage.GetContainerInfoAsync(User)).Required;
        Env.Policy.Policy = PinPolicy.Resolve(new PinComplexity { MinimumPINLength = 7 });

        Assert.That((await Storage.ResetPinDestructiveAsync(User, "123456")).Outcome, Is.EqualTo(NgcOutcome.InvalidPinTooFewCharacters));
        Assert.That((await Storage.GetContainerInfoAsync(User)).Required.ContainerId, Is.EqualTo(before.ContainerId));
        Assert.That((await Storage.OpenKeyAsync(User, "k1")).Outcome, Is.EqualTo(NgcOutcome.Success));
        Assert.That((await Storage.VerifyPinAsync(User, Pin)).Outcome, Is.EqualTo(NgcOutcome.Success));
    }

    [Test]
    public async Task DeleteContainer_removes_it()
    {
        if (!await SupportsAsync(NgcCapabilities.PinManagement, () => Storage.DeleteContainerAsync(User)))
        {
            return;
        }

        await Storage.CreateContainerAsync(User, Pin);
        Assert.That((await Storage.DeleteContainerAsync(User)).Outcome, Is.EqualTo(NgcOutcome.Success));
        Assert.That((await Storage.VerifyPinAsync(User, Pin)).Outcome, Is.EqualTo(NgcOutcome.NoContainer));
        Assert.That((await Storage.CreateContainerAsync(User, Pin)).Outcome, Is.EqualTo(NgcOutcome.Success), "the user can provision again");
    }

    // ---- PIN recovery ---------------------------------------------------------------------------------------------

    [Test]
    public async Task Enabling_recovery_on_an_unlocked_container_creates_the_protector()
    {
        if (!await SupportsRecoveryAsync())
        {
            return;
        }

        await Storage.CreateContainerAsync(User, Pin);
        Assert.That((await Storage.GetContainerInfoAsync(User)).Required.CanReset, Is.EqualTo("DestructiveOnly"));
        Assert.That((await Storage.EnablePinRecoveryAsync(User, SharedPinResetService.ConsentedTenant(), ServiceKey)).Outcome, Is.EqualTo(NgcOutcome.Success));
        var info = (await Storage.GetContainerInfoAsync(User)).Required;
        Assert.That(info.Recovery, Is.EqualTo(NgcRecoveryState.Enabled));
        Assert.That(info.CanReset, Is.EqualTo("DestructiveAndNonDestructive"));
    }

    [Test]
    public async Task Non_destructive_recovery_keeps_the_keys_and_replaces_the_pin()
    {
        if (!await SupportsRecoveryAsync())
        {
            return;
        }

        var tenant = await ProvisionWithRecoveryAsync();
        var key = (await Storage.CreateKeyAsync(User, Pin, "k1")).Required;
        var before = (await Storage.GetContainerInfoAsync(User)).Required;

        var protector = await ReleaseAsync(tenant);
        Assert.That((await Storage.RecoverPinAsync(User, protector, "8642")).Outcome, Is.EqualTo(NgcOutcome.Success));

        await Assert.MultipleAsync(async () =>
        {
            Assert.That((await Storage.GetContainerInfoAsync(User)).Required.ContainerId, Is.EqualTo(before.ContainerId));
            Assert.That((await Storage.VerifyPinAsync(User, Pin)).Outcome, Is.EqualTo(NgcOutcome.IncorrectPin));
            var signature = (await Storage.SignAsync(User, "8642", "k1", s_data)).Required;
            Assert.That(key.Verify(s_data, signature), Is.True, "the old key signs under the new PIN");
        });
    }

    [Test]
    public async Task Recovery_with_a_pin_the_policy_refuses_keeps_the_old_pin_and_keys()
    {
        if (!await SupportsRecoveryAsync())
        {
            return;
        }

        var tenant = await ProvisionWithRecoveryAsync();
        await Storage.CreateKeyAsync(User, Pin, "k1");
        Env.Policy.Policy = PinPolicy.Resolve(new PinComplexity { MinimumPINLength = 7 });

        Assert.That((await Storage.RecoverPinAsync(User, await ReleaseAsync(tenant), "123456")).Outcome, Is.EqualTo(NgcOutcome.InvalidPinTooFewCharacters));
        Assert.That((await Storage.VerifyPinAsync(User, Pin)).Outcome, Is.EqualTo(NgcOutcome.Success));
        Assert.That((await Storage.OpenKeyAsync(User, "k1")).Outcome, Is.EqualTo(NgcOutcome.Success));
    }

    [Test]
    public async Task Recovery_clears_a_lockout_and_the_history()
    {
        if (!await SupportsRecoveryAsync())
        {
            return;
        }

        Env.Policy.Policy = PinPolicy.Resolve(new PinComplexity { History = 5 });
        var tenant = await ProvisionWithRecoveryAsync();
        for (var i = 0; i < NgcConformanceEnvironment.LockoutThreshold; i++)
        {
            await Storage.VerifyPinAsync(User, "0000");
        }

        Assert.That((await Storage.VerifyPinAsync(User, Pin)).Outcome, Is.EqualTo(NgcOutcome.LockedOut));
        Assert.That((await Storage.RecoverPinAsync(User, await ReleaseAsync(tenant), "8642")).Outcome, Is.EqualTo(NgcOutcome.Success));
        Assert.That((await Storage.VerifyPinAsync(User, "8642")).Outcome, Is.EqualTo(NgcOutcome.Success));
        Assert.That((await Storage.ChangePinAsync(User, "8642", Pin)).Outcome, Is.EqualTo(NgcOutcome.Success), "the PIN before recovery is no longer history");
    }

    [Test]
    public async Task A_protector_that_does_not_open_the_container_is_refused()
    {
        if (!await SupportsRecoveryAsync())
        {
            return;
        }

        await ProvisionWithRecoveryAsync();
        Assert.That((await Storage.RecoverPinAsync(User, new byte[32], "8642")).Outcome, Is.EqualTo(NgcOutcome.RecoveryProtectorInvalid));
        Assert.That((await Storage.RecoverPinAsync(User, new byte[5], "8642")).Outcome, Is.EqualTo(NgcOutcome.RecoveryProtectorInvalid));
        Assert.That((await Storage.VerifyPinAsync(User, Pin)).Outcome, Is.EqualTo(NgcOutcome.Success));
    }

    [Test]
    public async Task The_protector_is_renewed_after_a_recovery()
    {
        if (!await SupportsRecoveryAsync())
        {
            return;
        }

        var tenant = await ProvisionWithRecoveryAsync();
        var first = await ReleaseAsync(tenant);
        await Storage.RecoverPinAsync(User, first, "8642");
        Assert.That((await Storage.RecoverPinAsync(User, first, "9753")).Outcome, Is.EqualTo(NgcOutcome.RecoveryProtectorInvalid));
        Assert.That((await Storage.RecoverPinAsync(User, await ReleaseAsync(tenant), "9753")).Outcome, Is.EqualTo(NgcOutcome.Success));
    }

    [Test]
    public async Task Without_recovery_enabled_there_is_no_protector_to_use()
    {
        if (!await SupportsRecoveryAsync())
        {
            return;
        }

        await Storage.CreateContainerAsync(User, Pin);
        Assert.That((await Storage.GetEncryptedRecoveryProtectorAsync(User)).Outcome, Is.EqualTo(NgcOutcome.RecoveryNotEnabled));
        Assert.That((await Storage.RecoverPinAsync(User, new byte[32], "8642")).Outcome, Is.EqualTo(NgcOutcome.RecoveryNotEnabled));
    }

    [Test]
    public async Task Recovery_enabled_on_a_locked_container_waits_for_the_next_pin_use()
    {
        if (!await SupportsRecoveryAsync())
        {
            return;
        }

        await Storage.CreateContainerAsync(User, Pin);
        await Storage.LockAsync(User);
        var tenant = SharedPinResetService.ConsentedTenant();
        Assert.That((await Storage.EnablePinRecoveryAsync(User, tenant, ServiceKey)).Outcome, Is.EqualTo(NgcOutcome.RecoveryPending));
        Assert.That((await Storage.GetEncryptedRecoveryProtectorAsync(User)).Outcome, Is.EqualTo(NgcOutcome.RecoveryPending));
        Assert.That((await Storage.RecoverPinAsync(User, new byte[32], "8642")).Outcome, Is.EqualTo(NgcOutcome.RecoveryPending));

        Assert.That((await Storage.VerifyPinAsync(User, Pin)).Outcome, Is.EqualTo(NgcOutcome.Success));
        Assert.That((await Storage.GetContainerInfoAsync(User)).Required.Recovery, Is.EqualTo(NgcRecoveryState.Enabled));
        Assert.That((await Storage.RecoverPinAsync(User, await ReleaseAsync(tenant), "8642")).Outcome, Is.EqualTo(NgcOutcome.Success));
    }

    [Test]
    public async Task A_destructive_reset_keeps_recovery_enabled_with_a_new_protector()
    {
        if (!await SupportsRecoveryAsync())
        {
            return;
        }

        var tenant = await ProvisionWithRecoveryAsync();
        var old = await ReleaseAsync(tenant);
        await Storage.ResetPinDestructiveAsync(User, "5678");
        Assert.That((await Storage.GetContainerInfoAsync(User)).Required.Recovery, Is.EqualTo(NgcRecoveryState.Enabled));
        Assert.That((await Storage.RecoverPinAsync(User, old, "8642")).Outcome, Is.EqualTo(NgcOutcome.RecoveryProtectorInvalid));
        Assert.That((await Storage.RecoverPinAsync(User, await ReleaseAsync(tenant), "8642")).Outcome, Is.EqualTo(NgcOutcome.Success));
    }

    [Test]
    public async Task Disabling_recovery_removes_the_protector()
    {
        if (!await SupportsRecoveryAsync())
        {
            return;
        }

        await ProvisionWithRecoveryAsync();
        Assert.That((await Storage.DisablePinRecoveryAsync(User)).Outcome, Is.EqualTo(NgcOutcome.Success));
        Assert.That((await Storage.GetEncryptedRecoveryProtectorAsync(User)).Outcome, Is.EqualTo(NgcOutcome.RecoveryNotEnabled));
    }

    // ---- keys -----------------------------------------------------------------------------------------------------

    [Test]
    public async Task A_created_key_signs_and_its_public_key_verifies()
    {
        if (!await SupportsAsync(NgcCapabilities.Keys, async () => (NgcResult)(await Storage.CreateKeyAsync(User, Pin, "k1")).Outcome))
        {
            return;
        }

        await ProvisionAsync();
        var key = (await Storage.CreateKeyAsync(User, Pin, "k1")).Required;
        var signature = (await Storage.SignAsync(User, Pin, "k1", s_data)).Required;
        await Assert.MultipleAsync(async () =>
        {
            Assert.That(key.Name, Is.EqualTo("k1"));
            Assert.That(key.Verify(s_data, signature), Is.True);
            Assert.That(key.Verify(Encoding.UTF8.GetBytes("other data"), signature), Is.False);
            Assert.That((await Storage.OpenKeyAsync(User, "k1")).Required.PublicKey, Is.EqualTo(key.PublicKey));
        });
    }

    [Test]
    public async Task A_key_name_cannot_be_created_twice()
    {
        if (!await SupportsAsync(NgcCapabilities.Keys, async () => (NgcResult)(await Storage.CreateKeyAsync(User, Pin, "k1")).Outcome))
        {
            return;
        }

        await ProvisionAsync();
        var first = (await Storage.CreateKeyAsync(User, Pin, "k1")).Required;
        Assert.That((await Storage.CreateKeyAsync(User, Pin, "k1")).Outcome, Is.EqualTo(NgcOutcome.KeyAlreadyExists));
        Assert.That((await Storage.OpenKeyAsync(User, "k1")).Required.PublicKey, Is.EqualTo(first.PublicKey));
    }

    [Test]
    public async Task Missing_keys_are_named_as_such()
    {
        if (!await SupportsAsync(NgcCapabilities.Keys, async () => (NgcResult)(await Storage.OpenKeyAsync(User, "absent")).Outcome))
        {
            return;
        }

        await ProvisionAsync();
        Assert.That((await Storage.OpenKeyAsync(User, "absent")).Outcome, Is.EqualTo(NgcOutcome.KeyNotFound));
        Assert.That((await Storage.SignAsync(User, Pin, "absent", s_data)).Outcome, Is.EqualTo(NgcOutcome.KeyNotFound));
        Assert.That((await Storage.DeleteKeyAsync(User, "absent")).Outcome, Is.EqualTo(NgcOutcome.KeyNotFound));
    }

    [Test]
    public async Task A_deleted_key_is_gone()
    {
        if (!await SupportsAsync(NgcCapabilities.Keys, () => Storage.DeleteKeyAsync(User, "k1")))
        {
            return;
        }

        await ProvisionAsync();
        await Storage.CreateKeyAsync(User, Pin, "k1");
        Assert.That((await Storage.DeleteKeyAsync(User, "k1")).Outcome, Is.EqualTo(NgcOutcome.Success));
        Assert.That((await Storage.OpenKeyAsync(User, "k1")).Outcome, Is.EqualTo(NgcOutcome.KeyNotFound));
    }

    [Test]
    public async Task Keys_are_listed_by_name()
    {
        if (!await SupportsAsync(NgcCapabilities.KeyEnumeration, async () => (NgcResult)(await Storage.ListKeysAsync(User)).Outcome))
        {
            return;
        }

        await ProvisionAsync();
        await Storage.CreateKeyAsync(User, Pin, "b");
        await Storage.CreateKeyAsync(User, Pin, "a");
        Assert.That((await Storage.ListKeysAsync(User)).Required.Select(k => k.Name), Is.EqualTo(new[] { "a", "b" }));
    }

    [Test]
    public async Task Signing_needs_the_right_pin()
    {
        if (!await SupportsAsync(NgcCapabilities.PinManagement, () => Storage.VerifyPinAsync(User, Pin)))
        {
            return;
        }

        await ProvisionAsync();
        await Storage.CreateKeyAsync(User, Pin, "k1");
        Assert.That((await Storage.SignAsync(User, "0000", "k1", s_data)).Outcome, Is.EqualTo(NgcOutcome.IncorrectPin));
        Assert.That((await Storage.CreateKeyAsync(User, "0000", "k2")).Outcome, Is.EqualTo(NgcOutcome.IncorrectPin));
        Assert.That((await Storage.GetContainerInfoAsync(User)).Required.FailedAttempts, Is.EqualTo(2));
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    private static byte[] ServiceKey => SharedPinResetService.Instance.GetPublicKey();

    /// <summary>
    /// True when the provider has the capability; otherwise checks that <paramref name="probe"/> answers NotSupported
    /// (so the test still proves something) and returns false.
    /// </summary>
    private async Task<bool> SupportsAsync(NgcCapabilities capability, Func<ValueTask<NgcResult>> probe)
    {
        if (Storage.Capabilities.HasFlag(capability))
        {
            return true;
        }

        Assert.That((await probe()).Outcome, Is.EqualTo(NgcOutcome.NotSupported), $"{Storage.ProviderName} lacks {capability}");
        return false;
    }

    private async Task<bool> SupportsRecoveryAsync() =>
        await SupportsAsync(NgcCapabilities.PinRecovery, () => Storage.EnablePinRecoveryAsync(User, Guid.NewGuid().ToString(), ServiceKey))
        && await SupportsAsync(NgcCapabilities.PinRecovery, () => Storage.RecoverPinAsync(User, new byte[32], "8642"))
        && await SupportsAsync(NgcCapabilities.PinManagement, () => Storage.CreateContainerAsync(User, Pin));

    /// <summary>Gives the user a container with <see cref="Pin"/> where the provider can; otherwise relies on the platform's.</summary>
    private async Task ProvisionAsync()
    {
        if (Storage.Capabilities.HasFlag(NgcCapabilities.PinManagement))
        {
            Assert.That((await Storage.CreateContainerAsync(User, Pin)).Outcome, Is.EqualTo(NgcOutcome.Success));
        }
    }

    private async Task<string> ProvisionWithRecoveryAsync()
    {
        var tenant = SharedPinResetService.ConsentedTenant();
        await Storage.CreateContainerAsync(User, Pin);
        Assert.That((await Storage.EnablePinRecoveryAsync(User, tenant, ServiceKey)).Outcome, Is.EqualTo(NgcOutcome.Success));
        return tenant;
    }

    private async Task<byte[]> ReleaseAsync(string tenant)
    {
        var blob = (await Storage.GetEncryptedRecoveryProtectorAsync(User)).Required;
        var released = SharedPinResetService.Instance.RecoverProtector(tenant, blob);
        Assert.That(released.Outcome, Is.EqualTo(DeviceAgent.Protocol.PinRecoveryOutcome.Success));
        return released.Protector!;
    }
}

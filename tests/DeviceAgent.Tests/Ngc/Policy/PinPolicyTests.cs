using DeviceAgent.Ngc.Policy;

namespace DeviceAgent.Tests.Ngc.Policy;

public sealed class PinPolicyTests
{
    [Test]
    public void Nothing_configured_gives_4_to_127_digits_required_and_the_other_classes_forbidden()
    {
        var policy = PinPolicy.Resolve([]);
        Assert.That(policy, Is.EqualTo(PinPolicy.Default));
        Assert.Multiple(() =>
        {
            Assert.That(policy.MinimumLength, Is.EqualTo(4));
            Assert.That(policy.MaximumLength, Is.EqualTo(127));
            Assert.That(policy.Digits, Is.EqualTo(PinCharacterRule.Required));
            Assert.That(policy.UppercaseLetters, Is.EqualTo(PinCharacterRule.NotAllowed));
            Assert.That(policy.LowercaseLetters, Is.EqualTo(PinCharacterRule.NotAllowed));
            Assert.That(policy.SpecialCharacters, Is.EqualTo(PinCharacterRule.NotAllowed));
            Assert.That(policy.History, Is.Zero);
            Assert.That(policy.ExpirationDays, Is.Zero);
        });
    }

    [Test]
    public void Every_class_explicitly_allowed_and_none_required_behaves_like_unconfigured()
    {
        var allAllowed = new PinComplexity
        {
            Digits = PinCharacterRule.Allowed,
            UppercaseLetters = PinCharacterRule.Allowed,
            LowercaseLetters = PinCharacterRule.Allowed,
            SpecialCharacters = PinCharacterRule.Allowed,
        };
        Assert.That(PinPolicy.Resolve(allAllowed), Is.EqualTo(PinPolicy.Default));
    }

    [Test]
    public void A_configured_class_keeps_its_value_and_unconfigured_classes_keep_the_documented_behaviour()
    {
        var policy = PinPolicy.Resolve(new PinComplexity { UppercaseLetters = PinCharacterRule.Required, LowercaseLetters = PinCharacterRule.Allowed });
        Assert.Multiple(() =>
        {
            Assert.That(policy.UppercaseLetters, Is.EqualTo(PinCharacterRule.Required));
            Assert.That(policy.LowercaseLetters, Is.EqualTo(PinCharacterRule.Allowed));
            Assert.That(policy.Digits, Is.EqualTo(PinCharacterRule.Required));
            Assert.That(policy.SpecialCharacters, Is.EqualTo(PinCharacterRule.NotAllowed));
        });
    }

    [Test]
    public void A_policy_forbidding_every_class_falls_back_to_the_default_behaviour()
    {
        var policy = PinPolicy.Resolve(new PinComplexity { Digits = PinCharacterRule.NotAllowed });
        Assert.That(policy.Digits, Is.EqualTo(PinCharacterRule.Required));
    }

    [TestCase(10, 6)]
    [TestCase(10, null)]
    public void An_invalid_min_max_pair_reverts_both_to_the_defaults(int minimum, int? maximum)
    {
        var policy = PinPolicy.Resolve(new PinComplexity { MinimumPINLength = minimum, MaximumPINLength = maximum ?? 8 });
        Assert.That((policy.MinimumLength, policy.MaximumLength), Is.EqualTo((4, 127)));
    }

    [Test]
    public void A_valid_pair_is_kept()
    {
        var policy = PinPolicy.Resolve(new PinComplexity { MinimumPINLength = 6, MaximumPINLength = 6 });
        Assert.That((policy.MinimumLength, policy.MaximumLength), Is.EqualTo((6, 6)));
    }

    [Test]
    public void Device_and_user_scopes_merge_most_restrictive()
    {
        var device = new PinComplexity { MinimumPINLength = 6, MaximumPINLength = 20, History = 3, Expiration = 90, UppercaseLetters = PinCharacterRule.Required };
        var user = new PinComplexity { MinimumPINLength = 8, MaximumPINLength = 30, History = 1, Expiration = 30, UppercaseLetters = PinCharacterRule.Allowed };
        var policy = PinPolicy.Resolve([device, user]);
        Assert.Multiple(() =>
        {
            Assert.That(policy.MinimumLength, Is.EqualTo(8));
            Assert.That(policy.MaximumLength, Is.EqualTo(20));
            Assert.That(policy.History, Is.EqualTo(3));
            Assert.That(policy.ExpirationDays, Is.EqualTo(30));
            Assert.That(policy.UppercaseLetters, Is.EqualTo(PinCharacterRule.Required));
        });
    }

    [Test]
    public void Merge_does_not_depend_on_scope_order()
    {
        var a = new PinComplexity { MinimumPINLength = 6, SpecialCharacters = PinCharacterRule.NotAllowed, Expiration = 0 };
        var b = new PinComplexity { MaximumPINLength = 10, SpecialCharacters = PinCharacterRule.Required, Expiration = 10 };
        Assert.That(PinPolicy.Resolve([a, b]), Is.EqualTo(PinPolicy.Resolve([b, a])));
    }

    [Test]
    public void Expiration_zero_means_never_and_does_not_shorten_another_scope()
    {
        var policy = PinPolicy.Resolve([new PinComplexity { Expiration = 0 }, new PinComplexity { Expiration = 45 }]);
        Assert.That(policy.ExpirationDays, Is.EqualTo(45));
    }

    [Test]
    public void Crossing_scopes_keep_the_larger_minimum()
    {
        var policy = PinPolicy.Resolve([new PinComplexity { MinimumPINLength = 8 }, new PinComplexity { MaximumPINLength = 6 }]);
        Assert.That((policy.MinimumLength, policy.MaximumLength), Is.EqualTo((8, 8)));
    }

    [TestCase(PinClassConflict.RequiredWins, PinCharacterRule.Required)]
    [TestCase(PinClassConflict.NotAllowedWins, PinCharacterRule.NotAllowed)]
    public void A_required_versus_forbidden_conflict_follows_the_option(PinClassConflict rule, PinCharacterRule expected)
    {
        var policy = PinPolicy.Resolve(
            [new PinComplexity { SpecialCharacters = PinCharacterRule.Required }, new PinComplexity { SpecialCharacters = PinCharacterRule.NotAllowed }],
            new PinPolicyMergeOptions { ClassConflict = rule });
        Assert.That(policy.SpecialCharacters, Is.EqualTo(expected));
    }

    [TestCase(3)]
    [TestCase(128)]
    public void Out_of_range_lengths_are_refused_with_the_node_name(int value)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new PinComplexity { MinimumPINLength = value });
        Assert.That(ex!.Message, Does.Contain("MinimumPINLength").And.Contain("[4-127]"));
    }

    [Test]
    public void Out_of_range_history_expiration_and_enum_values_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new PinComplexity { History = 51 });
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new PinComplexity { Expiration = 731 });
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new PinComplexity { Digits = (PinCharacterRule)3 });
        Assert.That(ex!.Message, Does.Contain("Digits"));
    }
}

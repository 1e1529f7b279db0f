using DeviceAgent.Ngc;
using DeviceAgent.Ngc.Policy;

namespace DeviceAgent.Tests.Ngc.Policy;

public sealed class PinGeneratorTests
{
    private static IEnumerable<PinPolicy> Policies()
    {
        yield return PinPolicy.Default;
        yield return PinPolicy.Resolve(new PinComplexity { MinimumPINLength = 7 });
        yield return PinPolicy.Resolve(new PinComplexity { MinimumPINLength = 4, MaximumPINLength = 4 });
        yield return PinPolicy.Resolve(new PinComplexity
        {
            MinimumPINLength = 10,
            UppercaseLetters = PinCharacterRule.Required,
            LowercaseLetters = PinCharacterRule.Required,
            SpecialCharacters = PinCharacterRule.Required,
        });
        yield return PinPolicy.Resolve(new PinComplexity { Digits = PinCharacterRule.NotAllowed, LowercaseLetters = PinCharacterRule.Required });
    }

    [TestCaseSource(nameof(Policies))]
    public void Generated_pins_satisfy_the_policy(PinPolicy policy)
    {
        var random = new Random(42);
        for (var i = 0; i < 200; i++)
        {
            var pin = PinGenerator.Generate(policy, random);
            Assert.That(PinValidator.Validate(pin, policy), Is.EqualTo(NgcOutcome.Success), pin);
        }
    }

    [Test]
    public void With_a_minimum_of_7_the_pin_has_at_least_7_characters()
    {
        var pin = PinGenerator.Generate(PinPolicy.Resolve(new PinComplexity { MinimumPINLength = 7 }), new Random(1));
        Assert.That(pin, Has.Length.GreaterThanOrEqualTo(7));
    }

    [Test]
    public void The_unconfigured_policy_gives_six_digits()
    {
        Assert.That(PinGenerator.Generate(PinPolicy.Default, new Random(7)), Does.Match("^[0-9]{6}$"));
    }

    [Test]
    public void The_same_seed_gives_the_same_pins()
    {
        var policy = PinPolicy.Resolve(new PinComplexity { MinimumPINLength = 8, LowercaseLetters = PinCharacterRule.Allowed });
        Random a = new(2024), b = new(2024);
        var first = Enumerable.Range(0, 5).Select(_ => PinGenerator.Generate(policy, a)).ToArray();
        var second = Enumerable.Range(0, 5).Select(_ => PinGenerator.Generate(policy, b)).ToArray();
        Assert.That(first, Is.EqualTo(second));
        Assert.That(first.Distinct().Count(), Is.GreaterThan(1));
    }
}

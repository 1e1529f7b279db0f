using DeviceAgent.Ngc;
using DeviceAgent.Ngc.Policy;
using DeviceAgent.Protocol;

namespace DeviceAgent.Tests.Ngc.Policy;

public sealed class PinValidatorTests
{
    private static readonly PinPolicy s_everyClassRequired = PinPolicy.Resolve(new PinComplexity
    {
        Digits = PinCharacterRule.Required,
        UppercaseLetters = PinCharacterRule.Required,
        LowercaseLetters = PinCharacterRule.Required,
        SpecialCharacters = PinCharacterRule.Required,
    });

    [TestCase("aB!1", NgcOutcome.Success)]
    [TestCase("aB!x", NgcOutcome.InvalidPinMissingDigit)]
    [TestCase("ab!1", NgcOutcome.InvalidPinMissingUppercase)]
    [TestCase("AB!1", NgcOutcome.InvalidPinMissingLowercase)]
    [TestCase("aB11", NgcOutcome.InvalidPinMissingSpecialCharacter)]
    [TestCase("aB!", NgcOutcome.InvalidPinTooFewCharacters)]
    [TestCase("aB!1\u00e9", NgcOutcome.InvalidPinUnsupportedCharacter)]
    [TestCase("aB!1\t", NgcOutcome.InvalidPinUnsupportedCharacter)]
    public void Required_classes_are_named_when_missing(string pin, NgcOutcome expected) =>
        Assert.That(PinValidator.Validate(pin, s_everyClassRequired), Is.EqualTo(expected));

    [Test]
    public void A_forbidden_digit_is_named()
    {
        var policy = PinPolicy.Resolve(new PinComplexity { Digits = PinCharacterRule.NotAllowed, LowercaseLetters = PinCharacterRule.Required });
        Assert.That(PinValidator.Validate("abc1", policy), Is.EqualTo(NgcOutcome.InvalidPinDigitNotAllowed));
        Assert.That(PinValidator.Validate("abcd", policy), Is.EqualTo(NgcOutcome.Success));
    }

    [Test]
    public void Length_is_checked_before_character_classes()
    {
        var policy = PinPolicy.Resolve(new PinComplexity { MinimumPINLength = 7 });
        Assert.That(PinValidator.Validate("aB3$xY", policy), Is.EqualTo(NgcOutcome.InvalidPinTooFewCharacters));
    }

    [Test]
    public void Every_documented_special_character_counts_and_space_does_not()
    {
        var specials = Enumerable.Range(0x21, 0x7E - 0x20).Select(i => (char)i).Where(c => !char.IsLetterOrDigit(c));
        Assert.That(string.Concat(specials), Is.EqualTo(PinCharacters.Special));
        Assert.That(PinCharacters.Classify(' '), Is.Null);
    }

    [Test]
    public void The_maximum_length_is_inclusive()
    {
        var policy = PinPolicy.Resolve(new PinComplexity { MaximumPINLength = 6 });
        Assert.That(PinValidator.Validate("123456", policy), Is.EqualTo(NgcOutcome.Success));
        Assert.That(PinValidator.Validate("1234567", policy), Is.EqualTo(NgcOutcome.InvalidPinTooManyCharacters));
    }
}

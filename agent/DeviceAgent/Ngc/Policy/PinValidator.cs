using DeviceAgent.Protocol;
namespace DeviceAgent.Ngc.Policy;

/// <summary>
/// Checks a candidate PIN against a <see cref="PinPolicy"/> and names the first rule it breaks. Order: length (too few,
/// too many), unsupported characters, forbidden classes, missing classes (digit, upper, lower, special); history is
/// checked by the container, which alone knows the previous PINs.
/// </summary>
public static class PinValidator
{
    /// <summary><see cref="NgcOutcome.Success"/> or the InvalidPin* outcome of the first rule broken.</summary>
    public static NgcOutcome Validate(string pin, PinPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(pin);
        ArgumentNullException.ThrowIfNull(policy);
        if (pin.Length < policy.MinimumLength)
        {
            return NgcOutcome.InvalidPinTooFewCharacters;
        }

        if (pin.Length > policy.MaximumLength)
        {
            return NgcOutcome.InvalidPinTooManyCharacters;
        }

        bool digit = false, upper = false, lower = false, special = false;
        foreach (var c in pin)
        {
            switch (PinCharacters.Classify(c))
            {
                case PinCharacterClass.Digit: digit = true; break;
                case PinCharacterClass.Uppercase: upper = true; break;
                case PinCharacterClass.Lowercase: lower = true; break;
                case PinCharacterClass.Special: special = true; break;
                default: return NgcOutcome.InvalidPinUnsupportedCharacter;
            }
        }

        return (digit, upper, lower, special) switch
        {
            (true, _, _, _) when policy.Digits == PinCharacterRule.NotAllowed => NgcOutcome.InvalidPinDigitNotAllowed,
            (_, true, _, _) when policy.UppercaseLetters == PinCharacterRule.NotAllowed => NgcOutcome.InvalidPinUppercaseNotAllowed,
            (_, _, true, _) when policy.LowercaseLetters == PinCharacterRule.NotAllowed => NgcOutcome.InvalidPinLowercaseNotAllowed,
            (_, _, _, true) when policy.SpecialCharacters == PinCharacterRule.NotAllowed => NgcOutcome.InvalidPinSpecialCharacterNotAllowed,
            (false, _, _, _) when policy.Digits == PinCharacterRule.Required => NgcOutcome.InvalidPinMissingDigit,
            (_, false, _, _) when policy.UppercaseLetters == PinCharacterRule.Required => NgcOutcome.InvalidPinMissingUppercase,
            (_, _, false, _) when policy.LowercaseLetters == PinCharacterRule.Required => NgcOutcome.InvalidPinMissingLowercase,
            (_, _, _, false) when policy.SpecialCharacters == PinCharacterRule.Required => NgcOutcome.InvalidPinMissingSpecialCharacter,
            _ => NgcOutcome.Success,
        };
    }
}

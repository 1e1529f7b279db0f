namespace DeviceAgent.Ngc.Policy;

/// <summary>A PINComplexity character-class value: 0 allowed, 1 at least one required, 2 not allowed (docs/reference/passportforwork.md §3).</summary>
public enum PinCharacterRule
{
    /// <summary>0: the class may appear.</summary>
    Allowed = 0,

    /// <summary>1: at least one character of the class is required.</summary>
    Required = 1,

    /// <summary>2: the class must not appear.</summary>
    NotAllowed = 2,
}

/// <summary>The four PIN character classes of PINComplexity.</summary>
public enum PinCharacterClass
{
    /// <summary>Digits 0-9 (node Digits).</summary>
    Digit,

    /// <summary>A-Z (node UppercaseLetters).</summary>
    Uppercase,

    /// <summary>a-z (node LowercaseLetters).</summary>
    Lowercase,

    /// <summary>Printable ASCII punctuation (node SpecialCharacters).</summary>
    Special,
}

/// <summary>Classifies PIN characters exactly as PINComplexity defines them.</summary>
public static class PinCharacters
{
    /// <summary>
    /// The accepted special characters: code points 0x21-0x2F, 0x3A-0x40, 0x5B-0x60, 0x7B-0x7E; space is not one
    /// (docs/reference/passportforwork.md §3).
    /// </summary>
    public const string Special = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    /// <summary>Digits in generation order.</summary>
    public const string Digits = "0123456789";

    /// <summary>Upper-case letters in generation order.</summary>
    public const string Uppercase = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

    /// <summary>Lower-case letters in generation order.</summary>
    public const string Lowercase = "abcdefghijklmnopqrstuvwxyz";

    /// <summary>The class of <paramref name="c"/>, or null when no PIN may contain it (space, control, non-ASCII).</summary>
    public static PinCharacterClass? Classify(char c) => c switch
    {
        >= '0' and <= '9' => PinCharacterClass.Digit,
        >= 'A' and <= 'Z' => PinCharacterClass.Uppercase,
        >= 'a' and <= 'z' => PinCharacterClass.Lowercase,
        (>= '\x21' and <= '\x2F') or (>= '\x3A' and <= '\x40') or (>= '\x5B' and <= '\x60') or (>= '\x7B' and <= '\x7E')
            => PinCharacterClass.Special,
        _ => null,
    };

    /// <summary>The characters of one class, in a fixed order so seeded generation is reproducible.</summary>
    public static string Alphabet(PinCharacterClass characterClass) => characterClass switch
    {
        PinCharacterClass.Digit => Digits,
        PinCharacterClass.Uppercase => Uppercase,
        PinCharacterClass.Lowercase => Lowercase,
        PinCharacterClass.Special => Special,
        _ => throw new ArgumentOutOfRangeException(nameof(characterClass), characterClass, "Unknown PIN character class."),
    };
}

namespace DeviceAgent.Protocol;

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

    /// <summary>Lowest allowed value of PassportForWork PINComplexity MinimumPINLength and MaximumPINLength.</summary>
    public const int LowestLength = 4;

    /// <summary>Highest allowed value of PassportForWork PINComplexity MinimumPINLength and MaximumPINLength.</summary>
    public const int HighestLength = 127;

    /// <summary>The characters of one class, in a fixed order so seeded generation is reproducible.</summary>
    public static string Alphabet(PinCharacterClass characterClass) => characterClass switch
    {
        PinCharacterClass.Digit => Digits,
        PinCharacterClass.Uppercase => Uppercase,
        PinCharacterClass.Lowercase => Lowercase,
        PinCharacterClass.Special => Special,
        _ => throw new ArgumentOutOfRangeException(nameof(characterClass), characterClass, "Unknown PIN character class."),
    };

    /// <summary>
    /// A PIN of <paramref name="length"/>: one character of each <paramref name="required"/> class, the rest drawn from
    /// every <paramref name="usable"/> class, shuffled; all randomness from <paramref name="random"/> (seeded runs repeat).
    /// Used by the device for the PIN it sets itself and by the PIN reset service for the PIN it hands out.
    /// </summary>
    public static string Compose(int length, IReadOnlyList<PinCharacterClass> required, IReadOnlyList<PinCharacterClass> usable, Random random)
    {
        ArgumentNullException.ThrowIfNull(required);
        ArgumentNullException.ThrowIfNull(usable);
        ArgumentNullException.ThrowIfNull(random);
        if (usable.Count == 0 || required.Count > length)
        {
            throw new ArgumentException($"No PIN of {length} characters can hold the {required.Count} required classes from {usable.Count} usable ones.");
        }

        var pool = string.Concat(usable.Select(Alphabet));
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = i < required.Count ? Pick(Alphabet(required[i]), random) : Pick(pool, random);
        }

        random.Shuffle(chars);
        return new string(chars);
    }

    private static char Pick(string alphabet, Random random) => alphabet[random.Next(alphabet.Length)];
}

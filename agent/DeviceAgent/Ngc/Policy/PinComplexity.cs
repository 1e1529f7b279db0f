using DeviceAgent.Protocol;
namespace DeviceAgent.Ngc.Policy;

/// <summary>
/// The PINComplexity nodes of one PassportForWork scope (./Device or ./User, one {TenantId}) as configured: null means
/// the node is not set. Ranges are the DDF's (docs/reference/passportforwork.md §1); an out-of-range value is refused when it is assigned.
/// </summary>
public sealed record PinComplexity
{
    /// <summary>The nothing-configured scope.</summary>
    public static PinComplexity Unconfigured { get; } = new();

    /// <summary>MinimumPINLength, range [4-127].</summary>
    public int? MinimumPINLength { get; init => field = CheckRange(value, PinPolicy.LowestLength, PinPolicy.HighestLength, nameof(MinimumPINLength)); }

    /// <summary>MaximumPINLength, range [4-127].</summary>
    public int? MaximumPINLength { get; init => field = CheckRange(value, PinPolicy.LowestLength, PinPolicy.HighestLength, nameof(MaximumPINLength)); }

    /// <summary>UppercaseLetters, ENUM 0,1,2.</summary>
    public PinCharacterRule? UppercaseLetters { get; init => field = CheckRule(value, nameof(UppercaseLetters)); }

    /// <summary>LowercaseLetters, ENUM 0,1,2.</summary>
    public PinCharacterRule? LowercaseLetters { get; init => field = CheckRule(value, nameof(LowercaseLetters)); }

    /// <summary>SpecialCharacters, ENUM 0,1,2.</summary>
    public PinCharacterRule? SpecialCharacters { get; init => field = CheckRule(value, nameof(SpecialCharacters)); }

    /// <summary>Digits, ENUM 0,1,2.</summary>
    public PinCharacterRule? Digits { get; init => field = CheckRule(value, nameof(Digits)); }

    /// <summary>History, range [0-50]: how many previous PINs (the current one included) cannot be reused.</summary>
    public int? History { get; init => field = CheckRange(value, 0, PinPolicy.HighestHistory, nameof(History)); }

    /// <summary>Expiration in days, range [0-730]; 0 = never.</summary>
    public int? Expiration { get; init => field = CheckRange(value, 0, PinPolicy.HighestExpirationDays, nameof(Expiration)); }

    /// <summary>The configured rule of one class, or null.</summary>
    public PinCharacterRule? RuleFor(PinCharacterClass characterClass) => characterClass switch
    {
        PinCharacterClass.Digit => Digits,
        PinCharacterClass.Uppercase => UppercaseLetters,
        PinCharacterClass.Lowercase => LowercaseLetters,
        PinCharacterClass.Special => SpecialCharacters,
        _ => throw new ArgumentOutOfRangeException(nameof(characterClass), characterClass, "Unknown PIN character class."),
    };

    private static int? CheckRange(int? value, int low, int high, string node) =>
        value is null || (value >= low && value <= high)
            ? value
            : throw new ArgumentOutOfRangeException(node, value, $"PINComplexity/{node} must be in [{low}-{high}] (DDF range, docs/reference/passportforwork.md §1).");

    private static PinCharacterRule? CheckRule(PinCharacterRule? value, string node) =>
        value is null || Enum.IsDefined(value.Value)
            ? value
            : throw new ArgumentOutOfRangeException(node, (int)value.Value, $"PINComplexity/{node} must be 0, 1 or 2 (DDF ENUM, docs/reference/passportforwork.md §1).");
}

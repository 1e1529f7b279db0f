using DeviceAgent.Protocol;

namespace MockMdm.PinReset;

/// <summary>
/// The complexity the PIN reset service generates PINs with, independent of any device policy: by default 6 characters
/// with at least one upper-case letter, lower-case letter, digit and special character (project brief; docs/pin-policy.md).
/// </summary>
public sealed record PinGenerationProfile
{
    /// <summary>The default profile.</summary>
    public static PinGenerationProfile Default { get; } = new();

    /// <summary>PIN length, 4-127 like any PIN.</summary>
    public int Length
    {
        get;
        init => field = value is >= PinCharacters.LowestLength and <= PinCharacters.HighestLength
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Length), value, $"PIN length must be in [{PinCharacters.LowestLength}-{PinCharacters.HighestLength}].");
    } = 6;

    /// <summary>Include at least one A-Z.</summary>
    public bool Uppercase { get; init; } = true;

    /// <summary>Include at least one a-z.</summary>
    public bool Lowercase { get; init; } = true;

    /// <summary>Include at least one digit.</summary>
    public bool Digits { get; init; } = true;

    /// <summary>Include at least one special character.</summary>
    public bool SpecialCharacters { get; init; } = true;

    /// <summary>The classes the profile includes, in a fixed order.</summary>
    public IReadOnlyList<PinCharacterClass> Classes =>
        new (bool On, PinCharacterClass Class)[]
        {
            (Uppercase, PinCharacterClass.Uppercase),
            (Lowercase, PinCharacterClass.Lowercase),
            (Digits, PinCharacterClass.Digit),
            (SpecialCharacters, PinCharacterClass.Special),
        }.Where(x => x.On).Select(x => x.Class).ToArray();

    /// <summary>Generates one PIN: each included class at least once, nothing else.</summary>
    /// <exception cref="InvalidOperationException">The profile includes no class, or more classes than characters.</exception>
    public string Generate(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var classes = Classes;
        if (classes.Count == 0 || classes.Count > Length)
        {
            throw new InvalidOperationException($"PIN generation profile needs 1 to {Length} character classes; it has {classes.Count}.");
        }

        return PinCharacters.Compose(Length, classes, classes, random);
    }
}

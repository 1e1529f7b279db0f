using DeviceAgent.Protocol;

namespace DeviceAgent.Ngc.Policy;

/// <summary>
/// The effective PIN policy the device enforces: PINComplexity of every scope merged and the unconfigured defaults
/// applied (docs/pin-policy.md). Build one with <see cref="Resolve(IEnumerable{PinComplexity}, PinPolicyMergeOptions?)"/>.
/// </summary>
public sealed record PinPolicy
{
    /// <summary>Lowest allowed value of MinimumPINLength and MaximumPINLength (docs/reference/passportforwork.md §3).</summary>
    public const int LowestLength = PinCharacters.LowestLength;

    /// <summary>Highest allowed value of MinimumPINLength and MaximumPINLength (docs/reference/passportforwork.md §3).</summary>
    public const int HighestLength = PinCharacters.HighestLength;

    /// <summary>Highest History value (docs/reference/passportforwork.md §1).</summary>
    public const int HighestHistory = 50;

    /// <summary>Highest Expiration value in days (docs/reference/passportforwork.md §1).</summary>
    public const int HighestExpirationDays = 730;

    /// <summary>What an unconfigured device enforces: 4-127 characters, digits required, other classes not allowed.</summary>
    public static PinPolicy Default { get; } = new();

    /// <summary>Fewest characters.</summary>
    public int MinimumLength { get; init; } = LowestLength;

    /// <summary>Most characters.</summary>
    public int MaximumLength { get; init; } = HighestLength;

    /// <summary>Rule for digits.</summary>
    public PinCharacterRule Digits { get; init; } = PinCharacterRule.Required;

    /// <summary>Rule for A-Z.</summary>
    public PinCharacterRule UppercaseLetters { get; init; } = PinCharacterRule.NotAllowed;

    /// <summary>Rule for a-z.</summary>
    public PinCharacterRule LowercaseLetters { get; init; } = PinCharacterRule.NotAllowed;

    /// <summary>Rule for special characters.</summary>
    public PinCharacterRule SpecialCharacters { get; init; } = PinCharacterRule.NotAllowed;

    /// <summary>Previous PINs (the current one included) that cannot be reused; 0 keeps no history.</summary>
    public int History { get; init; }

    /// <summary>Days a PIN stays valid; 0 = never expires.</summary>
    public int ExpirationDays { get; init; }

    /// <summary>The rule of one class.</summary>
    public PinCharacterRule RuleFor(PinCharacterClass characterClass) => characterClass switch
    {
        PinCharacterClass.Digit => Digits,
        PinCharacterClass.Uppercase => UppercaseLetters,
        PinCharacterClass.Lowercase => LowercaseLetters,
        PinCharacterClass.Special => SpecialCharacters,
        _ => throw new ArgumentOutOfRangeException(nameof(characterClass), characterClass, "Unknown PIN character class."),
    };

    /// <summary>The policy of a single scope.</summary>
    public static PinPolicy Resolve(PinComplexity scope) => Resolve([scope]);

    /// <summary>
    /// Merges the PINComplexity of every scope that applies to the user (device and user scope, every tenant) into the
    /// effective policy. Most restrictive wins (docs/reference/passportforwork.md §5; the exact rule is unpublished, docs/reference/open-questions.md item 8):
    /// the longest minimum, the shortest maximum, the longest history, the shortest non-zero expiration, and per class
    /// Required or NotAllowed over Allowed (a Required/NotAllowed conflict is settled by
    /// <see cref="PinPolicyMergeOptions.ClassConflict"/>). Unconfigured classes then take the documented behaviour
    /// (docs/reference/passportforwork.md §3, §4). docs/pin-policy.md spells out every step.
    /// </summary>
    public static PinPolicy Resolve(IEnumerable<PinComplexity> scopes, PinPolicyMergeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        options ??= PinPolicyMergeOptions.Default;
        int? minimum = null, maximum = null, history = null, expiration = null;
        var rules = new Dictionary<PinCharacterClass, PinCharacterRule?>
        {
            [PinCharacterClass.Digit] = null,
            [PinCharacterClass.Uppercase] = null,
            [PinCharacterClass.Lowercase] = null,
            [PinCharacterClass.Special] = null,
        };

        foreach (var scope in scopes)
        {
            ArgumentNullException.ThrowIfNull(scope, nameof(scopes));
            var (scopeMinimum, scopeMaximum) = LengthPair(scope);
            minimum = scopeMinimum is { } m ? Math.Max(minimum ?? m, m) : minimum;
            maximum = scopeMaximum is { } x ? Math.Min(maximum ?? x, x) : maximum;
            history = scope.History is { } h ? Math.Max(history ?? h, h) : history;
            expiration = scope.Expiration is { } e ? ShorterExpiration(expiration, e) : expiration;
            foreach (var characterClass in rules.Keys.ToArray())
            {
                rules[characterClass] = MergeRule(rules[characterClass], scope.RuleFor(characterClass), options.ClassConflict);
            }
        }

        var effectiveMinimum = minimum ?? LowestLength;
        // Two scopes may each hold a valid pair that together cross (device min 8, user max 6): the minimum is kept
        // so the merged policy is never weaker than any scope's minimum (docs/pin-policy.md).
        var effectiveMaximum = Math.Max(maximum ?? HighestLength, effectiveMinimum);
        var resolved = ResolveClasses(rules);
        return new PinPolicy
        {
            MinimumLength = effectiveMinimum,
            MaximumLength = effectiveMaximum,
            Digits = resolved[PinCharacterClass.Digit],
            UppercaseLetters = resolved[PinCharacterClass.Uppercase],
            LowercaseLetters = resolved[PinCharacterClass.Lowercase],
            SpecialCharacters = resolved[PinCharacterClass.Special],
            History = history ?? 0,
            ExpirationDays = expiration ?? 0,
        };
    }

    // docs/reference/passportforwork.md §3: min <= max is required within a scope; an invalid pair reverts both to the defaults 4 and 127.
    private static (int? Minimum, int? Maximum) LengthPair(PinComplexity scope)
    {
        var minimum = scope.MinimumPINLength;
        var maximum = scope.MaximumPINLength;
        if ((minimum ?? LowestLength) > (maximum ?? HighestLength))
        {
            return (LowestLength, HighestLength);
        }

        return (minimum, maximum);
    }

    private static int ShorterExpiration(int? current, int candidate) => (current, candidate) switch
    {
        (null, _) => candidate,
        (0, _) => candidate,
        (_, 0) => current.Value,
        _ => Math.Min(current.Value, candidate),
    };

    private static PinCharacterRule? MergeRule(PinCharacterRule? current, PinCharacterRule? candidate, PinClassConflict conflict)
    {
        if (current is null || current == candidate)
        {
            return candidate ?? current;
        }

        if (candidate is null or PinCharacterRule.Allowed)
        {
            return current;
        }

        if (current == PinCharacterRule.Allowed)
        {
            return candidate;
        }

        return conflict == PinClassConflict.RequiredWins ? PinCharacterRule.Required : PinCharacterRule.NotAllowed;
    }

    private static Dictionary<PinCharacterClass, PinCharacterRule> ResolveClasses(Dictionary<PinCharacterClass, PinCharacterRule?> configured)
    {
        var defaults = new Dictionary<PinCharacterClass, PinCharacterRule>
        {
            [PinCharacterClass.Digit] = PinCharacterRule.Required,
            [PinCharacterClass.Uppercase] = PinCharacterRule.NotAllowed,
            [PinCharacterClass.Lowercase] = PinCharacterRule.NotAllowed,
            [PinCharacterClass.Special] = PinCharacterRule.NotAllowed,
        };

        // docs/reference/passportforwork.md §3: unconfigured classes, and "every class allowed, none required", give the default behaviour.
        if (configured.Values.All(rule => rule is null or PinCharacterRule.Allowed))
        {
            return defaults;
        }

        var resolved = configured.ToDictionary(pair => pair.Key, pair => pair.Value ?? defaults[pair.Key]);

        // A policy that forbids every class would refuse every PIN; fall back to the default behaviour instead
        // (docs/pin-policy.md: no source describes this case).
        return resolved.Values.All(rule => rule == PinCharacterRule.NotAllowed) ? defaults : resolved;
    }
}

/// <summary>How a class that one scope requires and another forbids is merged.</summary>
public enum PinClassConflict
{
    /// <summary>Required wins: the merged policy asks for the stronger PIN (the default).</summary>
    RequiredWins,

    /// <summary>NotAllowed wins.</summary>
    NotAllowedWins,
}

/// <summary>Choices for <see cref="PinPolicy.Resolve(IEnumerable{PinComplexity}, PinPolicyMergeOptions?)"/> where no source states the rule.</summary>
public sealed record PinPolicyMergeOptions
{
    /// <summary>The documented defaults.</summary>
    public static PinPolicyMergeOptions Default { get; } = new();

    /// <summary>How a Required/NotAllowed conflict between scopes is settled.</summary>
    public PinClassConflict ClassConflict { get; init; } = PinClassConflict.RequiredWins;
}

/// <summary>Where an NGC provider reads the effective PIN policy of a user when it sets or checks a PIN.</summary>
public interface IPinPolicySource
{
    /// <summary>The policy in force for <paramref name="userId"/> now (the PassportForWork CSP merges its scopes into it).</summary>
    PinPolicy GetPolicy(string userId);
}

/// <summary>A policy source holding one policy for every user; settable, for tests and simple devices.</summary>
public sealed class FixedPinPolicySource(PinPolicy policy) : IPinPolicySource
{
    /// <summary>A source with the unconfigured default policy.</summary>
    public FixedPinPolicySource()
        : this(PinPolicy.Default)
    {
    }

    /// <summary>The policy returned for every user.</summary>
    public PinPolicy Policy { get; set; } = policy ?? throw new ArgumentNullException(nameof(policy));

    /// <inheritdoc/>
    public PinPolicy GetPolicy(string userId) => Policy;
}

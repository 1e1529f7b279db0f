using DeviceAgent.Protocol;

namespace DeviceAgent.Ngc.Policy;

/// <summary>
/// Generates the PIN the device sets itself on RemoteLock/LockAndResetPIN: one that satisfies the merged policy
/// (docs/reference/remotelock.md, NewPINValue). All randomness comes from the seeded <see cref="Random"/> passed in, so a fleet with
/// the same seed gets the same PINs.
/// </summary>
public static class PinGenerator
{
    /// <summary>Length used when the policy allows it; Windows' own choice is undocumented (docs/pin-policy.md).</summary>
    public const int DefaultPreferredLength = 6;

    /// <summary>
    /// A PIN of <paramref name="preferredLength"/> clamped to the policy's [minimum, maximum], with one character of each
    /// required class and the rest drawn from every class the policy does not forbid.
    /// </summary>
    public static string Generate(PinPolicy policy, Random random, int preferredLength = DefaultPreferredLength)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(random);
        var length = Math.Clamp(preferredLength, policy.MinimumLength, policy.MaximumLength);
        var classes = Enum.GetValues<PinCharacterClass>();
        var required = classes.Where(c => policy.RuleFor(c) == PinCharacterRule.Required).ToArray();
        var usable = classes.Where(c => policy.RuleFor(c) != PinCharacterRule.NotAllowed).ToArray();
        return PinCharacters.Compose(length, required, usable, random);
    }
}

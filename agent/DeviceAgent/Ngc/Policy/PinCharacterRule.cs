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

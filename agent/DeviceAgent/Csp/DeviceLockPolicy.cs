using System.Globalization;
using DeviceAgent.Dm;
using DeviceAgent.Ngc.Policy;

namespace DeviceAgent.Csp;

/// <summary>Choices for reading the Policy CSP DeviceLock area into the PIN policy (docs/pin-policy.md "DeviceLock").</summary>
public sealed record DeviceLockPolicyOptions
{
    /// <summary>The documented behaviour (the gate on).</summary>
    public static DeviceLockPolicyOptions Default { get; } = new();

    /// <summary>
    /// True (the default): the length and complexity settings act only while DevicePasswordEnabled is 0 (enabled), as
    /// the DeviceLock DDF says of AlphanumericDevicePasswordRequired and the Policy CSP DeviceLock page of the whole
    /// group; its DDF default is 1 (disabled). False: they act whatever DevicePasswordEnabled holds.
    /// </summary>
    public bool RequireDevicePasswordEnabled { get; init; } = true;
}

/// <summary>
/// Reads ./Device/Vendor/MSFT/Policy/Config/DeviceLock as one more PINComplexity scope of the merged PIN policy
/// (RemoteLock CSP page: the PIN LockAndResetPIN generates satisfies the merged EAS, MDM DeviceLock and PassportForWork
/// policies). The mapping is in docs/pin-policy.md "DeviceLock".
/// </summary>
public static class DeviceLockPolicy
{
    /// <summary>The DeviceLock area of the Policy CSP, device scope.</summary>
    public const string Root = "./Device/Vendor/MSFT/Policy/Config/DeviceLock";

    /// <summary>DevicePasswordEnabled = 0 means the device password is enabled (DeviceLock DDF ENUM).</summary>
    private const int PasswordEnabled = 0;

    /// <summary>AlphanumericDevicePasswordRequired: 0 alphanumeric, 1 numeric, 2 the user chooses (DeviceLock DDF ENUM).</summary>
    private const int Alphanumeric = 0;

    private const int Numeric = 1;

    /// <summary>
    /// The DeviceLock settings as a PINComplexity scope (<see cref="PinComplexity.Unconfigured"/> when none acts). A
    /// stored value outside its range counts as unset (the executor checks the DDF range before storing).
    /// </summary>
    public static PinComplexity PinComplexityScope(DmTree tree, DeviceLockPolicyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(tree);
        options ??= DeviceLockPolicyOptions.Default;
        return tree.Read(t =>
        {
            if (t.Find(Root) is not { } area)
            {
                return PinComplexity.Unconfigured;
            }

            var scope = PinComplexity.Unconfigured;
            // History and expiry are not in the group the Policy CSP page ties to DevicePasswordEnabled.
            scope = With(scope, () => scope with { History = Int(area, "DevicePasswordHistory") });
            scope = With(scope, () => scope with { Expiration = Int(area, "DevicePasswordExpiration") });
            if (options.RequireDevicePasswordEnabled && Int(area, "DevicePasswordEnabled") != PasswordEnabled)
            {
                return scope;
            }

            scope = With(scope, () => scope with { MinimumPINLength = Int(area, "MinDevicePasswordLength") });
            switch (Int(area, "AlphanumericDevicePasswordRequired"))
            {
                case Numeric:
                    // "Password or Numeric PIN required": digits only.
                    scope = scope with
                    {
                        Digits = PinCharacterRule.Required,
                        UppercaseLetters = PinCharacterRule.NotAllowed,
                        LowercaseLetters = PinCharacterRule.NotAllowed,
                        SpecialCharacters = PinCharacterRule.NotAllowed,
                    };
                    break;
                case Alphanumeric:
                    // MinDevicePasswordComplexCharacters (DDF ENUM, default 1): 1 digits, 2 + lowercase, 3 + uppercase,
                    // 4 + special are required; the classes it does not require are allowed.
                    var complex = Int(area, "MinDevicePasswordComplexCharacters") is { } c and >= 1 and <= 4 ? c : 1;
                    scope = scope with
                    {
                        Digits = PinCharacterRule.Required,
                        LowercaseLetters = complex >= 2 ? PinCharacterRule.Required : PinCharacterRule.Allowed,
                        UppercaseLetters = complex >= 3 ? PinCharacterRule.Required : PinCharacterRule.Allowed,
                        SpecialCharacters = complex >= 4 ? PinCharacterRule.Required : PinCharacterRule.Allowed,
                    };
                    break;
            }

            return scope;
        });
    }

    private static PinComplexity With(PinComplexity scope, Func<PinComplexity> update)
    {
        try
        {
            return update();
        }
        catch (ArgumentOutOfRangeException)
        {
            return scope;
        }
    }

    private static int? Int(DmNode area, string leaf) =>
        area.FindChild(leaf)?.Value is { } text && int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
}

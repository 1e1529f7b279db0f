using DeviceAgent.Ngc.Policy;

namespace DeviceAgent.Emulator.Devices;

/// <summary>
/// The device's effective PIN policy: its local PINComplexity merged with scopes management delivered (PassportForWork
/// PINComplexity under ./Device and ./User). The merge is the NGC policy's own (PinPolicy.Resolve, docs/pin-policy.md).
/// </summary>
public sealed class DevicePinPolicySource(PinComplexity local) : IPinPolicySource
{
    private readonly Lock _gate = new();
    private Func<string, IEnumerable<PinComplexity>>? _managed;

    public PinComplexity Local { get; } = local;

    /// <summary>Supplies the scopes management delivered for a user (set by the PassportForWork CSP glue).</summary>
    public void UseManagedScopes(Func<string, IEnumerable<PinComplexity>> managed)
    {
        lock (_gate)
        {
            _managed = managed;
        }
    }

    public PinPolicy GetPolicy(string userId)
    {
        Func<string, IEnumerable<PinComplexity>>? managed;
        lock (_gate)
        {
            managed = _managed;
        }

        return PinPolicy.Resolve(managed is null ? [Local] : [Local, .. managed(userId)]);
    }
}

using DeviceAgent.Protocol;

namespace DeviceAgent.PinReset;

/// <summary>
/// What a device asks of the Microsoft PIN reset service (docs/reference/pin-reset.md §3): its public key, the release of a
/// recovery protector, and a new PIN. The service itself is the mock cloud side (MockMdm.PinReset); a host that runs
/// both in one process connects them with an adapter (docs/pin-reset.md).
/// </summary>
public interface IPinResetServiceClient
{
    /// <summary>The service's RSA public key (DER SubjectPublicKeyInfo) that devices encrypt recovery protectors to (docs/reference/pin-reset.md §3 step 2).</summary>
    byte[] GetPublicKey();

    /// <summary>
    /// Asks the service to decrypt the device's recovery protector (docs/reference/pin-reset.md §3 step 3) for <paramref name="tenantId"/>;
    /// the answer names why not when it refuses.
    /// </summary>
    PinRecoveryResult RecoverProtector(string tenantId, byte[] encryptedProtector);

    /// <summary>A PIN with the service's own fixed complexity, drawn from <paramref name="random"/>.</summary>
    string GeneratePin(Random random);
}

using DeviceAgent.PinReset;
using DeviceAgent.Protocol;
using MockMdm.PinReset;

namespace DeviceAgent.Emulator.Devices;

/// <summary>
/// Lets an emulated device call a PIN reset service hosted in the same process: the device's client view
/// (<see cref="IPinResetServiceClient"/>) over the mock cloud side's service (<see cref="IPinResetService"/>). The
/// emulator is the one place that references both sides (docs/emulator.md "PIN reset service").
/// </summary>
public sealed class InProcessPinResetServiceClient(IPinResetService service) : IPinResetServiceClient
{
    private readonly IPinResetService _service = service ?? throw new ArgumentNullException(nameof(service));

    /// <inheritdoc/>
    public byte[] GetPublicKey() => _service.GetPublicKey();

    /// <inheritdoc/>
    public PinRecoveryResult RecoverProtector(string tenantId, byte[] encryptedProtector) =>
        _service.RecoverProtector(tenantId, encryptedProtector);

    /// <inheritdoc/>
    public string GeneratePin(Random random) => _service.GeneratePin(random);
}

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

    // The service is in-process, so its answers are ready at once; a cancelled token still wins (docs/pin-reset.md).

    /// <inheritdoc/>
    public ValueTask<byte[]> GetPublicKeyAsync(CancellationToken cancellationToken = default) =>
        cancellationToken.IsCancellationRequested ? ValueTask.FromCanceled<byte[]>(cancellationToken) : new(_service.GetPublicKey());

    /// <inheritdoc/>
    public ValueTask<PinRecoveryResult> RecoverProtectorAsync(string tenantId, byte[] encryptedProtector, CancellationToken cancellationToken = default) =>
        cancellationToken.IsCancellationRequested
            ? ValueTask.FromCanceled<PinRecoveryResult>(cancellationToken)
            : new(_service.RecoverProtector(tenantId, encryptedProtector));

    /// <inheritdoc/>
    public ValueTask<string> GeneratePinAsync(Random random, CancellationToken cancellationToken = default) =>
        cancellationToken.IsCancellationRequested ? ValueTask.FromCanceled<string>(cancellationToken) : new(_service.GeneratePin(random));
}

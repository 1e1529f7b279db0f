using DeviceAgent.PinReset;
using DeviceAgent.Protocol;
using MockMdm.PinReset;

namespace DeviceAgent.Tests.Ngc;

/// <summary>One service (one RSA key generation) for every test; tests keep apart by using fresh tenant IDs.</summary>
public static class SharedPinResetService
{
    private static readonly Lazy<PinResetService> s_lazy = new(() => new PinResetService());

    /// <summary>The shared service (the mock cloud side: consent, key, release).</summary>
    public static PinResetService Instance => s_lazy.Value;

    /// <summary>The shared service as a device calls it.</summary>
    public static IPinResetServiceClient Client { get; } = new InProcessClient();

    /// <summary>A new tenant that consented both applications.</summary>
    public static string ConsentedTenant()
    {
        var tenant = Guid.NewGuid().ToString("D");
        Instance.SetConsent(tenant, PinResetApplication.Service, true);
        Instance.SetConsent(tenant, PinResetApplication.Client, true);
        return tenant;
    }

    // The agent's tests do not reference the emulator, whose InProcessPinResetServiceClient does the same for devices.
    private sealed class InProcessClient : IPinResetServiceClient
    {
        public ValueTask<byte[]> GetPublicKeyAsync(CancellationToken cancellationToken = default) =>
            cancellationToken.IsCancellationRequested ? ValueTask.FromCanceled<byte[]>(cancellationToken) : new(Instance.GetPublicKey());

        public ValueTask<PinRecoveryResult> RecoverProtectorAsync(string tenantId, byte[] encryptedProtector, CancellationToken cancellationToken = default) =>
            cancellationToken.IsCancellationRequested
                ? ValueTask.FromCanceled<PinRecoveryResult>(cancellationToken)
                : new(Instance.RecoverProtector(tenantId, encryptedProtector));

        public ValueTask<string> GeneratePinAsync(Random random, CancellationToken cancellationToken = default) =>
            cancellationToken.IsCancellationRequested ? ValueTask.FromCanceled<string>(cancellationToken) : new(Instance.GeneratePin(random));
    }
}

using DeviceAgent.Csp;
using DeviceAgent.Ngc;
using DeviceAgent.PinReset;
using DeviceAgent.Protocol;
using DeviceAgent.SyncML;
using DeviceAgent.Tests.Ngc;
using static DeviceAgent.Tests.Csp.HelloTestDevice;

namespace DeviceAgent.Tests.Csp;

/// <summary>
/// A PIN reset service the phone cannot reach over the network (docs/pin-reset.md "Wire"): EnablePinRecovery fails with
/// RecoveryFailureStatus, LockAndRecoverPIN with PinResetServiceRefusedStatus and an event-log line saying why; the PIN
/// is unchanged. The statuses are configured to 403 so the answer is the CSP's, not the executor's generic 500.
/// </summary>
public sealed class PinResetServiceUnavailableTests
{
    private const string LockAndRecoverPin = "./Vendor/MSFT/RemoteLock/LockAndRecoverPIN";

    [Test]
    public async Task EnablePinRecoveryWithoutTheServicesKeyIsTheRecoveryFailureStatus()
    {
        var device = await CreateAsync(passportForWork: new PassportForWorkOptions { RecoveryFailureStatus = StatusCodes.Forbidden },
            pinResetService: new FailingClient(failKey: true));
        var tenant = SharedPinResetService.ConsentedTenant();

        var answers = await device.SendAsync(Command<Add>("1", DevicePolicies(tenant) + "/EnablePinRecovery", "true", "bool"));

        Assert.That(answers.StatusOf("1"), Is.EqualTo(StatusCodes.Forbidden));
    }

    [Test]
    public async Task LockAndRecoverPinWithTheServiceDownIsRefusedWithTheReasonLoggedAndThePinKept()
    {
        var device = await CreateAsync(remoteLock: new RemoteLockOptions { PinResetServiceRefusedStatus = StatusCodes.Forbidden },
            pinResetService: new FailingClient(failKey: false));
        var tenant = SharedPinResetService.ConsentedTenant();
        await device.SetAsync(DevicePolicies(tenant) + "/EnablePinRecovery", "true", "bool");

        var answers = await device.SendAsync(Command<Exec>("2", LockAndRecoverPin));

        Assert.That(answers.StatusOf("2"), Is.EqualTo(StatusCodes.Forbidden));
        var logged = device.Hello.EventLog.Query(NgcOperation.RecoverPin)[^1];
        Assert.That(logged.Outcome, Is.EqualTo(NgcOutcome.NotSupported));
        Assert.That(logged.Detail, Is.EqualTo($"tenant={tenant} pinreset=Unavailable (PIN reset service http://pinreset.test/: connection refused)"));
        Assert.That((await device.Hello.Ngc.VerifyPinAsync(User, device.Hello.InitialPin!)).Outcome, Is.EqualTo(NgcOutcome.Success));
    }

    /// <summary>The shared service's key, then a network failure on every other call (or on the key too).</summary>
    private sealed class FailingClient(bool failKey) : IPinResetServiceClient
    {
        private static PinResetServiceUnavailableException Down() => new("PIN reset service http://pinreset.test/: connection refused");

        public ValueTask<byte[]> GetPublicKeyAsync(CancellationToken cancellationToken = default) =>
            failKey ? throw Down() : SharedPinResetService.Client.GetPublicKeyAsync(cancellationToken);

        public ValueTask<PinRecoveryResult> RecoverProtectorAsync(string tenantId, byte[] encryptedProtector, CancellationToken cancellationToken = default) => throw Down();

        public ValueTask<string> GeneratePinAsync(Random random, CancellationToken cancellationToken = default) => throw Down();
    }
}

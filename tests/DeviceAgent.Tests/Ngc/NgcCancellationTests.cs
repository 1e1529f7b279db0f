using DeviceAgent.Csp;
using DeviceAgent.Ngc;
using DeviceAgent.Ngc.Software;
using DeviceAgent.PinReset;
using DeviceAgent.Protocol;
using DeviceAgent.SyncML;
using DeviceAgent.Tests.Csp;

namespace DeviceAgent.Tests.Ngc;

/// <summary>A cancelled NGC or PIN reset service call stops and changes nothing (docs/ngc.md "Cancellation").</summary>
public sealed class NgcCancellationTests
{
    private const string User = "alice@contoso.com";
    private static readonly CancellationToken s_cancelled = new(canceled: true);

    [Test]
    public async Task A_cancelled_call_changes_nothing_and_is_not_logged()
    {
        var log = new NgcEventLog();
        var storage = new LoggingNgcKeyStorage(new SoftwareNgcKeyStorage(new SoftwareNgcOptions { Pbkdf2Iterations = 1 }), log);

        Assert.That(async () => await storage.CreateContainerAsync(User, "1234", s_cancelled), Throws.InstanceOf<OperationCanceledException>());
        Assert.That((await storage.GetContainerInfoAsync(User)).Outcome, Is.EqualTo(NgcOutcome.NoContainer));

        await storage.CreateContainerAsync(User, "1234");
        Assert.That(async () => await storage.VerifyPinAsync(User, "9999", s_cancelled), Throws.InstanceOf<OperationCanceledException>());
        await Assert.MultipleAsync(async () =>
        {
            Assert.That((await storage.GetContainerInfoAsync(User)).Required.FailedAttempts, Is.Zero, "a cancelled attempt was counted");
            Assert.That(log.Query(operation: NgcOperation.VerifyPin), Is.Empty);
        });
    }

    [Test]
    public void The_in_process_service_honours_a_cancelled_token()
    {
        IPinResetServiceClient client = SharedPinResetService.Client;

        Assert.That(async () => await client.GetPublicKeyAsync(s_cancelled), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(async () => await client.RecoverProtectorAsync(SharedPinResetService.ConsentedTenant(), new byte[300], s_cancelled),
            Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Cancelling_LockAndRecoverPIN_while_the_service_answers_keeps_the_old_pin_and_keys(CancellationToken cancellationToken)
    {
        var service = new SlowService(SharedPinResetService.Client);
        var device = await HelloTestDevice.CreateAsync(pinResetService: service);
        var tenant = SharedPinResetService.ConsentedTenant();
        await RemoteLockCspTests.AllowServicePinsAsync(device, tenant, minimumLength: 6);
        await device.SetAsync(HelloTestDevice.DevicePolicies(tenant) + "/EnablePinRecovery", "true", "bool");
        var user = device.Tree.SignedInUser!;
        var key = (await device.Hello.Ngc.OpenKeyAsync(user, WindowsHello.LoginKeyName, cancellationToken)).Required.PublicKey;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        var run = device.Executor.ExecuteAsync([HelloTestDevice.Command<Exec>("1", "./Vendor/MSFT/RemoteLock/LockAndRecoverPIN")], "1", cts.Token).AsTask();
        await service.Called.Task.WaitAsync(cancellationToken);
        await cts.CancelAsync();

        Assert.That(async () => await run, Throws.InstanceOf<OperationCanceledException>());
        await Assert.MultipleAsync(async () =>
        {
            Assert.That((await device.Hello.Ngc.VerifyPinAsync(user, device.Hello.InitialPin!, cancellationToken)).Outcome, Is.EqualTo(NgcOutcome.Success));
            Assert.That((await device.Hello.Ngc.OpenKeyAsync(user, WindowsHello.LoginKeyName, cancellationToken)).Required.PublicKey, Is.EqualTo(key));
        });

        // NewPINValue holds nothing: the reset never happened.
        var answers = await device.SendAsync(HelloTestDevice.Command<Get>("2", "./Vendor/MSFT/RemoteLock/NewPINValue"));
        Assert.That(answers.ResultsOf("2")!.Items.Single().Data?.Value ?? "", Is.Empty);
    }

    /// <summary>The shared service behind a network that does not answer RecoverProtector until cancelled.</summary>
    private sealed class SlowService(IPinResetServiceClient inner) : IPinResetServiceClient
    {
        public TaskCompletionSource Called { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ValueTask<byte[]> GetPublicKeyAsync(CancellationToken cancellationToken = default) => inner.GetPublicKeyAsync(cancellationToken);

        public async ValueTask<PinRecoveryResult> RecoverProtectorAsync(string tenantId, byte[] encryptedProtector, CancellationToken cancellationToken = default)
        {
            Called.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return await inner.RecoverProtectorAsync(tenantId, encryptedProtector, cancellationToken);
        }

        public ValueTask<string> GeneratePinAsync(Random random, CancellationToken cancellationToken = default) => inner.GeneratePinAsync(random, cancellationToken);
    }
}

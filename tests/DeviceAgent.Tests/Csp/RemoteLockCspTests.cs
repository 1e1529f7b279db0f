using DeviceAgent.Csp;
using DeviceAgent.Ngc;
using DeviceAgent.Ngc.Policy;
using DeviceAgent.SyncML;
using DeviceAgent.Tests.Ngc;
using static DeviceAgent.Tests.Csp.HelloTestDevice;

namespace DeviceAgent.Tests.Csp;

public sealed class RemoteLockCspTests
{
    private const string Lock = "./Vendor/MSFT/RemoteLock/Lock";
    private const string LockAndResetPin = "./Vendor/MSFT/RemoteLock/LockAndResetPIN";
    private const string LockAndRecoverPin = "./Vendor/MSFT/RemoteLock/LockAndRecoverPIN";
    private const string NewPinValue = "./Vendor/MSFT/RemoteLock/NewPINValue";

    private static Sequence ExecThenTwoGets(string action)
    {
        var sequence = new Sequence { CmdID = "1" };
        sequence.Commands.Add(Command<Exec>("2", action));
        sequence.Commands.Add(Command<Get>("3", NewPinValue));
        sequence.Commands.Add(Command<Get>("4", NewPinValue));
        return sequence;
    }

    private static string? DataOf(Results? results) => results?.Items.Single().Data?.Value;

    [Test]
    public async Task LockLocksTheContainerOfTheSignedInUser()
    {
        var device = await CreateAsync();
        var executed = new List<(RemoteLockAction, string)>();
        device.Hello.RemoteLock.Executed += (action, user) => executed.Add((action, user));

        var answers = (await device.SendAsync(Command<Exec>("1", Lock)));

        Assert.That(answers.StatusOf("1"), Is.EqualTo(200));
        Assert.That(executed, Is.EqualTo(new[] { (RemoteLockAction.Lock, User) }));
        Assert.That(device.Hello.EventLog.Events[^1].ToString(), Does.Contain(" Lock Success user=" + User));
        // Locked: a recovery protector now waits for the next PIN use (docs/ngc.md).
        Assert.That((await device.Hello.Ngc.EnablePinRecoveryAsync(User, Guid.NewGuid().ToString("D"), SharedPinResetService.Instance.GetPublicKey())).Outcome,
            Is.EqualTo(NgcOutcome.RecoveryPending));
    }

    [Test]
    public async Task LockWithoutAPinIs405()
    {
        var device = await CreateAsync();
        await device.Hello.Ngc.DeleteContainerAsync(User);

        var answers = (await device.SendAsync(Command<Exec>("1", Lock)));

        Assert.That(answers.StatusOf("1"), Is.EqualTo(StatusCodes.CommandNotAllowed));
    }

    [Test]
    public async Task LockAndResetPinWithoutAPinSetsTheNewPinAnd200()
    {
        var device = await CreateAsync();
        await device.Hello.Ngc.DeleteContainerAsync(User);

        // RemoteLock CSP page: LockAndResetPIN is for a device that may or may not have a PIN, statuses 200 or 500.
        var answers = (await device.SendAsync(ExecThenTwoGets(LockAndResetPin)));

        Assert.That(answers.StatusOf("2"), Is.EqualTo(StatusCodes.Ok));
        var pin = DataOf(answers.ResultsOf("3"))!;
        Assert.That((await device.Hello.Ngc.VerifyPinAsync(User, pin)).Outcome, Is.EqualTo(NgcOutcome.Success));
    }

    [Test]
    public async Task LockAndResetPinWithoutAPinCanBeConfiguredTo500()
    {
        var device = await CreateAsync(remoteLock: new RemoteLockOptions { ResetWithoutPin = ResetWithoutPin.Fail });
        await device.Hello.Ngc.DeleteContainerAsync(User);

        var answers = (await device.SendAsync(ExecThenTwoGets(LockAndResetPin)));

        Assert.That(answers.StatusOf("2"), Is.EqualTo(StatusCodes.CommandFailed));
        Assert.That(DataOf(answers.ResultsOf("3")), Is.Empty);
        Assert.That((await device.Hello.Ngc.GetContainerInfoAsync(User)).Outcome, Is.EqualTo(NgcOutcome.NoContainer));
    }

    [Test]
    public async Task LockAndResetPinWithNobodySignedInIs500()
    {
        var device = await CreateAsync();
        device.Tree.SignOut();

        var answers = (await device.SendAsync(Command<Exec>("1", LockAndResetPin)));

        Assert.That(answers.StatusOf("1"), Is.EqualTo(StatusCodes.CommandFailed));
    }

    [Test]
    public async Task LockWithNobodySignedInIs405()
    {
        var device = await CreateAsync();
        device.Tree.SignOut();

        var answers = (await device.SendAsync(Command<Exec>("1", Lock)));

        Assert.That(answers.StatusOf("1"), Is.EqualTo(StatusCodes.CommandNotAllowed));
    }

    [Test]
    public async Task LockAndResetPinAnswersThePinOnceDeletesTheKeysAndTheNewPinUnlocks()
    {
        var device = await CreateAsync();
        var oldPin = device.Hello.InitialPin!;

        var answers = (await device.SendAsync(ExecThenTwoGets(LockAndResetPin)));

        Assert.That(answers.OfType<Status>().Select(s => (s.CmdRef, s.Data)),
            Is.EqualTo(new[] { ("1", "200"), ("2", "200"), ("3", "200"), ("4", "200") }));
        var pin = DataOf(answers.ResultsOf("3"));
        Assert.That(pin, Is.Not.Null.And.Not.Empty);
        Assert.That(PinValidator.Validate(pin!, device.Hello.PolicySource.GetPolicy(User)), Is.EqualTo(NgcOutcome.Success));
        Assert.That(DataOf(answers.ResultsOf("4")), Is.Empty);
        Assert.That(answers.ResultsOf("4")!.Items.Single().Meta!.Format, Is.EqualTo("chr"));
        Assert.That((await device.Hello.Ngc.OpenKeyAsync(User, WindowsHello.LoginKeyName)).Outcome, Is.EqualTo(NgcOutcome.KeyNotFound));
        Assert.That((await device.Hello.Ngc.VerifyPinAsync(User, oldPin)).Outcome, Is.EqualTo(NgcOutcome.IncorrectPin));
        Assert.That((await device.Hello.Ngc.VerifyPinAsync(User, pin!)).Outcome, Is.EqualTo(NgcOutcome.Success));
    }

    [Test]
    public async Task NewPinValueIsEmptyInTheNextMessage()
    {
        var device = await CreateAsync();
        await device.SendAsync(Command<Exec>("1", LockAndResetPin));

        var answers = (await device.SendAsync(Command<Get>("2", NewPinValue)));

        Assert.That(answers.StatusOf("2"), Is.EqualTo(200));
        Assert.That(DataOf(answers.ResultsOf("2")), Is.Empty);
    }

    [Test]
    public async Task NewPinValueBeforeAnyResetIsEmptyOrNotFoundAsConfigured()
    {
        var empty = await CreateAsync();
        var notFound = await CreateAsync(remoteLock: new RemoteLockOptions { NullNewPinValue = NewPinValueNullForm.NotFound });

        var emptyAnswers = (await empty.SendAsync(Command<Get>("1", NewPinValue)));
        var notFoundAnswers = (await notFound.SendAsync(Command<Get>("1", NewPinValue)));

        Assert.That(emptyAnswers.StatusOf("1"), Is.EqualTo(200));
        Assert.That(DataOf(emptyAnswers.ResultsOf("1")), Is.Empty);
        Assert.That(notFoundAnswers.StatusOf("1"), Is.EqualTo(StatusCodes.NotFound));
        Assert.That(notFoundAnswers.ResultsOf("1"), Is.Null);
    }

    [Test]
    public async Task ResetPinMeetsAStricterPolicy()
    {
        var device = await CreateAsync();
        var tenant = Guid.NewGuid().ToString("D");
        await device.SetAsync(DevicePolicies(tenant) + "/PINComplexity/MinimumPINLength", "9", "int");
        await device.SetAsync(DevicePolicies(tenant) + "/PINComplexity/UppercaseLetters", "1", "int");
        await device.SetAsync(DevicePolicies(tenant) + "/PINComplexity/SpecialCharacters", "1", "int");

        var answers = (await device.SendAsync(ExecThenTwoGets(LockAndResetPin)));

        var pin = DataOf(answers.ResultsOf("3"))!;
        Assert.That(pin, Has.Length.GreaterThanOrEqualTo(9));
        Assert.That(pin, Does.Match("[A-Z]").And.Match("[0-9]").And.Match(@"[^A-Za-z0-9]"));
    }

    private const string DeviceLock = "./Device/Vendor/MSFT/Policy/Config/DeviceLock/";

    [Test]
    public async Task ResetPinMeetsTheDeviceLockMinimumLength()
    {
        var device = await CreateAsync();
        await device.SendReplaceAsync(DeviceLock + "DevicePasswordEnabled", "0");
        await device.SendReplaceAsync(DeviceLock + "MinDevicePasswordLength", "9");

        var answers = (await device.SendAsync(ExecThenTwoGets(LockAndResetPin)));

        Assert.That(DataOf(answers.ResultsOf("3")), Does.Match("^[0-9]{9}$"));
    }

    [Test]
    public async Task ResetPinMeetsTheDeviceLockAlphanumericComplexity()
    {
        var device = await CreateAsync();
        await device.SendReplaceAsync(DeviceLock + "DevicePasswordEnabled", "0");
        await device.SendReplaceAsync(DeviceLock + "AlphanumericDevicePasswordRequired", "0");
        await device.SendReplaceAsync(DeviceLock + "MinDevicePasswordComplexCharacters", "3");

        var answers = (await device.SendAsync(ExecThenTwoGets(LockAndResetPin)));

        Assert.That(DataOf(answers.ResultsOf("3")), Does.Match("[0-9]").And.Match("[a-z]").And.Match("[A-Z]"));
    }

    [Test]
    public async Task DeviceLockLengthActsOnlyWhileTheDevicePasswordIsEnabledUnlessConfiguredOtherwise()
    {
        var gated = await CreateAsync();
        await gated.SendReplaceAsync(DeviceLock + "MinDevicePasswordLength", "9");
        var ungated = await CreateAsync(deviceLock: new DeviceLockPolicyOptions { RequireDevicePasswordEnabled = false });
        await ungated.SendReplaceAsync(DeviceLock + "MinDevicePasswordLength", "9");

        // DevicePasswordEnabled is unset, its DDF default 1 (disabled).
        Assert.That(gated.Hello.PolicySource.GetPolicy(User).MinimumLength, Is.EqualTo(PinPolicy.LowestLength));
        Assert.That(ungated.Hello.PolicySource.GetPolicy(User).MinimumLength, Is.EqualTo(9));
    }

    [Test]
    public async Task DeviceLockAndPassportForWorkMergeMostRestrictive()
    {
        var device = await CreateAsync();
        var tenant = Guid.NewGuid().ToString("D");
        await device.SendReplaceAsync(DeviceLock + "DevicePasswordEnabled", "0");
        await device.SendReplaceAsync(DeviceLock + "MinDevicePasswordLength", "7");
        await device.SetAsync(DevicePolicies(tenant) + "/PINComplexity/MinimumPINLength", "5", "int");
        await device.SetAsync(DevicePolicies(tenant) + "/PINComplexity/MaximumPINLength", "8", "int");

        var policy = device.Hello.PolicySource.GetPolicy(User);

        Assert.That((policy.MinimumLength, policy.MaximumLength), Is.EqualTo((7, 8)));
    }

    [Test]
    public async Task LockAndRecoverPinKeepsTheKeysWhenEverythingIsInPlace()
    {
        var device = await CreateAsync();
        var tenant = SharedPinResetService.ConsentedTenant();
        await AllowServicePinsAsync(device, tenant, minimumLength: 6);
        await device.SetAsync(DevicePolicies(tenant) + "/EnablePinRecovery", "true", "bool");
        var key = (await device.Hello.Ngc.OpenKeyAsync(User, WindowsHello.LoginKeyName)).Required.PublicKey;

        var answers = (await device.SendAsync(ExecThenTwoGets(LockAndRecoverPin)));

        Assert.That(answers.StatusOf("2"), Is.EqualTo(200));
        var pin = DataOf(answers.ResultsOf("3"))!;
        Assert.That(pin, Has.Length.EqualTo(6));
        Assert.That((await device.Hello.Ngc.OpenKeyAsync(User, WindowsHello.LoginKeyName)).Required.PublicKey, Is.EqualTo(key));
        Assert.That((await device.Hello.Ngc.VerifyPinAsync(User, pin)).Outcome, Is.EqualTo(NgcOutcome.Success));
        Assert.That(device.Hello.EventLog.Query(NgcOperation.RecoverPin)[^1].Outcome, Is.EqualTo(NgcOutcome.Success));
    }

    [Test]
    public async Task LockAndRecoverPinRefusesAServicePinThatBreaksTheDevicePolicy()
    {
        var device = await CreateAsync(remoteLock: new RemoteLockOptions { ServicePinRefusedStatus = StatusCodes.Forbidden });
        var tenant = SharedPinResetService.ConsentedTenant();
        await device.SetAsync(DevicePolicies(tenant) + "/EnablePinRecovery", "true", "bool");

        // The default policy forbids letters and special characters (docs/reference/passportforwork.md §3); the service's PIN has them.
        var answers = (await device.SendAsync(ExecThenTwoGets(LockAndRecoverPin)));

        Assert.That(answers.StatusOf("2"), Is.EqualTo(StatusCodes.Forbidden));
        Assert.That(DataOf(answers.ResultsOf("3")), Is.Empty);
        Assert.That(device.Hello.EventLog.Query(NgcOperation.RecoverPin)[^1].Outcome, Is.EqualTo(NgcOutcome.InvalidPinUppercaseNotAllowed));
        Assert.That((await device.Hello.Ngc.VerifyPinAsync(User, device.Hello.InitialPin!)).Outcome, Is.EqualTo(NgcOutcome.Success));
    }

    [Test]
    public async Task WithEveryUnconfiguredClassAllowedADefaultDeviceAcceptsTheServicePinButASevenCharacterPolicyStillRefusesIt()
    {
        var anyAllowed = new PinPolicyMergeOptions { UnconfiguredClasses = UnconfiguredPinClasses.AnyAllowed };
        var device = await CreateAsync(pinPolicyMerge: anyAllowed);
        var tenant = SharedPinResetService.ConsentedTenant();
        await device.SetAsync(DevicePolicies(tenant) + "/EnablePinRecovery", "true", "bool");

        var accepted = (await device.SendAsync(ExecThenTwoGets(LockAndRecoverPin)));

        Assert.That(accepted.StatusOf("2"), Is.EqualTo(StatusCodes.Ok));
        Assert.That(DataOf(accepted.ResultsOf("3")), Has.Length.EqualTo(6));

        // The seed observation: the service's 6-character PIN breaks a 7-character policy whatever the default.
        var strict = await CreateAsync(pinPolicyMerge: anyAllowed, seed: 2);
        await strict.SetAsync(DevicePolicies(tenant) + "/PINComplexity/MinimumPINLength", "7", "int");
        await strict.SetAsync(DevicePolicies(tenant) + "/EnablePinRecovery", "true", "bool");

        var refused = (await strict.SendAsync(ExecThenTwoGets(LockAndRecoverPin)));

        Assert.That(refused.StatusOf("2"), Is.EqualTo(StatusCodes.CommandFailed));
        Assert.That(strict.Hello.EventLog.Query(NgcOperation.RecoverPin)[^1].Outcome, Is.EqualTo(NgcOutcome.InvalidPinTooFewCharacters));
    }

    [Test]
    public async Task LockAndRecoverPinWhileTheProtectorIsPendingIsRecoveryNotEnabled()
    {
        var device = await CreateAsync();
        var tenant = SharedPinResetService.ConsentedTenant();
        await AllowServicePinsAsync(device, tenant, minimumLength: 6);
        await device.SendAsync(Command<Exec>("1", Lock));
        await device.SetAsync(DevicePolicies(tenant) + "/EnablePinRecovery", "true", "bool");

        var answers = (await device.SendAsync(Command<Exec>("2", LockAndRecoverPin)));

        Assert.That(answers.StatusOf("2"), Is.EqualTo(StatusCodes.CommandFailed));
        Assert.That(device.Hello.EventLog.Query(NgcOperation.GetEncryptedRecoveryProtector)[^1].Outcome, Is.EqualTo(NgcOutcome.RecoveryPending));
    }

    [Test]
    public async Task AnExecInsideAFailedAtomicCannotBeUndone()
    {
        var device = await CreateAsync();
        var atomic = new Atomic { CmdID = "1" };
        atomic.Commands.Add(Command<Exec>("2", LockAndResetPin));
        atomic.Commands.Add(Command<Add>("3", DevicePolicies(Guid.NewGuid().ToString("D")) + "/PINComplexity/Digits", "9", "int"));

        var answers = (await device.SendAsync(atomic));

        Assert.That(answers.StatusOf("1"), Is.EqualTo(StatusCodes.AtomicFailed));
        Assert.That(answers.StatusOf("2"), Is.EqualTo(StatusCodes.AtomicRollbackFailed));
        Assert.That(answers.StatusOf("3"), Is.EqualTo(StatusCodes.CommandFailed));
    }

    [Test]
    public async Task NewPinValueCannotBeExecutedAndTheActionsCannotBeReplaced()
    {
        var device = await CreateAsync();

        var answers = (await device.SendAsync(Command<Exec>("1", NewPinValue), Command<Replace>("2", NewPinValue, "1234")));

        Assert.That(answers.StatusOf("1"), Is.EqualTo(StatusCodes.CommandNotAllowed));
        Assert.That(answers.StatusOf("2"), Is.EqualTo(StatusCodes.CommandNotAllowed));
    }

    [Test]
    public async Task OnBuild14393LockAndRecoverPinDoesNotExist()
    {
        var device = await CreateAsync(osBuild: Build14393);

        var answers = (await device.SendAsync(Command<Exec>("1", LockAndRecoverPin), Command<Exec>("2", "./Device/Vendor/MSFT/RemoteLock/LockAndResetPIN")));

        Assert.That(answers.StatusOf("1"), Is.EqualTo(StatusCodes.NotFound));
        Assert.That(answers.StatusOf("2"), Is.EqualTo(200));
    }

    /// <summary>A policy the service's PIN (upper, lower, digit, special) can meet: digits required, the other classes allowed.</summary>
    internal static async Task AllowServicePinsAsync(StandardDevice device, string tenant, int minimumLength)
    {
        var complexity = DevicePolicies(tenant) + "/PINComplexity/";
        await device.SetAsync(complexity + "MinimumPINLength", minimumLength.ToString(System.Globalization.CultureInfo.InvariantCulture), "int");
        await device.SetAsync(complexity + "Digits", "1", "int");
        await device.SetAsync(complexity + "UppercaseLetters", "0", "int");
        await device.SetAsync(complexity + "LowercaseLetters", "0", "int");
        await device.SetAsync(complexity + "SpecialCharacters", "0", "int");
    }
}

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
    public void LockLocksTheContainerOfTheSignedInUser()
    {
        var device = Create();
        var executed = new List<(RemoteLockAction, string)>();
        device.Hello.RemoteLock.Executed += (action, user) => executed.Add((action, user));

        var answers = device.Send(Command<Exec>("1", Lock));

        Assert.That(answers.StatusOf("1"), Is.EqualTo(200));
        Assert.That(executed, Is.EqualTo(new[] { (RemoteLockAction.Lock, User) }));
        Assert.That(device.Hello.EventLog.Events.Last().ToString(), Does.Contain(" Lock Success user=" + User));
        // Locked: a recovery protector now waits for the next PIN use (docs/ngc.md).
        Assert.That(device.Hello.Ngc.EnablePinRecovery(User, Guid.NewGuid().ToString("D"), SharedPinResetService.Instance.GetPublicKey()).Outcome,
            Is.EqualTo(NgcOutcome.RecoveryPending));
    }

    [Test]
    public void LockWithoutAPinIs405()
    {
        var device = Create();
        device.Hello.Ngc.DeleteContainer(User);

        var answers = device.Send(Command<Exec>("1", Lock), Command<Exec>("2", LockAndResetPin));

        Assert.That(answers.StatusOf("1"), Is.EqualTo(StatusCodes.CommandNotAllowed));
        Assert.That(answers.StatusOf("2"), Is.EqualTo(StatusCodes.CommandNotAllowed));
    }

    [Test]
    public void LockWithNobodySignedInIs405()
    {
        var device = Create();
        device.Tree.SignOut();

        var answers = device.Send(Command<Exec>("1", Lock));

        Assert.That(answers.StatusOf("1"), Is.EqualTo(StatusCodes.CommandNotAllowed));
    }

    [Test]
    public void LockAndResetPinAnswersThePinOnceDeletesTheKeysAndTheNewPinUnlocks()
    {
        var device = Create();
        var oldPin = device.Hello.InitialPin!;

        var answers = device.Send(ExecThenTwoGets(LockAndResetPin));

        Assert.That(answers.OfType<Status>().Select(s => (s.CmdRef, s.Data)),
            Is.EqualTo(new[] { ("1", "200"), ("2", "200"), ("3", "200"), ("4", "200") }));
        var pin = DataOf(answers.ResultsOf("3"));
        Assert.That(pin, Is.Not.Null.And.Not.Empty);
        Assert.That(PinValidator.Validate(pin!, device.Hello.PolicySource.GetPolicy(User)), Is.EqualTo(NgcOutcome.Success));
        Assert.That(DataOf(answers.ResultsOf("4")), Is.Empty);
        Assert.That(answers.ResultsOf("4")!.Items.Single().Meta!.Format, Is.EqualTo("chr"));
        Assert.That(device.Hello.Ngc.OpenKey(User, WindowsHello.LoginKeyName).Outcome, Is.EqualTo(NgcOutcome.KeyNotFound));
        Assert.That(device.Hello.Ngc.VerifyPin(User, oldPin).Outcome, Is.EqualTo(NgcOutcome.IncorrectPin));
        Assert.That(device.Hello.Ngc.VerifyPin(User, pin!).Outcome, Is.EqualTo(NgcOutcome.Success));
    }

    [Test]
    public void NewPinValueIsEmptyInTheNextMessage()
    {
        var device = Create();
        device.Send(Command<Exec>("1", LockAndResetPin));

        var answers = device.Send(Command<Get>("2", NewPinValue));

        Assert.That(answers.StatusOf("2"), Is.EqualTo(200));
        Assert.That(DataOf(answers.ResultsOf("2")), Is.Empty);
    }

    [Test]
    public void NewPinValueBeforeAnyResetIsEmptyOrNotFoundAsConfigured()
    {
        var empty = Create();
        var notFound = Create(remoteLock: new RemoteLockOptions { NullNewPinValue = NewPinValueNullForm.NotFound });

        var emptyAnswers = empty.Send(Command<Get>("1", NewPinValue));
        var notFoundAnswers = notFound.Send(Command<Get>("1", NewPinValue));

        Assert.That(emptyAnswers.StatusOf("1"), Is.EqualTo(200));
        Assert.That(DataOf(emptyAnswers.ResultsOf("1")), Is.Empty);
        Assert.That(notFoundAnswers.StatusOf("1"), Is.EqualTo(StatusCodes.NotFound));
        Assert.That(notFoundAnswers.ResultsOf("1"), Is.Null);
    }

    [Test]
    public void ResetPinMeetsAStricterPolicy()
    {
        var device = Create();
        var tenant = Guid.NewGuid().ToString("D");
        device.Set(DevicePolicies(tenant) + "/PINComplexity/MinimumPINLength", "9", "int");
        device.Set(DevicePolicies(tenant) + "/PINComplexity/UppercaseLetters", "1", "int");
        device.Set(DevicePolicies(tenant) + "/PINComplexity/SpecialCharacters", "1", "int");

        var answers = device.Send(ExecThenTwoGets(LockAndResetPin));

        var pin = DataOf(answers.ResultsOf("3"))!;
        Assert.That(pin, Has.Length.GreaterThanOrEqualTo(9));
        Assert.That(pin, Does.Match("[A-Z]").And.Match("[0-9]").And.Match(@"[^A-Za-z0-9]"));
    }

    [Test]
    public void LockAndRecoverPinKeepsTheKeysWhenEverythingIsInPlace()
    {
        var device = Create();
        var tenant = SharedPinResetService.ConsentedTenant();
        AllowServicePins(device, tenant, minimumLength: 6);
        device.Set(DevicePolicies(tenant) + "/EnablePinRecovery", "true", "bool");
        var key = device.Hello.Ngc.OpenKey(User, WindowsHello.LoginKeyName).Required.PublicKey;

        var answers = device.Send(ExecThenTwoGets(LockAndRecoverPin));

        Assert.That(answers.StatusOf("2"), Is.EqualTo(200));
        var pin = DataOf(answers.ResultsOf("3"))!;
        Assert.That(pin, Has.Length.EqualTo(6));
        Assert.That(device.Hello.Ngc.OpenKey(User, WindowsHello.LoginKeyName).Required.PublicKey, Is.EqualTo(key));
        Assert.That(device.Hello.Ngc.VerifyPin(User, pin).Outcome, Is.EqualTo(NgcOutcome.Success));
        Assert.That(device.Hello.EventLog.Query(NgcOperation.RecoverPin).Last().Outcome, Is.EqualTo(NgcOutcome.Success));
    }

    [Test]
    public void LockAndRecoverPinRefusesAServicePinThatBreaksTheDevicePolicy()
    {
        var device = Create(remoteLock: new RemoteLockOptions { ServicePinRefusedStatus = StatusCodes.Forbidden });
        var tenant = SharedPinResetService.ConsentedTenant();
        device.Set(DevicePolicies(tenant) + "/EnablePinRecovery", "true", "bool");

        // The default policy forbids letters and special characters (docs/reference/passportforwork.md §3); the service's PIN has them.
        var answers = device.Send(ExecThenTwoGets(LockAndRecoverPin));

        Assert.That(answers.StatusOf("2"), Is.EqualTo(StatusCodes.Forbidden));
        Assert.That(DataOf(answers.ResultsOf("3")), Is.Empty);
        Assert.That(device.Hello.EventLog.Query(NgcOperation.RecoverPin).Last().Outcome, Is.EqualTo(NgcOutcome.InvalidPinUppercaseNotAllowed));
        Assert.That(device.Hello.Ngc.VerifyPin(User, device.Hello.InitialPin!).Outcome, Is.EqualTo(NgcOutcome.Success));
    }

    [Test]
    public void LockAndRecoverPinWhileTheProtectorIsPendingIsRecoveryNotEnabled()
    {
        var device = Create();
        var tenant = SharedPinResetService.ConsentedTenant();
        AllowServicePins(device, tenant, minimumLength: 6);
        device.Send(Command<Exec>("1", Lock));
        device.Set(DevicePolicies(tenant) + "/EnablePinRecovery", "true", "bool");

        var answers = device.Send(Command<Exec>("2", LockAndRecoverPin));

        Assert.That(answers.StatusOf("2"), Is.EqualTo(StatusCodes.CommandFailed));
        Assert.That(device.Hello.EventLog.Query(NgcOperation.GetEncryptedRecoveryProtector).Last().Outcome, Is.EqualTo(NgcOutcome.RecoveryPending));
    }

    [Test]
    public void AnExecInsideAFailedAtomicCannotBeUndone()
    {
        var device = Create();
        var atomic = new Atomic { CmdID = "1" };
        atomic.Commands.Add(Command<Exec>("2", LockAndResetPin));
        atomic.Commands.Add(Command<Add>("3", DevicePolicies(Guid.NewGuid().ToString("D")) + "/PINComplexity/Digits", "9", "int"));

        var answers = device.Send(atomic);

        Assert.That(answers.StatusOf("1"), Is.EqualTo(StatusCodes.AtomicFailed));
        Assert.That(answers.StatusOf("2"), Is.EqualTo(StatusCodes.AtomicRollbackFailed));
        Assert.That(answers.StatusOf("3"), Is.EqualTo(StatusCodes.CommandFailed));
    }

    [Test]
    public void NewPinValueCannotBeExecutedAndTheActionsCannotBeReplaced()
    {
        var device = Create();

        var answers = device.Send(Command<Exec>("1", NewPinValue), Command<Replace>("2", NewPinValue, "1234"));

        Assert.That(answers.StatusOf("1"), Is.EqualTo(StatusCodes.CommandNotAllowed));
        Assert.That(answers.StatusOf("2"), Is.EqualTo(StatusCodes.CommandNotAllowed));
    }

    [Test]
    public void OnBuild14393LockAndRecoverPinDoesNotExist()
    {
        var device = Create(osBuild: Build14393);

        var answers = device.Send(Command<Exec>("1", LockAndRecoverPin), Command<Exec>("2", "./Device/Vendor/MSFT/RemoteLock/LockAndResetPIN"));

        Assert.That(answers.StatusOf("1"), Is.EqualTo(StatusCodes.NotFound));
        Assert.That(answers.StatusOf("2"), Is.EqualTo(200));
    }

    /// <summary>A policy the service's PIN (upper, lower, digit, special) can meet: digits required, the other classes allowed.</summary>
    internal static void AllowServicePins(StandardDevice device, string tenant, int minimumLength)
    {
        var complexity = DevicePolicies(tenant) + "/PINComplexity/";
        device.Set(complexity + "MinimumPINLength", minimumLength.ToString(System.Globalization.CultureInfo.InvariantCulture), "int");
        device.Set(complexity + "Digits", "1", "int");
        device.Set(complexity + "UppercaseLetters", "0", "int");
        device.Set(complexity + "LowercaseLetters", "0", "int");
        device.Set(complexity + "SpecialCharacters", "0", "int");
    }
}

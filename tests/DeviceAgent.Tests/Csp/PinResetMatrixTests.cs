using System.Globalization;
using DeviceAgent.Csp;
using DeviceAgent.Ngc;
using DeviceAgent.Ngc.Policy;
using DeviceAgent.SyncML;
using DeviceAgent.Tests.Ngc;
using MockMdm.PinReset;
using static DeviceAgent.Tests.Csp.HelloTestDevice;

namespace DeviceAgent.Tests.Csp;

/// <summary>How the phone is joined.</summary>
public enum Join
{
    AzureAdJoined,
    WorkplaceJoined,
}

/// <summary>The PIN the device answers in NewPINValue.</summary>
public enum ExpectedPin
{
    /// <summary>NewPINValue stays null: empty Data.</summary>
    None,

    /// <summary>A PIN the device generated for its merged policy.</summary>
    DeviceGenerated,

    /// <summary>The PIN reset service's PIN: 6 characters, upper, lower, digit and special.</summary>
    ServiceGenerated,
}

/// <summary>One case of the PIN flow matrix (issue 4 "Done means").</summary>
public sealed record PinResetCase(Join Join, RemoteLockAction Action, int MinimumLength, bool? EnablePinRecovery, bool Consent, int Build)
{
    public string Name => string.Join('_',
        Join == Join.AzureAdJoined ? "AADJ" : "WPJ",
        Action,
        "min" + MinimumLength.ToString(CultureInfo.InvariantCulture),
        "EnablePinRecovery-" + (EnablePinRecovery is { } e ? (e ? "true" : "false") : "unset"),
        Consent ? "consent" : "noConsent",
        Build.ToString(CultureInfo.InvariantCulture));
}

/// <summary>What the documents say a case yields.</summary>
/// <param name="Rule">The documented rule that decides it (for failure messages).</param>
/// <param name="EnablePinRecoveryStatus">Status of the Add of EnablePinRecovery when the case sets it.</param>
/// <param name="ExecStatus">Status of the Exec.</param>
/// <param name="Pin">What NewPINValue answers to the first Get.</param>
/// <param name="KeysKept">True: the Hello keys survive; false: deleted.</param>
/// <param name="Log">The NGC event for the reset (operation, outcome), or null when the reset never reached the device's NGC stack.</param>
public sealed record PinResetExpectation(string Rule, int EnablePinRecoveryStatus, int ExecStatus, ExpectedPin Pin, bool KeysKept, (NgcOperation Operation, NgcOutcome Outcome)? Log);

/// <summary>
/// The matrix {join} x {action} x {minimum length 6, 7} x {EnablePinRecovery unset, false, true} x {consent} x
/// {build 14393, 15063}: 96 cases, each expectation taken from the first documented rule of <see cref="Rules"/> that
/// applies (statuses the documents leave open are the defaults chosen in docs/pin-reset.md).
/// </summary>
public sealed class PinResetMatrixTests
{
    private const string LockAndResetPin = "./Vendor/MSFT/RemoteLock/LockAndResetPIN";
    private const string LockAndRecoverPin = "./Vendor/MSFT/RemoteLock/LockAndRecoverPIN";
    private const string NewPinValue = "./Vendor/MSFT/RemoteLock/NewPINValue";

    /// <summary>The rule table, first match wins; each rule cites where it comes from.</summary>
    private static readonly (string Rule, Func<PinResetCase, bool> Applies, Func<PinResetCase, PinResetExpectation> Expect)[] s_rules =
    [
        ("docs/reference/passportforwork.md §1, docs/reference/remotelock.md: LockAndRecoverPIN and EnablePinRecovery begin at 15063; 1607 answers 404",
            c => c.Build == 14393 && c.Action == RemoteLockAction.LockAndRecoverPIN,
            c => new(Rule(c), 404, 404, ExpectedPin.None, true, null)),
        ("docs/reference/remotelock.md, docs/reference/pin-reset.md §2: LockAndResetPIN deletes the keys and sets a device PIN meeting the policy",
            c => c.Action == RemoteLockAction.LockAndResetPIN,
            c => new(Rule(c), EnableStatus(c), 200, ExpectedPin.DeviceGenerated, false, (NgcOperation.ResetPinDestructive, NgcOutcome.Success))),
        ("docs/reference/passportforwork.md §3, docs/reference/remotelock.md: LockAndRecoverPIN needs EnablePinRecovery true (refusal status: docs/pin-reset.md)",
            c => c.EnablePinRecovery != true,
            c => new(Rule(c), EnableStatus(c), 500, ExpectedPin.None, true, (NgcOperation.RecoverPin, NgcOutcome.RecoveryNotEnabled))),
        ("docs/reference/remotelock.md, docs/reference/pin-reset.md §2: non-destructive recovery needs an Azure AD joined device",
            c => c.Join == Join.WorkplaceJoined,
            c => new(Rule(c), EnableStatus(c), 500, ExpectedPin.None, true, (NgcOperation.RecoverPin, NgcOutcome.NotSupported))),
        ("docs/reference/pin-reset.md §1: the tenant must consent the PIN reset applications",
            c => !c.Consent,
            c => new(Rule(c), EnableStatus(c), 500, ExpectedPin.None, true, (NgcOperation.RecoverPin, NgcOutcome.DeviceError))),
        ("docs/design.md 7: the service's 6-character PIN breaks a 7-character minimum and the device refuses it",
            c => c.MinimumLength > 6,
            c => new(Rule(c), EnableStatus(c), 500, ExpectedPin.None, true, (NgcOperation.RecoverPin, NgcOutcome.InvalidPinTooFewCharacters))),
        ("docs/reference/remotelock.md, docs/reference/pin-reset.md §3: LockAndRecoverPIN keeps the keys and answers the service's PIN",
            _ => true,
            c => new(Rule(c), EnableStatus(c), 200, ExpectedPin.ServiceGenerated, true, (NgcOperation.RecoverPin, NgcOutcome.Success))),
    ];

    public static IEnumerable<TestCaseData> Cases()
    {
        foreach (var join in Enum.GetValues<Join>())
        {
            foreach (var action in new[] { RemoteLockAction.LockAndRecoverPIN, RemoteLockAction.LockAndResetPIN })
            {
                foreach (var minimum in new[] { 6, 7 })
                {
                    foreach (var recovery in new bool?[] { null, false, true })
                    {
                        foreach (var consent in new[] { true, false })
                        {
                            foreach (var build in new[] { 14393, 15063 })
                            {
                                var c = new PinResetCase(join, action, minimum, recovery, consent, build);
                                yield return new TestCaseData(c, Expect(c)).SetName(c.Name);
                            }
                        }
                    }
                }
            }
        }
    }

    [TestCaseSource(nameof(Cases))]
    public async Task PinFlow(PinResetCase c, PinResetExpectation expected)
    {
        var device = await CreateAsync(c.Join == Join.AzureAdJoined, c.Build == 14393 ? Build14393 : Build15063);
        var tenant = Guid.NewGuid().ToString("D");
        if (c.Consent)
        {
            SharedPinResetService.Instance.SetConsent(tenant, PinResetApplication.Service, true);
            SharedPinResetService.Instance.SetConsent(tenant, PinResetApplication.Client, true);
        }
        else
        {
            SharedPinResetService.Instance.AddTenant(tenant);
        }

        await RemoteLockCspTests.AllowServicePinsAsync(device, tenant, c.MinimumLength);
        if (c.EnablePinRecovery is { } enable)
        {
            var set = (await device.SendAsync(Command<Add>("1", DevicePolicies(tenant) + "/EnablePinRecovery", enable ? "true" : "false", "bool")));
            Assert.That(set.StatusOf("1"), Is.EqualTo(expected.EnablePinRecoveryStatus), expected.Rule);
        }

        var user = device.Tree.SignedInUser!;
        var oldPin = device.Hello.InitialPin!;
        var loginKey = (await device.Hello.Ngc.OpenKeyAsync(user, WindowsHello.LoginKeyName)).Required.PublicKey;
        var sequence = new Sequence { CmdID = "10" };
        sequence.Commands.Add(Command<Exec>("11", c.Action == RemoteLockAction.LockAndResetPIN ? LockAndResetPin : LockAndRecoverPin));
        sequence.Commands.Add(Command<Get>("12", NewPinValue));
        sequence.Commands.Add(Command<Get>("13", NewPinValue));

        var answers = (await device.SendAsync(sequence));

        var policy = device.Hello.PolicySource.GetPolicy(user);
        var pin = answers.ResultsOf("12")?.Items.Single().Data?.Value;
        await Assert.MultipleAsync(async () =>
        {
            Assert.That(answers.StatusOf("10"), Is.EqualTo(200), "Sequence");
            Assert.That(answers.StatusOf("11"), Is.EqualTo(expected.ExecStatus), expected.Rule);
            Assert.That(answers.StatusOf("12"), Is.EqualTo(200), "first Get of NewPINValue");
            Assert.That(answers.StatusOf("13"), Is.EqualTo(200), "second Get of NewPINValue");
            Assert.That(answers.ResultsOf("13")?.Items.Single().Data?.Value, Is.Empty, "NewPINValue is readable once");
            Assert.That(answers.ResultsOf("12")?.Items.Single().Meta?.Format, Is.EqualTo("chr"));
            switch (expected.Pin)
            {
                case ExpectedPin.None:
                    Assert.That(pin, Is.Empty, "no PIN: " + expected.Rule);
                    Assert.That((await device.Hello.Ngc.VerifyPinAsync(user, oldPin)).Outcome, Is.EqualTo(NgcOutcome.Success), "the old PIN still unlocks");
                    break;
                case ExpectedPin.DeviceGenerated:
                    Assert.That(pin, Has.Length.GreaterThanOrEqualTo(c.MinimumLength));
                    Assert.That(PinValidator.Validate(pin!, policy), Is.EqualTo(NgcOutcome.Success), "meets the merged policy");
                    break;
                case ExpectedPin.ServiceGenerated:
                    Assert.That(pin, Has.Length.EqualTo(6));
                    Assert.That(pin, Does.Match("[A-Z]").And.Match("[a-z]").And.Match("[0-9]").And.Match("[^A-Za-z0-9]"));
                    break;
            }

            if (expected.Pin != ExpectedPin.None)
            {
                Assert.That((await device.Hello.Ngc.VerifyPinAsync(user, pin!)).Outcome, Is.EqualTo(NgcOutcome.Success), "the new PIN unlocks");
                Assert.That((await device.Hello.Ngc.VerifyPinAsync(user, oldPin)).Outcome, Is.EqualTo(NgcOutcome.IncorrectPin), "the old PIN stops working");
            }

            var key = (await device.Hello.Ngc.OpenKeyAsync(user, WindowsHello.LoginKeyName));
            if (expected.KeysKept)
            {
                Assert.That(key.Required.PublicKey, Is.EqualTo(loginKey), "keys kept");
            }
            else
            {
                Assert.That(key.Outcome, Is.EqualTo(NgcOutcome.KeyNotFound), "keys deleted");
            }

            var resets = device.Hello.EventLog.Events
                .Where(e => e.Operation is NgcOperation.RecoverPin or NgcOperation.ResetPinDestructive).ToArray();
            if (expected.Log is { } log)
            {
                Assert.That(resets, Is.Not.Empty, "event log");
                Assert.That(resets[^1].ToString(),
                    Does.Match($@"^\S+Z {NgcEventLog.DefaultSource} {log.Operation} {log.Outcome} user={user}( |$)"), "event log line");
            }
            else
            {
                Assert.That(resets, Is.Empty, "no reset reached NGC");
            }
        });
    }

    [Test]
    public void TheMatrixHasEveryCombinationOnce()
    {
        var names = Cases().Select(c => c.TestName).ToArray();

        Assert.That(names, Has.Length.EqualTo(96));
        Assert.That(names, Is.Unique);
    }

    [Test]
    public void TheSeedCasesAreWhatTheIssueStates()
    {
        static PinResetExpectation For(Join join, RemoteLockAction action, int minimum) =>
            Expect(new PinResetCase(join, action, minimum, true, true, 15063));

        Assert.That(For(Join.AzureAdJoined, RemoteLockAction.LockAndRecoverPIN, 7).Log?.Outcome, Is.EqualTo(NgcOutcome.InvalidPinTooFewCharacters));
        Assert.That(For(Join.AzureAdJoined, RemoteLockAction.LockAndRecoverPIN, 7).Pin, Is.EqualTo(ExpectedPin.None));
        Assert.That(For(Join.AzureAdJoined, RemoteLockAction.LockAndRecoverPIN, 6), Has.Property("Pin").EqualTo(ExpectedPin.ServiceGenerated).And.Property("KeysKept").True);
        Assert.That(For(Join.WorkplaceJoined, RemoteLockAction.LockAndResetPIN, 7), Has.Property("Pin").EqualTo(ExpectedPin.DeviceGenerated).And.Property("KeysKept").False);
    }

    private static PinResetExpectation Expect(PinResetCase c) => s_rules.First(r => r.Applies(c)).Expect(c);

    private static string Rule(PinResetCase c) => s_rules.First(r => r.Applies(c)).Rule;

    // docs/reference/passportforwork.md §1: EnablePinRecovery exists from 15063 on.
    private static int EnableStatus(PinResetCase c) => c.Build == 14393 ? StatusCodes.NotFound : StatusCodes.Ok;
}

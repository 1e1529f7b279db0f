using DeviceAgent.Ngc.Policy;
using DeviceAgent.Protocol;
using DeviceAgent.Testing;
using Microsoft.Extensions.Time.Testing;

// Every test has its own in-process server and phones, so the suite runs in parallel.
[assembly: Parallelizable(ParallelScope.All)]
[assembly: FixtureLifeCycle(LifeCycle.InstancePerTestCase)]

namespace DeviceAgent.Testing.Sample;

/// <summary>What a server team's CI might check with DeviceAgent.Testing: the PIN reset actions end as Intune's do.</summary>
public class PinResetTests
{
    // The PIN reset service makes 6-character PINs of letters and digits: a phone whose PIN policy allows them
    // (Windows' default asks for digits only, and the New passcode then fails on the phone as it would on Windows).
    private static readonly PhoneOptions s_recoverablePhone = new()
    {
        PinPolicy = new PinComplexity
        {
            MinimumPINLength = 6,
            Digits = PinCharacterRule.Required,
            UppercaseLetters = PinCharacterRule.Allowed,
            LowercaseLetters = PinCharacterRule.Allowed,
            SpecialCharacters = PinCharacterRule.Allowed,
        },
    };

    [Test]
    [CancelAfter(120_000)]
    public async Task New_passcode_gives_a_passcode_that_unlocks_the_phone(CancellationToken cancellationToken)
    {
        await using var server = await MdmTestServer.StartAsync(cancellationToken: cancellationToken);
        await server.EnablePinRecoveryAsync(cancellationToken);
        var phone = await server.EnrollPhoneAsync("alice-phone", s_recoverablePhone, cancellationToken);
        var first = await phone.SyncAsync(cancellationToken);
        Assert.That(first.Succeeded, first.Reason);

        var outcome = await phone.RunActionAsync(PhoneAction.NewPasscode, cancellationToken);

        Assert.That(outcome.State, Is.EqualTo(ActionState.Done), outcome.Reason);
        Assert.That(outcome.Passcode, Is.Not.Null.And.Length.EqualTo(6));
        Assert.That(phone.IsLocked, Is.True, "LockAndRecoverPIN locks the phone");
        var unlock = await phone.UnlockAsync(outcome.Passcode!, "Kq7#mzp4", cancellationToken);
        Assert.That(unlock.Unlocked, unlock.Message);
        Assert.That(phone.NgcLogLines, Has.Some.Contains("RecoverPin"));
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task New_passcode_fails_on_a_seven_character_policy_and_says_so(CancellationToken cancellationToken)
    {
        await using var server = await MdmTestServer.StartAsync(cancellationToken: cancellationToken);
        await server.EnablePinRecoveryAsync(cancellationToken);
        var phone = await server.EnrollPhoneAsync("carol-phone", new PhoneOptions
        {
            PinPolicy = s_recoverablePhone.PinPolicy with { MinimumPINLength = 7 },
        }, cancellationToken);
        await phone.SyncAsync(cancellationToken);

        var outcome = await phone.RunActionAsync(PhoneAction.NewPasscode, cancellationToken);

        Assert.That(outcome.State, Is.EqualTo(ActionState.Failed));
        Assert.That(outcome.DisplayState, Is.EqualTo("New Passcode Failed"));
        Assert.That(phone.NgcLogLines, Has.Some.Contains("InvalidPinTooFewCharacters"));
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task Remote_lock_locks_the_phone(CancellationToken cancellationToken)
    {
        await using var server = await MdmTestServer.StartAsync(cancellationToken: cancellationToken);
        var phone = await server.EnrollPhoneAsync("bob-phone", cancellationToken: cancellationToken);

        var queued = await phone.QueueAsync(PhoneAction.RemoteLock, cancellationToken);
        Assert.That((await queued.GetOutcomeAsync(cancellationToken)).State, Is.EqualTo(ActionState.Pending));
        var outcome = await queued.CompleteAsync(cancellationToken: cancellationToken);

        Assert.That(outcome.State, Is.EqualTo(ActionState.Done));
        Assert.That(phone.IsLocked, Is.True);
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task The_console_hides_the_passcode_after_seven_days_on_a_fake_clock(CancellationToken cancellationToken)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2017, 6, 1, 12, 0, 0, TimeSpan.Zero));
        await using var server = await MdmTestServer.StartAsync(new EmbeddedServerOptions { Clock = clock }, cancellationToken);
        await server.EnablePinRecoveryAsync(cancellationToken);
        var phone = await server.EnrollPhoneAsync("dave-phone", s_recoverablePhone, cancellationToken);
        await phone.SyncAsync(cancellationToken);
        var queued = await phone.QueueAsync(PhoneAction.NewPasscode, cancellationToken);
        Assert.That((await queued.CompleteAsync(cancellationToken: cancellationToken)).Passcode, Is.Not.Null);

        clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));

        var later = await queued.GetOutcomeAsync(cancellationToken);
        Assert.That(later.State, Is.EqualTo(ActionState.Done));
        Assert.That(later.Passcode, Is.Null, "Intune shows a generated passcode for seven days");
    }
}

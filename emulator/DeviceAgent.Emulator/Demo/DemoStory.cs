using DeviceAgent.Emulator.Devices;
using DeviceAgent.Emulator.Scenarios;
using DeviceAgent.Emulator.Server;
using DeviceAgent.Emulator.Traces;
using DeviceAgent.Protocol;
using DeviceAgent.SyncML;
using MockMdm.PinReset;

namespace DeviceAgent.Emulator.Demo;

/// <summary>Where the demo tells its story (a Spectre terminal, plain text, a test's buffer).</summary>
public interface IDemoNarrator
{
    /// <summary>A chapter heading.</summary>
    void Chapter(string title);

    /// <summary>What happens next, in words.</summary>
    void Say(string text);

    /// <summary>An outcome that matches the story.</summary>
    void Good(string text);

    /// <summary>An outcome that breaks the story.</summary>
    void Bad(string text);

    /// <summary>Verbatim text quoted from a device or the console (a log line, a passcode).</summary>
    void Quote(string text);

    /// <summary>One SyncML message that crossed the wire (only with --verbose).</summary>
    void SyncML(string device, TraceDirection direction, string summary, string xml);
}

/// <summary>Options of <c>deviceagent demo</c>.</summary>
public sealed record DemoOptions
{
    public int Seed { get; init; } = 7;

    /// <summary>Print every SyncML message.</summary>
    public bool Verbose { get; init; }

    /// <summary>Kestrel (default, mutual TLS on 127.0.0.1) or TestHost (tests).</summary>
    public EmbeddedHost Host { get; init; } = EmbeddedHost.Kestrel;

    /// <summary>Server keys to reuse (tests); null generates them.</summary>
    public MdmKeyMaterial? Keys { get; init; }

    public int Pbkdf2Iterations { get; init; } = 1000;
}

/// <summary>
/// The seed story of README's main command (docs/emulator.md "Demo"): a tenant consents both PIN reset apps, a custom
/// profile turns on EnablePinRecovery, an Azure AD joined phone under a 6-character policy gets a new passcode that
/// unlocks it with its keys intact, the same under a 7-character policy fails with InvalidPinTooFewCharacters, and a
/// workplace-joined phone's Reset passcode works destructively. Every claim is checked; the result says whether the
/// story went as expected.
/// </summary>
public sealed class DemoStory(IDemoNarrator narrator, DemoOptions options)
{
    private const string Profile = "PIN recovery";
    private const string NewPin = "Kq7#mzp4";
    private const string StartPin = "2468135";
    private int _failures;

    /// <summary>Runs the story; true when every step went as the story says.</summary>
    public async Task<bool> RunAsync(CancellationToken cancellationToken = default)
    {
        var scenario = new Scenario("deviceagent demo", null, options.Seed, [], "demo");
        await using var world = await MdmScenarioWorld.StartEmbeddedAsync(scenario,
            new EmbeddedMdmOptions { Host = options.Host, Tls = true, Keys = options.Keys },
            new EmulatorOptions { Pbkdf2Iterations = options.Pbkdf2Iterations, InitialBackoffTime = TimeSpan.FromMilliseconds(200) },
            cancellationToken).ConfigureAwait(false);
        if (options.Verbose)
        {
            world.DeviceCreated += device => device.Trace.MessageRecorded += (direction, xml) => ShowSyncML(device, direction, xml);
        }

        narrator.Chapter("The tenant");
        narrator.Say($"An embedded mock MDM is listening on {world.ServerUrl}{(world.ServerUrl.Scheme == Uri.UriSchemeHttps ? " (devices authenticate with mutual TLS)" : "")}; in-memory store, seed {options.Seed}.");
        await Step(world, new CreateTenantStep("contoso", null, "contoso.com"), "Tenant contoso (contoso.com) created.", cancellationToken).ConfigureAwait(false);
        await Step(world, new ConsentStep(null, PinResetApplication.Service, true), "Admin consented \"Microsoft Pin Reset Service Production\".", cancellationToken).ConfigureAwait(false);
        await Step(world, new ConsentStep(null, PinResetApplication.Client, true), "Admin consented \"Microsoft Pin Reset Client Production\".", cancellationToken).ConfigureAwait(false);
        await Step(world, new CreateProfileStep(Profile, null,
            [new OmaSetting("./Device/Vendor/MSFT/PassportForWork/{tenant}/Policies/EnablePinRecovery", OmaSettingType.Boolean, "true")], []),
            "Custom profile \"PIN recovery\": ./Device/Vendor/MSFT/PassportForWork/{tenant}/Policies/EnablePinRecovery = true (Boolean).", cancellationToken).ConfigureAwait(false);
        await Step(world, new AssignProfileStep(Profile, GroupKind.Device, "phones"), "Assigned to the device group \"phones\".", cancellationToken).ConfigureAwait(false);

        await RecoverAsync(world, "alice-phone", "alice@contoso.com", 6, succeeds: true, cancellationToken).ConfigureAwait(false);
        await RecoverAsync(world, "carol-phone", "carol@contoso.com", 7, succeeds: false, cancellationToken).ConfigureAwait(false);
        await ResetAsync(world, "bob-byod", "bob@contoso.com", cancellationToken).ConfigureAwait(false);

        narrator.Chapter("The end");
        if (_failures == 0)
        {
            narrator.Good("The story went as expected.");
        }
        else
        {
            narrator.Bad($"{_failures} step(s) did not go as the story says.");
        }

        return _failures == 0;
    }

    private async Task RecoverAsync(MdmScenarioWorld world, string device, string user, int minimum, bool succeeds, CancellationToken cancellationToken)
    {
        narrator.Chapter($"{device}: Azure AD joined, PIN policy of at least {minimum} characters");
        if (!await Step(world, Enroll(device, user, JoinType.AzureADJoined, minimum), $"{device} enrolled (MS-MDE2, its own RSA key and certificate request) as {user}.", cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        await Step(world, new SyncStep(device, 1), $"{device} synced: EnablePinRecovery applied, the recovery protector is sealed for the PIN reset service.", cancellationToken).ConfigureAwait(false);
        await Step(world, new RequestActionStep(device, DeviceActionKind.NewPasscode, PinResetMethod.Auto), "Admin clicks New passcode.", cancellationToken).ConfigureAwait(false);
        await ShowActionAsync(world, device, ActionState.Pending, cancellationToken).ConfigureAwait(false);
        await Step(world, new SyncStep(device, 1), $"{device} syncs: RemoteLock/LockAndRecoverPIN, then Get NewPINValue.", cancellationToken).ConfigureAwait(false);
        if (succeeds)
        {
            var action = await ShowActionAsync(world, device, ActionState.Done, cancellationToken).ConfigureAwait(false);
            if (action?.Passcode is { } passcode)
            {
                narrator.Quote($"passcode shown in the console: {passcode}");
            }

            await Step(world, new ExpectPasscodeStep(device, true, 6, true), "The passcode has 6 characters and meets the device's policy.", cancellationToken).ConfigureAwait(false);
            await Step(world, new UnlockStep(device, UnlockStep.PasscodeToken, NewPin, true), "The user unlocks with it and chooses a new PIN.", cancellationToken).ConfigureAwait(false);
            await Step(world, new ExpectKeysStep(device, true), "Windows Hello keys intact: the reset was non-destructive.", cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var action = await ShowActionAsync(world, device, ActionState.Failed, cancellationToken).ConfigureAwait(false);
            if (action?.Reason is { } reason)
            {
                narrator.Quote($"console: {reason}");
            }

            if (await Step(world, new ExpectEventStep(device, "InvalidPinTooFewCharacters", false),
                "The service's 6-character PIN breaks the 7-character policy; the device's NGC log says so:", cancellationToken).ConfigureAwait(false))
            {
                narrator.Quote(world.Devices[device].EventLog.Events.Select(e => e.ToString()).Last(l => l.Contains("InvalidPinTooFewCharacters", StringComparison.Ordinal)));
            }

            await Step(world, new UnlockStep(device, StartPin, null, true), "Nothing changed: the old PIN still unlocks the phone.", cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ResetAsync(MdmScenarioWorld world, string device, string user, CancellationToken cancellationToken)
    {
        const int minimum = 7;
        narrator.Chapter($"{device}: workplace joined (personal), PIN policy of at least {minimum} characters");
        if (!await Step(world, Enroll(device, user, JoinType.WorkplaceJoined, minimum), $"{device} enrolled as {user} (added work account).", cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        await Step(world, new SyncStep(device, 1), $"{device} synced.", cancellationToken).ConfigureAwait(false);
        await Step(world, new RequestActionStep(device, DeviceActionKind.ResetPasscode, PinResetMethod.Auto), "Admin clicks Reset passcode.", cancellationToken).ConfigureAwait(false);
        await ShowActionAsync(world, device, ActionState.Pending, cancellationToken).ConfigureAwait(false);
        await Step(world, new SyncStep(device, 1), $"{device} syncs: RemoteLock/LockAndResetPIN, then Get NewPINValue.", cancellationToken).ConfigureAwait(false);
        var action = await ShowActionAsync(world, device, ActionState.Done, cancellationToken).ConfigureAwait(false);
        if (action?.Passcode is { } passcode)
        {
            narrator.Quote($"passcode shown in the console: {passcode}");
            if (passcode.Length >= minimum)
            {
                narrator.Good($"{passcode.Length} characters: at least the policy's {minimum}.");
            }
            else
            {
                Fail($"the passcode has {passcode.Length} characters, fewer than the policy's {minimum}");
            }
        }

        await Step(world, new UnlockStep(device, UnlockStep.PasscodeToken, NewPin, true), "The user unlocks with it and chooses a new PIN.", cancellationToken).ConfigureAwait(false);
        await Step(world, new ExpectKeysStep(device, false), "Windows Hello keys deleted: the reset was destructive.", cancellationToken).ConfigureAwait(false);
    }

    private static EnrollStep Enroll(string device, string user, JoinType join, int minimum) => new(
        device, null, join, DeviceDefaults.OsBuild, DeviceDefaults.Platform, user,
        // Digits required and the other classes allowed, so the service's mixed PIN can pass on length alone.
        new PinPolicySpec(minimum, null, 1, 0, 0, 0, null), StartPin, [], ["phones"], false);

    private async Task<ConsoleAction?> ShowActionAsync(MdmScenarioWorld world, string device, ActionState expected, CancellationToken cancellationToken)
    {
        var action = await world.ConsoleActionAsync(device, null, cancellationToken).ConfigureAwait(false);
        var shown = action?.DisplayState ?? "no action";
        if (action?.State == expected)
        {
            narrator.Good($"Console: {shown}");
        }
        else
        {
            Fail($"the console shows {shown}, the story expects {expected}");
        }

        return action;
    }

    private async Task<bool> Step(MdmScenarioWorld world, ScenarioStep step, string narrative, CancellationToken cancellationToken)
    {
        try
        {
            await world.ExecuteAsync(step, cancellationToken).ConfigureAwait(false);
            narrator.Say(narrative);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Fail($"{step.Describe()}: {e.Message}");
            return false;
        }
    }

    private void Fail(string text)
    {
        _failures++;
        narrator.Bad(text);
    }

    private void ShowSyncML(EmulatedDevice device, TraceDirection direction, string xml)
    {
        string summary;
        try
        {
            summary = TraceFormatter.Summarize(device.Trace.MessageCount, device.SessionCount + 1, SyncMLReader.ReadMessage(System.Text.Encoding.UTF8.GetBytes(xml)));
        }
        catch (SyncMLFormatException e)
        {
            summary = $"(unreadable: {e.Message})";
        }

        narrator.SyncML(device.Name, direction, summary, TraceFormatter.Indent(xml));
    }
}

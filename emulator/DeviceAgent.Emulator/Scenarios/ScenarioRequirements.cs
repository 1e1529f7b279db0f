namespace DeviceAgent.Emulator.Scenarios;

/// <summary>
/// What a scenario needs of its server beyond MS-MDE2 and OMA-DM, checked before anything starts (docs/scenarios.md
/// "Servers without the mock's API"): steps that act through this project's admin API (tenants, consent, profiles,
/// console actions and what the console shows) and steps that move the server's clock. Enrolling, syncing (answering
/// whatever the server sends) and expectations on the device itself need neither.
/// </summary>
public static class ScenarioRequirements
{
    /// <summary>
    /// One sentence per step that cannot run against a server with (or without) the admin API and clock control, naming
    /// the step, where it is written and why; empty when the whole scenario can run.
    /// </summary>
    public static IReadOnlyList<string> Refusals(Scenario scenario, Uri serverUrl, bool adminApi, bool clockControl)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(serverUrl);
        var refusals = new List<string>();
        foreach (var step in scenario.Steps)
        {
            var need = adminApi ? null : ApiNeed(step);
            if (need is not null)
            {
                refusals.Add($"{step.Position}: {step.Kind} {need}, and {serverUrl} offers no admin API of this project's mock MDM (GET /api/tenants did not answer as the mock does); only enroll, sync, unlock with a known PIN and expectations on the device (expect-lock, expect-event, expect-keys) run against such a server.");
            }
            else if (step is AdvanceTimeStep && !clockControl)
            {
                refusals.Add($"{step.Position}: advance-time moves the clock the server and the devices share, and {serverUrl} keeps its own clock that this run cannot move (an embedded server's can, and a mock MDM started with --clock-control true).");
            }
        }

        return refusals;
    }

    /// <summary>Why <paramref name="step"/> needs the admin API (a clause), or null when it does not.</summary>
    public static string? ApiNeed(ScenarioStep step) => step switch
    {
        CreateTenantStep => "creates a tenant through the admin API",
        ConsentStep => "records a PIN reset consent through the server's consent pages",
        CreateProfileStep => "creates a configuration profile through the admin API",
        AssignProfileStep => "assigns a profile through the admin API",
        RequestActionStep => "requests a device action through the admin API (the console)",
        ExpectActionStep => "reads the console's action state through the admin API",
        ExpectPasscodeStep => "reads the console's passcode through the admin API",
        ExpectProfileStep => "reads a profile's device status through the admin API",
        EnrollStep { UserGroups.Count: > 0 } or EnrollStep { DeviceGroups.Count: > 0 } => "adds the device or user to groups through the admin API",
        EnrollStep { Tenant: not null } => "enrolls into a tenant created through the admin API",
        UnlockStep { Pin: UnlockStep.PasscodeToken } => "unlocks with the passcode the console shows, read through the admin API",
        _ => null,
    };
}

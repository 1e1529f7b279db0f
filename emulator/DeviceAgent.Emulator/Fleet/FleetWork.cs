using System.Text.Json;
using DeviceAgent.Emulator.Devices;
using DeviceAgent.Emulator.Server;
using DeviceAgent.Ngc.Policy;
using DeviceAgent.Protocol;
using MockMdm.PinReset;
using MockMdm.Tenants;

namespace DeviceAgent.Emulator.Fleet;

/// <summary>What each fleet device does after it enrolls.</summary>
public enum FleetAction
{
    /// <summary>Enroll and run one session.</summary>
    Enroll,

    /// <summary>Enroll, sync (EnablePinRecovery arrives), get a New passcode (LockAndRecoverPIN), unlock with it.</summary>
    NewPasscode,
}

/// <summary>
/// One fleet device's work against a server: Azure AD joined phones (users device-NNNN@fleet.test in the server's
/// default tenant) enroll, sync, and for <see cref="FleetAction.NewPasscode"/> go through a New passcode round whose
/// passcode must unlock them. <see cref="PrepareAsync"/> sets the server up once (consent, EnablePinRecovery for all
/// devices). Latency of every OMA-DM exchange goes to the fleet metrics. <paramref name="api"/> is null for a server
/// without this project's admin API: only <see cref="FleetAction.Enroll"/> runs there (docs/emulator.md "Servers without
/// the mock's API"). <paramref name="serviceConsent"/>: a standalone PIN reset service that gets the fleet's consent too.
/// With <paramref name="artifactsDirectory"/> each device saves its SyncML trace and NGC event log there, whatever its end.
/// </summary>
public sealed class FleetWork(MdmApiClient? api, IDeviceTransport transport, EmulatorOptions devices, FleetAction action,
    PinResetConsentClient? serviceConsent = null, string? artifactsDirectory = null)
{
    /// <summary>Why <paramref name="action"/> cannot run against a server without the admin API, or null when it can.</summary>
    public static string? ApiNeed(FleetAction action) => action == FleetAction.NewPasscode
        ? "--action new-passcode consents the PIN reset applications, assigns EnablePinRecovery and requests New passcode through the admin API of this project's mock MDM"
        : null;

    private MdmApiClient Api => api ?? throw new InvalidOperationException(ApiNeed(action) ?? "this fleet action needs the admin API");

    private const string NewPin = "Kq7#mzp4";

    /// <summary>Consents both PIN reset apps in the default tenant and assigns an EnablePinRecovery profile to all devices.</summary>
    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        if (action != FleetAction.NewPasscode)
        {
            return;
        }

        var tenants = await Api.GetAsync("api/tenants", cancellationToken).ConfigureAwait(false);
        var tenant = tenants.GetProperty("value").EnumerateArray().First().GetProperty("id").GetString()!;
        if (serviceConsent is not null)
        {
            await serviceConsent.AddTenantAsync(tenant, cancellationToken).ConfigureAwait(false);
        }

        foreach (var app in Enum.GetValues<PinResetApplication>())
        {
            await Api.ConsentAsync(tenant, TenantDirectory.ClientIdOf(app), true, cancellationToken).ConfigureAwait(false);
            if (serviceConsent is not null)
            {
                await serviceConsent.SetConsentAsync(tenant, TenantDirectory.ClientIdOf(app), true, cancellationToken).ConfigureAwait(false);
            }
        }

        var profile = await Api.PostAsync("api/deviceManagement/deviceConfigurations", new Dictionary<string, object?>
        {
            ["@odata.type"] = "#microsoft.graph.windows10CustomConfiguration",
            ["displayName"] = "Fleet PIN recovery",
            ["omaSettings"] = new[]
            {
                new Dictionary<string, object?>
                {
                    ["@odata.type"] = "#microsoft.graph.omaSettingBoolean",
                    ["displayName"] = "EnablePinRecovery",
                    ["omaUri"] = $"./Device/Vendor/MSFT/PassportForWork/{tenant}/Policies/EnablePinRecovery",
                    ["value"] = true,
                },
            },
        }, 201, cancellationToken).ConfigureAwait(false);
        await Api.PostAsync($"api/deviceManagement/deviceConfigurations/{profile.GetProperty("id").GetString()}/assign", new
        {
            assignments = new[] { new { target = new Dictionary<string, object?> { ["@odata.type"] = "#microsoft.graph.allDevicesAssignmentTarget" } } },
        }, 200, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One device's work (pass to <see cref="FleetRunner.RunAsync"/>); a broken expectation throws and counts as the device's error.</summary>
    public async Task RunDeviceAsync(FleetDeviceContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var device = await EmulatedDevice.CreateAsync(new DeviceSpec
        {
            Name = context.Name,
            Number = context.Index,
            Join = JoinType.AzureADJoined,
            User = $"{context.Name}@fleet.test",
            // Digits required, the other classes allowed: the PIN reset service's 6-character PIN passes.
            LocalPinPolicy = new PinComplexity
            {
                MinimumPINLength = 6,
                Digits = PinCharacterRule.Required,
                UppercaseLetters = PinCharacterRule.Allowed,
                LowercaseLetters = PinCharacterRule.Allowed,
                SpecialCharacters = PinCharacterRule.Allowed,
            },
        }, devices, cancellationToken).ConfigureAwait(false);
        device.CommandAnswered += (_, status) => context.Metrics.CommandStatus(status.Data ?? "?");
        try
        {
            await RunAsync(device, context, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (artifactsDirectory is not null)
            {
                device.SaveArtifacts(artifactsDirectory);
            }
        }
    }

    private async Task RunAsync(EmulatedDevice device, FleetDeviceContext context, CancellationToken cancellationToken)
    {
        using var measured = new MeasuredTransport(transport, context.Metrics, devices.Time);
        await device.EnrollAsync(measured, cancellationToken).ConfigureAwait(false);
        context.Metrics.Enrolled();
        await SyncAsync(device, context, cancellationToken).ConfigureAwait(false);
        if (action != FleetAction.NewPasscode)
        {
            return;
        }

        var actionId = await Api.RequestActionAsync(device.ManagedDeviceId!, "resetPasscode", null, cancellationToken).ConfigureAwait(false);
        await SyncAsync(device, context, cancellationToken).ConfigureAwait(false);
        var results = await Api.GetAsync($"api/deviceManagement/managedDevices/{device.ManagedDeviceId}/deviceActionResults", cancellationToken).ConfigureAwait(false);
        var result = results.GetProperty("value").EnumerateArray().First(a => a.GetProperty("id").GetString() == actionId);
        var state = result.GetProperty("actionState").GetString();
        var passcode = result.GetProperty("passcode").ValueKind == JsonValueKind.String ? result.GetProperty("passcode").GetString() : null;
        if (state != "done" || passcode is null)
        {
            context.Metrics.ActionFailed();
            throw new InvalidOperationException($"New passcode ended {state}: {(result.GetProperty("reason").ValueKind == JsonValueKind.String ? result.GetProperty("reason").GetString() : "no passcode")}");
        }

        var unlock = await device.UnlockAsync(passcode, NewPin, cancellationToken).ConfigureAwait(false);
        if (!unlock.Unlocked || !await device.HelloKeysIntactAsync(cancellationToken).ConfigureAwait(false))
        {
            context.Metrics.ActionFailed();
            throw new InvalidOperationException($"the console's passcode did not unlock the phone with its keys intact: {unlock.Message}");
        }

        context.Metrics.ActionDone();
    }

    private static async Task SyncAsync(EmulatedDevice device, FleetDeviceContext context, CancellationToken cancellationToken)
    {
        var session = await device.SyncAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        foreach (var warning in session.ProtocolWarnings)
        {
            context.Metrics.ProtocolWarning(context.Name, warning.ToString());
        }

        if (!session.Succeeded)
        {
            throw new InvalidOperationException($"session {session.SessionID} ended {session.Outcome}: {session.Reason}", session.Error);
        }

        context.Metrics.SessionCompleted();
    }

    /// <summary>Wraps a device's session handler to time each exchange.</summary>
    private sealed class MeasuredTransport(IDeviceTransport inner, FleetMetrics metrics, TimeProvider time) : IDeviceTransport
    {
        public Uri DiscoveryUrl => inner.DiscoveryUrl;

        public HttpMessageHandler EnrollmentHandler => inner.EnrollmentHandler;

        public HttpMessageHandler CreateSessionHandler(DeviceAgent.Enrollment.EnrollmentResult enrollment) =>
            new LatencyHandler(inner.CreateSessionHandler(enrollment), metrics, time);

        public void Dispose()
        {
            // The inner transport is shared by the fleet and disposed by its owner.
        }
    }

    private sealed class LatencyHandler(HttpMessageHandler inner, FleetMetrics metrics, TimeProvider time) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var start = time.GetTimestamp();
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            metrics.ExchangeLatency(time.GetElapsedTime(start));
            return response;
        }
    }
}

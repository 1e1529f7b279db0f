using System.Text.RegularExpressions;
using DeviceAgent.Emulator.Devices;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MockMdm.Console.Tests;

/// <summary>The issue's scenario through the browser with emulated phones: tenant and consent, profiles, devices, New passcode, failure and its NGC log line, expiry.</summary>
[TestFixture]
[NonParallelizable]
public sealed partial class PinResetConsoleTests : ConsoleTestBase
{
    private const string TenantId = "a1b2c3d4-0000-4000-8000-000000000001";

    [Test]
    public async Task New_passcode_is_pending_then_shown_fails_under_a_7_character_policy_and_hides_after_seven_days()
    {
        await SignInAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Devices" })).ToBeVisibleAsync();
        await Expect(Page.GetByText("No devices enrolled yet")).ToBeVisibleAsync();

        // Tenant and the consent of both PIN reset applications.
        await Page.GetByRole(AriaRole.Link, new() { Name = "Tenants" }).ClickAsync();
        await Page.GetByLabel("Directory (tenant) ID").FillAsync(TenantId);
        await Page.GetByLabel("Name", new() { Exact = true }).FillAsync("Fabrikam");
        await Page.GetByLabel("UPN domains").FillAsync("fabrikam.example");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Add tenant" }).ClickAsync();
        var row = Page.Locator($"tr[data-tenant-id='{TenantId}']");
        await Expect(row).ToContainTextAsync("Not consented");
        foreach (var app in new[] { "Microsoft Pin Reset Service Production", "Microsoft Pin Reset Client Production" })
        {
            await row.GetByRole(AriaRole.Link, new() { Name = "Grant consent for " + app }).ClickAsync();
            await Expect(Page.GetByText(app)).ToBeVisibleAsync();
            await Page.GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();
            await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Consent granted" })).ToBeVisibleAsync();
            await Page.GotoAsync("/console/#/tenants");
        }

        await Expect(row.GetByText("Consented", new() { Exact = true })).ToHaveCountAsync(2);
        await ScreenshotAsync("tenants");

        // Groups: users who may recover their PIN, and users under a 7-character PIN policy.
        await Page.GetByRole(AriaRole.Link, new() { Name = "Groups" }).ClickAsync();
        await CreateGroupAsync("PIN recovery users", "alice@fabrikam.example\nbob@fabrikam.example\ncarol@fabrikam.example");
        await CreateGroupAsync("Long PIN users", "bob@fabrikam.example");
        await ScreenshotAsync("groups");

        // Profiles: EnablePinRecovery, and a PIN policy that allows the character classes of the PIN reset service's
        // 6-character PIN (upper, lower, digit, special; docs/pin-policy.md) for the recovery users; MinimumPINLength 7
        // for the long-PIN users.
        var policies = $"./Device/Vendor/MSFT/PassportForWork/{TenantId}/Policies/";
        await CreateProfileAsync("PIN recovery", ("EnablePinRecovery", policies + "EnablePinRecovery", "Boolean", "true"));
        await AssignAsync("PIN recovery users");
        await Expect(Page.GetByText("No devices are targeted yet")).ToBeVisibleAsync();
        var recoveryProfile = Page.Url;
        // Digits required, the other classes allowed (0): a class-free default would refuse the service's PIN by class.
        await CreateProfileAsync("PIN character classes",
            ("Digits", policies + "PINComplexity/Digits", "Integer", "1"),
            ("UppercaseLetters", policies + "PINComplexity/UppercaseLetters", "Integer", "0"),
            ("LowercaseLetters", policies + "PINComplexity/LowercaseLetters", "Integer", "0"),
            ("SpecialCharacters", policies + "PINComplexity/SpecialCharacters", "Integer", "0"));
        await AssignAsync("PIN recovery users");
        await CreateProfileAsync("PIN length 7", ("MinimumPINLength", policies + "PINComplexity/MinimumPINLength", "Integer", "7"));
        await AssignAsync("Long PIN users");

        // Emulated devices enroll (MS-MDE2, each with its own key) and sync: two phones, and a desktop to which the
        // phone-only profile does not apply.
        var alice = await Server.EnrollAsync(new DeviceSpec { Name = "Alice-Lumia", User = "alice@fabrikam.example", TenantId = TenantId });
        var bob = await Server.EnrollAsync(new DeviceSpec { Name = "Bob-Lumia", User = "bob@fabrikam.example", TenantId = TenantId });
        var carol = await Server.EnrollAsync(new DeviceSpec
        {
            Name = "Carol-Desktop", User = "carol@fabrikam.example", TenantId = TenantId, Platform = "windows10", OsBuild = "10.0.19045",
        });
        foreach (var device in new[] { alice, bob, carol })
        {
            await ConsoleServer.SyncAsync(device);
        }

        await Page.GotoAsync(recoveryProfile);
        var summary = Page.GetByRole(AriaRole.Group, new() { Name = "Status summary" });
        await Expect(summary.Locator(".tile", new() { HasText = "Succeeded" }).Locator(".count")).ToHaveTextAsync("2");
        await Expect(summary.Locator(".tile", new() { HasText = "Not applicable" }).Locator(".count")).ToHaveTextAsync("1");
        await Expect(Page.GetByRole(AriaRole.Row, new() { Name = "Carol-Desktop" })).ToContainTextAsync("Not applicable");
        await ScreenshotAsync("profile");

        // The device list, its search and filters.
        await Page.GetByRole(AriaRole.Link, new() { Name = "Devices" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Carol-Desktop" })).ToBeVisibleAsync();
        await ScreenshotAsync("devices");
        await Page.GetByLabel("Search").FillAsync("bob@");
        await Expect(Page.GetByText("1 of 3 devices")).ToBeVisibleAsync();
        await Page.GetByLabel("Search").FillAsync("");
        await Page.GetByLabel("Device type").SelectOptionAsync("desktop");
        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Carol-Desktop" })).ToBeVisibleAsync();
        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Alice-Lumia" })).ToBeHiddenAsync();
        await Page.GetByLabel("Device type").SelectOptionAsync("");

        // New passcode on Alice's phone: confirmation, Pending, then the passcode once the phone syncs.
        await Page.GetByRole(AriaRole.Link, new() { Name = "Alice-Lumia" }).ClickAsync();
        await RequestNewPasscodeAsync();
        var aliceAction = Page.GetByRole(AriaRole.Table, new() { Name = "Device actions" }).Locator("tbody tr").First;
        await Expect(aliceAction.Locator(".pill")).ToHaveTextAsync("Pending");
        await ScreenshotAsync("device-pending");
        await ConsoleServer.SyncAsync(alice);
        await Expect(aliceAction.Locator(".pill")).ToHaveTextAsync("Succeeded"); // the page refreshes by itself
        await Expect(aliceAction.GetByTestId("passcode")).ToHaveTextAsync(ServicePin());
        await Expect(aliceAction).ToContainTextAsync("Shown until 2026-01-12 09:00:00 UTC");
        await ScreenshotAsync("device");
        var aliceUrl = Page.Url;

        // The passcode the console shows is the one the phone accepts: Alice signs in with it, chooses her own PIN,
        // and her Windows Hello keys survived (recovery is non-destructive).
        var passcode = await aliceAction.GetByTestId("passcode").InnerTextAsync();
        Assert.That(alice.LockScreen.IsLocked, Is.True, "LockAndRecoverPIN locks the phone");
        var unlock = (await alice.UnlockAsync(passcode, "Kq7#mzp4"));
        Assert.That(unlock.Unlocked, Is.True, unlock.Message);
        Assert.That((await alice.HelloKeysIntactAsync()), Is.True);

        // Bob is under the 7-character policy: his phone refuses the service's 6-character PIN, and the page says why.
        await Page.GetByRole(AriaRole.Link, new() { Name = "Devices", Exact = true }).First.ClickAsync();
        await Page.GetByRole(AriaRole.Link, new() { Name = "Bob-Lumia" }).ClickAsync();
        await RequestNewPasscodeAsync();
        var bobAction = Page.GetByRole(AriaRole.Table, new() { Name = "Device actions" }).Locator("tbody tr").First;
        await Expect(bobAction.Locator(".pill")).ToHaveTextAsync("Pending");
        var bobPin = bob.CurrentPin;
        await ConsoleServer.SyncAsync(bob);
        await Expect(bobAction.Locator(".pill")).ToHaveTextAsync("Failed");
        await Expect(bobAction.GetByTestId("failure-reason")).ToContainTextAsync("500");
        await Expect(bobAction).ToContainTextAsync("0x87D101F4");
        await ScreenshotAsync("device-failed");
        var bobUrl = Page.Url;
        var explanation = await Page.Context.RunAndWaitForPageAsync(() =>
            bobAction.GetByRole(AriaRole.Link, new() { Name = "what this error means" }).ClickAsync());
        await Expect(explanation.Locator("body")).ToContainTextAsync("6-character");
        await Expect(explanation.Locator("body")).ToContainTextAsync("MinimumPINLength");
        await explanation.CloseAsync();
        Assert.That((await bob.UnlockAsync(bobPin!)).Unlocked, Is.True, "a refused recovery leaves Bob's PIN as it was");

        // Bob's trace page: the RemoteLock exchange, and his phone's NGC event log naming the refusal.
        await Page.GotoAsync(bobUrl);
        await Page.GetByRole(AriaRole.Link, new() { Name = "SyncML trace and NGC event log" }).ClickAsync();
        var trace = Page.GetByTestId("syncml-trace");
        await Expect(trace).ToContainTextAsync("LockAndRecoverPIN");
        await Expect(Page.GetByRole(AriaRole.Table, new() { Name = "NGC event log" })).ToContainTextAsync("InvalidPinTooFewCharacters");
        await trace.Locator("details").Last.Locator("summary").ClickAsync();
        await ScreenshotAsync("trace");

        // Seven days later (server time) the passcode is no longer shown.
        Server.Clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        await Page.GotoAsync(aliceUrl);
        await Page.ReloadAsync();
        await Expect(aliceAction.Locator(".pill")).ToHaveTextAsync("Succeeded");
        await Expect(aliceAction.GetByTestId("passcode-hidden")).ToBeVisibleAsync();
        await Expect(aliceAction.GetByTestId("passcode")).ToHaveCountAsync(0);
    }

    private async Task CreateGroupAsync(string name, string members)
    {
        await Page.GetByLabel("Group name").FillAsync(name);
        await Page.GetByLabel("Group type").SelectOptionAsync("user");
        await Page.GetByLabel("Members").FillAsync(members);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Create group" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = name })).ToBeVisibleAsync();
    }

    private async Task CreateProfileAsync(string name, params (string Name, string OmaUri, string DataType, string Value)[] settings)
    {
        await Page.GotoAsync("/console/#/profiles");
        await Page.GetByRole(AriaRole.Link, new() { Name = "Create profile" }).ClickAsync();
        await Page.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        for (var i = 1; i <= settings.Length; i++)
        {
            if (i > 1)
            {
                await Page.GetByRole(AriaRole.Button, new() { Name = "Add setting" }).ClickAsync();
            }

            var (settingName, omaUri, dataType, value) = settings[i - 1];
            await Page.GetByLabel($"Setting {i} name").FillAsync(settingName);
            await Page.GetByLabel($"Setting {i} OMA-URI").FillAsync(omaUri);
            await Page.GetByLabel($"Setting {i} data type").SelectOptionAsync(dataType);
            await Page.GetByLabel($"Setting {i} value").FillAsync(value);
        }

        await Page.GetByRole(AriaRole.Button, new() { Name = "Create", Exact = true }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = name, Exact = true })).ToBeVisibleAsync();
    }

    private async Task AssignAsync(string group)
    {
        await Page.GetByLabel(group).CheckAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Save assignments" }).ClickAsync();
        await Expect(Page.GetByText("Assigned to: " + group)).ToBeVisibleAsync();
    }

    private async Task RequestNewPasscodeAsync()
    {
        await Page.GetByRole(AriaRole.Button, new() { Name = "New passcode" }).ClickAsync();
        var dialog = Page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync("LockAndRecoverPIN");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "New passcode" }).ClickAsync();
    }

    /// <summary>The PIN reset service's PIN: 6 characters with an upper-case and a lower-case letter, a digit and a special character (docs/pin-policy.md).</summary>
    [GeneratedRegex("^(?=.*[A-Z])(?=.*[a-z])(?=.*[0-9])(?=.*[^A-Za-z0-9]).{6}$")]
    private static partial Regex ServicePin();
}

using System.Net;
using DeviceAgent.Emulator.Devices;
using DeviceAgent.Emulator.Scenarios;
using DeviceAgent.Ngc;
using DeviceAgent.Protocol;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MockMdm.Console.Tests;

/// <summary>Sign-in, the API's 401 for callers without the key, empty states, errors, keyboard use, an emulated phone's published NGC log, a trace page that fits a 1280 px window.</summary>
[TestFixture]
[NonParallelizable]
public sealed class ConsoleBasicsTests : ConsoleTestBase
{
    [Test]
    public async Task A_wrong_key_is_refused_with_a_message_and_the_api_still_answers_401_without_one()
    {
        using (var response = await Http.GetAsync(new Uri("api/deviceManagement/managedDevices", UriKind.Relative)))
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        }

        using (var page = await Http.GetAsync(new Uri("console/", UriKind.Relative)))
        {
            Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await page.Content.ReadAsStringAsync(), Does.Not.Contain(ConsoleServer.ApiKey));
        }

        await SignInAsync("not-the-key");
        await Expect(Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("the API key is wrong");
        await Expect(Page.GetByLabel("API key")).ToBeVisibleAsync();

        await Page.GetByLabel("API key").FillAsync(ConsoleServer.ApiKey);
        await Page.GetByLabel("API key").PressAsync("Enter");
        await Expect(Page.GetByText("No devices enrolled yet")).ToBeVisibleAsync();
    }

    [Test]
    public async Task Empty_pages_say_so_and_bad_input_shows_the_servers_reason()
    {
        await SignInAsync();
        await Expect(Page.GetByText("No devices enrolled yet")).ToBeVisibleAsync();
        await Page.GotoAsync("/console/#/profiles");
        await Expect(Page.GetByText("No configuration profiles yet")).ToBeVisibleAsync();
        await Page.GotoAsync("/console/#/groups");
        await Expect(Page.GetByText("No groups yet")).ToBeVisibleAsync();

        await Page.GotoAsync("/console/#/tenants");
        await Page.GetByLabel("Directory (tenant) ID").FillAsync("not-a-guid");
        await Page.GetByLabel("Name", new() { Exact = true }).FillAsync("Broken");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Add tenant" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("'id' must be the directory (tenant) ID, a GUID");

        await Page.GotoAsync("/console/#/devices/no-such-device");
        await Expect(Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("managed device 'no-such-device' does not exist");
    }

    [Test]
    public async Task The_console_works_from_the_keyboard_and_the_confirmation_can_be_cancelled()
    {
        await SignInAsync();
        var device = await Server.EnrollAsync(new DeviceSpec { Name = "Dana-Lumia", User = "dana@contoso.example", Join = JoinType.WorkplaceJoined });
        await ConsoleServer.SyncAsync(device);
        await Page.ReloadAsync();

        // The first Tab reaches the skip link; Enter on a focused nav link navigates.
        await Page.Keyboard.PressAsync("Tab");
        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Skip to content" })).ToBeFocusedAsync();
        await Page.GetByRole(AriaRole.Link, new() { Name = "Dana-Lumia" }).FocusAsync();
        await Page.Keyboard.PressAsync("Enter");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Dana-Lumia" })).ToBeVisibleAsync();

        // A personal (workplace-joined) phone gets Reset passcode (LockAndResetPIN); Escape cancels the confirmation.
        await Page.GetByRole(AriaRole.Button, new() { Name = "Reset passcode" }).FocusAsync();
        await Page.Keyboard.PressAsync("Enter");
        await Expect(Page.GetByRole(AriaRole.Dialog)).ToContainTextAsync("LockAndResetPIN");
        await Page.Keyboard.PressAsync("Escape");
        await Expect(Page.GetByRole(AriaRole.Dialog)).ToBeHiddenAsync();
        await Expect(Page.GetByText("No device actions yet")).ToBeVisibleAsync();
    }

    [Test]
    public async Task A_published_NGC_event_log_shows_live_on_the_trace_page_until_withdrawn()
    {
        await SignInAsync();
        var device = await Server.EnrollAsync(new DeviceSpec { Name = "Erin-Lumia", User = "erin@contoso.example" });
        await ConsoleServer.SyncAsync(device);

        await Page.GotoAsync($"/console/#/devices/{device.ManagedDeviceId}/trace");
        var log = Page.GetByRole(AriaRole.Table, new() { Name = "NGC event log" });
        await Expect(log).ToContainTextAsync("CreateContainer"); // Windows Hello set up on the phone
        await Expect(log).Not.ToContainTextAsync("InvalidPin");
        await Expect(Page.GetByTestId("syncml-trace")).ToContainTextAsync("./DevInfo/DevId");

        // Written after the page loaded: Erin mistypes her PIN at the lock screen, and the live view picks it up.
        device.LockScreen.Lock();
        var attempt = (await device.UnlockAsync(device.CurrentPin + "9"));
        Assert.That(attempt.Unlocked, Is.False);
        await Expect(log).ToContainTextAsync(attempt.Outcome.ToString());

        // A device that keeps its log to itself: the console says the server has none.
        Assert.That(Server.Mdm.EventLogs.Withdraw(device.Profile.DevId), Is.True);
        await Page.ReloadAsync();
        await Expect(Page.GetByTestId("ngc-log")).ToContainTextAsync("No NGC event log");
    }

    [Test]
    public async Task The_trace_page_fits_a_1280_pixel_window_with_long_NGC_entries_and_open_SyncML_messages()
    {
        await Page.SetViewportSizeAsync(1280, 800);
        await SignInAsync();
        const string user = "frederika.vandermeulen-oppenheimer.external-contractor@research-and-development.emea.contoso-international.example";
        var device = await Server.EnrollAsync(new DeviceSpec { Name = "Frederika-Lumia", User = user });
        await ConsoleServer.SyncAsync(device);

        // Long entries: the longest operation and outcome names, a long user ID, a long detail and an unbroken token in it.
        var token = string.Concat(Enumerable.Repeat("3q2+7wAAAAAAAAAAZmVkY2JhOTg3NjU0MzIxMA==", 6));
        device.EventLog.Append(NgcOperation.GetEncryptedRecoveryProtector, NgcOutcome.InvalidPinSpecialCharacterNotAllowed,
            user, "tenant=a1b2c3d4-0000-4000-8000-000000000001 the recovery protector could not be unwrapped with the service key; protector=" + token);
        device.EventLog.Append(NgcOperation.ResetPinDestructive, NgcOutcome.RecoveryProtectorInvalid, user + user, token);

        await Page.GotoAsync($"/console/#/devices/{device.ManagedDeviceId}/trace");
        var log = Page.GetByRole(AriaRole.Table, new() { Name = "NGC event log" });
        await Expect(log).ToContainTextAsync("RecoveryProtectorInvalid");
        await Expect(log).ToContainTextAsync(token);
        var trace = Page.GetByTestId("syncml-trace");
        await Expect(trace).ToContainTextAsync("./DevInfo/DevId");

        // Every SyncML message open: raw XML with the long devicetoken LocURI.
        await Page.GetByRole(AriaRole.Button, new() { Name = "Pause live view" }).ClickAsync();
        await trace.Locator("details").EvaluateAllAsync<int>("all => { all.forEach(d => d.open = true); return all.length; }");
        await Expect(trace.Locator("details[open] pre").First).ToContainTextAsync("devicetoken=");

        var widths = await Page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
        Assert.That(widths[1], Is.EqualTo(1280));
        Assert.That(widths[0], Is.LessThanOrEqualTo(widths[1]), "the trace page scrolls horizontally in a 1280 px window");
    }
}

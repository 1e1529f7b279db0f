using DeviceAgent.Csp;
using DeviceAgent.Emulator.Devices;
using DeviceAgent.Emulator.Server;
using DeviceAgent.Enrollment;
using DeviceAgent.Ngc;
using DeviceAgent.SyncML;

namespace DeviceAgent.EndToEnd.Tests;

/// <summary>Enrollment writes the provisioning document into the DM tree; DMClient Unenroll takes it out (docs/csps.md).</summary>
public class EnrollmentTreeTests
{
    private const string Provider = "./Vendor/MSFT/DMClient/Provider/MockMdm";
    private const string Tenant = "3f1c1b8e-5a7d-4c0e-9b2a-6d5e4f3a2b1c";

    private static async Task<(int Status, string? Value)> GetAsync(EmulatedDevice device, string uri)
    {
        var get = new Get { CmdID = "1" };
        get.Items.Add(new Item { Target = new LocationElement(uri) });
        var answers = await device.Executor.ExecuteAsync([get], "1", CancellationToken.None);
        var status = int.Parse(answers.OfType<Status>().Single().Data!, System.Globalization.CultureInfo.InvariantCulture);
        return (status, answers.OfType<Results>().SingleOrDefault()?.Items.Single().Data?.Value);
    }

    private static async Task<int> RunAsync(EmulatedDevice device, ItemCommand command, string uri, string? data = null, string? format = null)
    {
        command.CmdID = "1";
        command.Items.Add(new Item { Target = new LocationElement(uri), Data = data is null ? null : new Data(data), Meta = format is null ? null : new Meta { Format = format } });
        var answers = await device.Executor.ExecuteAsync([command], "1", CancellationToken.None);
        return int.Parse(answers.OfType<Status>().Single().Data!, System.Globalization.CultureInfo.InvariantCulture);
    }

    [TestCase(MockMdm.ProvisionedEncoding.Xml, "application/vnd.syncml.dm+xml", SyncMLEncoding.Xml)]
    [TestCase(MockMdm.ProvisionedEncoding.Wbxml, "application/vnd.syncml.dm+wbxml", SyncMLEncoding.Wbxml)]
    [TestCase(MockMdm.ProvisionedEncoding.None, null, SyncMLEncoding.Xml)]
    [CancelAfter(60_000)]
    public async Task The_w7_DEFAULTENCODING_lands_in_DMAcc_and_is_the_encoding_sessions_use(
        MockMdm.ProvisionedEncoding provisioned, string? node, SyncMLEncoding expected, CancellationToken cancellationToken)
    {
        await using var mdm = await EmbeddedMdm.StartAsync(
            new EmbeddedMdmOptions { Host = EmbeddedHost.TestServer, Keys = Keys.Material, DefaultEncoding = provisioned }, cancellationToken);
        using var transport = mdm.CreateDeviceTransport();
        using var device = await EmulatedDevice.CreateAsync(new DeviceSpec { Name = "phone1", User = "alice@contoso.com" },
            new EmulatorOptions { Pbkdf2Iterations = 10, PinResetService = mdm.PinResetService }, cancellationToken);
        var enrollment = await device.EnrollAsync(transport, cancellationToken);
        var session = await device.SyncAsync(cancellationToken: cancellationToken);

        var account = "./SyncML/DMAcc/" + EnrollmentTree.AccountName("MockMdm");
        Assert.Multiple(async () =>
        {
            Assert.That(enrollment.DefaultEncoding, Is.EqualTo(node));
            Assert.That(await GetAsync(device, account + "/Ext/Microsoft/DefaultEncoding"), Is.EqualTo(node is null ? (404, (string?)null) : (200, node)));
            Assert.That(device.SessionEncoding(), Is.EqualTo(expected));
            Assert.That(session.Succeeded, Is.True, session.Reason);
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task The_emulators_encoding_overrides_what_enrollment_provisioned(CancellationToken cancellationToken)
    {
        await using var mdm = await EmbeddedMdm.StartAsync(
            new EmbeddedMdmOptions { Host = EmbeddedHost.TestServer, Keys = Keys.Material, DefaultEncoding = MockMdm.ProvisionedEncoding.Wbxml }, cancellationToken);
        using var transport = mdm.CreateDeviceTransport();
        using var device = await EmulatedDevice.CreateAsync(new DeviceSpec { Name = "phone1", User = "alice@contoso.com" },
            new EmulatorOptions { Pbkdf2Iterations = 10, PinResetService = mdm.PinResetService, Encoding = SyncMLEncoding.Xml }, cancellationToken);
        await device.EnrollAsync(transport, cancellationToken);
        Assert.That(device.SessionEncoding(), Is.EqualTo(SyncMLEncoding.Xml));
        Assert.That((await device.SyncAsync(cancellationToken: cancellationToken)).Succeeded, Is.True);
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task After_enrollment_DMAcc_and_DMClient_hold_the_provisioning_document_and_push_registration_succeeds(CancellationToken cancellationToken)
    {
        await using var mdm = await EmbeddedMdm.StartAsync(new EmbeddedMdmOptions { Host = EmbeddedHost.TestServer, Keys = Keys.Material }, cancellationToken);
        using var transport = mdm.CreateDeviceTransport();
        using var device = await EmulatedDevice.CreateAsync(new DeviceSpec { Name = "phone1", User = "alice@contoso.com" },
            new EmulatorOptions { Pbkdf2Iterations = 10, PinResetService = mdm.PinResetService }, cancellationToken);
        var answered = new List<string>();
        device.CommandAnswered += (command, status) => answered.Add($"{command.Name} {status.Data}");

        var enrollment = await device.EnrollAsync(transport, cancellationToken);
        var session = await device.SyncAsync(cancellationToken: cancellationToken);

        var account = "./SyncML/DMAcc/" + EnrollmentTree.AccountName("MockMdm");
        Assert.Multiple(async () =>
        {
            Assert.That(session.Succeeded, Is.True, session.Reason);
            Assert.That(answered, Is.Not.Empty.And.All.Not.EndsWith(" 404"), "the server's own commands (push registration included)");
            Assert.That(await GetAsync(device, Provider + "/UPN"), Is.EqualTo((200, "alice@contoso.com")));
            Assert.That(await GetAsync(device, Provider + "/EntDeviceName"), Is.EqualTo((200, "phone1")));
            Assert.That(await GetAsync(device, Provider + "/Poll/IntervalForRemainingScheduledRetries"), Is.EqualTo((200, "1560")));
            Assert.That(await GetAsync(device, Provider + "/Poll/PollOnLogin"), Is.EqualTo((200, "true")));
            Assert.That(await GetAsync(device, Provider + "/ManagementServiceAddress"), Is.EqualTo((200, enrollment.ManagementServerUrl.AbsoluteUri)));
            Assert.That(await GetAsync(device, Provider + "/Push/PFN"), Is.EqualTo((200, new MockMdm.MockMdmOptions().PushPackageFamilyName)));
            Assert.That((await GetAsync(device, Provider + "/Push/ChannelURI")).Value, Does.StartWith("https://"));
            Assert.That(await GetAsync(device, "./Vendor/MSFT/DMClient/Provider"), Is.EqualTo((200, "MockMdm")));
            Assert.That(await GetAsync(device, account + "/AppID"), Is.EqualTo((200, "w7")));
            Assert.That(await GetAsync(device, account + "/ServerID"), Is.EqualTo((200, "MockMdm")));
            Assert.That(await GetAsync(device, account + "/AppAddr/1/Addr"), Is.EqualTo((200, enrollment.ManagementServerUrl.AbsoluteUri)));
            Assert.That(await GetAsync(device, account + "/Ext/Microsoft/DefaultEncoding"), Is.EqualTo((200, "application/vnd.syncml.dm+xml")));
            Assert.That(await GetAsync(device, account + "/Ext/Microsoft/BackCompatRetryDisabled"), Is.EqualTo((200, "true")));
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Exec_Unenroll_removes_provider_account_policies_and_recovery_and_stops_sessions(CancellationToken cancellationToken)
    {
        await using var mdm = await EmbeddedMdm.StartAsync(new EmbeddedMdmOptions { Host = EmbeddedHost.TestServer, Keys = Keys.Material }, cancellationToken);
        using var transport = mdm.CreateDeviceTransport();
        using var device = await EmulatedDevice.CreateAsync(new DeviceSpec { Name = "phone1", User = "alice@contoso.com" },
            new EmulatorOptions { Pbkdf2Iterations = 10, PinResetService = mdm.PinResetService }, cancellationToken);
        await device.EnrollAsync(transport, cancellationToken);
        var policies = $"./Device/Vendor/MSFT/PassportForWork/{Tenant}/Policies";
        Assert.That(await RunAsync(device, new Add(), policies + "/EnablePinRecovery", "true", "bool"), Is.EqualTo(200));
        Assert.That(await RunAsync(device, new Replace(), "./Device/Vendor/MSFT/Policy/Config/DeviceLock/DevicePasswordEnabled", "0", "int"), Is.EqualTo(200));
        var unenrolled = new List<string>();
        device.Unenrolled += unenrolled.Add;

        // The Exec answers 200 in its session; the device acts once that session has ended.
        Assert.That(await RunAsync(device, new Exec(), Provider + "/Unenroll"), Is.EqualTo(200));
        Assert.That(device.IsConnected, Is.True);
        await device.SyncAsync(cancellationToken: cancellationToken);

        Assert.Multiple(async () =>
        {
            Assert.That(unenrolled, Is.EqualTo(new[] { "MockMdm" }));
            Assert.That((await GetAsync(device, Provider)).Status, Is.EqualTo(404));
            Assert.That((await GetAsync(device, "./SyncML/DMAcc/" + EnrollmentTree.AccountName("MockMdm"))).Status, Is.EqualTo(404));
            Assert.That((await GetAsync(device, $"./Device/Vendor/MSFT/PassportForWork/{Tenant}")).Status, Is.EqualTo(404));
            Assert.That((await GetAsync(device, "./Device/Vendor/MSFT/Policy/Config/DeviceLock/DevicePasswordEnabled")).Status, Is.EqualTo(404));
            Assert.That(device.EventLog.Query(NgcOperation.DisablePinRecovery) is [.., var last] ? last.Outcome : (NgcOutcome?)null, Is.EqualTo(NgcOutcome.Success), "the recovery protector went with the policy");
            Assert.That(device.Enrollment, Is.Null);
            Assert.That(device.IsConnected, Is.False);
            Assert.ThrowsAsync<InvalidOperationException>(() => device.SyncAsync(cancellationToken: cancellationToken));
            // Windows Hello itself stays: the container belongs to the user's Azure AD account, not the MDM enrollment.
            Assert.That(await device.HelloKeysIntactAsync(cancellationToken), Is.True);
        });
    }
}

/// <summary>What Reboot RebootNow and RemoteWipe doWipe do to an enrolled phone (docs/csps.md).</summary>
public class DeviceActionTests
{
    [Test]
    [CancelAfter(60_000)]
    public async Task A_reboot_keeps_the_enrollment_and_boots_to_a_locked_screen(CancellationToken cancellationToken)
    {
        await using var mdm = await EmbeddedMdm.StartAsync(new EmbeddedMdmOptions { Host = EmbeddedHost.TestServer, Keys = Keys.Material }, cancellationToken);
        using var transport = mdm.CreateDeviceTransport();
        using var device = await EmulatedDevice.CreateAsync(new DeviceSpec { Name = "phone1", User = "alice@contoso.com" },
            new EmulatorOptions { Pbkdf2Iterations = 10, PinResetService = mdm.PinResetService }, cancellationToken);
        await device.EnrollAsync(transport, cancellationToken);
        const string deviceName = "./DevDetail/Ext/Microsoft/DeviceName";
        var rename = new Replace { CmdID = "1" };
        rename.Items.Add(new Item { Target = new LocationElement(deviceName), Data = new Data("renamed") });
        await device.Executor.ExecuteAsync([rename], "1", cancellationToken);
        var before = device.Standard.DevDetail.DeviceName;

        device.Reboot();
        var session = await device.SyncAsync(cancellationToken: cancellationToken);

        Assert.That(before, Is.EqualTo("phone1"), "a DeviceName Replace waits for a restart");
        Assert.That(device.Standard.DevDetail.DeviceName, Is.EqualTo("renamed"));
        Assert.That(device.BootCount, Is.EqualTo(2));
        Assert.That(device.LockScreen.IsLocked, Is.True);
        Assert.That(session.Succeeded, Is.True, session.Reason);
        Assert.That(await device.HelloKeysIntactAsync(cancellationToken), Is.True);
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task A_wipe_removes_enrollment_and_Windows_Hello_and_restarts(CancellationToken cancellationToken)
    {
        await using var mdm = await EmbeddedMdm.StartAsync(new EmbeddedMdmOptions { Host = EmbeddedHost.TestServer, Keys = Keys.Material }, cancellationToken);
        using var transport = mdm.CreateDeviceTransport();
        using var device = await EmulatedDevice.CreateAsync(new DeviceSpec { Name = "phone1", User = "alice@contoso.com" },
            new EmulatorOptions { Pbkdf2Iterations = 10, PinResetService = mdm.PinResetService }, cancellationToken);
        await device.EnrollAsync(transport, cancellationToken);
        var wiped = 0;
        device.Wiped += () => wiped++;

        await device.WipeAsync(cancellationToken);

        Assert.Multiple(async () =>
        {
            Assert.That(wiped, Is.EqualTo(1));
            Assert.That(device.Tree.Find("./Vendor/MSFT/DMClient/Provider/MockMdm"), Is.Null);
            Assert.That(device.Tree.Find("./SyncML/DMAcc/" + EnrollmentTree.AccountName("MockMdm")), Is.Null);
            Assert.That(device.Enrollment, Is.Null);
            Assert.That(device.IsConnected, Is.False);
            Assert.That((await device.Ngc.GetContainerInfoAsync("alice@contoso.com", cancellationToken)).Outcome, Is.EqualTo(NgcOutcome.NoContainer));
            Assert.That(device.CurrentPin, Is.Null);
            Assert.That(device.BootCount, Is.EqualTo(2));
        });
    }
}

/// <summary>The certificates enrollment leaves on the phone, and what Unenroll and RemoteWipe take away (docs/csps.md "Certificates").</summary>
public class EnrollmentCertificateTests
{
    private const string Store = "./Vendor/MSFT/CertificateStore";

    private static async Task<(int Status, string? Value)> GetAsync(EmulatedDevice device, string uri)
    {
        var get = new Get { CmdID = "1" };
        get.Items.Add(new Item { Target = new LocationElement(uri) });
        var answers = await device.Executor.ExecuteAsync([get], "1", CancellationToken.None);
        var status = int.Parse(answers.OfType<Status>().Single().Data!, System.Globalization.CultureInfo.InvariantCulture);
        return (status, answers.OfType<Results>().SingleOrDefault()?.Items.Single().Data?.Value);
    }

    private static async Task<EmulatedDevice> EnrolledAsync(EmbeddedMdm mdm, IDeviceTransport transport, CancellationToken cancellationToken)
    {
        var device = await EmulatedDevice.CreateAsync(new DeviceSpec { Name = "phone1", User = "alice@contoso.com" },
            new EmulatorOptions { Pbkdf2Iterations = 10, PinResetService = mdm.PinResetService }, cancellationToken);
        await device.EnrollAsync(transport, cancellationToken);
        return device;
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task The_MDM_root_and_client_certificate_are_in_the_CertificateStore_and_Unenroll_removes_them(CancellationToken cancellationToken)
    {
        await using var mdm = await EmbeddedMdm.StartAsync(new EmbeddedMdmOptions { Host = EmbeddedHost.TestServer, Keys = Keys.Material }, cancellationToken);
        using var transport = mdm.CreateDeviceTransport();
        using var device = await EnrolledAsync(mdm, transport, cancellationToken);
        var enrollment = device.Enrollment!;
        var client = enrollment.ClientCertificate.Thumbprint;
        var root = enrollment.RootCertificate.Thumbprint;

        Assert.Multiple(async () =>
        {
            Assert.That(await GetAsync(device, $"{Store}/Root/System"), Is.EqualTo((200, root)));
            Assert.That(await GetAsync(device, $"{Store}/Root/System/{root}/IssuedTo"), Is.EqualTo((200, enrollment.RootCertificate.Subject)));
            Assert.That(await GetAsync(device, $"{Store}/My/User/{client}/IssuedBy"), Is.EqualTo((200, enrollment.ClientCertificate.Issuer)));
            Assert.That(await GetAsync(device, $"{Store}/My/WSTEP/CertThumprint"), Is.EqualTo((200, client)));
            Assert.That(await GetAsync(device, $"{Store}/My/WSTEP/Renew/RenewPeriod"), Is.EqualTo((200, "60")));
        });

        await device.UnenrollAsync("MockMdm", cancellationToken);

        Assert.Multiple(async () =>
        {
            Assert.That(await GetAsync(device, $"{Store}/Root/System"), Is.EqualTo((200, "")));
            Assert.That(await GetAsync(device, $"{Store}/My/User"), Is.EqualTo((200, "")));
            Assert.That(await GetAsync(device, $"{Store}/My/WSTEP/CertThumprint"), Is.EqualTo((200, "")));
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task A_wipe_leaves_no_certificate_the_server_configured(CancellationToken cancellationToken)
    {
        await using var mdm = await EmbeddedMdm.StartAsync(new EmbeddedMdmOptions { Host = EmbeddedHost.TestServer, Keys = Keys.Material }, cancellationToken);
        using var transport = mdm.CreateDeviceTransport();
        using var device = await EnrolledAsync(mdm, transport, cancellationToken);
        var extra = new Add { CmdID = "1" };
        extra.Items.Add(new Item
        {
            Target = new LocationElement($"./Vendor/MSFT/RootCATrustedCertificates/Root/{mdm.RootCertificate.Thumbprint}/EncodedCertificate"),
            Data = new Data(Convert.ToBase64String(mdm.RootCertificate.RawData)),
            Meta = new Meta { Format = "b64" },
        });
        Assert.That((await device.Executor.ExecuteAsync([extra], "1", cancellationToken)).OfType<Status>().Single().Data, Is.EqualTo("200"));

        await device.WipeAsync(cancellationToken);

        Assert.Multiple(async () =>
        {
            Assert.That(await GetAsync(device, "./Vendor/MSFT/RootCATrustedCertificates/Root"), Is.EqualTo((200, "")));
            Assert.That(await GetAsync(device, $"{Store}/Root/System"), Is.EqualTo((200, "")));
            Assert.That(await GetAsync(device, $"{Store}/My/User"), Is.EqualTo((200, "")));
        });
    }
}

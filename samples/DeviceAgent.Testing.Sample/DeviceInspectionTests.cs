using DeviceAgent.Testing;

namespace DeviceAgent.Testing.Sample;

/// <summary>Reading what a phone holds and said: its DM tree, its SyncML trace; and phones against a server at a URL.</summary>
public class DeviceInspectionTests
{
    [Test]
    [CancelAfter(120_000)]
    public async Task A_session_leaves_the_exchange_in_the_trace_and_the_identity_in_the_tree(CancellationToken cancellationToken)
    {
        await using var server = await MdmTestServer.StartAsync(new EmbeddedServerOptions { Seed = 7 }, cancellationToken);
        var phone = await server.EnrollPhoneAsync("erin-phone", cancellationToken: cancellationToken);

        var session = await phone.SyncAsync(cancellationToken);

        Assert.That(session.Succeeded, session.Reason);
        Assert.That(await phone.ReadNodeAsync("./DevInfo/DevId", cancellationToken), Is.EqualTo(new DmNodeRead("./DevInfo/DevId", 200, phone.DevId)));
        Assert.That((await phone.ReadNodeAsync("./Vendor/MSFT/DMClient/Provider", cancellationToken)).Value, Is.Not.Empty, "enrollment provisioned a DMClient provider");
        Assert.That((await phone.ReadNodeAsync("./Vendor/MSFT/NoSuchCsp", cancellationToken)).Status, Is.EqualTo(404));
        Assert.That(phone.TraceMessages, Has.Count.EqualTo(session.MessagesSent + session.MessagesReceived));
        Assert.That(phone.TraceMessages[0].SessionId, Is.EqualTo(session.SessionID));
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task Phones_enroll_against_a_server_at_a_URL_that_they_trust(CancellationToken cancellationToken)
    {
        // Stands in for your own server: a MockMdm on real sockets with its own CA, reached by URL.
        await using var hosting = await MdmTestServer.StartAsync(new EmbeddedServerOptions { RealSockets = true }, cancellationToken);
        var trust = DeviceAgent.Emulator.Devices.ServerTrust.SystemStore.With(hosting.Embedded!.RootCertificate);
        await using var server = await MdmTestServer.ConnectAsync(hosting.ServerUrl, new ExistingServerOptions { Trust = trust }, cancellationToken);

        var phone = await server.EnrollPhoneAsync("frank-phone", cancellationToken: cancellationToken);
        var session = await phone.SyncAsync(cancellationToken);

        Assert.That(session.Succeeded, session.Reason);
        Assert.That(server.ServerUrl.Scheme, Is.EqualTo("https"));
        Assert.That(phone.ManagedDeviceId, Is.Not.Empty);
    }
}

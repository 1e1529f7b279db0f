using System.Collections.Concurrent;
using DeviceAgent.Emulator.Devices;
using DeviceAgent.Emulator.Fleet;
using DeviceAgent.Emulator.Server;
using DeviceAgent.Enrollment;
using DeviceAgent.Ngc;
using DeviceAgent.SyncML;
using MockMdm;

namespace DeviceAgent.EndToEnd.Tests;

/// <summary>
/// A fleet whose provisioning document says w7 DEFAULTENCODING WBXML speaks WBXML on every OMA-DM message, both ways,
/// and its New passcode round ends exactly as the same fleet's in XML (docs/emulator.md "Encoding").
/// </summary>
public class WbxmlFleetTests
{
    private const int Devices = 4;

    [Test]
    [CancelAfter(240_000)]
    public async Task A_fleet_provisioned_with_wbxml_sends_and_receives_only_wbxml_and_ends_as_in_xml(CancellationToken cancellationToken)
    {
        var (xml, xmlWire) = await RunFleetAsync(ProvisionedEncoding.Xml, cancellationToken);
        var (wbxml, wbxmlWire) = await RunFleetAsync(ProvisionedEncoding.Wbxml, cancellationToken);

        Assert.Multiple(() =>
        {
            foreach (var snapshot in new[] { xml, wbxml })
            {
                Assert.That(snapshot.Errors, Is.Zero, () => string.Join("\n", snapshot.ErrorSamples.Take(5)));
                Assert.That(snapshot.Enrolled, Is.EqualTo(Devices));
                Assert.That(snapshot.ActionsDone, Is.EqualTo(Devices));
                Assert.That(snapshot.Sessions, Is.EqualTo(2 * Devices));
            }

            // The same flow: the same sessions and the same answers to the server's commands.
            Assert.That(wbxml.CommandsByStatus, Is.EquivalentTo(xml.CommandsByStatus));
            Assert.That(wbxmlWire, Has.Count.EqualTo(xmlWire.Count), "as many OMA-DM exchanges in either encoding");

            AssertWire(xmlWire, SyncMLMediaTypes.DmXml, body => body[0] == (byte)'<');
            // WBXML 1.3, SyncML 1.2 public identifier: version byte 0x03 (SyncMLWbxml.DetectEncoding), and every body decodes.
            AssertWire(wbxmlWire, SyncMLMediaTypes.DmWbxml, body => body[0] == 0x03 && SyncMLWbxml.ReadMessage(body).SyncHdr is not null);
        });
    }

    private static void AssertWire(IReadOnlyCollection<Exchange> wire, string mediaType, Func<byte[], bool> isEncoded)
    {
        Assert.That(wire, Is.Not.Empty);
        Assert.That(wire.Select(e => e.RequestType).Distinct(), Is.EqualTo(new[] { mediaType }), "Content-Type of every device message");
        Assert.That(wire.Select(e => e.ResponseType).Distinct(), Is.EqualTo(new[] { mediaType }), "Content-Type of every server message");
        Assert.That(wire.Where(e => !isEncoded(e.Request)), Is.Empty, "every device message is in that encoding");
        Assert.That(wire.Where(e => !isEncoded(e.Response)), Is.Empty, "every server message is in that encoding");
    }

    private static async Task<(FleetSnapshot Snapshot, List<Exchange> Wire)> RunFleetAsync(ProvisionedEncoding encoding, CancellationToken cancellationToken)
    {
        await using var mdm = await EmbeddedMdm.StartAsync(
            new EmbeddedMdmOptions { Host = EmbeddedHost.TestServer, Keys = Keys.Material, DefaultEncoding = encoding }, cancellationToken);
        var wire = new ConcurrentQueue<Exchange>();
        using var transport = new RecordingTransport(mdm.CreateDeviceTransport(), wire);
        using var api = new MdmApiClient(mdm.BaseUrl, mdm.ApiKey, mdm.CreateApiHandler());
        var work = new FleetWork(api, transport, new EmulatorOptions
        {
            Seed = 9,
            Pbkdf2Iterations = 1,
            HelloKeyAlgorithm = NgcKeyAlgorithm.EcdsaP256,
            EnrollmentKeys = new EnrollmentKeyPool(2),
            PinResetService = mdm.PinResetService,
        }, FleetAction.NewPasscode);
        await work.PrepareAsync(cancellationToken);
        var snapshot = await new FleetRunner(new FleetOptions { Devices = Devices, Concurrency = 2, Seed = 9 }, TimeProvider.System)
            .RunAsync(work.RunDeviceAsync, cancellationToken);
        return (snapshot, [.. wire]);
    }

    /// <summary>One OMA-DM POST as it went to the server and came back.</summary>
    private sealed record Exchange(string? RequestType, byte[] Request, string? ResponseType, byte[] Response);

    /// <summary>The fleet's transport with every session handler recording what crosses it (enrollment is not OMA-DM).</summary>
    private sealed class RecordingTransport(IDeviceTransport inner, ConcurrentQueue<Exchange> wire) : IDeviceTransport
    {
        public Uri DiscoveryUrl => inner.DiscoveryUrl;

        public HttpMessageHandler EnrollmentHandler => inner.EnrollmentHandler;

        public HttpMessageHandler CreateSessionHandler(EnrollmentResult enrollment) =>
            new RecordingHandler(inner.CreateSessionHandler(enrollment), wire);

        public void Dispose() => inner.Dispose();
    }

    private sealed class RecordingHandler(HttpMessageHandler inner, ConcurrentQueue<Exchange> wire) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var sent = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
            var response = await base.SendAsync(request, cancellationToken);
            var received = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            wire.Enqueue(new Exchange(request.Content?.Headers.ContentType?.MediaType, sent, response.Content.Headers.ContentType?.MediaType, received));
            // The device reads the same bytes.
            var replay = new ByteArrayContent(received);
            foreach (var header in response.Content.Headers)
            {
                replay.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            response.Content = replay;
            return response;
        }
    }
}

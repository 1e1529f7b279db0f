using System.Text;
using DeviceAgent.Emulator.Devices;
using DeviceAgent.Enrollment;
using DeviceAgent.SyncML;

namespace DeviceAgent.Fuzzing;

/// <summary>
/// Writes the seed inputs that the repository's files do not provide directly (fuzz/seeds/, regenerated with
/// `DeviceAgent.Fuzz seeds`): the WBXML form of every corpus message, and the messages of a live in-process enrollment
/// and DM session against the mock server, in each target's input format.
/// </summary>
public static class FuzzSeeds
{
    /// <summary>Writes fuzz/seeds/&lt;target&gt;/ under <paramref name="seedsDirectory"/>; <paramref name="corpusDirectory"/> is tests/corpus/syncml.</summary>
    public static void Write(string seedsDirectory, string corpusDirectory)
    {
        var world = EnrollmentWorld.Instance;
        var posts = world.Posts;
        var token = Convert.ToBase64String(Encoding.UTF8.GetBytes(world.UserToken));
        string[] operations = ["discovery", "policy", "enrollment"];
        for (var i = 0; i < posts.Count; i++)
        {
            var request = Encoding.UTF8.GetString(posts[i].RequestBody!).Replace(token, EnrollmentWorld.TokenPlaceholder, StringComparison.Ordinal);
            Save(seedsDirectory, "soap-server", $"{i}-{operations[i]}-request.xml", [(byte)i, .. Encoding.UTF8.GetBytes(request)]);
        }

        Save(seedsDirectory, "soap-client", "0-discovery-response.xml", [0, .. posts[0].ResponseBody]);
        Save(seedsDirectory, "soap-client", "1-sts-page.html", [1, .. world.StsPage.ResponseBody]);
        Save(seedsDirectory, "soap-client", "2-policy-response.xml", [2, .. posts[1].ResponseBody]);
        Save(seedsDirectory, "soap-client", "3-enrollment-response.xml", [3, .. posts[2].ResponseBody]);

        Save(seedsDirectory, "provisioning", "wap-provisioningdoc.xml", Encoding.UTF8.GetBytes(ProvisioningDocument(posts[2].ResponseBody)));

        var session = RecordSessionAsync(world).GetAwaiter().GetResult();
        for (var i = 0; i < session.Count; i++)
        {
            var message = SyncMLReader.ReadMessage(session[i]);
            Save(seedsDirectory, "dm-message", $"session-server-{i + 1}.xml", session[i]);
            Save(seedsDirectory, "dm-message", $"session-server-{i + 1}.wbxml", SyncMLWbxml.ToBytes(message, SyncMLEncoding.Wbxml));
            Save(seedsDirectory, "wbxml", $"session-server-{i + 1}.wbxml", SyncMLWbxml.ToBytes(message, SyncMLEncoding.Wbxml));
        }

        foreach (var file in Directory.EnumerateFiles(corpusDirectory, "*.xml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            SyncMLMessage message;
            try
            {
                message = SyncMLReader.ReadMessage(File.ReadAllBytes(file), new SyncMLReaderOptions { AllowUndeclaredPrefixes = true });
            }
            catch (SyncMLFormatException)
            {
                continue; // fragments and the corpus's deliberately broken samples have no WBXML form
            }

            var name = Path.GetRelativePath(corpusDirectory, file).Replace(Path.DirectorySeparatorChar, '_');
            Save(seedsDirectory, "wbxml", Path.ChangeExtension(name, ".wbxml"), SyncMLWbxml.ToBytes(message, SyncMLEncoding.Wbxml));
        }
    }

    private static string ProvisioningDocument(byte[] enrollmentResponse)
    {
        var xml = System.Xml.Linq.XDocument.Parse(Encoding.UTF8.GetString(enrollmentResponse));
        var token = xml.Descendants().First(e => e.Name.LocalName == "BinarySecurityToken").Value;
        return Encoding.UTF8.GetString(Convert.FromBase64String(token.Trim()));
    }

    private static async Task<IReadOnlyList<byte[]>> RecordSessionAsync(EnrollmentWorld world)
    {
        using var transport = new RecordingTransport(world.Mdm.CreateDeviceTransport());
        using var phone = await EmulatedDevice.CreateAsync(new DeviceSpec { Name = "seed-phone", User = "seed@contoso.com" },
            new EmulatorOptions { Pbkdf2Iterations = 1, PinResetService = world.Mdm.PinResetService }).ConfigureAwait(false);
        _ = await phone.EnrollAsync(transport).ConfigureAwait(false);
        _ = await phone.SyncAsync().ConfigureAwait(false);
        return [.. transport.Session!.Exchanges.Select(e => e.ResponseBody).Where(b => b.Length > 0)];
    }

    private static void Save(string seedsDirectory, string target, string name, byte[] bytes)
    {
        var directory = Path.Combine(seedsDirectory, target);
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(directory, name), bytes);
    }

    /// <summary>The transport of a device whose DM session is recorded.</summary>
    private sealed class RecordingTransport(IDeviceTransport inner) : IDeviceTransport
    {
        public RecordingHandler? Session { get; private set; }

        public Uri DiscoveryUrl => inner.DiscoveryUrl;

        public HttpMessageHandler EnrollmentHandler => inner.EnrollmentHandler;

        public HttpMessageHandler CreateSessionHandler(EnrollmentResult enrollment) =>
            Session = new RecordingHandler(inner.CreateSessionHandler(enrollment));

        public void Dispose() => inner.Dispose();
    }
}

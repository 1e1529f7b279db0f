using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DeviceAgent.SyncML;
using Microsoft.Extensions.DependencyInjection;
using MockMdm.OmaDm;
using MockMdm.Store;
using MockMdm.Tests.Support;

namespace MockMdm.Tests.OmaDm;

/// <summary>A standard OMA-DM client that is not Windows: accounts, auth-basic / auth-md5 / HMAC, size limits, bookkeeping (docs/omadm-clients.md).</summary>
public class OmaDmClientTests
{
    private const string DevId = "IMEI:490154203237518";

    private static async Task<JsonElement> CreateAccountAsync(TestMdm mdm, string authType = "basic", string user = "client1", string devId = DevId, string? serverPassword = null)
    {
        var server = serverPassword is null ? "" : $", \"serverPassword\": \"{serverPassword}\"";
        using var response = await mdm.SendJsonAsync(HttpMethod.Post, "/api/omadmAccounts",
            $$"""{ "userName": "{{user}}", "password": "s3cret", "devId": "{{devId}}", "authType": "{{authType}}"{{server}} }""");
        var text = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(201), text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    // OMA-TS-DM_Security-V1_2 5.1: B64(H(B64(H(user:password)):nonce)), written here apart from the server's code.
    private static string Md5Digest(string user, string password, byte[] nonce)
    {
        var inner = Encoding.ASCII.GetBytes(Convert.ToBase64String(MD5.HashData(Encoding.UTF8.GetBytes($"{user}:{password}"))) + ":");
        return Convert.ToBase64String(MD5.HashData([.. inner, .. nonce]));
    }

    private static string Hmac(string user, string password, byte[] nonce, byte[] body)
    {
        var inner = Encoding.ASCII.GetBytes(Convert.ToBase64String(MD5.HashData(Encoding.UTF8.GetBytes($"{user}:{password}"))) + ":");
        var tail = Encoding.ASCII.GetBytes(":" + Convert.ToBase64String(MD5.HashData(body)));
        return $"algorithm=MD5, username=\"{user}\", mac={Convert.ToBase64String(MD5.HashData([.. inner, .. nonce, .. tail]))}";
    }

    [TestCase(SyncMLEncoding.Xml)]
    [TestCase(SyncMLEncoding.Wbxml)]
    [CancelAfter(30_000)]
    public async Task AuthBasic_UnknownAccountGets401WithChal_KnownAccount212_InTheClientsEncoding(SyncMLEncoding encoding, CancellationToken cancellationToken)
    {
        await using var mdm = await TestMdm.StartAsync();
        await CreateAccountAsync(mdm);
        var client = new OmaDmTestClient(mdm, DevId, encoding);

        var refused = await client.SendAsync(client.Package1(OmaDmTestClient.BasicCred("stranger", "s3cret")));
        var status = OmaDmTestClient.HeaderStatus(refused);
        Assert.That(status.Data, Is.EqualTo("401"));
        Assert.That(status.Chal?.Meta?.Type, Is.EqualTo("syncml:auth-basic"));
        Assert.That(refused.SyncBody.Commands, Has.Count.EqualTo(1), "nothing of a refused message is processed");

        var wrong = await client.SendAsync(client.Package1(OmaDmTestClient.BasicCred("client1", "guess")));
        Assert.That(OmaDmTestClient.HeaderStatus(wrong).Data, Is.EqualTo("401"));

        var accepted = await client.SendAsync(client.Package1(OmaDmTestClient.BasicCred("client1", "s3cret")));
        Assert.That(OmaDmTestClient.HeaderStatus(accepted).Data, Is.EqualTo("212"));
        Assert.That(accepted.SyncHdr!.VerDTD, Is.EqualTo("1.2"));

        // Later messages of the authenticated session need no Cred.
        var next = await client.SendAsync(client.Message(OmaDmTestClient.Answer(accepted)));
        Assert.That(OmaDmTestClient.HeaderStatus(next).Data, Is.EqualTo("200"));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task NoCredentials_Get407WithAnMd5Chal(CancellationToken cancellationToken)
    {
        await using var mdm = await TestMdm.StartAsync();
        var account = await CreateAccountAsync(mdm, authType: "md5");
        var client = new OmaDmTestClient(mdm, DevId);
        var refused = await client.SendAsync(client.Package1());
        var status = OmaDmTestClient.HeaderStatus(refused);
        Assert.That(status.Data, Is.EqualTo("407"));
        Assert.That(status.Chal?.Meta?.Type, Is.EqualTo("syncml:auth-md5"));
        Assert.That(status.Chal?.Meta?.NextNonce, Is.EqualTo(account.GetProperty("clientNonce").GetString()));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task AuthMd5_Accepted212WithNextNonce_AndTheUsedNonceCannotBeReplayed(CancellationToken cancellationToken)
    {
        await using var mdm = await TestMdm.StartAsync();
        var account = await CreateAccountAsync(mdm, authType: "md5");
        var nonce = Convert.FromBase64String(account.GetProperty("clientNonce").GetString()!);
        var client = new OmaDmTestClient(mdm, DevId);
        var cred = $"<Cred><Meta><Format xmlns=\"syncml:metinf\">b64</Format><Type xmlns=\"syncml:metinf\">syncml:auth-md5</Type></Meta><Data>{Md5Digest("client1", "s3cret", nonce)}</Data></Cred>";

        var accepted = await client.SendAsync(client.Package1(cred, locName: "client1"));
        var status = OmaDmTestClient.HeaderStatus(accepted);
        Assert.That(status.Data, Is.EqualTo("212"));
        var next = status.Chal?.Meta?.NextNonce;
        Assert.That(next, Is.Not.Null.And.Not.EqualTo(account.GetProperty("clientNonce").GetString()));

        client.SessionId = "2";
        var replayed = await client.SendAsync(client.Package1(cred, locName: "client1"));
        Assert.That(OmaDmTestClient.HeaderStatus(replayed).Data, Is.EqualTo("401"));
        Assert.That(OmaDmTestClient.HeaderStatus(replayed).Chal?.Meta?.NextNonce, Is.EqualTo(next));

        var fresh = $"<Cred><Meta><Type xmlns=\"syncml:metinf\">syncml:auth-md5</Type></Meta><Data>{Md5Digest("client1", "s3cret", Convert.FromBase64String(next!))}</Data></Cred>";
        Assert.That(OmaDmTestClient.HeaderStatus(await client.SendAsync(client.Package1(fresh, locName: "client1"))).Data, Is.EqualTo("212"));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Hmac_OverTheWholeBody_IsAccepted_TheServerSignsItsReply_AndATamperedBodyIsNot(CancellationToken cancellationToken)
    {
        await using var mdm = await TestMdm.StartAsync();
        var account = await CreateAccountAsync(mdm, authType: "hmac", serverPassword: "server-secret");
        var nonce = Convert.FromBase64String(account.GetProperty("clientNonce").GetString()!);
        var client = new OmaDmTestClient(mdm, DevId);

        var bad = await client.SendAsync(client.Package1(), body => Hmac("client1", "s3cret", nonce, [.. body, (byte)' ']));
        Assert.That(OmaDmTestClient.HeaderStatus(bad).Data, Is.EqualTo("401"));
        Assert.That(OmaDmTestClient.HeaderStatus(bad).Chal?.Meta?.Type, Is.EqualTo("syncml:auth-MAC"));

        var accepted = await client.SendAsync(client.Package1(), body => Hmac("client1", "s3cret", nonce, body));
        Assert.That(OmaDmTestClient.HeaderStatus(accepted).Data, Is.EqualTo("212"));
        Assert.That(client.LastReplyHmac, Does.StartWith("algorithm=MD5, username=\"MockMdm\", mac="));
    }

    [TestCase(SyncMLEncoding.Xml)]
    [TestCase(SyncMLEncoding.Wbxml)]
    [CancelAfter(60_000)]
    public async Task MaxMsgSize2048_Delivers20QueuedCommands_NoMessageOverTheLimit(SyncMLEncoding encoding, CancellationToken cancellationToken)
    {
        await using var mdm = await TestMdm.StartAsync();
        var account = await CreateAccountAsync(mdm);
        var deviceId = account.GetProperty("managedDeviceId").GetString()!;
        var queue = mdm.App.Services.GetRequiredService<CommandQueue>();
        mdm.Store.Write(tx =>
        {
            for (var i = 0; i < 20; i++)
            {
                var get = new Get();
                // Long enough that 20 need more than one 2 KiB message in WBXML too.
                get.Items.Add(CommandQueue.TargetItem($"./Vendor/Generic/Settings/Node{i:D2}/SomeRatherLongLeafNameToFillTheMessage/AndAnotherLevelOfNesting/WithALeafNameThatIsLongerStill"));
                queue.Enqueue(tx, deviceId, get, new CommandOrigin(CommandOrigin.AdminKind));
            }
        });

        var client = new OmaDmTestClient(mdm, DevId, encoding);
        var reply = await client.SendAsync(client.Package1(OmaDmTestClient.BasicCred("client1", "s3cret") + "<Meta><MaxMsgSize xmlns=\"syncml:metinf\">2048</MaxMsgSize></Meta>"));
        var delivered = 0;
        var finals = new List<bool>();
        var commandMessageSizes = new List<int>();
        for (var round = 0; round < 30 && reply.SyncBody.Commands.Any(c => c is not Status); round++)
        {
            delivered += reply.SyncBody.Commands.Count(c => c is Get);
            finals.Add(reply.SyncBody.Final);
            commandMessageSizes.Add(client.ReplySizes[^1]);
            // A message without Final is answered with the statuses and Alert 1222, asking for the package's next message.
            reply = await client.SendAsync(reply.SyncBody.Final
                ? client.Message(OmaDmTestClient.Answer(reply))
                : client.Message(OmaDmTestClient.Answer(reply) + "<Alert><CmdID>99</CmdID><Data>1222</Data></Alert>", final: false));
        }

        Assert.That(delivered, Is.EqualTo(20));
        Assert.That(client.ReplySizes, Has.All.LessThanOrEqualTo(2048), string.Join(", ", client.ReplySizes));
        // Filled, not just under: each message of the package but its last leaves less room than one more Get (about 260 bytes) needs.
        Assert.That(commandMessageSizes[..^1], Has.All.GreaterThan(2048 - 260), string.Join(", ", commandMessageSizes));
        Assert.That(finals, Has.Count.GreaterThan(1), "20 commands do not fit in one 2 KiB message");
        Assert.That(finals[..^1], Has.None.True, "the messages before the package's last have no Final");
        Assert.That(finals[^1], Is.True);
        var open = mdm.Store.Read(v => v.ListByOwner<CommandRecord>(deviceId).Count(c => c.State != CommandState.Completed));
        Assert.That(open, Is.Zero);
    }

    [TestCase(SyncMLEncoding.Xml)]
    [TestCase(SyncMLEncoding.Wbxml)]
    [CancelAfter(60_000)]
    public async Task StatusesThatDoNotFitMaxMsgSize_GoInTheNextMessagesOfThePackage(SyncMLEncoding encoding, CancellationToken cancellationToken)
    {
        // A client package of 120 generic alerts needs 122 statuses: more than one 2 KiB message holds in either encoding.
        await using var mdm = await TestMdm.StartAsync();
        await CreateAccountAsync(mdm);
        var client = new OmaDmTestClient(mdm, DevId, encoding);
        var alerts = string.Concat(Enumerable.Range(3, 120).Select(i =>
            $"<Alert><CmdID>{i}</CmdID><Data>1226</Data><Item><Meta><Type xmlns=\"syncml:metinf\">com.example.event</Type></Meta><Data>{i}</Data></Item></Alert>"));
        var package1 = client.Message(
            "<Alert><CmdID>1</CmdID><Data>1201</Data></Alert><Replace><CmdID>2</CmdID><Item><Source><LocURI>./DevInfo/DevId</LocURI></Source>" +
            $"<Data>{DevId}</Data></Item></Replace>" + alerts,
            OmaDmTestClient.BasicCred("client1", "s3cret") + "<Meta><MaxMsgSize xmlns=\"syncml:metinf\">2048</MaxMsgSize></Meta>");
        var reply = await client.SendAsync(package1);
        var answered = new List<string>();
        var rounds = 0;
        while (true)
        {
            answered.AddRange(reply.SyncBody.Commands.OfType<Status>().Where(s => s.MsgRef == "1").Select(s => s.CmdRef!));
            if (reply.SyncBody.Final || ++rounds > 30)
            {
                break;
            }

            // Not Final: the server's package goes on; the client asks for its next message (docs/reference/omadm.md §5).
            reply = await client.SendAsync(client.Message(OmaDmTestClient.Answer(reply) + "<Alert><CmdID>99</CmdID><Data>1222</Data></Alert>", final: false));
        }

        Assert.That(client.ReplySizes, Has.All.LessThanOrEqualTo(2048), string.Join(", ", client.ReplySizes));
        Assert.That(client.ReplySizes, Has.Count.GreaterThan(1), "122 statuses do not fit in one 2 KiB message");
        Assert.That(answered, Is.EqualTo(new[] { "0" }.Concat(Enumerable.Range(1, 122).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)))),
            "every command of package 1 answered once, in order, the SyncHdr first");
    }

    [TestCase(SyncMLEncoding.Xml)]
    [TestCase(SyncMLEncoding.Wbxml)]
    [CancelAfter(60_000)]
    public async Task AValueLargerThanMaxMsgSize_IsSentAsALargeObjectInChunks(SyncMLEncoding encoding, CancellationToken cancellationToken)
    {
        await using var mdm = await TestMdm.StartAsync();
        var account = await CreateAccountAsync(mdm);
        var deviceId = account.GetProperty("managedDeviceId").GetString()!;
        var queue = mdm.App.Services.GetRequiredService<CommandQueue>();
        var value = string.Concat(Enumerable.Range(0, 700).Select(i => $"{i:D3}<é>"));
        var replace = new Replace();
        replace.Items.Add(CommandQueue.TargetItem("./Vendor/Generic/Blob", "chr", value));
        var id = mdm.Store.Write(tx => queue.Enqueue(tx, deviceId, replace, new CommandOrigin(CommandOrigin.AdminKind)).Id);

        var client = new OmaDmTestClient(mdm, DevId, encoding);
        var reply = await client.SendAsync(client.Package1(OmaDmTestClient.BasicCred("client1", "s3cret") + "<Meta><MaxMsgSize xmlns=\"syncml:metinf\">2048</MaxMsgSize></Meta>"));
        var chunks = new List<Item>();
        for (var round = 0; round < 40 && reply.SyncBody.Commands.OfType<Replace>().SingleOrDefault() is { } chunk; round++)
        {
            var item = chunk.Items.Single();
            chunks.Add(item);
            reply = await client.SendAsync(client.Message(OmaDmTestClient.Answer(reply, item.MoreData ? "213" : "200")));
        }

        Assert.That(chunks, Has.Count.GreaterThan(2), mdm.Store.Find<CommandRecord>(id)!.Failure);
        Assert.That(client.ReplySizes, Has.All.LessThanOrEqualTo(2048), string.Join(", ", client.ReplySizes));
        Assert.That(chunks[0].Meta?.Size, Is.EqualTo(Encoding.UTF8.GetByteCount(value).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(chunks[..^1].Select(c => c.MoreData), Has.All.True);
        Assert.That(chunks[^1].MoreData, Is.False);
        Assert.That(string.Concat(chunks.Select(c => c.Data!.Value)), Is.EqualTo(value));
        var record = mdm.Store.Find<CommandRecord>(id)!;
        Assert.That(record.State, Is.EqualTo(CommandState.Completed));
        Assert.That(record.Attempts, Is.EqualTo(1));
    }

    [TestCase(null, 3)]
    [TestCase("2", 2)]
    [TestCase("5", 5)]
    [CancelAfter(30_000)]
    public async Task ACommandNeverAnswered_FailsAfterTheConfiguredAttempts(string? configured, int attempts, CancellationToken cancellationToken)
    {
        // null: the default (docs/mock-mdm.md "Configuration"); else MockMdm:MaxCommandAttempts from configuration.
        await using var mdm = await TestMdm.StartAsync(configure: configured is null ? null : b => b.Configuration["MockMdm:MaxCommandAttempts"] = configured);
        Assert.That(mdm.App.Services.GetRequiredService<MockMdmOptions>().MaxCommandAttempts, Is.EqualTo(attempts));
        var account = await CreateAccountAsync(mdm);
        var deviceId = account.GetProperty("managedDeviceId").GetString()!;
        var queue = mdm.App.Services.GetRequiredService<CommandQueue>();
        var get = new Get();
        get.Items.Add(CommandQueue.TargetItem("./DevDetail/SwV"));
        var id = mdm.Store.Write(tx => queue.Enqueue(tx, deviceId, get, new CommandOrigin(CommandOrigin.AdminKind)).Id);

        var client = new OmaDmTestClient(mdm, DevId);
        for (var session = 1; session <= attempts; session++)
        {
            client.SessionId = session.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var reply = await client.SendAsync(client.Package1(OmaDmTestClient.BasicCred("client1", "s3cret")));
            Assert.That(reply.SyncBody.Commands.OfType<Get>().Count(), Is.EqualTo(1), $"attempt {session}");
        }

        client.SessionId = "last";
        var last = await client.SendAsync(client.Package1(OmaDmTestClient.BasicCred("client1", "s3cret")));
        Assert.That(last.SyncBody.Commands.OfType<Get>(), Is.Empty);
        var record = mdm.Store.Find<CommandRecord>(id)!;
        Assert.That(record.State, Is.EqualTo(CommandState.Failed));
        Assert.That(record.Failure, Is.EqualTo($"no answer after {attempts} attempts"));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task AnActionWhoseCommandIsNeverAnswered_FailsWithTheReason(CancellationToken cancellationToken)
    {
        await using var mdm = await TestMdm.StartAsync();
        var (device, id) = await Fixtures.EnrolledAndSyncedAsync(mdm);
        using var accepted = await mdm.SendJsonAsync(HttpMethod.Post, $"/api/deviceManagement/managedDevices/{id}/remoteLock", null);
        Assert.That((int)accepted.StatusCode, Is.EqualTo(204));
        for (var session = 0; session <= mdm.Options.MaxCommandAttempts; session++)
        {
            device.SessionId = $"S{session}";
            await device.StartSessionAsync();
        }

        var action = await Fixtures.LastActionAsync(mdm, id);
        Assert.That(action.GetProperty("actionState").GetString(), Is.EqualTo("failed"));
        Assert.That(action.GetProperty("reason").GetString(), Does.Contain("no answer after 3 attempts"));
        Assert.That(device.LastReply, Does.Not.Contain("RemoteLock"));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task AStatusThatIsNoOmaDmCode_FailsTheCommandAsAProtocolError(CancellationToken cancellationToken)
    {
        await using var mdm = await TestMdm.StartAsync();
        var account = await CreateAccountAsync(mdm);
        var deviceId = account.GetProperty("managedDeviceId").GetString()!;
        var queue = mdm.App.Services.GetRequiredService<CommandQueue>();
        var get = new Get();
        get.Items.Add(CommandQueue.TargetItem("./DevDetail/SwV"));
        var id = mdm.Store.Write(tx => queue.Enqueue(tx, deviceId, get, new CommandOrigin(CommandOrigin.AdminKind)).Id);

        var client = new OmaDmTestClient(mdm, DevId);
        var reply = await client.SendAsync(client.Package1(OmaDmTestClient.BasicCred("client1", "s3cret")));
        await client.SendAsync(client.Message(OmaDmTestClient.Answer(reply, code: "0")));
        var record = mdm.Store.Find<CommandRecord>(id)!;
        Assert.That(record.State, Is.EqualTo(CommandState.Failed));
        Assert.That(record.Failure, Does.Contain("protocol error").And.Contain("'0'"));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task SyncML11_IsAnsweredIn11(CancellationToken cancellationToken)
    {
        await using var mdm = await TestMdm.StartAsync();
        await CreateAccountAsync(mdm);
        var client = new OmaDmTestClient(mdm, DevId);
        var message = client.Message("<Alert><CmdID>1</CmdID><Data>1201</Data></Alert>", OmaDmTestClient.BasicCred("client1", "s3cret"), ns: "SYNCML:SYNCML1.1", verDtd: "1.1");
        var reply = await client.SendAsync(message);
        Assert.That(reply.Namespace, Is.EqualTo("SYNCML:SYNCML1.1"));
        Assert.That(reply.SyncHdr!.VerDTD, Is.EqualTo("1.1"));
        Assert.That(reply.SyncHdr.VerProto, Is.EqualTo("DM/1.1"));
        Assert.That(OmaDmTestClient.HeaderStatus(reply).Data, Is.EqualTo("212"));

        var unknown = await client.SendAsync(client.Message("<Alert><CmdID>1</CmdID><Data>1201</Data></Alert>", OmaDmTestClient.BasicCred("client1", "s3cret"), verDtd: "2.0"));
        Assert.That(OmaDmTestClient.HeaderStatus(unknown).Data, Is.EqualTo("505"));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task AClientThatChallengesTheServer_GetsTheServersCredOfThatTypeWithItsNonce(CancellationToken cancellationToken)
    {
        await using var mdm = await TestMdm.StartAsync();
        await CreateAccountAsync(mdm, serverPassword: "server-secret");
        var client = new OmaDmTestClient(mdm, DevId);
        var reply = await client.SendAsync(client.Package1(OmaDmTestClient.BasicCred("client1", "s3cret")));
        Assert.That(reply.SyncHdr!.Cred, Is.Null, "no serverAuthType and no challenge yet: no server Cred");

        var nonce = new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 };
        var challenge = $"<Status><CmdID>1</CmdID><MsgRef>{reply.SyncHdr.MsgID}</MsgRef><CmdRef>0</CmdRef><Cmd>SyncHdr</Cmd>" +
                        "<Chal><Meta><Type xmlns=\"syncml:metinf\">syncml:auth-md5</Type><Format xmlns=\"syncml:metinf\">b64</Format>" +
                        $"<NextNonce xmlns=\"syncml:metinf\">{Convert.ToBase64String(nonce)}</NextNonce></Meta></Chal><Data>401</Data></Status>";
        client.SessionId = "2";
        var answered = await client.SendAsync(client.Message(
            "<Alert><CmdID>2</CmdID><Data>1201</Data></Alert>" + challenge.Replace("<CmdID>1</CmdID>", "<CmdID>3</CmdID>", StringComparison.Ordinal),
            OmaDmTestClient.BasicCred("client1", "s3cret")));
        Assert.That(answered.SyncHdr!.Cred?.Meta?.Type, Is.EqualTo("syncml:auth-md5"));
        Assert.That(answered.SyncHdr.Cred?.Data?.Value, Is.EqualTo(Md5Digest("MockMdm", "server-secret", nonce)));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task ASourceOtherThanTheEnrolledDevId_IsRefused_AndNothingIsOverwritten(CancellationToken cancellationToken)
    {
        await using var mdm = await TestMdm.StartAsync();
        var (device, managedId) = await Fixtures.EnrolledAndSyncedAsync(mdm);
        var impostor = new ScriptedDevice(mdm, device.Enrollment, devId: "DEV-OTHER") { SessionId = "B1" };
        var (status, body) = await impostor.PostAsync(impostor.Message(
            "<Alert><CmdID>1</CmdID><Data>1201</Data></Alert><Replace><CmdID>2</CmdID><Item><Source><LocURI>./DevInfo/Man</LocURI></Source><Data>Evil Corp</Data></Item></Replace>"));
        Assert.That(status, Is.EqualTo(200));
        var reply = SyncMLReader.ReadMessage(Encoding.UTF8.GetBytes(body));
        Assert.That(OmaDmTestClient.HeaderStatus(reply).Data, Is.EqualTo("403"));
        Assert.That(OmaDmTestClient.HeaderStatus(reply).Items.Single().Data?.Value, Does.Contain("DEV-OTHER").And.Contain("DEV-0001"));
        var stored = mdm.Store.Find<MockMdm.Enrollment.DeviceRecord>(managedId)!;
        Assert.That(stored.DevId, Is.EqualTo("DEV-0001"));
        Assert.That(stored.Manufacturer, Is.EqualTo("Contoso Mobile"));
    }
}

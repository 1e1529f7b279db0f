using System.Net;
using DeviceAgent.Emulator.Devices;
using DeviceAgent.Emulator.Traces;
using DeviceAgent.Ngc;
using DeviceAgent.Ngc.Policy;
using DeviceAgent.SyncML;

namespace DeviceAgent.Emulator.Tests.Devices;

public class EmulatedDeviceTests
{
    private const string Tenant = "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
    private static readonly EmulatorOptions s_options = new() { Pbkdf2Iterations = 10 };

    private static DeviceSpec Phone(string name = "phone1", string pin = "135790") =>
        new() { Name = name, User = "alice@contoso.com", InitialPin = pin, LocalPinPolicy = new PinComplexity { MinimumPINLength = 6 } };

    [Test]
    public async Task Same_seed_and_name_give_the_same_device_and_another_name_another()
    {
        using var a = await EmulatedDevice.CreateAsync(Phone(), s_options);
        using var b = await EmulatedDevice.CreateAsync(Phone(), s_options);
        using var c = await EmulatedDevice.CreateAsync(Phone("phone2"), s_options);

        Assert.That(b.Profile.DevId, Is.EqualTo(a.Profile.DevId));
        Assert.That(b.Profile.Imei, Is.EqualTo(a.Profile.Imei));
        Assert.That(b.PushChannelUri, Is.EqualTo(a.PushChannelUri));
        Assert.That(c.Profile.DevId, Is.Not.EqualTo(a.Profile.DevId));
        Assert.That(a.Profile.OsBuild, Is.EqualTo("10.0.15063.0"));
        Assert.That(a.BuildNumber, Is.EqualTo(15063));
    }

    [Test]
    public async Task Devices_of_one_run_are_the_runs_spec_with_distinct_imeis_and_a_device_may_have_its_own_spec()
    {
        var lumia640 = DeviceAgent.Dm.PhoneSpec.Default with { Model = "Lumia 640 XL", ImeiTac = "35220406" };
        var options = s_options with { PhoneSpec = lumia640 };
        using var a = await EmulatedDevice.CreateAsync(Phone("phone1") with { Number = 0 }, options);
        using var b = await EmulatedDevice.CreateAsync(Phone("phone2") with { Number = 1 }, options);
        using var c = await EmulatedDevice.CreateAsync(Phone("phone3") with { Number = 2, Phone = DeviceAgent.Dm.PhoneSpec.Default }, options);

        Assert.Multiple(() =>
        {
            Assert.That(new[] { a.Profile.Model, b.Profile.Model, c.Profile.Model }, Is.EqualTo(new[] { "Lumia 640 XL", "Lumia 640 XL", "Lumia 950" }));
            Assert.That(a.Profile.Imei, Does.StartWith("35220406"));
            Assert.That(b.Profile.Imei![8..14], Is.Not.EqualTo(a.Profile.Imei![8..14]), "numbered serials differ");
            Assert.That(b.Profile.WlanMacAddress, Is.Not.EqualTo(a.Profile.WlanMacAddress));
        });
    }

    [Test]
    public async Task RemoteRing_is_noted_in_the_trace()
    {
        using var device = await EmulatedDevice.CreateAsync(Phone(), s_options);
        var ring = new Exec { CmdID = "2" };
        ring.Items.Add(new Item { Target = new LocationElement("./User/Vendor/MSFT/RemoteRing/Ring") });

        var answers = await device.Executor.ExecuteAsync([ring], "1", CancellationToken.None);

        Assert.That(answers.OfType<Status>().Single().Data, Is.EqualTo("200"));
        Assert.That(device.Trace.GetText(), Does.Contain("<!-- RemoteRing: the phone rings ("));
    }

    [Test]
    public async Task Initial_pin_below_the_local_policy_is_refused()
    {
        await Assert.ThatAsync(() => EmulatedDevice.CreateAsync(Phone(pin: "1357"), s_options),
            Throws.ArgumentException.With.Message.Contains("InvalidPinTooFewCharacters"));
    }

    [Test]
    public async Task Without_a_pin_the_device_draws_one_that_meets_its_policy()
    {
        using var device = await EmulatedDevice.CreateAsync(Phone() with { InitialPin = null }, s_options);
        Assert.That(device.CurrentPin, Is.EqualTo("212181"), "the PIN its seed (from its name) draws under its 6-digit policy");
        Assert.That(await device.HelloKeysIntactAsync(), Is.True);
    }

    [Test]
    public async Task Lock_screen_unlocks_with_the_right_pin_only_and_logs_the_attempts()
    {
        using var device = await EmulatedDevice.CreateAsync(Phone(), s_options);
        device.LockScreen.Lock();

        var wrong = (await device.UnlockAsync("000000"));
        var right = (await device.UnlockAsync("135790"));

        Assert.That(wrong.Unlocked, Is.False);
        Assert.That(wrong.Outcome, Is.EqualTo(NgcOutcome.IncorrectPin));
        Assert.That(right.Unlocked, Is.True);
        Assert.That(device.LockScreen.IsLocked, Is.False);
        Assert.That(device.EventLog.ToString(), Does.Contain("VerifyPin IncorrectPin user=alice@contoso.com"));
    }

    [Test]
    public async Task After_a_reset_the_user_must_choose_a_pin_that_meets_policy()
    {
        using var device = await EmulatedDevice.CreateAsync(Phone(), s_options);
        device.LockScreen.Lock(pinChangeRequired: true);

        Assert.That((await device.UnlockAsync("135790")).Unlocked, Is.False, "a new PIN must be chosen");
        var tooShort = (await device.UnlockAsync("135790", "2468"));
        var good = (await device.UnlockAsync("135790", "246813"));

        Assert.That(tooShort.Outcome, Is.EqualTo(NgcOutcome.InvalidPinTooFewCharacters));
        Assert.That(good.Unlocked, Is.True);
        Assert.That(device.CurrentPin, Is.EqualTo("246813"));
        Assert.That((await device.HelloKeysIntactAsync()), Is.True);
    }

    [Test]
    public async Task A_session_runs_against_a_server_and_is_traced()
    {
        using var device = await EmulatedDevice.CreateAsync(Phone(), s_options);
        using var server = new OneCommandServer($"./Device/Vendor/MSFT/PassportForWork/{Tenant}/Policies/EnablePinRecovery");
        var answered = new List<string>();
        device.CommandAnswered += (command, status) => answered.Add($"{command.Name} {status.Data}");
        device.Connect(new Uri("http://mdm.test/omadm"), server);

        var result = await device.SyncAsync();

        Assert.That(result.Succeeded, Is.True, result.Reason);
        Assert.That(answered, Is.EqualTo(new[] { "Add 200", "Get 200" }));
        Assert.That(server.ResultsData, Is.EqualTo("true"));
        var traced = SyncMLTrace.Read(device.Trace.GetText());
        Assert.That(traced, Has.Count.EqualTo(4));
        Assert.That(traced.Select(m => TraceFormatter.DirectionOf(SyncMLReader.ReadMessage(System.Text.Encoding.UTF8.GetBytes(m.Xml)))),
            Is.EqualTo(new[] { TraceDirection.DeviceToServer, TraceDirection.ServerToDevice, TraceDirection.DeviceToServer, TraceDirection.ServerToDevice }));
        Assert.That(device.SessionCount, Is.EqualTo(1));
    }

    [Test]
    public async Task Sync_before_enrollment_is_an_error()
    {
        using var device = await EmulatedDevice.CreateAsync(Phone(), s_options);
        Assert.ThrowsAsync<InvalidOperationException>(() => device.SyncAsync());
    }

    /// <summary>Answers package 1 with an Add and a Get of one node, and package 3 with statuses only.</summary>
    private sealed class OneCommandServer(string uri) : HttpMessageHandler
    {
        private int _messages;

        public string? ResultsData { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var client = SyncMLReader.ReadMessage(await request.Content!.ReadAsByteArrayAsync(cancellationToken));
            var reply = new SyncMLMessage
            {
                SyncHdr = new SyncHdr
                {
                    SessionID = client.SyncHdr!.SessionID,
                    MsgID = (++_messages).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Target = new LocationElement(client.SyncHdr.Source!.LocURI),
                    Source = new LocationElement("http://mdm.test/omadm"),
                },
            };
            reply.SyncBody.Commands.Add(new Status { CmdID = "1", MsgRef = client.SyncHdr.MsgID, CmdRef = "0", Cmd = "SyncHdr", Data = "200" });
            if (_messages == 1)
            {
                var add = new Add { CmdID = "2" };
                add.Items.Add(new Item { Target = new LocationElement(uri), Meta = new Meta { Format = "bool" }, Data = "true" });
                var get = new Get { CmdID = "3" };
                get.Items.Add(new Item { Target = new LocationElement(uri) });
                reply.SyncBody.Commands.Add(add);
                reply.SyncBody.Commands.Add(get);
            }
            else
            {
                ResultsData = client.SyncBody.Commands.OfType<Results>().Single().Items.Single().Data?.Value;
            }

            reply.SyncBody.Final = true;
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(SyncMLWriter.ToBytes(reply)) { Headers = { ContentType = new("application/vnd.syncml.dm+xml") } } };
        }
    }
}

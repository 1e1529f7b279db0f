using DeviceAgent.Emulator.Devices;
using DeviceAgent.Emulator.Server;
using DeviceAgent.Emulator.Traces;
using DeviceAgent.Enrollment;
using DeviceAgent.SyncML;

namespace DeviceAgent.EndToEnd.Tests;

/// <summary>The phone's sessions follow DMClient Poll and the DMAcc server address (docs/csps.md "Sessions follow DMClient and DMAcc").</summary>
public class SessionScheduleTests
{
    private const string Poll = "./Vendor/MSFT/DMClient/Provider/MockMdm/Poll/";

    private static async Task<int> RunAsync(EmulatedDevice device, ItemCommand command, string uri, string data, string format = "chr")
    {
        command.CmdID = "1";
        command.Items.Add(new Item { Target = new LocationElement(uri), Data = new Data(data), Meta = new Meta { Format = format } });
        var answers = await device.Executor.ExecuteAsync([command], "1", CancellationToken.None);
        return int.Parse(answers.OfType<Status>().Single().Data!, System.Globalization.CultureInfo.InvariantCulture);
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task The_poll_schedule_the_server_sets_drives_sessions_on_the_phones_clock(CancellationToken cancellationToken)
    {
        var clock = new TestClock();
        await using var mdm = await EmbeddedMdm.StartAsync(new EmbeddedMdmOptions { Host = EmbeddedHost.TestServer, Keys = Keys.Material }, cancellationToken);
        using var transport = mdm.CreateDeviceTransport();
        using var device = await EmulatedDevice.CreateAsync(new DeviceSpec { Name = "phone1", User = "alice@contoso.com" },
            new EmulatorOptions { Pbkdf2Iterations = 10, PinResetService = mdm.PinResetService, Time = clock }, cancellationToken);
        await device.EnrollAsync(transport, cancellationToken);
        using var sessions = new SemaphoreSlim(0);
        device.SessionCompleted += _ => sessions.Release();

        // The server replaces the provisioned schedule: 2 polls 5 minutes apart, 1 poll after 7 minutes, then none.
        foreach (var (leaf, value) in new[]
        {
            ("IntervalForFirstSetOfRetries", "5"), ("NumberOfFirstRetries", "2"),
            ("IntervalForSecondSetOfRetries", "7"), ("NumberOfSecondRetries", "1"),
            ("IntervalForRemainingScheduledRetries", "0"),
        })
        {
            Assert.That(await RunAsync(device, new Replace(), Poll + leaf, value, "int"), Is.EqualTo(200), leaf);
        }

        var run = device.RunPollScheduleAsync(cancellationToken);

        await clock.WaitForTimerAsync(TimeSpan.FromMinutes(5)).WaitAsync(cancellationToken);
        clock.Advance(TimeSpan.FromMinutes(4));
        Assert.That(device.SessionCount, Is.Zero, "4 minutes in: no poll yet");
        clock.Advance(TimeSpan.FromMinutes(1));
        await sessions.WaitAsync(cancellationToken);

        await clock.WaitForTimerAsync(TimeSpan.FromMinutes(5)).WaitAsync(cancellationToken);
        clock.Advance(TimeSpan.FromMinutes(5));
        await sessions.WaitAsync(cancellationToken);

        await clock.WaitForTimerAsync(TimeSpan.FromMinutes(7)).WaitAsync(cancellationToken);
        clock.Advance(TimeSpan.FromMinutes(6));
        Assert.That(device.SessionCount, Is.EqualTo(2), "the second set waits 7 minutes");
        clock.Advance(TimeSpan.FromMinutes(1));
        await sessions.WaitAsync(cancellationToken);

        Assert.That(await run, Is.EqualTo(3), "the schedule ends after the second set");
        Assert.That(device.SessionCount, Is.EqualTo(3));
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task A_replaced_DMAcc_address_sends_the_next_session_to_the_new_server(CancellationToken cancellationToken)
    {
        var clock = new TestClock();
        await using var mdm = await EmbeddedMdm.StartAsync(new EmbeddedMdmOptions { Host = EmbeddedHost.TestServer, Keys = Keys.Material }, cancellationToken);
        using var transport = mdm.CreateDeviceTransport();
        using var device = await EmulatedDevice.CreateAsync(new DeviceSpec { Name = "phone1", User = "alice@contoso.com" },
            new EmulatorOptions { Pbkdf2Iterations = 10, PinResetService = mdm.PinResetService, Time = clock }, cancellationToken);
        var enrollment = await device.EnrollAsync(transport, cancellationToken);
        var targets = new List<string>();
        device.Trace.MessageRecorded += (direction, text) =>
        {
            if (direction == TraceDirection.DeviceToServer)
            {
                targets.Add(SyncMLReader.ReadMessage(System.Text.Encoding.UTF8.GetBytes(text)).SyncHdr!.Target!.LocURI);
            }
        };
        var moved = new UriBuilder(enrollment.ManagementServerUrl) { Host = "mdm2.contoso.test" }.Uri;
        var addr = "./SyncML/DMAcc/" + EnrollmentTree.AccountName("MockMdm") + "/AppAddr/1/Addr";

        var first = await device.SyncAsync(cancellationToken: cancellationToken);
        Assert.That(await RunAsync(device, new Replace(), addr, moved.AbsoluteUri), Is.EqualTo(200));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var run = device.RunPollScheduleAsync(stop.Token);
        var wait = device.PollSchedule.IntervalBefore(0)!.Value;
        await clock.WaitForTimerAsync(wait).WaitAsync(cancellationToken);
        clock.Advance(wait);
        while (device.SessionCount < 2)
        {
            await Task.Delay(10, cancellationToken);
        }

        Assert.Multiple(() =>
        {
            Assert.That(first.Succeeded, Is.True, first.Reason);
            Assert.That(targets.First(), Is.EqualTo(enrollment.ManagementServerUrl.AbsoluteUri));
            Assert.That(targets.Last(), Is.EqualTo(moved.AbsoluteUri), "the session after the Replace goes to the new address");
            Assert.That(device.ServerAddress, Is.EqualTo(moved));
        });
        Assert.That(run.IsCompleted, Is.False, "the schedule goes on");
        await stop.CancelAsync();
        Assert.That(async () => await run, Throws.InstanceOf<OperationCanceledException>());
    }
}

using System.Globalization;
using BenchmarkDotNet.Attributes;
using DeviceAgent.SyncML;
using MockMdm.OmaDm;

namespace DeviceAgent.Benchmarks.Session;

/// <summary>
/// The server filling one reply with queued commands up to the client's MaxMsgSize (docs/omadm-clients.md "Message
/// size"): <see cref="MessageFill"/> (each command encoded once, on its own) against the previous way, in the same run
/// (the whole message encoded again for each added command, quadratic in the number of commands). The limit is large
/// enough that every command fits, so both do the same additions.
/// </summary>
[MemoryDiagnoser]
public class MessageFillBenchmarks
{
    private const int Limit = 4 * 1024 * 1024;
    private List<SyncMLCommand> _commands = null!;

    [Params(20, 200)]
    public int Commands { get; set; }

    [Params(SyncMLEncoding.Xml, SyncMLEncoding.Wbxml)]
    public SyncMLEncoding Encoding { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _commands = [];
        for (var i = 0; i < Commands; i++)
        {
            var replace = new Replace { CmdID = (i + 2).ToString(CultureInfo.InvariantCulture) };
            replace.Items.Add(new Item
            {
                Target = new LocationElement($"./Device/Vendor/MSFT/Policy/Config/Setting{i:D3}/SomeLongLeafName"),
                Meta = new Meta { Format = "int" },
                Data = "1",
            });
            _commands.Add(replace);
        }

        if (Fill_Incremental() != Fill_ReencodeEachCommand())
        {
            throw new InvalidOperationException("both fills must add the same commands");
        }
    }

    [Benchmark]
    public int Fill_Incremental()
    {
        var message = NewReply();
        var fill = new MessageBudget(Encoding).Fill(message, Limit);
        foreach (var command in _commands)
        {
            if (!fill.TryAdd(command))
            {
                break;
            }
        }

        return message.SyncBody.Commands.Count;
    }

    [Benchmark(Baseline = true)]
    public int Fill_ReencodeEachCommand()
    {
        var message = NewReply();
        var budget = new MessageBudget(Encoding);
        foreach (var command in _commands)
        {
            if (budget.Measure(message, command) > Limit)
            {
                break;
            }

            message.SyncBody.Commands.Add(command);
        }

        return message.SyncBody.Commands.Count;
    }

    private static SyncMLMessage NewReply()
    {
        var message = new SyncMLMessage
        {
            SyncHdr = new SyncHdr
            {
                SessionID = "1",
                MsgID = "2",
                Target = new LocationElement("IMEI:490154203237518"),
                Source = new LocationElement("https://mdm.example.test/ManagementServer/MDM.svc"),
            },
        };
        message.SyncBody.Commands.Add(new Status { CmdID = "1", MsgRef = "1", CmdRef = "0", Cmd = "SyncHdr", Data = "200" });
        message.SyncBody.Final = true;
        return message;
    }
}

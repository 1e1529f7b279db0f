using System.Text;
using DeviceAgent.Csp;
using DeviceAgent.Dm;
using DeviceAgent.SyncML;

namespace DeviceAgent.Tests.Dm;

/// <summary>An emulated 1703 phone for executor tests, with helpers that build commands and describe answers.</summary>
internal sealed class DmTestDevice
{
    public const string Tenant = "6f1c2a0e-3b4d-4e5f-8a9b-0c1d2e3f4a5b";
    public const string DevicePolicies = "./Device/Vendor/MSFT/PassportForWork/" + Tenant + "/Policies";
    public const string UserPolicies = "./User/Vendor/MSFT/PassportForWork/" + Tenant + "/Policies";

    public DmTestDevice(DmExecutorOptions? options = null, IEnumerable<ICspHandler>? extraHandlers = null, string? user = "user@contoso.onmicrosoft.com")
    {
        Profile = DeviceProfiles.Win10Mobile1703(new Random(42), user);
        Time = new TestClock(new DateTimeOffset(2017, 7, 26, 10, 30, 0, TimeSpan.Zero));
        Tree = DmTree.ForProfile(Profile);
        var handlers = new List<ICspHandler>(StandardCsps.Create(Profile, Time));
        handlers.AddRange(extraHandlers ?? []);
        Handlers = handlers;
        Executor = new DmCommandExecutor(Tree, handlers, options ?? DmExecutorOptions.ForProfile(Profile));
    }

    public DeviceProfile Profile { get; }
    public TestClock Time { get; }
    public DmTree Tree { get; }
    public DmCommandExecutor Executor { get; }
    public IReadOnlyList<ICspHandler> Handlers { get; }

    public async Task<IReadOnlyList<SyncMLCommand>> RunAsync(params SyncMLCommand[] commands) =>
        await Executor.ExecuteAsync(commands, "1", CancellationToken.None);

    /// <summary>Runs and describes the answers: "Status CmdRef Cmd Data [TargetRef]" and "Results CmdRef".</summary>
    public async Task<string[]> RunDescribedAsync(params SyncMLCommand[] commands) => Describe(await RunAsync(commands));

    public static string[] Describe(IReadOnlyList<SyncMLCommand> answers) =>
        answers.Select(a => a switch
        {
            Status s => $"Status {s.CmdRef} {s.Cmd} {s.Data}" + (s.TargetRefs.Count > 0 ? " " + string.Join(",", s.TargetRefs) : ""),
            Results r => $"Results {r.CmdRef}",
            _ => a.Name,
        }).ToArray();

    /// <summary>Every node with its value, in tree order: equal dumps mean equal trees.</summary>
    public string Dump()
    {
        var builder = new StringBuilder();
        Append(Tree.Root, builder);
        return builder.ToString();

        static void Append(DmNode node, StringBuilder builder)
        {
            builder.Append(node.Path).Append('=').Append(node.Value ?? "<unset>").Append('\n');
            foreach (var child in node.Children)
            {
                Append(child, builder);
            }
        }
    }

    public static T WithItems<T>(T command, string cmdId, params Item[] items)
        where T : ItemCommand
    {
        command.CmdID = cmdId;
        command.Items.AddRange(items);
        return command;
    }

    public static Item Item(string uri, string? data = null, string? format = null) => new()
    {
        Target = new LocationElement(uri),
        Meta = format is null ? null : new Meta { Format = format },
        Data = data is null ? null : new Data(data),
    };

    public static Add Add(string cmdId, string uri, string? data = null, string? format = null) =>
        WithItems(new Add(), cmdId, Item(uri, data, format));

    public static Replace Replace(string cmdId, string uri, string? data = null, string? format = null) =>
        WithItems(new Replace(), cmdId, Item(uri, data, format));

    public static Delete Delete(string cmdId, string uri) => WithItems(new Delete(), cmdId, Item(uri));

    public static Get Get(string cmdId, params string[] uris) => WithItems(new Get(), cmdId, uris.Select(u => Item(u)).ToArray());

    public static Exec Exec(string cmdId, string uri, string? data = null) => WithItems(new Exec(), cmdId, Item(uri, data));

    public static Atomic Atomic(string cmdId, params SyncMLCommand[] commands)
    {
        var atomic = new Atomic { CmdID = cmdId };
        atomic.Commands.AddRange(commands);
        return atomic;
    }

    public static Sequence Sequence(string cmdId, params SyncMLCommand[] commands)
    {
        var sequence = new Sequence { CmdID = cmdId };
        sequence.Commands.AddRange(commands);
        return sequence;
    }

    /// <summary>The single Results item of an answer list.</summary>
    public static Item SingleResult(IReadOnlyList<SyncMLCommand> answers) => answers.OfType<Results>().Single().Items.Single();
}

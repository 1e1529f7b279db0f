using System.Globalization;
using DeviceAgent.Dm;
using DeviceAgent.SyncML;

namespace DeviceAgent.Tests.Session;

/// <summary>A small in-memory DM tree for session tests: leaf values by LocURI, OMA status rules for Add/Replace/Delete/Get.</summary>
internal sealed class TestDmExecutor : IDmCommandExecutor
{
    public Dictionary<string, string> Nodes { get; } = new(StringComparer.Ordinal);

    /// <summary>Every command the session handed over, in order (large objects arrive reassembled).</summary>
    public List<SyncMLCommand> Executed { get; } = [];

    public ValueTask<IReadOnlyList<SyncMLCommand>> ExecuteAsync(IReadOnlyList<SyncMLCommand> commands, string? serverMsgId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var answers = new List<SyncMLCommand>();
        foreach (var command in commands)
        {
            Executed.Add(command);
            Run(command, serverMsgId, answers);
        }

        return new(answers);
    }

    private void Run(SyncMLCommand command, string? msgRef, List<SyncMLCommand> answers)
    {
        switch (command)
        {
            case ContainerCommand container:
                answers.Add(StatusFor(command, msgRef, 200));
                foreach (var inner in container.Commands)
                {
                    Run(inner, msgRef, answers);
                }

                break;
            case Get get:
                foreach (var item in get.Items)
                {
                    var uri = item.Target?.LocURI ?? "";
                    var found = Nodes.TryGetValue(uri, out var value);
                    answers.Add(StatusFor(command, msgRef, found ? 200 : 404));
                    if (found)
                    {
                        var results = new Results { MsgRef = msgRef, CmdRef = get.CmdID };
                        results.Items.Add(new Item { Source = new LocationElement(uri), Data = new Data(value!) });
                        answers.Add(results);
                    }
                }

                break;
            case ItemCommand items:
                foreach (var item in items.Items)
                {
                    answers.Add(StatusFor(command, msgRef, Apply(items, item)));
                }

                break;
            case Alert:
                answers.Add(StatusFor(command, msgRef, 200));
                break;
            default:
                answers.Add(StatusFor(command, msgRef, 400));
                break;
        }
    }

    private int Apply(ItemCommand command, Item item)
    {
        var uri = item.Target?.LocURI ?? "";
        var exists = Nodes.ContainsKey(uri);
        switch (command)
        {
            case Add when exists:
                return 418;
            case Add:
                Nodes[uri] = item.Data?.Value ?? "";
                return 200;
            case Replace when !exists:
                return 404;
            case Replace:
                Nodes[uri] = item.Data?.Value ?? "";
                return 200;
            case Delete:
                return Nodes.Remove(uri) ? 200 : 404;
            case Exec:
                return exists ? 200 : 404;
            default:
                return 406;
        }
    }

    private static Status StatusFor(SyncMLCommand command, string? msgRef, int code) => new()
    {
        MsgRef = msgRef,
        CmdRef = command.CmdID ?? "",
        Cmd = command.Name,
        Data = code.ToString(CultureInfo.InvariantCulture),
    };
}

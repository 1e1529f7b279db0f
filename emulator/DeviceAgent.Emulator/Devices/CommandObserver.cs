using DeviceAgent.Dm;
using DeviceAgent.SyncML;

namespace DeviceAgent.Emulator.Devices;

/// <summary>Wraps the device's executor to report each Status it answers with (fleet counters, device narrative).</summary>
internal sealed class CommandObserver(IDmCommandExecutor inner, Action<SyncMLCommand, Status> answered) : IDmCommandExecutor
{
    public async ValueTask<IReadOnlyList<SyncMLCommand>> ExecuteAsync(IReadOnlyList<SyncMLCommand> commands, string? serverMsgId, CancellationToken cancellationToken)
    {
        var answers = await inner.ExecuteAsync(commands, serverMsgId, cancellationToken).ConfigureAwait(false);
        foreach (var answer in answers)
        {
            if (answer is Status status)
            {
                var command = Flatten(commands).FirstOrDefault(c => c.CmdID == status.CmdRef);
                if (command is not null)
                {
                    answered(command, status);
                }
            }
        }

        return answers;
    }

    private static IEnumerable<SyncMLCommand> Flatten(IEnumerable<SyncMLCommand> commands)
    {
        foreach (var command in commands)
        {
            yield return command;
            if (command is ContainerCommand container)
            {
                foreach (var inner in Flatten(container.Commands))
                {
                    yield return inner;
                }
            }
        }
    }
}

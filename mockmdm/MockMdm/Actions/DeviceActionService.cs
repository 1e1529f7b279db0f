using System.Globalization;
using DeviceAgent.Protocol;
using DeviceAgent.SyncML;
using Results = DeviceAgent.SyncML.Results;
using StatusCodes = DeviceAgent.SyncML.StatusCodes;
using MockMdm.Enrollment;
using MockMdm.Observability;
using MockMdm.OmaDm;
using MockMdm.Store;

namespace MockMdm.Actions;

/// <summary>The outcome of asking for an action: the stored action, or why it was refused (nothing stored then).</summary>
public sealed record ActionRequestResult(DeviceActionRecord? Action, int HttpStatus, string? Error)
{
    public static ActionRequestResult Refused(int status, string error) => new(null, status, error);
}

/// <summary>
/// Device actions (docs/reference/remotelock.md §4): resetPasscode queues RemoteLock LockAndRecoverPIN (Azure AD joined, corporate:
/// Intune's "New passcode") or LockAndResetPIN (workplace joined, personal: "Reset passcode"), each with the
/// NewPINValue Get in one Sequence; remoteLock queues Lock. The device's answers settle the action.
/// </summary>
public sealed class DeviceActionService(
    IMdmStore store,
    CommandQueue queue,
    IdGenerator ids,
    PushNotifier push,
    MockMdmOptions options,
    ILogger<DeviceActionService> logger,
    MockMdmMetrics metrics) : ICommandCompletionHandler
{
    public const string ResetPasscode = "resetPasscode";
    public const string RemoteLock = "remoteLock";
    public const string LockAndRecoverPIN = "LockAndRecoverPIN";
    public const string LockAndResetPIN = "LockAndResetPIN";
    public const string Lock = "Lock";

    /// <summary>RemoteLock's root in the 1703 DDF (docs/reference/remotelock.md).</summary>
    public const string RemoteLockRoot = "./Vendor/MSFT/RemoteLock";

    /// <summary>The HRESULT base Intune adds to a device's SyncML status (docs/reference/omadm.md §9).</summary>
    public const int SyncMLErrorBase = unchecked((int)0x87D10000);

    /// <summary>Intune's generic "remediation failed" code, used for an empty NewPINValue.</summary>
    public const int RemediationFailed = unchecked((int)0x87D1FDE8);

    public string Kind => CommandOrigin.ActionKind;

    /// <summary>The RemoteLock method the server uses for this device's passcode action.</summary>
    public static string PasscodeMethod(DeviceRecord device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return device.JoinType == JoinType.AzureADJoined && device.Ownership == Ownership.Company ? LockAndRecoverPIN : LockAndResetPIN;
    }

    /// <summary>The label the console shows for the action's state ("New Passcode Pending", ...).</summary>
    public static string DisplayState(DeviceActionRecord action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var name = action.Method switch
        {
            LockAndRecoverPIN => "New Passcode",
            LockAndResetPIN => "Reset Passcode",
            _ => "Lock",
        };
        return action.State switch
        {
            ActionState.Pending => name + " Pending",
            ActionState.Done => name + " Done",
            ActionState.Failed => name + " Failed",
            _ => name + " " + action.State,
        };
    }

    /// <summary>Queues a passcode reset for the device and pushes to it; refused for unknown or unsupported devices.</summary>
    public Task<ActionRequestResult> RequestResetPasscodeAsync(string managedDeviceId, CancellationToken cancellationToken) =>
        RequestAsync(managedDeviceId, ResetPasscode, null, cancellationToken);

    /// <summary>
    /// Queues a passcode reset with the RemoteLock method the caller chose instead of the join-type mapping (a MockMdm
    /// extension for testing every method on every device, e.g. LockAndRecoverPIN on a workplace-joined phone).
    /// </summary>
    public Task<ActionRequestResult> RequestResetPasscodeAsync(string managedDeviceId, string? method, CancellationToken cancellationToken) =>
        method is null or LockAndRecoverPIN or LockAndResetPIN
            ? RequestAsync(managedDeviceId, ResetPasscode, method, cancellationToken)
            : Task.FromResult(ActionRequestResult.Refused(400, $"method must be {LockAndRecoverPIN} or {LockAndResetPIN}, not '{method}'"));

    /// <summary>Queues a screen lock for the device and pushes to it.</summary>
    public Task<ActionRequestResult> RequestRemoteLockAsync(string managedDeviceId, CancellationToken cancellationToken) =>
        RequestAsync(managedDeviceId, RemoteLock, null, cancellationToken);

    private async Task<ActionRequestResult> RequestAsync(string managedDeviceId, string actionName, string? forcedMethod, CancellationToken cancellationToken)
    {
        var now = options.TimeProvider.GetUtcNow();
        var outcome = store.Write(tx =>
        {
            var device = tx.Find<DeviceRecord>(managedDeviceId);
            if (device is null)
            {
                return (ActionRequestResult.Refused(404, $"managed device '{managedDeviceId}' does not exist"), (DeviceRecord?)null);
            }

            SyncMLCommand command;
            string method;
            if (actionName == ResetPasscode)
            {
                if (DevicePlatform.PasscodeRefusal(device) is { } refusal)
                {
                    return (ActionRequestResult.Refused(400, refusal), null);
                }

                method = forcedMethod ?? PasscodeMethod(device);
                var sequence = new Sequence();
                var exec = new Exec();
                exec.Items.Add(CommandQueue.TargetItem($"{RemoteLockRoot}/{method}"));
                var get = new Get();
                get.Items.Add(CommandQueue.TargetItem($"{RemoteLockRoot}/NewPINValue"));
                sequence.Commands.Add(exec);
                sequence.Commands.Add(get);
                command = sequence;
            }
            else
            {
                method = Lock;
                var exec = new Exec();
                exec.Items.Add(CommandQueue.TargetItem($"{RemoteLockRoot}/{Lock}"));
                command = exec;
            }

            var actionId = ids.NewId();
            var queued = queue.Enqueue(tx, device.Id, command, new CommandOrigin(Kind, actionId));
            var action = new DeviceActionRecord
            {
                Id = actionId,
                DeviceId = device.Id,
                ActionName = actionName,
                Method = method,
                StartDateTime = now,
                LastUpdatedDateTime = now,
                CommandId = queued.Id,
            };
            tx.Put(action);
            return (new ActionRequestResult(action, 204, null), device);
        });

        if (outcome.Item1.Action is { } queuedAction)
        {
            metrics.Action(actionName, "queued");
            logger.ActionQueued(actionName, managedDeviceId, queuedAction.Method, queuedAction.Id);
        }
        else
        {
            metrics.Action(actionName, "refused");
            logger.ActionRefused(actionName, managedDeviceId, outcome.Item1.HttpStatus, outcome.Item1.Error ?? "");
        }

        if (outcome.Item2 is { } pushed)
        {
            await push.NotifyAsync(pushed, cancellationToken).ConfigureAwait(false);
        }

        return outcome.Item1;
    }

    public void OnCompleted(IStoreTransaction tx, DeviceRecord device, CommandRecord command)
    {
        ArgumentNullException.ThrowIfNull(tx);
        ArgumentNullException.ThrowIfNull(command);
        if (command.Origin.ReferenceId is not { } actionId || tx.Find<DeviceActionRecord>(actionId) is not { } action)
        {
            return;
        }

        var now = options.TimeProvider.GetUtcNow();
        action.LastUpdatedDateTime = now;
        // SentCmdIds: [Sequence, Exec, Get] for a passcode action, [Exec] for Lock.
        var execCmdId = command.SentCmdIds[action.Method == Lock ? 0 : 1];
        var execStatus = StatusOf(command, execCmdId) ?? command.TopLevelStatus ?? StatusCodes.CommandFailed;
        if (execStatus != StatusCodes.Ok)
        {
            Fail(action, SyncMLErrorBase + execStatus,
                $"the device answered {execStatus} ({StatusCodes.Describe(execStatus) ?? "unknown status"}) to Exec {action.Method}");
        }
        else if (action.Method == Lock)
        {
            action.State = ActionState.Done;
        }
        else
        {
            var getCmdId = command.SentCmdIds[2];
            var getStatus = StatusOf(command, getCmdId) ?? StatusCodes.CommandFailed;
            var pin = PinFrom(command, getCmdId);
            if (getStatus != StatusCodes.Ok)
            {
                Fail(action, SyncMLErrorBase + getStatus,
                    $"the device locked but answered {getStatus} ({StatusCodes.Describe(getStatus) ?? "unknown status"}) to Get NewPINValue");
            }
            else if (string.IsNullOrEmpty(pin))
            {
                Fail(action, RemediationFailed, "the device returned an empty NewPINValue: no new passcode was generated");
            }
            else
            {
                action.State = ActionState.Done;
                action.Passcode = pin;
                action.PasscodeVisibleUntil = now + options.PasscodeVisibility;
            }
        }

        tx.Put(action);
    }

    /// <summary>The passcode while it is visible, else null (Intune shows it for seven days, docs/reference/remotelock.md §4).</summary>
    public string? VisiblePasscode(DeviceActionRecord action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return action.PasscodeVisibleUntil is { } until && options.TimeProvider.GetUtcNow() < until ? action.Passcode : null;
    }

    /// <summary>The server gave the action's command up (no answer after the configured attempts, a protocol error).</summary>
    public void OnFailed(IStoreTransaction tx, DeviceRecord device, CommandRecord command)
    {
        ArgumentNullException.ThrowIfNull(tx);
        ArgumentNullException.ThrowIfNull(command);
        if (command.Origin.ReferenceId is not { } actionId || tx.Find<DeviceActionRecord>(actionId) is not { } action)
        {
            return;
        }

        action.LastUpdatedDateTime = options.TimeProvider.GetUtcNow();
        Fail(action, StatusCodes.CommandFailed + SyncMLErrorBase, $"the command was given up: {command.Failure}");
        tx.Put(action);
    }

    private static void Fail(DeviceActionRecord action, int errorCode, string reason)
    {
        action.State = ActionState.Failed;
        action.ErrorCode = errorCode;
        action.Reason = reason;
    }

    private static int? StatusOf(CommandRecord command, string cmdId) =>
        command.Statuses.FirstOrDefault(s => s.CmdRef == cmdId) is { } s
        && int.TryParse(s.Code, NumberStyles.None, CultureInfo.InvariantCulture, out var code)
            ? code
            : null;

    private static string? PinFrom(CommandRecord command, string getCmdId)
    {
        foreach (var xml in command.Results)
        {
            if (SyncMLWire.ReadCommand(xml) is Results results && results.CmdRef == getCmdId)
            {
                return results.Items.FirstOrDefault()?.Data?.Value;
            }
        }

        return null;
    }
}

using System.Globalization;
using DeviceAgent.Protocol;
using DeviceAgent.SyncML;

namespace DeviceAgent.Session;

public sealed partial class DmSession
{
    // True while the server's current package has not closed (its last message lacked Final): the client must ask
    // for the next message with Alert 1222 and must not send Final itself (docs/reference/omadm.md §5).
    private bool _serverPackageOpen;

    /// <summary>
    /// Processes one server message and returns the client's next message, or null when the client sends nothing:
    /// the server's package held only statuses (Completed, docs/reference/omadm.md §4) or it aborted with Alert 1223.
    /// </summary>
    /// <exception cref="DmProtocolException">The message cannot belong to this session (no SyncHdr, other SessionID, no MsgID, credentials refused); the session is Failed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the session is Failed.</exception>
    public async ValueTask<SyncMLMessage?> ReceiveAsync(SyncMLMessage serverMessage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(serverMessage);
        if (State != DmSessionState.Open)
        {
            throw new InvalidOperationException($"The session is {State}; it receives server messages only while Open.");
        }

        try
        {
            return await ReceiveCoreAsync(serverMessage, cancellationToken).ConfigureAwait(false);
        }
        catch (DmProtocolException e)
        {
            End(DmSessionState.Failed, e.Message);
            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The server's message is half answered: the session cannot go on (docs/session.md "Cancellation").
            End(DmSessionState.Failed, "The session was cancelled.");
            throw;
        }
    }

    private async ValueTask<SyncMLMessage?> ReceiveCoreAsync(SyncMLMessage serverMessage, CancellationToken cancellationToken)
    {
        var header = serverMessage.SyncHdr ?? throw new DmProtocolException("The server message has no SyncHdr.");
        if (!string.Equals(header.SessionID, SessionID, StringComparison.Ordinal))
        {
            // Opaque comparison: "0D" and "D" are different sessions (docs/reference/omadm.md §2).
            throw new DmProtocolException($"The server message has SessionID '{header.SessionID}' but this session is '{SessionID}'.");
        }

        if (string.IsNullOrWhiteSpace(header.MsgID))
        {
            throw new DmProtocolException("The server message's SyncHdr has no MsgID.");
        }

        var serverMsgId = header.MsgID;
        if (++_serverMessages > _options.MaxServerMessages)
        {
            return Abort($"The server sent more than {_options.MaxServerMessages} messages in one session.");
        }

        CheckProtocol(serverMessage, serverMsgId);
        ApplyServerMaxMsgSize(header);
        var body = serverMessage.SyncBody;
        foreach (var status in body.Commands.OfType<Status>())
        {
            CheckServerStatus(status);
        }

        if (body.Commands.OfType<Alert>().Any(a => IsAlert(a, AlertCodes.SessionAbort)))
        {
            // The client does not reply to an abort and applies nothing of that message (docs/reference/omadm.md §5).
            _serverStatuses.AddRange(body.Commands.OfType<Status>());
            End(DmSessionState.AbortedByServer, "The server aborted the session with Alert 1223.");
            return null;
        }

        var headerStatus = new Status
        {
            MsgRef = serverMsgId,
            CmdRef = "0",
            Cmd = SyncMLNames.SyncHdr,
            Data = StatusCode(StatusCodes.Ok),
        };
        var (answers, nextMessageRequested, otherCommands) = await ProcessCommandsAsync(body.Commands, serverMsgId, cancellationToken).ConfigureAwait(false);
        if (_largeObject is not null && body.Final)
        {
            // The last chunk must arrive before the server closes its package (docs/reference/omadm.md §6 rule 6).
            answers.Add(EndOfDataAlert());
            _largeObject = null;
        }

        if (body.Final)
        {
            _serverPackageOpen = false;
        }
        else if (otherCommands || !nextMessageRequested)
        {
            // A bare "next message" answer (SyncHdr status + Alert 1222, no Final) leaves the server's package as it was.
            _serverPackageOpen = true;
        }

        foreach (var answer in answers)
        {
            _outgoing.Add(new Outgoing(answer));
        }

        if (_outgoing.Count == 0 && !_serverPackageOpen)
        {
            End(DmSessionState.Completed, "The server's package held only statuses, so the client has nothing to send (docs/reference/omadm.md §4).");
            return null;
        }

        return BuildMessage(headerStatus, askForNextMessage: _serverPackageOpen);
    }

    private async ValueTask<(List<SyncMLCommand> Answers, bool NextMessageRequested, bool OtherCommands)> ProcessCommandsAsync(
        List<SyncMLCommand> commands, string serverMsgId, CancellationToken cancellationToken)
    {
        var answers = new List<SyncMLCommand>();
        var batch = new List<SyncMLCommand>();
        var nextMessageRequested = false;
        var otherCommands = false;

        async ValueTask FlushAsync()
        {
            if (batch.Count == 0)
            {
                return;
            }

            var results = await _executor.ExecuteAsync([.. batch], serverMsgId, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("The command executor returned null.");
            answers.AddRange(results);
            batch.Clear();
        }

        foreach (var command in commands)
        {
            // Statuses are not commands that could interleave with the chunks of an object (docs/reference/omadm.md §6 rule 4).
            if (_largeObject is not null && command is not Status && !IsContinuation(command))
            {
                await FlushAsync().ConfigureAwait(false);
                answers.Add(EndOfDataAlert());
                _largeObject = null;
            }

            switch (command)
            {
                case Status status:
                    // Statuses are never answered (docs/reference/omadm.md §8: status-on-status is rare and not required).
                    _serverStatuses.Add(status);
                    break;
                case Alert alert when IsAlert(alert, AlertCodes.NextMessage):
                    await FlushAsync().ConfigureAwait(false);
                    answers.Add(NewStatus(serverMsgId, alert, CodeFor(alert, StatusCodes.Ok)));
                    nextMessageRequested = true;
                    break;
                case Alert alert when IsAlert(alert, AlertCodes.NoEndOfData):
                    // The server gave up on a large object the client was uploading: stop sending its chunks.
                    await FlushAsync().ConfigureAwait(false);
                    _outgoing.RemoveAll(o => o.ContinuesChunk);
                    answers.Add(NewStatus(serverMsgId, alert, CodeFor(alert, StatusCodes.Ok)));
                    otherCommands = true;
                    break;
                case Results results:
                    await FlushAsync().ConfigureAwait(false);
                    answers.Add(NewStatus(serverMsgId, results, CodeFor(results, StatusCodes.Ok)));
                    otherCommands = true;
                    break;
                case ItemCommand itemCommand when _largeObject is not null || itemCommand.Items.Any(i => i.MoreData):
                    await FlushAsync().ConfigureAwait(false);
                    answers.AddRange(await ReceiveChunkAsync(itemCommand, serverMsgId, cancellationToken).ConfigureAwait(false));
                    otherCommands = true;
                    break;
                default:
                    batch.Add(command);
                    otherCommands = true;
                    break;
            }
        }

        await FlushAsync().ConfigureAwait(false);
        return (answers, nextMessageRequested, otherCommands);
    }

    private void ApplyServerMaxMsgSize(SyncHdr header)
    {
        if (_options.HonorServerMaxMsgSize
            && int.TryParse(header.Meta?.MaxMsgSize, NumberStyles.None, CultureInfo.InvariantCulture, out var serverMax))
        {
            _maxOutgoing = Math.Clamp(serverMax, MinimumOutgoingMessageSize, _options.MaxOutgoingMessageSize);
        }
    }

    private static void CheckServerStatus(Status status)
    {
        var code = status.Data?.Trim();
        if (status.Cmd == SyncMLNames.SyncHdr && code is "401" or "407")
        {
            throw new DmProtocolException(
                $"The server answered the client's SyncHdr with Status {code}; DM-layer authentication is not provisioned on this device (docs/reference/omadm.md §12).");
        }
    }

    private static bool IsAlert(Alert alert, int code) =>
        int.TryParse(alert.Data?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value == code;

    // A command without CmdID is answered with 400 and an empty CmdRef (docs/reference/omadm.md §3).
    private static int CodeFor(SyncMLCommand command, int code) => string.IsNullOrWhiteSpace(command.CmdID) ? StatusCodes.BadRequest : code;

    private static string StatusCode(int code) => code.ToString(CultureInfo.InvariantCulture);
}

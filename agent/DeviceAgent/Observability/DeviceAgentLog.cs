using Microsoft.Extensions.Logging;

namespace DeviceAgent.Observability;

/// <summary>
/// The device's log messages (source-generated): what a person debugging a failed enrollment or OMA-DM session wants to
/// read. Event IDs follow the server's (docs/mock-mdm.md "Logs and metrics"): 1xx enrollment, 2xx OMA-DM session
/// (docs/session.md "Logs and metrics").
/// </summary>
internal static partial class DeviceAgentLog
{
    [LoggerMessage(101, LogLevel.Information, "Enrollment step {Step} started at {Url}")]
    public static partial void EnrollmentStep(this ILogger logger, string step, Uri? url);

    [LoggerMessage(102, LogLevel.Warning, "Enrollment refused at {Step}: {Subcode}: {Reason}")]
    public static partial void EnrollmentRefused(this ILogger logger, string step, string subcode, string reason);

    [LoggerMessage(103, LogLevel.Information, "Device enrolled: management server {ManagementServerUrl}")]
    public static partial void DeviceEnrolled(this ILogger logger, Uri managementServerUrl);

    [LoggerMessage(201, LogLevel.Information, "OMA-DM session {SessionId} started ({Trigger}, Alert {AlertCode}) with {ServerUrl}")]
    public static partial void SessionStarted(this ILogger logger, string sessionId, string trigger, int alertCode, Uri serverUrl);

    [LoggerMessage(202, LogLevel.Debug, "OMA-DM session {SessionId}: sent message {MsgId} with {CommandCount} commands ({Bytes} bytes)")]
    public static partial void MessageSent(this ILogger logger, string sessionId, string? msgId, int commandCount, int bytes);

    [LoggerMessage(203, LogLevel.Debug, "OMA-DM session {SessionId}: received server message {MsgId} with {CommandCount} commands (Final {Final})")]
    public static partial void MessageReceived(this ILogger logger, string sessionId, string? msgId, int commandCount, bool final);

    [LoggerMessage(204, LogLevel.Warning, "OMA-DM session {SessionId}: answered {Command} {CmdId} on {LocUri} with status {Status}")]
    public static partial void CommandFailed(this ILogger logger, string sessionId, string? command, string? cmdId, string locUri, string? status);

    [LoggerMessage(205, LogLevel.Warning, "OMA-DM session {SessionId}: server protocol problem: {Problem}")]
    public static partial void ServerProblem(this ILogger logger, string sessionId, string problem);

    [LoggerMessage(206, LogLevel.Warning, "OMA-DM session {SessionId}: attempt {Attempt} failed ({Error}); retrying in {Backoff}")]
    public static partial void Retrying(this ILogger logger, string sessionId, int attempt, string? error, TimeSpan backoff);

    [LoggerMessage(207, LogLevel.Information, "OMA-DM session {SessionId} ended {Outcome} after {DurationMs} ms ({MessagesSent} sent, {MessagesReceived} received): {Reason}")]
    public static partial void SessionEnded(this ILogger logger, string sessionId, string outcome, long durationMs, int messagesSent, int messagesReceived, string reason);

    [LoggerMessage(208, LogLevel.Warning, "OMA-DM session {SessionId} ended {Outcome} after {DurationMs} ms ({MessagesSent} sent, {MessagesReceived} received): {Reason}")]
    public static partial void SessionEndedBadly(this ILogger logger, string sessionId, string outcome, long durationMs, int messagesSent, int messagesReceived, string reason, Exception? error);
}

using Microsoft.Extensions.Logging;

namespace MockMdm.Observability;

/// <summary>
/// The server's log messages (source-generated): what a person debugging a failed enrollment or session wants to read.
/// Event IDs: 1xx enrollment, 2xx OMA-DM, 3xx device actions (docs/mock-mdm.md "Logs and metrics").
/// </summary>
internal static partial class MockMdmLog
{
    [LoggerMessage(101, LogLevel.Warning, "Enrollment refused at {Step}: {Subcode}: {Reason}")]
    public static partial void EnrollmentRefused(this ILogger logger, string step, string subcode, string reason);

    [LoggerMessage(102, LogLevel.Information, "Device enrolled at {Step}")]
    public static partial void DeviceEnrolled(this ILogger logger, string step);

    [LoggerMessage(201, LogLevel.Warning, "OMA-DM request refused with HTTP {HttpStatus}: {Reason}")]
    public static partial void DeviceRefused(this ILogger logger, int httpStatus, string reason);

    [LoggerMessage(207, LogLevel.Warning, "OMA-DM message refused with SyncHdr status {Status}: {Reason}")]
    public static partial void MessageRefused(this ILogger logger, int status, string reason);

    [LoggerMessage(202, LogLevel.Information, "OMA-DM session {SessionId} of device {DeviceId} started (alert {InitiatingAlert})")]
    public static partial void SessionStarted(this ILogger logger, string sessionId, string deviceId, string? initiatingAlert);

    [LoggerMessage(203, LogLevel.Information, "OMA-DM session {SessionId} of device {DeviceId} ended after server message {ServerMsgId}")]
    public static partial void SessionEnded(this ILogger logger, string sessionId, string deviceId, int serverMsgId);

    [LoggerMessage(204, LogLevel.Debug, "OMA-DM session {SessionId} of device {DeviceId}: device identified, client message {MsgId}")]
    public static partial void DeviceIdentified(this ILogger logger, string sessionId, string deviceId, string msgId);

    [LoggerMessage(205, LogLevel.Warning, "OMA-DM command {CommandId} ({Origin}) of device {DeviceId} failed with status {Status}")]
    public static partial void CommandFailed(this ILogger logger, string commandId, string origin, string deviceId, int status);

    [LoggerMessage(206, LogLevel.Warning, "OMA-DM command {CommandId} ({Origin}) of device {DeviceId} given up: {Reason}")]
    public static partial void CommandGivenUp(this ILogger logger, string commandId, string origin, string deviceId, string reason);

    [LoggerMessage(208, LogLevel.Warning, "Replace from device {DeviceId} refused with status {Status}: {Reason}")]
    public static partial void DeviceReplaceRefused(this ILogger logger, string deviceId, int status, string reason);

    [LoggerMessage(209, LogLevel.Warning, "Inventory answers of device {DeviceId} not recorded: {Reason}")]
    public static partial void InventoryNotRecorded(this ILogger logger, string deviceId, string reason);

    [LoggerMessage(210, LogLevel.Warning, "Push channel of device {DeviceId} not recorded: {Reason}")]
    public static partial void PushChannelNotRecorded(this ILogger logger, string deviceId, string reason);

    [LoggerMessage(211, LogLevel.Warning, "Push to device {DeviceId} not sent: {Reason}")]
    public static partial void PushNotSent(this ILogger logger, string deviceId, string reason);

    [LoggerMessage(212, LogLevel.Warning, "Push to device {DeviceId} answered {Status}; it will pick its commands up at its next poll")]
    public static partial void PushAnswered(this ILogger logger, string deviceId, int status);

    [LoggerMessage(213, LogLevel.Warning, "Push to device {DeviceId} abandoned after {Timeout}; it will pick its commands up at its next poll")]
    public static partial void PushAbandoned(this ILogger logger, string deviceId, TimeSpan timeout);

    [LoggerMessage(214, LogLevel.Warning, "Push to device {DeviceId} failed; it will pick its commands up at its next poll")]
    public static partial void PushFailed(this ILogger logger, Exception exception, string deviceId);

    [LoggerMessage(301, LogLevel.Information, "Action {Action} queued for device {DeviceId} as {Method} (action {ActionId})")]
    public static partial void ActionQueued(this ILogger logger, string action, string deviceId, string method, string actionId);

    [LoggerMessage(302, LogLevel.Warning, "Action {Action} for device {DeviceId} refused with HTTP {HttpStatus}: {Reason}")]
    public static partial void ActionRefused(this ILogger logger, string action, string deviceId, int httpStatus, string reason);
}

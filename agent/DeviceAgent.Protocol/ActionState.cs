namespace DeviceAgent.Protocol;

/// <summary>
/// Graph's actionState of a device action (resetPasscode, remoteLock): what the server stores and its REST API
/// answers, and what a client of that API reads back. Values are Graph's numbers.
/// </summary>
public enum ActionState
{
    None = 0,
    Pending = 1,
    Canceled = 2,
    Active = 3,
    Done = 4,
    Failed = 5,
    NotSupported = 6,
}

namespace DeviceAgent.Csp;

/// <summary>
/// A CSP handler whose state lives for one server message, such as RemoteLock/NewPINValue, which is readable only in
/// the message of the Exec that set it (docs/reference/remotelock.md). The executor calls it after each message's commands ran.
/// </summary>
public interface ICspMessageObserver
{
    /// <summary>The commands of one server message have all been executed.</summary>
    void OnMessageCompleted();
}

namespace DeviceAgent.Protocol;

/// <summary>
/// The peer broke the OMA-DM protocol in a way this side cannot answer: on the device the session ends Failed, on the
/// server the message is answered with HTTP 400 and the reason.
/// </summary>
public sealed class DmProtocolException : Exception
{
    public DmProtocolException(string message)
        : base(message)
    {
    }

    public DmProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public DmProtocolException()
    {
    }
}

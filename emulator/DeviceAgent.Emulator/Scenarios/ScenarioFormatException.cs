namespace DeviceAgent.Emulator.Scenarios;

/// <summary>A scenario file that cannot be used: the message starts with "file:line:column:".</summary>
public sealed class ScenarioFormatException : Exception
{
    public ScenarioFormatException(SourcePosition position, string reason)
        : base($"{position}: {reason}")
    {
        Position = position;
        Reason = reason;
    }

    public ScenarioFormatException(SourcePosition position, string reason, Exception inner)
        : base($"{position}: {reason}", inner)
    {
        Position = position;
        Reason = reason;
    }

    public SourcePosition Position { get; }

    /// <summary>The problem without the position.</summary>
    public string Reason { get; }
}

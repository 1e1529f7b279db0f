namespace DeviceAgent.Cli.Commands;

/// <summary>
/// What a command prints when a run ends in an exception (a server's behaviour, an unreachable service): the message
/// and the inner messages, never a stack trace (docs/emulator.md "Servers without the mock's API").
/// </summary>
internal static class CommandBoundary
{
    public static string Describe(Exception failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var text = failure.Message;
        for (var inner = failure.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (!text.Contains(inner.Message, StringComparison.Ordinal))
            {
                text += $" ({inner.Message})";
            }
        }

        return text;
    }
}

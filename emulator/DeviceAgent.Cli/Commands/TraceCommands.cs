using System.CommandLine;
using System.Text;
using DeviceAgent.Emulator.Traces;
using DeviceAgent.SyncML;

namespace DeviceAgent.Cli.Commands;

/// <summary>`deviceagent trace show FILE [--xml]`: prints a SyncMLViewer-format trace readably.</summary>
internal static class TraceCommands
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "A SyncML stream (SyncMLViewer's \"Save SyncML stream\" format, or a device's syncml-trace.xml)" };
        var xml = new Option<bool>("--xml") { Description = "Print each message's full XML, indented, after its summary" };
        var show = new Command("show", """
            Print every message of a trace: direction, session, SessionID, MsgID and a summary of its commands.

            Examples:
              deviceagent trace show artifacts/phone1/syncml-trace.xml
              deviceagent trace show SyncMLStream.xml --xml
            """)
        { file, xml };
        show.SetAction(parse => Show(parse.GetRequiredValue(file), parse.GetValue(xml), Console.Out, Console.Error));
        return new Command("trace", "Read SyncML traces recorded by emulated devices or by SyncMLViewer") { show };
    }

    internal static int Show(FileInfo file, bool xml, TextWriter output, TextWriter error)
    {
        if (!file.Exists)
        {
            error.WriteLine($"trace file not found: {file.FullName}");
            return 2;
        }

        if (file.Length > SyncMLTrace.MaxTraceBytes)
        {
            error.WriteLine($"{file.FullName}: larger than {SyncMLTrace.MaxTraceBytes} bytes");
            return 2;
        }

        IReadOnlyList<TracedMessage> messages;
        try
        {
            messages = SyncMLTrace.Read(File.ReadAllText(file.FullName));
        }
        catch (InvalidDataException e)
        {
            error.WriteLine($"{file.FullName}:{e.Message}");
            return 2;
        }

        var index = 0;
        var failures = 0;
        foreach (var message in messages)
        {
            index++;
            if (message.Problem is { } problem)
            {
                // SyncMLViewer keeps such a message (e.g. one ETW cut at 64 KB); so does this reader, as text, with a warning.
                failures++;
                error.WriteLine($"{file.FullName}:{message.Line}: warning: message #{index} kept as text: {problem}");
                output.WriteLine($"#{index}  session {message.Session}  SessionID {message.SessionId ?? "-"}  MsgID {message.MsgId ?? "-"}  kept as text: {problem}");
            }
            else
            {
                try
                {
                    output.Write(TraceFormatter.Summarize(index, message.Session, SyncMLReader.ReadMessage(Encoding.UTF8.GetBytes(message.Xml))));
                }
                catch (SyncMLFormatException e)
                {
                    failures++;
                    output.WriteLine($"#{index}  session {message.Session}  not valid SyncML: {e.Message}");
                }
            }

            if (xml)
            {
                output.WriteLine(TraceFormatter.Indent(message.Xml));
            }

            output.WriteLine();
        }

        output.WriteLine($"{messages.Count} message(s) in {messages.Select(m => m.Session).Distinct().Count()} session(s)");
        // 0: every message read as SyncML; 1: the trace loaded but some messages are kept as text (docs/emulator.md "Traces").
        return failures == 0 ? 0 : 1;
    }
}

using System.Text;
using System.Xml;
using System.Xml.Linq;
using DeviceAgent.SyncML;

namespace DeviceAgent.Emulator.Traces;

/// <summary>Turns traced SyncML messages into readable text: direction, session, SessionID, MsgID and a command summary.</summary>
public static class TraceFormatter
{
    /// <summary>Data longer than this is shown by length only, so a summary line stays a line.</summary>
    public const int MaxShownData = 48;

    /// <summary>
    /// Client messages carry the server URL in SyncHdr Target and server messages carry the device ID there
    /// (docs/reference/omadm.md §2), so a Target that is an http(s) URL marks a device-to-server message.
    /// </summary>
    public static TraceDirection DirectionOf(SyncMLMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var target = message.SyncHdr?.Target?.LocURI ?? "";
        return target.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || target.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            ? TraceDirection.DeviceToServer
            : TraceDirection.ServerToDevice;
    }

    public static string Arrow(TraceDirection direction) => direction == TraceDirection.DeviceToServer ? "D->S" : "S->D";

    /// <summary>The header line and one indented line per command (containers nest).</summary>
    public static string Summarize(int index, int session, SyncMLMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var sb = new StringBuilder();
        var hdr = message.SyncHdr;
        sb.Append('#').Append(index).Append("  ").Append(Arrow(DirectionOf(message)))
            .Append("  session ").Append(session)
            .Append("  SessionID ").Append(hdr?.SessionID ?? "-")
            .Append("  MsgID ").Append(hdr?.MsgID ?? "-");
        if (message.SyncBody.Final)
        {
            sb.Append("  Final");
        }

        sb.Append('\n');
        foreach (var command in message.SyncBody.Commands)
        {
            AppendCommand(sb, command, 1);
        }

        return sb.ToString();
    }

    /// <summary>Indented XML for --xml (the way SyncMLViewer shows a message); text that is not well-formed is returned as it is.</summary>
    public static string Indent(string xml)
    {
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            return XElement.Load(reader, LoadOptions.None).ToString();
        }
        catch (XmlException)
        {
            return xml;
        }
    }

    private static void AppendCommand(StringBuilder sb, SyncMLCommand command, int depth)
    {
        sb.Append(' ', depth * 4);
        switch (command)
        {
            case Status s:
                sb.Append("Status ").Append(s.Cmd ?? "?");
                if (s.Cmd != SyncMLNames.SyncHdr)
                {
                    sb.Append(" #").Append(s.CmdRef ?? "?");
                }

                sb.Append(' ').Append(s.Data ?? "(no code)");
                if (s.TargetRefs.Count > 0)
                {
                    sb.Append("  ").Append(string.Join(' ', s.TargetRefs));
                }

                sb.Append('\n');
                break;
            case Results r:
                sb.Append("Results for #").Append(r.CmdRef ?? "?").Append('\n');
                foreach (var item in r.Items)
                {
                    sb.Append(' ', (depth + 1) * 4).Append(item.Source?.LocURI ?? item.Target?.LocURI ?? "?").Append(" = ").Append(Shown(item.Data)).Append('\n');
                }

                break;
            case Alert a:
                sb.Append("Alert ").Append(a.Data ?? "?").Append(AlertName(a.Data));
                foreach (var item in a.Items)
                {
                    if (item.Meta?.Type is { } type)
                    {
                        sb.Append("  ").Append(type);
                    }
                }

                sb.Append('\n');
                break;
            case ItemCommand ic:
                sb.Append(ic.Name);
                if (ic.Items.Count == 1)
                {
                    AppendItem(sb, ic.Items[0]);
                    sb.Append('\n');
                }
                else
                {
                    sb.Append(" (").Append(ic.Items.Count).Append(" items)\n");
                    foreach (var item in ic.Items)
                    {
                        sb.Append(' ', (depth + 1) * 4);
                        AppendItem(sb, item);
                        sb.Append('\n');
                    }
                }

                break;
            case ContainerCommand container:
                sb.Append(container.Name).Append('\n');
                foreach (var inner in container.Commands)
                {
                    AppendCommand(sb, inner, depth + 1);
                }

                break;
            default:
                sb.Append(command.Name).Append(" (not an OMA DM command)\n");
                break;
        }
    }

    private static void AppendItem(StringBuilder sb, Item item)
    {
        sb.Append(' ').Append(item.Target?.LocURI ?? item.Source?.LocURI ?? "?");
        if (item.Data is not null)
        {
            sb.Append(" = ").Append(Shown(item.Data));
        }

        if (item.Meta?.Format is { } format)
        {
            sb.Append(" (").Append(format).Append(')');
        }
    }

    private static string Shown(Data? data) => data switch
    {
        null => "(no data)",
        { Value.Length: 0 } => "(empty)",
        { Value.Length: > MaxShownData } => $"({data.Value.Length} chars)",
        _ => data.Value.ReplaceLineEndings(" "),
    };

    private static string AlertName(string? code) => code switch
    {
        "1200" => " (server-initiated)",
        "1201" => " (client-initiated)",
        "1222" => " (next message)",
        "1223" => " (session abort)",
        "1224" => " (user/login status)",
        "1226" => " (generic alert)",
        _ => "",
    };
}

using System.Buffers;
using System.Text;
using DeviceAgent.SyncML.Writing;

namespace DeviceAgent.SyncML;

/// <summary>
/// Writes SyncML 1.2 DM as UTF-8: elements in OMA DTD order, Meta children with xmlns="syncml:metinf" as Windows writes
/// them, no XML declaration, deterministic output (docs/syncml.md "What the writer emits").
/// </summary>
public static class SyncMLWriter
{
    private static ReadOnlySpan<byte> MetInf => " xmlns=\"syncml:metinf\""u8;

    /// <summary>Writes the message, compact, into <paramref name="output"/>.</summary>
    public static void Write(SyncMLMessage message, IBufferWriter<byte> output) => Write(message, output, indented: false);

    /// <summary>The message as compact UTF-8 bytes without an XML declaration, as Windows sends it.</summary>
    public static byte[] ToBytes(SyncMLMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        Write(message, buffer, indented: false);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The message as an XML string; <paramref name="indented"/> puts each element on its own line (values untouched).</summary>
    public static string ToXml(SyncMLMessage message, bool indented = false)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        Write(message, buffer, indented);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>One command element as XML (servers store raw commands), without a namespace declaration.</summary>
    public static string ToXml(SyncMLCommand command, bool indented = false)
    {
        ArgumentNullException.ThrowIfNull(command);
        var buffer = new ArrayBufferWriter<byte>(1024);
        var xml = new XmlOutput(buffer, indented);
        WriteCommand(ref xml, command, first: true);
        xml.Flush();
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Writes the message into <paramref name="output"/>, optionally indented.</summary>
    public static void Write(SyncMLMessage message, IBufferWriter<byte> output, bool indented)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(output);
        var xml = new XmlOutput(output, indented);
        string ns = string.IsNullOrEmpty(message.Namespace) ? SyncMLNames.Namespace12 : message.Namespace;
        if (ns.AsSpan().IndexOfAny("\"<&") >= 0) throw new ArgumentException($"invalid namespace '{ns}'", nameof(message));
        xml.StartTag("SyncML"u8, firstInDocument: true);
        xml.Raw(" xmlns=\""u8);
        xml.Text(ns);
        xml.Raw("\""u8);
        xml.EndStartTag();
        if (message.SyncHdr is not null) WriteSyncHdr(ref xml, message.SyncHdr);
        xml.Open("SyncBody"u8);
        WriteCommands(ref xml, message.SyncBody.Commands);
        if (message.SyncBody.Final) xml.Empty("Final"u8);
        xml.Close("SyncBody"u8);
        xml.Close("SyncML"u8);
        xml.Flush();
    }

    private static void WriteSyncHdr(ref XmlOutput xml, SyncHdr hdr)
    {
        xml.Open("SyncHdr"u8);
        xml.Element("VerDTD"u8, hdr.VerDTD);
        xml.Element("VerProto"u8, hdr.VerProto);
        xml.Element("SessionID"u8, hdr.SessionID);
        xml.Element("MsgID"u8, hdr.MsgID);
        WriteLocation(ref xml, "Target"u8, hdr.Target);
        WriteLocation(ref xml, "Source"u8, hdr.Source);
        xml.Element("RespURI"u8, hdr.RespURI);
        if (hdr.NoResp) xml.Empty("NoResp"u8);
        WriteCred(ref xml, hdr.Cred);
        WriteMeta(ref xml, hdr.Meta);
        xml.Close("SyncHdr"u8);
    }

    private static void WriteLocation(ref XmlOutput xml, ReadOnlySpan<byte> name, LocationElement? location)
    {
        if (location is null) return;
        xml.Open(name);
        xml.Element("LocURI"u8, location.LocURI);
        xml.Element("LocName"u8, location.LocName);
        xml.Close(name);
    }

    private static void WriteCred(ref XmlOutput xml, Cred? cred)
    {
        if (cred is null) return;
        xml.Open("Cred"u8);
        WriteMeta(ref xml, cred.Meta);
        WriteData(ref xml, cred.Data);
        xml.Close("Cred"u8);
    }

    /// <summary>MetInf DTD order: Format, Type, Mark, Size, NextNonce, MaxMsgSize, MaxObjSize, then unmodelled children as read.</summary>
    private static void WriteMeta(ref XmlOutput xml, Meta? meta)
    {
        if (meta is null) return;
        xml.Open("Meta"u8);
        xml.Element("Format"u8, meta.Format, MetInf);
        xml.Element("Type"u8, meta.Type, MetInf);
        xml.Element("Mark"u8, meta.Mark, MetInf);
        xml.Element("Size"u8, meta.Size, MetInf);
        xml.Element("NextNonce"u8, meta.NextNonce, MetInf);
        xml.Element("MaxMsgSize"u8, meta.MaxMsgSize, MetInf);
        xml.Element("MaxObjSize"u8, meta.MaxObjSize, MetInf);
        if (meta.HasUnknown) foreach (string raw in meta.Unknown) xml.RawXml(raw);
        xml.Close("Meta"u8);
    }

    private static void WriteData(ref XmlOutput xml, Data? data)
    {
        if (data is null) return;
        xml.StartTag("Data"u8);
        xml.Raw(">"u8);
        switch (data.Form)
        {
            case DataForm.CData: xml.CData(data.Value); break;
            case DataForm.Xml: xml.InnerXml(data.Value); break;
            default: xml.Text(data.Value); break;
        }

        xml.Raw("</Data>"u8);
    }

    private static void WriteItem(ref XmlOutput xml, Item item)
    {
        xml.Open("Item"u8);
        WriteLocation(ref xml, "Target"u8, item.Target);
        WriteLocation(ref xml, "Source"u8, item.Source);
        WriteMeta(ref xml, item.Meta);
        WriteData(ref xml, item.Data);
        if (item.MoreData) xml.Empty("MoreData"u8);
        xml.Close("Item"u8);
    }

    private static void WriteItems(ref XmlOutput xml, ItemList items)
    {
        foreach (Item item in items) WriteItem(ref xml, item);
    }

    private static void WriteCommand(ref XmlOutput xml, SyncMLCommand command, bool first = false)
    {
        if (command is UnknownCommand unknown)
        {
            if (first) xml.InnerXml(unknown.RawXml);
            else xml.RawXml(unknown.RawXml);
            return;
        }

        ReadOnlySpan<byte> name = command switch
        {
            Add => "Add"u8,
            Alert => "Alert"u8,
            Atomic => "Atomic"u8,
            Copy => "Copy"u8,
            Delete => "Delete"u8,
            Exec => "Exec"u8,
            Get => "Get"u8,
            Replace => "Replace"u8,
            Results => "Results"u8,
            Sequence => "Sequence"u8,
            Status => "Status"u8,
            _ => throw new ArgumentException($"the writer does not know the command type {command.GetType().Name}", nameof(command)),
        };
        xml.Open(name, first);
        xml.Element("CmdID"u8, command.CmdID);
        switch (command)
        {
            case Status status:
                if (status.NoResp) xml.Empty("NoResp"u8);
                xml.Element("MsgRef"u8, status.MsgRef);
                xml.Element("CmdRef"u8, status.CmdRef);
                xml.Element("Cmd"u8, status.Cmd);
                if (status.HasTargetRefs) foreach (string target in status.TargetRefs) xml.Element("TargetRef"u8, target);
                if (status.HasSourceRefs) foreach (string source in status.SourceRefs) xml.Element("SourceRef"u8, source);
                WriteCred(ref xml, status.Cred);
                if (status.Chal is not null)
                {
                    xml.Open("Chal"u8);
                    WriteMeta(ref xml, status.Chal.Meta);
                    xml.Close("Chal"u8);
                }

                xml.Element("Data"u8, status.Data);
                if (status.HasItems) WriteItems(ref xml, status.Items);
                break;
            case Results results:
                if (results.NoResp) xml.Empty("NoResp"u8);
                xml.Element("MsgRef"u8, results.MsgRef);
                xml.Element("CmdRef"u8, results.CmdRef);
                xml.Element("Cmd"u8, results.Cmd);
                WriteMeta(ref xml, results.Meta);
                xml.Element("TargetRef"u8, results.TargetRef);
                xml.Element("SourceRef"u8, results.SourceRef);
                WriteItems(ref xml, results.Items);
                break;
            case Alert alert:
                if (alert.NoResp) xml.Empty("NoResp"u8);
                WriteCred(ref xml, alert.Cred);
                xml.Element("Data"u8, alert.Data);
                xml.Element("Correlator"u8, alert.Correlator);
                WriteItems(ref xml, alert.Items);
                break;
            case ContainerCommand container:
                // A model built in code can nest without bound; fail cleanly instead of overflowing the stack.
                System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
                if (container.NoResp) xml.Empty("NoResp"u8);
                WriteMeta(ref xml, container.Meta);
                WriteCommands(ref xml, container.Commands);
                break;
            case ItemCommand items:
                if (items.NoResp) xml.Empty("NoResp"u8);
                WriteCred(ref xml, items.Cred);
                WriteMeta(ref xml, items.Meta);
                if (items is Exec exec) xml.Element("Correlator"u8, exec.Correlator);
                WriteItems(ref xml, items.Items);
                break;
        }

        xml.Close(name);
    }

    /// <summary>Writes commands; Atomic/Sequence nesting is bounded by the model a caller built (the reader bounds what it reads).</summary>
    private static void WriteCommands(ref XmlOutput xml, List<SyncMLCommand> commands)
    {
        foreach (SyncMLCommand command in commands) WriteCommand(ref xml, command);
    }
}

using System.Xml;
using System.Xml.Linq;
using DeviceAgent.SyncML;

namespace DeviceAgent.Benchmarks.SyncML;

/// <summary>
/// The baseline: the same model read and written through System.Xml's XDocument, the way a typical .NET MDM server
/// would do it (DTDs prohibited, Meta children matched by local name). Only used to measure our codec against.
/// </summary>
internal static class XDocumentSyncMLCodec
{
    private static readonly XNamespace s_metInf = SyncMLNames.MetInfNamespace;

    private static readonly XmlReaderSettings s_settings = new() { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };

    public static SyncMLMessage Read(byte[] utf8)
    {
        using var stream = new MemoryStream(utf8, writable: false);
        using var reader = XmlReader.Create(stream, s_settings);
        XElement root = XDocument.Load(reader).Root!;
        var message = new SyncMLMessage { Namespace = root.Name.NamespaceName };
        foreach (XElement child in root.Elements())
        {
            if (child.Name.LocalName == "SyncHdr") message.SyncHdr = ReadHdr(child);
            else if (child.Name.LocalName == "SyncBody") ReadCommands(child, message.SyncBody.Commands, message.SyncBody);
        }

        return message;
    }

    private static string Text(XElement e) => e.Value.Trim();

    private static SyncHdr? ReadHdr(XElement e)
    {
        if (!e.HasElements) return null;
        var h = new SyncHdr { VerDTD = null, VerProto = null };
        foreach (XElement c in e.Elements())
        {
            switch (c.Name.LocalName)
            {
                case "VerDTD": h.VerDTD = Text(c); break;
                case "VerProto": h.VerProto = Text(c); break;
                case "SessionID": h.SessionID = Text(c); break;
                case "MsgID": h.MsgID = Text(c); break;
                case "Target": h.Target = Location(c); break;
                case "Source": h.Source = Location(c); break;
                case "RespURI": h.RespURI = Text(c); break;
                case "NoResp": h.NoResp = true; break;
                case "Cred": h.Cred = Cred(c); break;
                case "Meta": h.Meta = Meta(c); break;
            }
        }

        return h;
    }

    private static LocationElement Location(XElement e) => new()
    {
        LocURI = e.Elements().FirstOrDefault(x => x.Name.LocalName == "LocURI") is { } uri ? Text(uri) : "",
        LocName = e.Elements().FirstOrDefault(x => x.Name.LocalName == "LocName") is { } name ? Text(name) : null,
    };

    private static Cred Cred(XElement e) => new()
    {
        Meta = e.Elements().FirstOrDefault(x => x.Name.LocalName == "Meta") is { } m ? Meta(m) : null,
        Data = e.Elements().FirstOrDefault(x => x.Name.LocalName == "Data") is { } d ? Data(d) : null,
    };

    private static Meta Meta(XElement e)
    {
        var meta = new Meta();
        foreach (XElement c in e.Elements())
        {
            switch (c.Name.LocalName)
            {
                case "Format": meta.Format = Text(c); break;
                case "Type": meta.Type = Text(c); break;
                case "Size": meta.Size = Text(c); break;
                case "MaxMsgSize": meta.MaxMsgSize = Text(c); break;
                case "MaxObjSize": meta.MaxObjSize = Text(c); break;
                case "NextNonce": meta.NextNonce = Text(c); break;
                case "Mark": meta.Mark = Text(c); break;
                default: meta.Unknown.Add(c.ToString(SaveOptions.DisableFormatting)); break;
            }
        }

        return meta;
    }

    private static Data Data(XElement e)
    {
        if (e.HasElements) return new Data(string.Concat(e.Nodes().Select(n => n.ToString(SaveOptions.DisableFormatting))), DataForm.Xml);
        var cdata = e.Nodes().OfType<XCData>().ToList();
        bool onlyCData = cdata.Count > 0 && e.Nodes().OfType<XText>().All(t => t is XCData || string.IsNullOrWhiteSpace(t.Value));
        return onlyCData ? new Data(string.Concat(cdata.Select(c => c.Value)), DataForm.CData) : new Data(e.Value);
    }

    private static Item Item(XElement e)
    {
        var item = new Item();
        foreach (XElement c in e.Elements())
        {
            switch (c.Name.LocalName)
            {
                case "Target": item.Target = Location(c); break;
                case "Source": item.Source = Location(c); break;
                case "Meta": item.Meta = Meta(c); break;
                case "Data": item.Data = Data(c); break;
                case "MoreData": item.MoreData = true; break;
            }
        }

        return item;
    }

    private static void ReadCommands(XElement parent, List<SyncMLCommand> into, SyncBody? body)
    {
        foreach (XElement c in parent.Elements())
        {
            string name = c.Name.LocalName;
            SyncMLCommand? command = name.ToUpperInvariant() switch
            {
                "ADD" => new Add(), "REPLACE" => new Replace(), "DELETE" => new Delete(), "GET" => new Get(),
                "EXEC" => new Exec(), "COPY" => new Copy(), "ALERT" => new Alert(), "STATUS" => new Status(),
                "RESULTS" => new Results(), "ATOMIC" => new Atomic(), "SEQUENCE" => new Sequence(),
                _ => null,
            };
            if (command is null)
            {
                if (name == "Final" && body is not null) body.Final = true;
                else if (parent.Name.LocalName == "SyncBody" || (name != "CmdID" && name != "Meta" && name != "NoResp"))
                {
                    into.Add(new UnknownCommand(name, c.ToString(SaveOptions.DisableFormatting)));
                }

                continue;
            }

            into.Add(command);
            if (command is ContainerCommand container)
            {
                foreach (XElement x in c.Elements())
                {
                    if (x.Name.LocalName == "CmdID") container.CmdID = Text(x);
                    else if (x.Name.LocalName == "Meta") container.Meta = Meta(x);
                    else if (x.Name.LocalName == "NoResp") container.NoResp = true;
                }

                ReadCommands(c, container.Commands, null);
                continue;
            }

            foreach (XElement x in c.Elements())
            {
                string n = x.Name.LocalName;
                if (n == "CmdID") command.CmdID = Text(x);
                else if (n == "NoResp") command.NoResp = true;
                else if (command is ItemCommand ic)
                {
                    if (n == "Cred") ic.Cred = Cred(x);
                    else if (n == "Meta") ic.Meta = Meta(x);
                    else if (n == "Item") ic.Items.Add(Item(x));
                    else if (n == "Correlator" && ic is Exec exec) exec.Correlator = Text(x);
                }
                else if (command is Alert a)
                {
                    if (n == "Data") a.Data = Text(x);
                    else if (n == "Item") a.Items.Add(Item(x));
                    else if (n == "Cred") a.Cred = Cred(x);
                    else if (n == "Correlator") a.Correlator = Text(x);
                }
                else if (command is Status s)
                {
                    switch (n)
                    {
                        case "MsgRef": s.MsgRef = Text(x); break;
                        case "CmdRef": s.CmdRef = Text(x); break;
                        case "Cmd": s.Cmd = Text(x); break;
                        case "TargetRef": s.TargetRefs.Add(Text(x)); break;
                        case "SourceRef": s.SourceRefs.Add(Text(x)); break;
                        case "Cred": s.Cred = Cred(x); break;
                        case "Chal": s.Chal = new Chal { Meta = x.Elements().FirstOrDefault(m => m.Name.LocalName == "Meta") is { } m ? Meta(m) : null }; break;
                        case "Data": s.Data = Text(x); break;
                        case "Item": s.Items.Add(Item(x)); break;
                    }
                }
                else if (command is Results r)
                {
                    switch (n)
                    {
                        case "MsgRef": r.MsgRef = Text(x); break;
                        case "CmdRef": r.CmdRef = Text(x); break;
                        case "Cmd": r.Cmd = Text(x); break;
                        case "Meta": r.Meta = Meta(x); break;
                        case "TargetRef": r.TargetRef = Text(x); break;
                        case "SourceRef": r.SourceRef = Text(x); break;
                        case "Item": r.Items.Add(Item(x)); break;
                    }
                }
            }
        }
    }

    /// <summary>Writes the model as an XDocument, compact, UTF-8 without declaration (same element order as our writer).</summary>
    public static byte[] Write(SyncMLMessage message)
    {
        XNamespace ns = string.IsNullOrEmpty(message.Namespace) ? SyncMLNames.Namespace12 : message.Namespace;
        var root = new XElement(ns + "SyncML");
        if (message.SyncHdr is { } h)
        {
            root.Add(new XElement(ns + "SyncHdr",
                Opt(ns, "VerDTD", h.VerDTD), Opt(ns, "VerProto", h.VerProto), Opt(ns, "SessionID", h.SessionID), Opt(ns, "MsgID", h.MsgID),
                Loc(ns, "Target", h.Target), Loc(ns, "Source", h.Source), Opt(ns, "RespURI", h.RespURI),
                h.NoResp ? new XElement(ns + "NoResp") : null, CredX(ns, h.Cred), MetaX(ns, h.Meta)));
        }

        var body = new XElement(ns + "SyncBody", message.SyncBody.Commands.Select(c => CommandX(ns, c)));
        if (message.SyncBody.Final) body.Add(new XElement(ns + "Final"));
        root.Add(body);
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, new XmlWriterSettings { OmitXmlDeclaration = true, Encoding = new System.Text.UTF8Encoding(false) }))
        {
            root.Save(writer);
        }

        return stream.ToArray();
    }

    private static XElement? Opt(XNamespace ns, string name, string? value) => value is null ? null : new XElement(ns + name, value);

    private static XElement? Loc(XNamespace ns, string name, LocationElement? l) =>
        l is null ? null : new XElement(ns + name, new XElement(ns + "LocURI", l.LocURI), Opt(ns, "LocName", l.LocName));

    private static XElement? CredX(XNamespace ns, Cred? c) => c is null ? null : new XElement(ns + "Cred", MetaX(ns, c.Meta), DataX(ns, c.Data));

    private static XElement? MetaX(XNamespace ns, Meta? m) => m is null ? null : new XElement(ns + "Meta",
        M("Format", m.Format), M("Type", m.Type), M("Mark", m.Mark), M("Size", m.Size), M("NextNonce", m.NextNonce),
        M("MaxMsgSize", m.MaxMsgSize), M("MaxObjSize", m.MaxObjSize), m.Unknown.Select(u => XElement.Parse(u)));

    private static XElement? M(string name, string? value) => value is null ? null : new XElement(s_metInf + name, value);

    private static XElement? DataX(XNamespace ns, Data? d) => d is null ? null : d.Form switch
    {
        DataForm.CData => new XElement(ns + "Data", new XCData(d.Value)),
        DataForm.Xml => new XElement(ns + "Data", XElement.Parse("<r>" + d.Value + "</r>").Nodes()),
        _ => new XElement(ns + "Data", d.Value),
    };

    private static XElement ItemX(XNamespace ns, Item i) => new(ns + "Item",
        Loc(ns, "Target", i.Target), Loc(ns, "Source", i.Source), MetaX(ns, i.Meta), DataX(ns, i.Data), i.MoreData ? new XElement(ns + "MoreData") : null);

    private static XElement CommandX(XNamespace ns, SyncMLCommand c)
    {
        if (c is UnknownCommand u) return XElement.Parse(u.RawXml);
        var e = new XElement(ns + c.Name, Opt(ns, "CmdID", c.CmdID));
        switch (c)
        {
            case Status s:
                e.Add(Opt(ns, "MsgRef", s.MsgRef), Opt(ns, "CmdRef", s.CmdRef), Opt(ns, "Cmd", s.Cmd),
                    s.TargetRefs.Select(t => new XElement(ns + "TargetRef", t)), s.SourceRefs.Select(t => new XElement(ns + "SourceRef", t)),
                    CredX(ns, s.Cred), s.Chal is null ? null : new XElement(ns + "Chal", MetaX(ns, s.Chal.Meta)), Opt(ns, "Data", s.Data),
                    s.Items.Select(i => ItemX(ns, i)));
                break;
            case Results r:
                e.Add(Opt(ns, "MsgRef", r.MsgRef), Opt(ns, "CmdRef", r.CmdRef), Opt(ns, "Cmd", r.Cmd), MetaX(ns, r.Meta),
                    Opt(ns, "TargetRef", r.TargetRef), Opt(ns, "SourceRef", r.SourceRef), r.Items.Select(i => ItemX(ns, i)));
                break;
            case Alert a:
                e.Add(CredX(ns, a.Cred), Opt(ns, "Data", a.Data), Opt(ns, "Correlator", a.Correlator), a.Items.Select(i => ItemX(ns, i)));
                break;
            case ContainerCommand k:
                e.Add(MetaX(ns, k.Meta), k.Commands.Select(x => CommandX(ns, x)));
                break;
            case ItemCommand ic:
                e.Add(CredX(ns, ic.Cred), MetaX(ns, ic.Meta), ic is Exec x ? Opt(ns, "Correlator", x.Correlator) : null, ic.Items.Select(i => ItemX(ns, i)));
                break;
        }

        return e;
    }
}

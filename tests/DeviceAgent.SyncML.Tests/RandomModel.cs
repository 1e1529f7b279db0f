using System.Text;

namespace DeviceAgent.SyncML.Tests;

/// <summary>Builds random but representable SyncML models from a seeded <see cref="Random"/> (property tests).</summary>
internal sealed class RandomModel(Random random)
{
    private static readonly string[] s_pieces =
        ["a", "Z", "0", "42", " ", "/", "./Vendor/MSFT", "<", ">", "&", "\"", "'", "]]>", "]]", "\n", "\t", "\r\n", "\r", "é", "日本", "😀", "%7B", "&amp;", "<![CDATA[", "-->"];

    private static readonly string[] s_unknownNames = ["Map", "Sync", "Put", "Move", "x:Foo"];

    public SyncMLMessage Message()
    {
        var message = new SyncMLMessage { Namespace = Pick(SyncMLNames.Namespace12, SyncMLNames.Namespace11, "") };
        if (Chance(0.8))
        {
            message.SyncHdr = new SyncHdr
            {
                VerDTD = Maybe(() => "1.2"),
                VerProto = Maybe(() => "DM/1.2"),
                SessionID = Maybe(Simple),
                MsgID = Simple(),
                Target = Maybe(Location),
                Source = Maybe(Location),
                RespURI = Maybe(Simple),
                NoResp = Chance(0.2),
                Cred = Maybe(Cred),
                Meta = Maybe(Meta),
            };
        }

        message.SyncBody.Final = Chance(0.5);
        AddCommands(message.SyncBody.Commands, 0);
        return message;
    }

    private void AddCommands(List<SyncMLCommand> into, int depth)
    {
        int count = random.Next(depth == 0 ? 0 : 1, 6);
        for (int i = 0; i < count; i++) into.Add(Command(depth));
    }

    private SyncMLCommand Command(int depth)
    {
        int kind = random.Next(depth < 3 ? 12 : 10);
        SyncMLCommand command = kind switch
        {
            0 => Items(new Add()),
            1 => Items(new Replace()),
            2 => Items(new Delete()),
            3 => Items(new Get()),
            4 => Items(new Exec { Correlator = Maybe(Simple) }),
            5 => Items(new Copy()),
            6 => Alert(),
            7 => Status(),
            8 => Results(),
            9 => Unknown(),
            _ => Container(kind == 10 ? new Atomic() : new Sequence(), depth),
        };
        if (command is not UnknownCommand)
        {
            command.CmdID = Maybe(Simple);
            command.NoResp = Chance(0.1);
        }

        return command;
    }

    private UnknownCommand Unknown()
    {
        string name = Pick(s_unknownNames);
        string? cmdId = Maybe(() => random.Next(1, 1000).ToString(System.Globalization.CultureInfo.InvariantCulture));
        string ns = name.StartsWith("x:", StringComparison.Ordinal) ? " xmlns:x=\"urn:x\"" : "";
        string raw = $"<{name}{ns}>{(cmdId is null ? "" : $"<CmdID>{cmdId}</CmdID>")}<Inner a=\"&amp;\">t&lt;</Inner></{name}>";
        return new UnknownCommand(name, raw) { CmdID = cmdId };
    }

    private ContainerCommand Container(ContainerCommand container, int depth)
    {
        container.Meta = Maybe(Meta);
        AddCommands(container.Commands, depth + 1);
        return container;
    }

    private T Items<T>(T command) where T : ItemCommand
    {
        command.Cred = Chance(0.1) ? Cred() : null;
        command.Meta = Maybe(Meta);
        int count = random.Next(0, 4);
        for (int i = 0; i < count; i++) command.Items.Add(Item());
        return command;
    }

    private Alert Alert()
    {
        var alert = new Alert { Data = Maybe(Simple), Correlator = Chance(0.1) ? Simple() : null, Cred = Chance(0.1) ? Cred() : null };
        int count = random.Next(0, 3);
        for (int i = 0; i < count; i++) alert.Items.Add(Item());
        return alert;
    }

    private Status Status()
    {
        var status = new Status
        {
            MsgRef = Maybe(Simple), CmdRef = Maybe(Simple), Cmd = Maybe(Simple), Data = Maybe(Simple),
            Cred = Chance(0.1) ? Cred() : null,
            Chal = Chance(0.1) ? new Chal { Meta = Maybe(Meta) } : null,
        };
        for (int i = random.Next(0, 3); i > 0; i--) status.TargetRefs.Add(Simple());
        for (int i = random.Next(0, 3); i > 0; i--) status.SourceRefs.Add(Simple());
        for (int i = random.Next(0, 2); i > 0; i--) status.Items.Add(Item());
        return status;
    }

    private Results Results()
    {
        var results = new Results
        {
            MsgRef = Maybe(Simple), CmdRef = Maybe(Simple), Cmd = Maybe(Simple), Meta = Maybe(Meta),
            TargetRef = Maybe(Simple), SourceRef = Maybe(Simple),
        };
        for (int i = random.Next(0, 3); i > 0; i--) results.Items.Add(Item());
        return results;
    }

    private Item Item() => new()
    {
        Target = Maybe(Location),
        Source = Maybe(Location),
        Meta = Maybe(Meta),
        Data = Maybe(Data),
        MoreData = Chance(0.1),
    };

    private LocationElement Location() => new(Simple(), Chance(0.2) ? Simple() : null);

    private Cred Cred() => new() { Meta = Maybe(Meta), Data = Maybe(Data) };

    private Meta Meta()
    {
        var meta = new Meta
        {
            Format = Maybe(Simple), Type = Maybe(Simple), Size = Maybe(Simple), MaxMsgSize = Maybe(Simple),
            MaxObjSize = Maybe(Simple), NextNonce = Maybe(Simple), Mark = Maybe(Simple),
        };
        if (Chance(0.2)) meta.Unknown.Add($"<EMI xmlns=\"syncml:metinf\">{Escape(Simple())}</EMI>");
        if (Chance(0.1)) meta.Unknown.Add("<Version/>");
        return meta;
    }

    private Data Data() => random.Next(3) switch
    {
        0 => new Data(Text(), DataForm.CData),
        1 => new Data($"<x a='1'>{Escape(Text())}<y/></x>{Escape(Text())}", DataForm.Xml),
        _ => new Data(Text()),
    };

    /// <summary>Any text (white space included); data keep it exactly.</summary>
    private string Text()
    {
        var sb = new StringBuilder();
        for (int n = random.Next(0, 8); n > 0; n--) sb.Append(Pick(s_pieces));
        return sb.ToString();
    }

    /// <summary>Simple values are trimmed by the reader, so they never start or end with white space.</summary>
    private string Simple() => Text().Trim(' ', '\t', '\r', '\n');

    private static string Escape(string s) => s.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal).Replace("\r", "&#xD;", StringComparison.Ordinal);

    private bool Chance(double p) => random.NextDouble() < p;

    private T? Maybe<T>(Func<T> make) where T : class => Chance(0.6) ? make() : null;

    private T Pick<T>(params T[] values) => values[random.Next(values.Length)];
}

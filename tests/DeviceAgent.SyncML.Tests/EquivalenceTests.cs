namespace DeviceAgent.SyncML.Tests;

/// <summary>
/// SyncMLEquivalence: every field of the model takes part in the comparison, and the first difference is reported by
/// its path with both values (the round-trip tests only see "equal", so a field left out of the comparison or a wrong
/// path would pass them).
/// </summary>
public class EquivalenceTests
{
    private static Meta FullMeta() => new()
    {
        Format = "chr", Type = "text/plain", Size = "10", MaxMsgSize = "20000", MaxObjSize = "100000", NextNonce = "bm9uY2U=", Mark = "high",
        Unknown = { "<EMI>x</EMI>" },
    };

    private static Item FullItem() => new()
    {
        Target = new LocationElement("./Vendor/MSFT/A", "a"),
        Source = new LocationElement("./Vendor/MSFT/B", "b"),
        Meta = FullMeta(),
        Data = new Data("value"),
        MoreData = true,
    };

    /// <summary>A message in which every field the comparison looks at has a value.</summary>
    private static SyncMLMessage Full()
    {
        var message = new SyncMLMessage
        {
            Namespace = SyncMLNames.Namespace12,
            SyncHdr = new SyncHdr
            {
                SessionID = "1", MsgID = "2", Target = new LocationElement("https://mdm", "server"), Source = new LocationElement("imei:1", "device"),
                RespURI = "https://mdm/resp", NoResp = true, Cred = new Cred { Meta = FullMeta(), Data = new Data("c2VjcmV0") }, Meta = FullMeta(),
            },
        };
        message.SyncBody.Final = true;
        var alert = new Alert { CmdID = "1", Data = "1226", Correlator = "c1", Cred = new Cred { Data = new Data("x") } };
        alert.Items.Add(FullItem());
        var status = new Status { CmdID = "2", MsgRef = "1", CmdRef = "0", Cmd = "SyncHdr", Data = "200", Cred = new Cred(), Chal = new Chal { Meta = FullMeta() } };
        status.TargetRefs.Add("t1");
        status.SourceRefs.Add("s1");
        status.Items.Add(FullItem());
        var results = new Results { CmdID = "3", MsgRef = "1", CmdRef = "5", Cmd = "Get", Meta = FullMeta(), TargetRef = "tr", SourceRef = "sr" };
        results.Items.Add(FullItem());
        var exec = new Exec { CmdID = "4", Correlator = "c2", Cred = new Cred(), Meta = FullMeta() };
        exec.Items.Add(FullItem());
        var atomic = new Atomic { CmdID = "5", Meta = FullMeta() };
        var add = new Add { CmdID = "6", NoResp = true };
        add.Items.Add(FullItem());
        atomic.Commands.Add(add);
        message.SyncBody.Commands.AddRange([alert, status, results, exec, atomic, new UnknownCommand("Foo", "<Foo>1</Foo>")]);
        return message;
    }

    private static IEnumerable<TestCaseData> Differences()
    {
        TestCaseData Case(string name, Action<SyncMLMessage> change, string difference) =>
            new TestCaseData(change, difference).SetName("Reports " + name);

        static T Cmd<T>(SyncMLMessage m) where T : SyncMLCommand => m.SyncBody.Commands.OfType<T>().Single();

        yield return Case("namespace", m => m.Namespace = "syncml:syncml1.1", "Namespace: \"SYNCML:SYNCML1.2\" vs \"syncml:syncml1.1\"");
        yield return Case("VerDTD", m => m.SyncHdr!.VerDTD = "1.1", "SyncHdr/VerDTD: \"1.2\" vs \"1.1\"");
        yield return Case("VerProto", m => m.SyncHdr!.VerProto = "DM/1.1", "SyncHdr/VerProto: \"DM/1.2\" vs \"DM/1.1\"");
        yield return Case("SessionID", m => m.SyncHdr!.SessionID = "9", "SyncHdr/SessionID: \"1\" vs \"9\"");
        yield return Case("MsgID", m => m.SyncHdr!.MsgID = "9", "SyncHdr/MsgID: \"2\" vs \"9\"");
        yield return Case("header Target LocURI", m => m.SyncHdr!.Target!.LocURI = "x", "SyncHdr/Target/LocURI: \"https://mdm\" vs \"x\"");
        yield return Case("header Target LocName", m => m.SyncHdr!.Target!.LocName = null, "SyncHdr/Target/LocName: \"server\" vs null");
        yield return Case("header Target absent", m => m.SyncHdr!.Target = null, "SyncHdr/Target: present vs absent");
        yield return Case("header Source", m => m.SyncHdr!.Source!.LocURI = "imei:2", "SyncHdr/Source/LocURI: \"imei:1\" vs \"imei:2\"");
        yield return Case("RespURI", m => m.SyncHdr!.RespURI = null, "SyncHdr/RespURI: \"https://mdm/resp\" vs null");
        yield return Case("header NoResp", m => m.SyncHdr!.NoResp = false, "SyncHdr/NoResp: True vs False");
        yield return Case("header Cred Meta", m => m.SyncHdr!.Cred!.Meta!.Type = "syncml:auth-md5", "SyncHdr/Cred/Meta/Type: \"text/plain\" vs \"syncml:auth-md5\"");
        yield return Case("header Cred Data", m => m.SyncHdr!.Cred!.Data = new Data("b3RoZXI="), "SyncHdr/Cred/Data: \"c2VjcmV0\" vs \"b3RoZXI=\"");
        yield return Case("header Cred absent", m => m.SyncHdr!.Cred = null, "SyncHdr/Cred: present vs absent");
        yield return Case("header Meta Format", m => m.SyncHdr!.Meta!.Format = "b64", "SyncHdr/Meta/Format: \"chr\" vs \"b64\"");
        yield return Case("Meta Size", m => m.SyncHdr!.Meta!.Size = "11", "SyncHdr/Meta/Size: \"10\" vs \"11\"");
        yield return Case("Meta MaxMsgSize", m => m.SyncHdr!.Meta!.MaxMsgSize = "1", "SyncHdr/Meta/MaxMsgSize: \"20000\" vs \"1\"");
        yield return Case("Meta MaxObjSize", m => m.SyncHdr!.Meta!.MaxObjSize = "1", "SyncHdr/Meta/MaxObjSize: \"100000\" vs \"1\"");
        yield return Case("Meta NextNonce", m => m.SyncHdr!.Meta!.NextNonce = "1", "SyncHdr/Meta/NextNonce: \"bm9uY2U=\" vs \"1\"");
        yield return Case("Meta Mark", m => m.SyncHdr!.Meta!.Mark = "low", "SyncHdr/Meta/Mark: \"high\" vs \"low\"");
        yield return Case("Meta unknown element", m => m.SyncHdr!.Meta!.Unknown[0] = "<EMI>y</EMI>", "SyncHdr/Meta/Unknown[0]: \"<EMI>x</EMI>\" vs \"<EMI>y</EMI>\"");
        yield return Case("Meta unknown count", m => m.SyncHdr!.Meta!.Unknown.Add("<EMI>z</EMI>"), "SyncHdr/Meta/Unknown: 1 values vs 2");
        yield return Case("SyncHdr absent", m => m.SyncHdr = null, "SyncHdr: present vs absent");
        yield return Case("Final", m => m.SyncBody.Final = false, "SyncBody/Final: True vs False");
        yield return Case("command count", m => m.SyncBody.Commands.RemoveAt(5), "SyncBody: 6 commands vs 5");
        yield return Case("command type", m => m.SyncBody.Commands[3] = new Add { CmdID = "4" }, "SyncBody/[3]Exec: Exec vs Add");
        yield return Case("CmdID", m => m.SyncBody.Commands[0].CmdID = "7", "SyncBody/[0]Alert/CmdID: \"1\" vs \"7\"");
        yield return Case("Alert Cred", m => Cmd<Alert>(m).Cred!.Data = new Data("y"), "SyncBody/[0]Alert/Cred/Data: \"x\" vs \"y\"");
        yield return Case("Alert Data", m => Cmd<Alert>(m).Data = "1201", "SyncBody/[0]Alert/Data: \"1226\" vs \"1201\"");
        yield return Case("Alert Correlator", m => Cmd<Alert>(m).Correlator = "c9", "SyncBody/[0]Alert/Correlator: \"c1\" vs \"c9\"");
        yield return Case("Item Target", m => Cmd<Alert>(m).Items[0].Target!.LocURI = "./X", "SyncBody/[0]Alert/Items[0]/Target/LocURI: \"./Vendor/MSFT/A\" vs \"./X\"");
        yield return Case("Item Source", m => Cmd<Alert>(m).Items[0].Source!.LocName = "c", "SyncBody/[0]Alert/Items[0]/Source/LocName: \"b\" vs \"c\"");
        yield return Case("Item Meta", m => Cmd<Alert>(m).Items[0].Meta = null, "SyncBody/[0]Alert/Items[0]/Meta: present vs absent");
        yield return Case("Item Data", m => Cmd<Alert>(m).Items[0].Data = new Data("other"), "SyncBody/[0]Alert/Items[0]/Data: \"value\" vs \"other\"");
        yield return Case("Item Data form", m => Cmd<Alert>(m).Items[0].Data = new Data("value", DataForm.CData), "SyncBody/[0]Alert/Items[0]/Data: form Text vs CData");
        yield return Case("Item Data absent", m => Cmd<Alert>(m).Items[0].Data = null, "SyncBody/[0]Alert/Items[0]/Data: present vs absent");
        yield return Case("Item MoreData", m => Cmd<Alert>(m).Items[0].MoreData = false, "SyncBody/[0]Alert/Items[0]/MoreData: True vs False");
        yield return Case("item count", m => Cmd<Alert>(m).Items.Add(new Item()), "SyncBody/[0]Alert: 1 items vs 2");
        yield return Case("Status MsgRef", m => Cmd<Status>(m).MsgRef = "2", "SyncBody/[1]Status/MsgRef: \"1\" vs \"2\"");
        yield return Case("Status CmdRef", m => Cmd<Status>(m).CmdRef = "2", "SyncBody/[1]Status/CmdRef: \"0\" vs \"2\"");
        yield return Case("Status Cmd", m => Cmd<Status>(m).Cmd = "Add", "SyncBody/[1]Status/Cmd: \"SyncHdr\" vs \"Add\"");
        yield return Case("Status TargetRef", m => Cmd<Status>(m).TargetRefs[0] = "t2", "SyncBody/[1]Status/TargetRef[0]: \"t1\" vs \"t2\"");
        yield return Case("Status SourceRef", m => Cmd<Status>(m).SourceRefs.Clear(), "SyncBody/[1]Status/SourceRef: 1 values vs 0");
        yield return Case("Status Cred", m => Cmd<Status>(m).Cred = null, "SyncBody/[1]Status/Cred: present vs absent");
        yield return Case("Status Chal", m => Cmd<Status>(m).Chal!.Meta!.NextNonce = "bmV3", "SyncBody/[1]Status/Chal/Meta/NextNonce: \"bm9uY2U=\" vs \"bmV3\"");
        yield return Case("Status Chal absent", m => Cmd<Status>(m).Chal = null, "SyncBody/[1]Status/Chal: present vs absent");
        yield return Case("Status Data", m => Cmd<Status>(m).Data = "401", "SyncBody/[1]Status/Data: \"200\" vs \"401\"");
        yield return Case("Status Item", m => Cmd<Status>(m).Items[0].MoreData = false, "SyncBody/[1]Status/Items[0]/MoreData: True vs False");
        yield return Case("Results MsgRef", m => Cmd<Results>(m).MsgRef = null, "SyncBody/[2]Results/MsgRef: \"1\" vs null");
        yield return Case("Results CmdRef", m => Cmd<Results>(m).CmdRef = "6", "SyncBody/[2]Results/CmdRef: \"5\" vs \"6\"");
        yield return Case("Results Cmd", m => Cmd<Results>(m).Cmd = null, "SyncBody/[2]Results/Cmd: \"Get\" vs null");
        yield return Case("Results Meta", m => Cmd<Results>(m).Meta!.Format = "int", "SyncBody/[2]Results/Meta/Format: \"chr\" vs \"int\"");
        yield return Case("Results TargetRef", m => Cmd<Results>(m).TargetRef = "x", "SyncBody/[2]Results/TargetRef: \"tr\" vs \"x\"");
        yield return Case("Results SourceRef", m => Cmd<Results>(m).SourceRef = "x", "SyncBody/[2]Results/SourceRef: \"sr\" vs \"x\"");
        yield return Case("Results Item", m => Cmd<Results>(m).Items[0].Data = new Data("v2"), "SyncBody/[2]Results/Items[0]/Data: \"value\" vs \"v2\"");
        yield return Case("Exec Cred", m => Cmd<Exec>(m).Cred = null, "SyncBody/[3]Exec/Cred: present vs absent");
        yield return Case("Exec Meta", m => Cmd<Exec>(m).Meta!.Mark = null, "SyncBody/[3]Exec/Meta/Mark: \"high\" vs null");
        yield return Case("Exec Correlator", m => Cmd<Exec>(m).Correlator = "c3", "SyncBody/[3]Exec/Correlator: \"c2\" vs \"c3\"");
        yield return Case("Exec Item", m => Cmd<Exec>(m).Items.Clear(), "SyncBody/[3]Exec: 1 items vs 0");
        yield return Case("Atomic Meta", m => Cmd<Atomic>(m).Meta = null, "SyncBody/[4]Atomic/Meta: present vs absent");
        yield return Case("nested command NoResp", m => Cmd<Atomic>(m).Commands[0].NoResp = false, "SyncBody/[4]Atomic/[0]Add/NoResp: True vs False");
        yield return Case("nested command Item", m => ((Add)Cmd<Atomic>(m).Commands[0]).Items[0].Target = null, "SyncBody/[4]Atomic/[0]Add/Items[0]/Target: present vs absent");
        yield return Case("nested command count", m => Cmd<Atomic>(m).Commands.Clear(), "SyncBody/[4]Atomic: 1 commands vs 0");
        yield return Case("unknown element name", m => m.SyncBody.Commands[5] = new UnknownCommand("Bar", "<Foo>1</Foo>"), "SyncBody/[5]Foo/ElementName: \"Foo\" vs \"Bar\"");
        yield return Case("unknown raw XML", m => m.SyncBody.Commands[5] = new UnknownCommand("Foo", "<Foo>2</Foo>"), "SyncBody/[5]Foo/RawXml: \"<Foo>1</Foo>\" vs \"<Foo>2</Foo>\"");
    }

    [TestCaseSource(nameof(Differences))]
    public void The_first_difference_is_named_by_path_with_both_values(Action<SyncMLMessage> change, string expected)
    {
        SyncMLMessage changed = Full();
        change(changed);

        Assert.That(SyncMLEquivalence.AreEqual(Full(), changed, out string difference), Is.False);
        Assert.That(difference, Is.EqualTo(expected));
    }

    [Test]
    public void Equal_messages_have_no_difference()
    {
        Assert.That(SyncMLEquivalence.AreEqual(Full(), Full(), out string difference), Is.True);
        Assert.That(difference, Is.EqualTo(""));
    }

    [Test]
    public void A_missing_namespace_equals_SyncML_1_2_but_not_another_namespace()
    {
        var absent = Full();
        absent.Namespace = null;
        var empty = Full();
        empty.Namespace = "";

        Assert.That(SyncMLEquivalence.AreEqual(absent, Full(), out string d1), Is.True, d1);
        Assert.That(SyncMLEquivalence.AreEqual(Full(), empty, out string d2), Is.True, d2);
        Assert.That(SyncMLEquivalence.AreEqual((SyncMLMessage?)null, null, out string d3), Is.True, d3);
        Assert.That(SyncMLEquivalence.AreEqual(Full(), null, out string d4), Is.False);
        Assert.That(d4, Is.EqualTo("message: present vs absent"));
        Assert.That(SyncMLEquivalence.AreEqual((SyncMLMessage?)null, Full(), out string d5), Is.False);
        Assert.That(d5, Is.EqualTo("message: absent vs present"));
    }

    [Test]
    public void Commands_compare_alone_with_paths_from_the_command()
    {
        var a = new Replace { CmdID = "3" };
        a.Items.Add(new Item { Data = new Data("1") });
        var b = new Replace { CmdID = "3" };
        b.Items.Add(new Item { Data = new Data("2") });

        Assert.That(SyncMLEquivalence.AreEqual(a, b, out string difference), Is.False);
        Assert.That(difference, Is.EqualTo("/Items[0]/Data: \"1\" vs \"2\""));
        Assert.That(SyncMLEquivalence.AreEqual(a, a, out string same), Is.True);
        Assert.That(same, Is.EqualTo(""));
        Assert.That(SyncMLEquivalence.AreEqual((SyncMLCommand?)null, a, out string absent), Is.False);
        Assert.That(absent, Is.EqualTo(": absent vs present"));
    }

    [Test]
    public void Long_values_are_cut_at_80_characters_and_line_breaks_are_shown_escaped()
    {
        string eighty = new('x', 80);
        var a = new Alert { CmdID = "1", Data = eighty + "y" };
        var b = new Alert { CmdID = "1", Data = "a\r\nb" };
        var c = new Alert { CmdID = "1", Data = eighty };

        Assert.That(SyncMLEquivalence.AreEqual(a, b, out string difference), Is.False);
        Assert.That(difference, Is.EqualTo($"/Data: \"{eighty}...\" vs \"a\\r\\nb\""));
        Assert.That(SyncMLEquivalence.AreEqual(c, b, out string exact), Is.False);
        Assert.That(exact, Is.EqualTo($"/Data: \"{eighty}\" vs \"a\\r\\nb\""));
    }

    [Test]
    public void Values_compare_by_ordinal_case()
    {
        var a = new Alert { CmdID = "1", Data = "abc" };
        var b = new Alert { CmdID = "1", Data = "ABC" };

        Assert.That(SyncMLEquivalence.AreEqual(a, b, out string difference), Is.False);
        Assert.That(difference, Is.EqualTo("/Data: \"abc\" vs \"ABC\""));
    }
}

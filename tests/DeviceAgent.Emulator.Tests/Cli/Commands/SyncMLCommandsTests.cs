using DeviceAgent.SyncML;

namespace DeviceAgent.Emulator.Tests.Cli.Commands;

/// <summary>`deviceagent syncml check|format`, invoked in-process with captured output.</summary>
public class SyncMLCommandsTests : CliTestBase
{
    [Test]
    public void Check_prints_OK_per_good_file_and_exits_0()
    {
        string a = CorpusFile("fleet-poc-ngrok-dump/real_win10_19043_device_session1_pkg1.xml");
        string b = CorpusFile("fleet/profile_bitlocker_multi_root_replace.xml");
        var (exit, output, _) = Run("syncml", "check", a, b);
        Assert.That(exit, Is.Zero);
        Assert.That(output.Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[] { $"{a}: OK", $"{b}: OK" }));
    }

    [Test]
    public void Check_prints_ERROR_with_position_and_exits_1_when_any_file_fails()
    {
        string good = WriteFile("good.xml", "<SyncML><SyncBody><Final/></SyncBody></SyncML>");
        string bad = WriteFile("bad.xml", "<SyncML>\n  <SyncBody>\n    <Add></Item>\n");
        string missing = Path.Combine(Temp, "missing.xml");
        var (exit, output, _) = Run("syncml", "check", good, bad, missing);
        Assert.That(exit, Is.EqualTo(1));
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(3));
        Assert.That(lines[0], Is.EqualTo($"{good}: OK"));
        Assert.That(lines[1], Does.StartWith($"{bad}: ERROR 3:10 end tag </Item> does not match <Add>"));
        Assert.That(lines[2], Does.StartWith($"{missing}: ERROR cannot read the file"));
    }

    [Test]
    public void Check_accepts_undeclared_prefixes_only_when_asked()
    {
        string file = CorpusFile("fleet-poc-samples/add_defender_realtime_undeclared_A_prefix.xml");
        Assert.That(Run("syncml", "check", file).Exit, Is.EqualTo(1));
        Assert.That(Run("syncml", "check", "--allow-undeclared-prefixes", file).Exit, Is.Zero);
    }

    [Test]
    public void Format_prints_the_canonical_form_which_reads_back_equal()
    {
        string file = CorpusFile("ms-learn-docs/passportforwork_add_policies_no_synchdr.xml");
        var (exit, output, _) = Run("syncml", "format", file);
        Assert.That(exit, Is.Zero);
        Assert.That(output, Does.StartWith("<SyncML xmlns=\"SYNCML:SYNCML1.2\">\n  <SyncBody>\n    <Add>"));
        Assert.That(output, Does.Contain("<LocURI>./Vendor/MSFT/PassportForWork/5NEMDU42-45CC-8CBL-8BPF-D7092646325F</LocURI>"), "LocURI trimmed");
        var original = SyncMLReader.ReadFragment(File.ReadAllBytes(file)).Message;
        var formatted = SyncMLReader.ReadMessage(System.Text.Encoding.UTF8.GetBytes(output));
        Assert.That(SyncMLEquivalence.AreEqual(original, formatted, out string difference), Is.True, difference);
    }

    [Test]
    public void Format_of_commands_prints_the_commands_compact_when_asked()
    {
        string file = WriteFile("cmds.xml", "<Get>\n <CmdID>1</CmdID>\n <Item><Target><LocURI> ./DevDetail/SwV </LocURI></Target></Item></Get>\n<Get><CmdID>2</CmdID></Get>");
        var (exit, output, _) = Run("syncml", "format", "--compact", file);
        Assert.That(exit, Is.Zero);
        Assert.That(output.Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[]
        {
            "<Get><CmdID>1</CmdID><Item><Target><LocURI>./DevDetail/SwV</LocURI></Target></Item></Get>",
            "<Get><CmdID>2</CmdID></Get>",
        }));
    }

    [Test]
    public void Format_of_a_malformed_file_reports_on_stderr_and_exits_1()
    {
        string bad = WriteFile("bad.xml", "<SyncML><SyncBody>&nbsp;</SyncBody></SyncML>");
        var (exit, output, error) = Run("syncml", "format", bad);
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(output, Is.Empty);
        Assert.That(error, Does.Contain("ERROR 1:19 "));
    }

    [Test]
    public void Check_reads_wbxml_and_reports_hostile_wbxml_with_a_byte_offset()
    {
        // Every WBXML message of the test corpus (issue 15: "accepts the WBXML messages in the test corpus").
        string[] corpus = [.. Directory.EnumerateFiles(RepoPaths.SyncMLCorpus, "*.wbxml", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];
        Assert.That(corpus, Is.Not.Empty);
        string bad = Path.Combine(Temp, "bad.wbxml");
        File.WriteAllBytes(bad, [0x03, 0xA4, 0x01, 0x6A, 0x00, 0x6D, 0x6B, 0x7F]);
        string truncated = Path.Combine(Temp, "truncated.wbxml");
        byte[] real = File.ReadAllBytes(corpus[0]);
        File.WriteAllBytes(truncated, real[..(real.Length / 2)]);
        var (exit, output, _) = Run(["syncml", "check", .. corpus, bad, truncated]);
        Assert.That(exit, Is.EqualTo(1));
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[..corpus.Length], Is.EqualTo(corpus.Select(f => $"{f}: OK")));
        Assert.That(lines[corpus.Length], Is.EqualTo($"{bad}: ERROR byte 7 unknown tag token 0x7F on code page 0 (SyncML)"));
        Assert.That(lines[corpus.Length + 1], Does.Match($"^{System.Text.RegularExpressions.Regex.Escape(truncated)}: ERROR byte [0-9]+ "));
    }

    [Test]
    public void Format_wbxml_writes_a_file_that_checks_and_formats_back_to_the_same_model()
    {
        string xml = CorpusFile("libdmclient/pkg3_client_status_results_xml.xml");
        string wbxml = Path.Combine(Temp, "out.wbxml");
        var (exit, output, error) = Run("syncml", "format", "--wbxml", "--output", wbxml, xml);
        Assert.That((exit, output, error), Is.EqualTo((0, "", "")));
        Assert.That(File.ReadAllBytes(wbxml)[0], Is.EqualTo(0x03), "WBXML 1.3 version byte");

        var (formatExit, formatted, _) = Run("syncml", "format", wbxml);
        Assert.That(formatExit, Is.Zero);
        var original = SyncMLReader.ReadMessage(File.ReadAllBytes(xml));
        var back = SyncMLReader.ReadMessage(System.Text.Encoding.UTF8.GetBytes(formatted));
        Assert.That(SyncMLEquivalence.AreEqual(original, back, out string difference), Is.True, difference);
    }

    [Test]
    public void Format_wbxml_without_an_output_file_is_refused()
    {
        var (exit, output, error) = Run("syncml", "format", "--wbxml", CorpusFile("libdmclient/pkg1_client_init_xml.xml"));
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(output, Is.Empty);
        Assert.That(error, Does.Contain("give --output FILE"));
    }
}

using System.Text;
using DeviceAgent.SyncML;

namespace DeviceAgent.Emulator.Tests.Cli.Commands;

/// <summary>`deviceagent send`, invoked in-process with captured output.</summary>
public class SendCommandTests : CliTestBase
{
    private static SyncMLMessage ParseReply(string output) => SyncMLReader.ReadMessage(Encoding.UTF8.GetBytes(output));

    private static void AssertCleanError(string file, string error)
    {
        string[] lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(1), error);
        Assert.That(lines[0], Does.StartWith($"{file}: ERROR "));
        Assert.That(error, Does.Not.Contain("   at ").And.Not.Contain("Exception"));
    }

    [Test]
    public void A_whole_message_is_answered_in_its_session_after_package_1()
    {
        string file = Path.Combine(CorpusDirectory(), "ms-mdm-spec", "ex4_2_server_pkg2_get.xml");
        var (exit, output, error) = Run("send", "--profile", "win10-mobile-1703", file);

        Assert.That(exit, Is.Zero, error);
        var reply = ParseReply(output);
        var statuses = reply.SyncBody.Commands.OfType<Status>().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(reply.SyncHdr!.MsgID, Is.EqualTo("2"), "package 1 was MsgID 1");
            Assert.That(reply.SyncHdr.SessionID, Is.EqualTo("1"));
            Assert.That(reply.SyncHdr.Target!.LocURI, Is.EqualTo("https://contoso.com/management-server"), "the server URL of the file's Source");
            Assert.That(statuses[0].Cmd, Is.EqualTo("SyncHdr"));
            Assert.That(statuses.Skip(1).Select(s => s.CmdRef), Is.EqualTo(new[] { "4", "5" }));
            Assert.That(reply.SyncBody.Final, Is.True);
        });
    }

    [Test]
    public void LockAndResetPIN_then_two_reads_of_NewPINValue_give_the_PIN_once_and_the_log_shows_the_reset()
    {
        // Issue 4 "Done means": a Sequence of Exec LockAndResetPIN and two Gets of NewPINValue answers 200s, a PIN in the
        // first Results and nothing in the second (NewPINValue is a one-time read, docs/reference/remotelock.md).
        string file = WriteFile("reset.xml", """
            <Sequence><CmdID>1</CmdID>
              <Exec><CmdID>2</CmdID><Item><Target><LocURI>./Vendor/MSFT/RemoteLock/LockAndResetPIN</LocURI></Target></Item></Exec>
              <Get><CmdID>3</CmdID><Item><Target><LocURI>./Vendor/MSFT/RemoteLock/NewPINValue</LocURI></Target></Item></Get>
              <Get><CmdID>4</CmdID><Item><Target><LocURI>./Vendor/MSFT/RemoteLock/NewPINValue</LocURI></Target></Item></Get>
            </Sequence>
            """);
        var (exit, output, error) = Run("send", "--profile", "win10-mobile-1703", file, "--log");

        Assert.That(exit, Is.Zero, error);
        int logStart = output.IndexOf("<!-- NGC event log", StringComparison.Ordinal);
        Assert.That(logStart, Is.GreaterThan(0), output);
        var reply = ParseReply(output[..logStart]);
        var statuses = reply.SyncBody.Commands.OfType<Status>().Skip(1).ToList();
        var results = reply.SyncBody.Commands.OfType<Results>().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(statuses.Select(s => (s.CmdRef, s.Cmd, s.Data)), Is.EqualTo(new[]
            {
                ("1", "Sequence", "200"), ("2", "Exec", "200"), ("3", "Get", "200"), ("4", "Get", "200"),
            }));
            Assert.That(results.Select(r => r.CmdRef), Is.EqualTo(new[] { "3", "4" }));
            Assert.That(results[0].Items[0].Data?.Value, Is.EqualTo("052324"), "the new PIN the device of seed 1 (the default) draws");
            Assert.That(results[1].Items[0].Data?.Value ?? "", Is.Empty, "a second read is empty");
            Assert.That(output[logStart..].Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(line => line[(line.IndexOf(' ', StringComparison.Ordinal) + 1)..].TrimEnd('\r')), Is.EqualTo(new[]
            {
                "Microsoft.Windows.Security.NGC.KspSvc CreateContainer Success user=user@contoso.onmicrosoft.com",
                "Microsoft.Windows.Security.NGC.KspSvc CreateKey Success user=user@contoso.onmicrosoft.com key=login",
                "Microsoft.Windows.Security.NGC.KspSvc ResetPinDestructive Success user=user@contoso.onmicrosoft.com",
                "Microsoft.Windows.Security.NGC.KspSvc Lock Success user=user@contoso.onmicrosoft.com",
            }), "the device's NGC log after provisioning: the destructive reset, then the lock");
        });
    }

    [Test]
    public void The_files_SessionID_is_kept_even_when_hex()
    {
        string file = WriteFile("hex.xml",
            "<SyncML xmlns=\"SYNCML:SYNCML1.2\"><SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto><SessionID>D</SessionID><MsgID>7</MsgID>" +
            "<Target><LocURI>dev</LocURI></Target><Source><LocURI>https://mdm.test/x</LocURI></Source></SyncHdr>" +
            "<SyncBody><Get><CmdID>3</CmdID><Item><Target><LocURI>./DevInfo/Nope</LocURI></Target></Item></Get><Final/></SyncBody></SyncML>");
        var (exit, output, _) = Run("send", file);

        Assert.That(exit, Is.Zero);
        var reply = ParseReply(output);
        Assert.That(reply.SyncHdr!.SessionID, Is.EqualTo("D"));
        Assert.That(reply.SyncBody.Commands.OfType<Status>().First().MsgRef, Is.EqualTo("7"));
    }

    [Test]
    public void A_command_list_gets_a_header_CmdIDs_and_Final()
    {
        string file = Path.Combine(CorpusDirectory(), "fleet", "profile_password_replace_without_cmdid.xml");
        var (exit, output, error) = Run("send", file);

        Assert.That(exit, Is.Zero, error);
        var reply = ParseReply(output);
        var statuses = reply.SyncBody.Commands.OfType<Status>().Skip(1).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(statuses.Select(s => s.Cmd), Is.EqualTo(new[] { "Replace", "Replace" }));
            Assert.That(statuses.Select(s => s.CmdRef), Is.EqualTo(new[] { "1", "2" }), "the tool numbers commands the way a server does when it sends a profile");
            Assert.That(reply.SyncBody.Final, Is.True);
        });
    }

    [Test]
    public void A_message_of_statuses_only_gets_no_reply_and_says_why()
    {
        string file = Path.Combine(CorpusDirectory(), "fleet-poc-ngrok-dump", "poc_server_session2_pkg2_ack_synchdr_only.xml");
        var (exit, output, error) = Run("send", file);

        Assert.That(exit, Is.Zero);
        Assert.That(output, Is.Empty);
        Assert.That(error, Does.Contain("the device sends no reply (Completed)"));
    }

    [Test]
    public void Malformed_input_is_one_error_line_with_its_position_and_exit_1()
    {
        string file = WriteFile("bad.xml", "<SyncML>\n  <SyncBody>\n    <Add></Item>\n");
        var (exit, output, error) = Run("send", file);

        Assert.That(exit, Is.EqualTo(1));
        Assert.That(output, Is.Empty);
        AssertCleanError(file, error);
        Assert.That(error, Does.Contain("ERROR 3:10"));
    }

    [Test]
    public void A_server_message_the_session_cannot_answer_is_a_clear_error()
    {
        string file = WriteFile("401.xml",
            "<SyncML xmlns=\"SYNCML:SYNCML1.2\"><SyncHdr><SessionID>1</SessionID><MsgID>1</MsgID></SyncHdr><SyncBody>" +
            "<Status><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>0</CmdRef><Cmd>SyncHdr</Cmd><Data>401</Data></Status><Final/></SyncBody></SyncML>");
        var (exit, output, error) = Run("send", file);
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(output, Is.Empty);
        AssertCleanError(file, error);
        Assert.That(error, Does.Contain("Status 401"));
    }

    [Test]
    public void The_same_seed_gives_the_same_device()
    {
        string file = Path.Combine(CorpusDirectory(), "ms-learn-docs", "remotelock_exec_lock_fragment.xml");
        string Device(string seed) => ParseReply(Run("send", "--seed", seed, file).Output).SyncHdr!.Source!.LocURI;
        string first = Device("5");
        Assert.That(Device("5"), Is.EqualTo(first));
        Assert.That(Device("6"), Is.Not.EqualTo(first));
    }

    [Test]
    public void An_unknown_profile_is_refused()
    {
        string file = Path.Combine(CorpusDirectory(), "ms-learn-docs", "remotelock_exec_lock_fragment.xml");
        var (exit, output, error) = Run("send", "--profile", "win11-desktop", file);
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(error, Does.Contain("Argument 'win11-desktop' not recognized. Must be one of:\n\t'win10-mobile-1703'"));
        Assert.That(output, Does.Not.Contain("<SyncML"));
    }

    private static IEnumerable<TestCaseData> CorpusFiles()
    {
        string root = CorpusDirectory();
        return Directory.EnumerateFiles(root, "*.xml", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(path => new TestCaseData(path).SetName("Corpus " + Path.GetRelativePath(root, path)));
    }

    // Malformed on purpose (tests/corpus/syncml/README.md "XML parse result"): an HTML entity in an attribute, or an undeclared A: prefix.
    private static bool IsMalformed(string path) => path.Contains("MALFORMED", StringComparison.Ordinal) || path.Contains("undeclared_A_prefix", StringComparison.Ordinal);

    [TestCaseSource(nameof(CorpusFiles))]
    public void Every_corpus_message_gets_a_reply_or_a_clean_error(string path)
    {
        var (exit, output, error) = Run("send", "--profile", "win10-mobile-1703", path);

        if (IsMalformed(path))
        {
            Assert.That(exit, Is.EqualTo(1));
            Assert.That(output, Is.Empty);
            AssertCleanError(path, error);
            return;
        }

        Assert.That(exit, Is.Zero, error);
        if (output.Length == 0)
        {
            Assert.That(error, Does.Contain("the device sends no reply (Completed)"));
            Assert.That(System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(path), "<(Add|Alert|Atomic|Copy|Delete|Exec|Get|Replace|Results|Sequence)[\\s/>]").Select(m => m.Value), Is.Empty, "only a package of statuses ends without a reply");
            return;
        }

        var reply = ParseReply(output);
        Assert.That(reply.SyncBody.Commands[0], Is.TypeOf<Status>().With.Property(nameof(Status.Cmd)).EqualTo("SyncHdr"));
        Assert.That(reply.SyncHdr!.MsgID, Is.EqualTo("2"));
    }

    [Test]
    public void Undeclared_prefixes_are_accepted_when_asked()
    {
        string file = Path.Combine(CorpusDirectory(), "fleet-poc-samples", "atomic_install_msi_escaped_xml_undeclared_A_prefix.xml");
        var (exit, output, error) = Run("send", "--allow-undeclared-prefixes", file);
        Assert.That(exit, Is.Zero, error);
        Assert.That(ParseReply(output).SyncBody.Commands.OfType<Status>().Select(s => s.Cmd), Does.Contain("Atomic"));
    }

    [TestCase("win10-mobile-1703")]
    [TestCase("win10-mobile-1709")]
    [CancelAfter(60_000)]
    public void AnInventoryMessageIsAnsweredWith200AndTheDevicesValues(string profile, CancellationToken cancellationToken)
    {
        var file = Path.Combine(CorpusDirectory(), "project", "server_inventory_get_phone.xml");

        var (exit, output, error) = Run("send", "--profile", profile, file);

        Assert.That(exit, Is.Zero, error);
        var reply = ParseReply(output);
        var statuses = reply.SyncBody.Commands.OfType<Status>().Where(s => s.Cmd == "Get").ToArray();
        var results = reply.SyncBody.Commands.OfType<Results>().SelectMany(r => r.Items)
            .ToDictionary(i => i.Source!.LocURI!, i => i.Data?.Value ?? "");
        Assert.Multiple(() =>
        {
            Assert.That(statuses, Has.Length.EqualTo(17));
            Assert.That(statuses.Select(s => s.Data), Has.All.EqualTo("200"));
            Assert.That(results["./Vendor/MSFT"].Split('/'), Is.SupersetOf(new[] { "DeviceStatus", "WindowsLicensing", "DMClient", "PassportForWork", "RemoteWipe", "NodeCache" }));
            Assert.That(results["./Vendor/MSFT/DeviceStatus/OS/Edition"], Is.EqualTo("104"), "Windows 10 Mobile (GetProductInfo 0x68)");
            Assert.That(results["./Vendor/MSFT/WindowsLicensing/Edition"], Is.EqualTo("104"));
            Assert.That(results["./Vendor/MSFT/DeviceStatus/CellularIdentities"], Does.Match("^[0-9]{15}$"), "the IMEI");
            Assert.That(int.Parse(results["./Vendor/MSFT/DeviceStatus/Battery/EstimatedChargeRemaining"], System.Globalization.CultureInfo.InvariantCulture), Is.InRange(0, 100));
            Assert.That(results["./DevDetail/Ext/WLANMACAddress"], Does.Match("^[0-9A-F]{12}$"));
            Assert.That(results.Values, Has.None.EqualTo("value"));
        });
    }

    /// <summary>The default device spec with <paramref name="edits"/> (find, replace) applied, written to a file.</summary>
    internal static string WriteSpec(CliTestBase test, params (string Find, string Replace)[] edits)
    {
        using var stream = typeof(DeviceAgent.Dm.PhoneSpec).Assembly.GetManifestResourceStream("Dm/" + DeviceAgent.Dm.PhoneSpec.DefaultSpecName)!;
        using var reader = new StreamReader(stream);
        var yaml = reader.ReadToEnd();
        foreach (var (find, replace) in edits)
        {
            Assert.That(yaml, Does.Contain(find), "the test edits the default spec");
            yaml = yaml.Replace(find, replace, StringComparison.Ordinal);
        }

        return test.WriteSpecFile(yaml);
    }

    [TestCase("win10-mobile-1703")]
    [TestCase("win10-mobile-1709")]
    [CancelAfter(60_000)]
    public void AFirstSessionInventoryIsAnsweredWith200AndTheValuesOfTheDeviceSpec(string profile, CancellationToken cancellationToken)
    {
        // Issue 13 "Done when": DeviceStatus, WindowsLicensing, DevDetail/Ext/Microsoft, DMClient/Provider and the
        // ./Vendor/MSFT child list answer 200 with realistic values, here those of a spec that is not the default.
        var spec = WriteSpec(this,
            ("model: Lumia 950 ", "model: Lumia 640 XL "),
            ("ram-mb: 3072", "ram-mb: 1024"),
            ("total-mb: 32768", "total-mb: 8192"),
            ("free-mb: { min: 6144, max: 24576 }", "free-mb: { min: 1024, max: 4096 }"),
            ("resolution: 1440x2560", "resolution: 720x1280"),
            ("edition: 104", "edition: 133"),
            ("license-key-type: OEM", "license-key-type: Volume:MAK"),
            ("status: 1 ", "status: 6 "),
            ("level-percent: { min: 15, max: 100 }", "level-percent: { min: 40, max: 45 }"),
            ("imei-tac: \"35465207\"", "imei-tac: \"35220406\""),
            ("imsi: \"310260#########\"", "imsi: \"234150#########\""),
            ("mac-prefix: \"A8:44:81\"                  # the NIC", "mac-prefix: \"00:1D:98\"                  # the NIC"),
            ("radio-software-version: BO25c42.00023.0001", "radio-software-version: BO25c20.00018.0001"),
            ("tpm-version: \"2.0\"", "tpm-version: \"1.2\""));
        var file = Path.Combine(CorpusDirectory(), "project", "server_inventory_first_session.xml");

        var (exit, output, error) = Run("send", "--profile", profile, "--device-spec", spec, file);

        Assert.That(exit, Is.Zero, error);
        var reply = ParseReply(output);
        var statuses = reply.SyncBody.Commands.OfType<Status>().Where(s => s.Cmd == "Get").ToArray();
        var results = reply.SyncBody.Commands.OfType<Results>().SelectMany(r => r.Items)
            .ToDictionary(i => i.Source!.LocURI!, i => i.Data?.Value ?? "");
        int Number(string uri) => int.Parse(results[uri], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Multiple(() =>
        {
            Assert.That(statuses, Has.Length.EqualTo(27));
            Assert.That(statuses.Select(s => s.Data), Has.All.EqualTo("200"));
            Assert.That(results["./Vendor/MSFT"].Split('/'), Is.SupersetOf(new[] { "DeviceStatus", "WindowsLicensing", "DMClient", "RemoteFind", "EnterpriseModernAppManagement", "NodeCache" }));
            Assert.That(results["./Vendor/MSFT/DeviceStatus"].Split('/'), Is.SupersetOf(new[] { "SecureBootState", "CellularIdentities", "NetworkIdentifiers", "Battery", "OS" }));
            Assert.That(results["./Vendor/MSFT/WindowsLicensing"].Split('/'), Does.Contain("Edition"));
            Assert.That(results["./DevDetail/Ext/Microsoft"].Split('/'), Is.SupersetOf(new[] { "TotalRAM", "Resolution", "OSPlatform" }));
            Assert.That(results["./Vendor/MSFT/DeviceStatus/OS/Edition"], Is.EqualTo("133"), "the spec's Mobile Enterprise edition");
            Assert.That(results["./Vendor/MSFT/WindowsLicensing/Edition"], Is.EqualTo("133"));
            Assert.That(results["./Vendor/MSFT/WindowsLicensing/LicenseKeyType"], Is.EqualTo("Volume:MAK"));
            Assert.That(results["./Vendor/MSFT/WindowsLicensing/Status"], Is.EqualTo("4"));
            Assert.That(results["./Vendor/MSFT/DeviceStatus/TPM/SpecificationVersion"], Is.EqualTo("1.2"));
            Assert.That(results["./Vendor/MSFT/DeviceStatus/Battery/Status"], Is.EqualTo("6"));
            Assert.That(Number("./Vendor/MSFT/DeviceStatus/Battery/EstimatedChargeRemaining"), Is.InRange(40, 45));
            Assert.That(Number("./Vendor/MSFT/DeviceStatus/Battery/EstimatedRuntime"), Is.EqualTo(Number("./Vendor/MSFT/DeviceStatus/Battery/EstimatedChargeRemaining") * 20 * 36));
            Assert.That(results["./Vendor/MSFT/DeviceStatus/CellularIdentities"], Does.Match("^35220406[0-9]{7}$"), "an IMEI of the spec's TAC");
            Assert.That(DeviceAgent.Dm.PhoneSpec.IsLuhnValid(results["./Vendor/MSFT/DeviceStatus/CellularIdentities"]), "with its Luhn check digit");
            Assert.That(results["./Vendor/MSFT/DeviceStatus/NetworkIdentifiers"], Does.Match("^001D98[0-9A-F]{6}$"), "the Wi-Fi MAC of the spec's prefix");
            Assert.That(results["./DevDetail/Ext/Microsoft/MobileID"], Does.Match("^234150[0-9]{9}$"), "the IMSI of the spec's pattern");
            Assert.That(results["./DevDetail/Ext/Microsoft/RadioSwV"], Is.EqualTo("BO25c20.00018.0001"));
            Assert.That(results["./DevDetail/Ext/Microsoft/Resolution"], Is.EqualTo("720x1280"));
            Assert.That(results["./DevDetail/Ext/Microsoft/TotalRAM"], Is.EqualTo("1024"));
            Assert.That(results["./DevDetail/Ext/Microsoft/TotalStorage"], Is.EqualTo("8192"));
            Assert.That(results["./DevDetail/Ext/Microsoft/OSPlatform"], Is.EqualTo("Windows 10 Mobile"));
            Assert.That(results["./DevDetail/Ext/Microsoft/CommercializationOperator"], Is.EqualTo("000-88"));
            Assert.That(results["./Vendor/MSFT/DMClient/Provider"], Is.Empty, "not enrolled: no provider yet");
            Assert.That(results["./Vendor/MSFT/DMClient/HWDevID"], Does.Match("^[0-9A-F]{64}$"));
            Assert.That(results.Values, Has.None.EqualTo("value"));
        });
    }

    [Test]
    public void ABadDeviceSpecIsRefusedWithItsFileLineAndColumn()
    {
        var spec = WriteSpec(this, ("ram-mb: 3072", "ram-mb: 3072\nram-gb: 3"));
        var file = Path.Combine(CorpusDirectory(), "project", "server_inventory_first_session.xml");

        var (exit, output, error) = Run("send", "--device-spec", spec, file);

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(2));
            Assert.That(output, Is.Empty);
            Assert.That(error.Trim(), Is.EqualTo($"{spec}:17:1: spec: unknown field 'ram-gb' (known: apps, apps-installed, battery, bluetooth, cellular, device-type, firmware-version, hardware-version, language, location, manufacturer, model, oem, os, processor, radio-software-version, ram-mb, resolution, security, storage, wifi)"));
        });
    }
}

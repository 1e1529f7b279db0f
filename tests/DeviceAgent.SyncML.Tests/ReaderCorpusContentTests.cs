namespace DeviceAgent.SyncML.Tests;

/// <summary>What the reader makes of specific corpus quirks (README checklist of the corpus).</summary>
public class ReaderCorpusContentTests
{
    private static SyncMLFragment Read(string file, SyncMLReaderOptions? options = null) => SyncMLReader.ReadFragment(Corpus.Read(file), options);

    private static T Command<T>(SyncMLMessage message, int index) where T : SyncMLCommand => (T)message.SyncBody.Commands[index];

    [Test]
    public void Real_device_package_one_is_read_in_order()
    {
        var m = SyncMLReader.ReadMessage(Corpus.Read("fleet-poc-ngrok-dump/real_win10_19043_device_session1_pkg1.xml"));
        Assert.That(m.SyncHdr!.SessionID, Is.EqualTo("1"));
        Assert.That(m.SyncHdr.Source!.LocURI, Is.EqualTo("B5B954E81FBCB94EB79BD08BE625F4EE"));
        Assert.That(m.SyncBody.Commands.Select(c => c.Name), Is.EqualTo(new[] { "Alert", "Alert", "Replace" }));
        Assert.That(Command<Alert>(m, 0).Data, Is.EqualTo("1201"));
        Assert.That(Command<Alert>(m, 1).Items[0].Meta!.Type, Is.EqualTo(AlertCodes.LoginStatusType));
        Assert.That(m.SyncBody.Final, Is.True);
    }

    [Test]
    public void LocURI_white_space_is_trimmed_but_inner_spaces_kept()
    {
        var m = Read("ms-learn-docs/passportforwork_add_policies_no_synchdr.xml").Message;
        Assert.That(Command<Add>(m, 0).Items[0].Target!.LocURI, Does.StartWith("./").And.Not.Contain("\n").And.Not.EndWith(" "));
        var spec = SyncMLReader.ReadMessage(Corpus.Read("ms-mdm-spec/ex4_2_server_pkg2_get.xml"));
        Assert.That(spec.SyncBody.Commands.OfType<Get>().SelectMany(g => g.Items).Select(i => i.Target!.LocURI), Does.Contain("./ DevDetail/HwV"));
    }

    [Test]
    public void Data_with_raw_child_elements_is_kept_verbatim_as_xml()
    {
        var m = Read("ms-learn-docs/edam_user_add_exec_msiinstalljob_raw_xml_in_data.xml").Message;
        Data data = Command<Exec>(m, 1).Items[0].Data!;
        Assert.That(data.Form, Is.EqualTo(DataForm.Xml));
        Assert.That(data.Value, Does.Contain("<MsiInstallJob id=\"{9BD4F7CD-880A-40B5-B74C-1BEECB51E596}\">").And.Contain("</MsiInstallJob>"));
        Assert.That(m.Namespace, Is.EqualTo(SyncMLNames.Namespace11));

        var admx = Read("ms-learn-docs/admx_enable_appvclient_data_raw_element_no_metinf_ns.xml").Message;
        Assert.That(Command<Replace>(admx, 0).Items[0].Data, Is.EqualTo(new Data("<Enabled/>", DataForm.Xml)));
    }

    [Test]
    public void Data_in_cdata_with_surrounding_white_space_is_the_section_content()
    {
        var m = Read("ms-learn-docs/admx_publishingserver2_cdata_multiline.xml").Message;
        Data data = Command<Replace>(m, 0).Items[0].Data!;
        Assert.That(data.Form, Is.EqualTo(DataForm.CData));
        Assert.That(data.Value, Does.StartWith("<enabled/>"));
    }

    [Test]
    public void Entity_escaped_xml_in_data_is_decoded_text()
    {
        var m = Read("fleet-poc-samples/install_orbit_add_exec_placeholder_cmdid_escaped_multiline_xml.xml").Message;
        var exec = m.SyncBody.Commands.OfType<Exec>().Single();
        Assert.That(exec.CmdID, Is.EqualTo("xxcmdidxx"));
        Assert.That(exec.Items[0].Data!.Form, Is.EqualTo(DataForm.Text));
        Assert.That(exec.Items[0].Data!.Value, Does.Contain("<MsiInstallJob").And.Not.Contain("\r"));
    }

    [Test]
    public void Upper_case_GET_is_a_Get_with_empty_data()
    {
        var fragment = Read("syncmlviewer/get_devicehardwaredata_uppercase_GET_oneliner.xml");
        Assert.That(fragment.Kind, Is.EqualTo(SyncMLDocumentKind.SyncBody));
        var get = Command<Get>(fragment.Message, 0);
        Assert.That(get.Items[0].Data, Is.EqualTo(new Data("")));
        Assert.That(get.Items[0].Meta!.Format, Is.EqualTo("chr"));
    }

    [Test]
    public void Several_top_level_commands_are_a_command_fragment()
    {
        var fragment = Read("fleet/profile_password_replace_without_cmdid.xml");
        Assert.That(fragment.Kind, Is.EqualTo(SyncMLDocumentKind.Commands));
        Assert.That(fragment.Message.SyncBody.Commands, Has.Count.EqualTo(2).And.All.TypeOf<Replace>());
        Assert.That(fragment.Message.SyncBody.Commands[0].CmdID, Is.Null);
        Assert.That(fragment.Message.SyncHdr, Is.Null);
    }

    [Test]
    public void Type_beside_an_empty_Meta_is_folded_into_Meta()
    {
        var m = Read("ms-mdm-spec/frag_3_2_5_1_5_synctype_alert.xml").Message;
        Assert.That(Command<Alert>(m, 0).Items[0].Meta!.Type, Is.EqualTo("com.microsoft.mdm.synctype"));
    }

    [Test]
    public void Status_with_Chal_and_Results_without_Cmd()
    {
        var m = SyncMLReader.ReadMessage(Corpus.Read("libdmclient/pkg3_client_status_results_xml.xml"));
        var hdrStatus = Command<Status>(m, 0);
        Assert.That(hdrStatus.Cmd, Is.EqualTo("SyncHdr"));
        Assert.That(hdrStatus.Data, Is.EqualTo("212"));
        Assert.That(hdrStatus.Chal!.Meta!.NextNonce, Is.Not.Null.And.Not.Empty);
        Assert.That(m.SyncBody.Commands.OfType<Results>().All(r => r.Cmd is null), Is.True);
        var spec = SyncMLReader.ReadMessage(Corpus.Read("ms-mdm-spec/ex4_3_client_pkg3_status_results.xml"));
        Assert.That(spec.SyncBody.Commands.OfType<Results>().Select(r => r.Cmd), Has.All.EqualTo("Get"));
    }

    [Test]
    public void Header_cred_locname_and_hex_session()
    {
        var m = SyncMLReader.ReadMessage(Corpus.Read("project/device_checkin_cred_md5_locname_synchdr_status500.xml"));
        Assert.That(m.SyncHdr!.SessionID, Is.EqualTo("1F"));
        Assert.That(m.SyncHdr.Cred!.Meta!.Type, Is.EqualTo("syncml:auth-md5"));
        Assert.That(m.SyncHdr.Source!.LocName, Is.EqualTo("contoso-phone-07"));
    }

    [Test]
    public void Doctype_is_skipped_and_utf16_declaration_on_utf8_bytes_is_accepted()
    {
        var decoded = SyncMLReader.ReadMessage(Corpus.Read("libdmclient/pkg1_client_init.wbxml.decoded.xml"));
        Assert.That(decoded.SyncHdr!.Cred!.Meta!.Type, Is.EqualTo("syncml:auth-basic"));
        var utf16 = SyncMLReader.ReadMessage(Corpus.Read("ms-learn-docs/edam_device_response_utf16_decl_no_ns_empty_synchdr.xml"));
        Assert.That(utf16.Namespace, Is.EqualTo(""));
        Assert.That(utf16.SyncHdr, Is.Null);
        Assert.That(utf16.SyncBody.Commands, Has.Count.EqualTo(2));
    }

    [Test]
    public void Sequence_holds_its_commands_in_order()
    {
        var m = Read("ms-learn-docs/remotelock_sequence_lockandresetpin_get_newpin_fragment.xml").Message;
        var sequence = m.SyncBody.Commands.OfType<Sequence>().Single();
        Assert.That(sequence.Commands.Select(c => c.Name), Is.EqualTo(new[] { "Exec", "Get" }));
        Assert.That(((Exec)sequence.Commands[0]).Items[0].Target!.LocURI, Is.EqualTo("./Vendor/MSFT/RemoteLock/LockAndResetPIN"));
    }

    [Test]
    public void Undeclared_prefix_is_accepted_when_the_option_allows_it()
    {
        var options = new SyncMLReaderOptions { AllowUndeclaredPrefixes = true };
        var m = Read("fleet-poc-samples/atomic_install_msi_escaped_xml_undeclared_A_prefix.xml", options).Message;
        var atomic = (Atomic)m.SyncBody.Commands[0];
        Assert.That(((Exec)atomic.Commands[1]).Items[0].Meta!.Format, Is.EqualTo("xml"));
        var reread = SyncMLReader.ReadMessage(SyncMLWriter.ToBytes(m));
        Assert.That(SyncMLEquivalence.AreEqual(m, reread, out string difference), Is.True, difference);
    }
}

using DeviceAgent.Dm;

namespace DeviceAgent.Tests.Dm;

public class DdfLoaderTests
{
    private static DdfNode Node(DdfSet set, string csp, string path, string relative)
    {
        var root = set.Documents.SelectMany(d => d.Roots).Single(r => r.Path == path && r.Node.Name == csp).Node;
        foreach (var name in relative.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            root = root.Children.Single(c => c.DisplayName == name);
        }

        return root;
    }

    [Test]
    public void The1703SetHoldsTheNewestFileOfEachMobileCspAndItsOwnPolicyCsp()
    {
        var sources = DdfSet.Windows10Mobile1703.Documents.Select(d => d.Source).ToArray();

        Assert.Multiple(() =>
        {
            // Newest file at or before 1703 per CSP: RemoteWipe only in the 1607 download, CertificateStore changed in 1703.
            Assert.That(sources, Does.Contain("Ddf/win10-1607/RemoteWipe_DDF.xml"));
            Assert.That(sources, Does.Contain("Ddf/win10-1703/CertificateStore_DDF.xml"));
            Assert.That(sources, Does.Contain("Ddf/win10-1703/DMClient_DDF.xml"));
            Assert.That(sources.Where(s => s.StartsWith("Ddf/win10-1709/", StringComparison.Ordinal)), Is.Empty);
            // The Policy CSP is the release's own (generated from its PolicyDDF_all.xml), not the 2025 areas.
            Assert.That(sources.Where(s => s.StartsWith("Ddf/win-2025-02/", StringComparison.Ordinal)), Is.Empty);
            Assert.That(sources, Does.Contain("Ddf/generated/win10-1703/Policy.xml"));
            Assert.That(DdfSet.Windows10Mobile1703.Documents.Select(d => d.Roots[0].Node.Name),
                Is.EquivalentTo(DdfSet.MobileCsps.Where(c => c is not ("AppLocker" or "eUICCs" or "TPMPolicy"))));
        });
    }

    [Test]
    public void The1709SetTakes1709FilesWhereTheyChangedAnd1703Ones()
    {
        var sources = DdfSet.Windows10Mobile1709.Documents.Select(d => d.Source).ToArray();

        Assert.Multiple(() =>
        {
            Assert.That(sources, Does.Contain("Ddf/win10-1709/DMClient_DDF.xml"));
            Assert.That(sources, Does.Not.Contain("Ddf/win10-1703/DMClient_DDF.xml"));
            Assert.That(sources, Does.Contain("Ddf/win10-1709/TPMPolicy.xml"));
            // The 1709 download's VPNv2 file is not well-formed XML: 1709 keeps the 1703 one (docs/csp-coverage.md).
            Assert.That(sources, Does.Contain("Ddf/win10-1703/VPNv2DDF_Final.xml"));
            Assert.That(sources, Does.Contain("Ddf/win10-1607/RemoteWipe_DDF.xml"));
        });
    }

    [Test]
    public void ReadsDynamicNodesOfDdf12()
    {
        var tenant = Node(DdfSet.Windows10Mobile1703, "PassportForWork", "./Device/Vendor/MSFT", "{TenantId}");

        Assert.Multiple(() =>
        {
            Assert.That(tenant.IsDynamicName, Is.True);
            Assert.That(tenant.DfTitle, Is.EqualTo("TenantId"));
            Assert.That(tenant.Occurrence, Is.EqualTo(new DdfOccurrence(DdfOccurrenceKind.ZeroOrMore)));
            Assert.That(tenant.Scope, Is.EqualTo(DdfScope.Dynamic));
            Assert.That(tenant.AccessType, Is.EqualTo(DdfAccessType.Add | DdfAccessType.Delete | DdfAccessType.Get));
            Assert.That(tenant.Format, Is.EqualTo(DdfFormat.Node));
        });
    }

    [Test]
    public void ReadsLeafPropertiesOfDdf12()
    {
        var min = Node(DdfSet.Windows10Mobile1703, "PassportForWork", "./Device/Vendor/MSFT", "{TenantId}/Policies/PINComplexity/MinimumPINLength");

        Assert.Multiple(() =>
        {
            Assert.That(min.Format, Is.EqualTo(DdfFormat.Int));
            Assert.That(min.DefaultValue, Is.EqualTo("4"));
            Assert.That(min.MimeType, Is.EqualTo("text/plain"));
            Assert.That(min.Occurrence.Kind, Is.EqualTo(DdfOccurrenceKind.ZeroOrOne));
            Assert.That(min.AllowedValues, Is.Null, "DDF 1.2 has no MSFT:AllowedValues");
            Assert.That(min.Applicability, Is.Null);
        });
    }

    [Test]
    public void ReadsAllowedValuesAndApplicabilityOfDdfV2()
    {
        var set = DdfSet.Windows2025February;
        var min = Node(set, "PassportForWork", "./Device/Vendor/MSFT", "{TenantId}/Policies/PINComplexity/MinimumPINLength");
        var upper = Node(set, "PassportForWork", "./Device/Vendor/MSFT", "{TenantId}/Policies/PINComplexity/UppercaseLetters");
        var groupA = Node(set, "PassportForWork", "./Device/Vendor/MSFT", "DeviceUnlock/GroupA");
        var recovery = Node(set, "PassportForWork", "./Device/Vendor/MSFT", "{TenantId}/Policies/EnablePinRecovery");

        Assert.Multiple(() =>
        {
            Assert.That(min.AllowedValues!.ValueType, Is.EqualTo(DdfAllowedValueType.Range));
            Assert.That((min.AllowedValues.RangeMin, min.AllowedValues.RangeMax), Is.EqualTo((4L, 127L)));
            Assert.That(upper.AllowedValues!.EnumValues.Select(v => v.Value), Is.EqualTo(new[] { "0", "1", "2" }));
            Assert.That(groupA.AllowedValues!.Allows("{6F1C2A0E-3B4D-4E5F-8A9B-0C1D2E3F4A5B}", DdfFormat.Chr), Is.True);
            Assert.That(groupA.AllowedValues.Allows("6F1C2A0E-3B4D-4E5F-8A9B-0C1D2E3F4A5B", DdfFormat.Chr), Is.False);
            Assert.That(recovery.Applicability!.OsBuildVersion, Is.EqualTo("10.0.15063"));
            Assert.That(DdfSet.Windows2025February.Documents.All(d => d.IsV2), Is.True);
        });
    }

    [Test]
    public void StarNodeNamesOfDmAccAreDynamic()
    {
        var account = Node(DdfSet.Windows10Mobile1703, "DMAcc", "./SyncML", "{*}");

        Assert.That(account.IsDynamicName, Is.True);
    }

    [Test]
    public void AnExternalEntityInTheDoctypeIsNeverResolved()
    {
        const string xml = """
            <?xml version="1.0"?>
            <!DOCTYPE MgmtTree [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
            <MgmtTree><VerDTD>1.2</VerDTD>
              <Node><NodeName>X</NodeName><Path>./Vendor/MSFT</Path>
                <DFProperties><AccessType><Get/></AccessType><DFFormat><chr/></DFFormat><Description>&xxe;</Description></DFProperties>
              </Node>
            </MgmtTree>
            """;

        var e = Assert.Throws<DdfFormatException>(() => DdfLoader.Load(xml, "evil.xml"));

        Assert.That(e!.Line, Is.EqualTo(5), "the DOCTYPE is blanked line for line, so positions stay right");
        Assert.That(e.Message, Does.StartWith("evil.xml(5,"));
    }

    [Test]
    public void AMissingAccessTypeIsReportedWithItsPosition()
    {
        const string xml = """
            <MgmtTree><VerDTD>1.2</VerDTD>
              <Node><NodeName>X</NodeName><Path>./Vendor/MSFT</Path>
                <DFProperties><DFFormat><chr/></DFFormat></DFProperties>
              </Node>
            </MgmtTree>
            """;

        var e = Assert.Throws<DdfFormatException>(() => DdfLoader.Load(xml, "bad.xml"));

        Assert.That(e!.Reason, Is.EqualTo("<DFProperties> has no <AccessType>"));
        Assert.That(e.Line, Is.EqualTo(3));
    }

    [TestCase("<MgmtTree><VerDTD>1.2</VerDTD></MgmtTree>", "<MgmtTree> has no <Node>")]
    [TestCase("<Other/>", "root element is <Other>, expected <MgmtTree>")]
    [TestCase("<MgmtTree><Node><NodeName>X</NodeName><DFProperties><AccessType><Get/></AccessType><DFFormat><chr/></DFFormat></DFProperties></Node></MgmtTree>", "top-level <Node> has no <Path>")]
    [TestCase("<MgmtTree><Node><NodeName>X</NodeName><Path>.</Path><DFProperties><AccessType><Get/></AccessType><DFFormat><text/></DFFormat></DFProperties></Node></MgmtTree>", "unknown DFFormat <text>")]
    [TestCase("<MgmtTree><Node><NodeName>X</NodeName><Path>.</Path><DFProperties><AccessType><Run/></AccessType><DFFormat><chr/></DFFormat></DFProperties></Node></MgmtTree>", "unknown AccessType <Run>")]
    public void RefusesMalformedDdf(string xml, string reason)
    {
        var e = Assert.Throws<DdfFormatException>(() => DdfLoader.Load(xml, "t.xml"));

        Assert.That(e!.Reason, Is.EqualTo(reason));
    }

    [Test]
    public void RefusesABadRange()
    {
        const string xml = """
            <MgmtTree xmlns:MSFT="http://schemas.microsoft.com/MobileDevice/DM"><Node><NodeName>X</NodeName><Path>.</Path>
            <DFProperties><AccessType><Get/></AccessType><DFFormat><int/></DFFormat>
            <MSFT:AllowedValues ValueType="Range"><MSFT:Value>[9-1]</MSFT:Value></MSFT:AllowedValues></DFProperties></Node></MgmtTree>
            """;

        var e = Assert.Throws<DdfFormatException>(() => DdfLoader.Load(xml, "t.xml"));

        Assert.That(e!.Reason, Does.StartWith("Range '[9-1]'"));
    }

    [TestCase("[4-127]", 4, 127)]
    [TestCase("[-5-5]", -5, 5)]
    [TestCase("[0-4294967295]", 0, 4294967295)]
    public void ParsesRanges(string text, long min, long max)
    {
        Assert.That(DdfLoader.TryParseRange(text, out var a, out var b), Is.True);
        Assert.That((a, b), Is.EqualTo((min, max)));
    }
}

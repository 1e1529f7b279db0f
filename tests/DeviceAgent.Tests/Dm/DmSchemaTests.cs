using DeviceAgent.Dm;

namespace DeviceAgent.Tests.Dm;

public class DmSchemaTests
{
    private static readonly DmSchema s_mobile1703 = DmSchema.For(DdfSet.Windows10Mobile1703, OsBuild.Parse("10.0.15063.297"));

    [TestCase("./Device/Vendor/MSFT/RemoteLock/LockAndRecoverPIN")]
    [TestCase("./Device/Vendor/MSFT/PassportForWork/{TenantId}/Policies/EnablePinRecovery")]
    [TestCase("./User/Vendor/MSFT/PassportForWork/{TenantId}/Policies/EnablePinRecovery")]
    [TestCase("./Device/Vendor/MSFT/DMClient/Provider/{ProviderID}/Poll/NumberOfFirstRetries")]
    [TestCase("./DevDetail/Ext/DeviceHardwareData")]
    [TestCase("./SyncML/DMAcc/{*}/Ext/Microsoft/UseHwDevID")]
    [TestCase("./Device/Vendor/MSFT/Policy/Config/DeviceLock/MinDevicePasswordLength")]
    // In Microsoft's 1703 Policy DDF (the v2 file dates it later): the Continuum external-display lock of phones.
    [TestCase("./Device/Vendor/MSFT/Policy/Config/DeviceLock/MaxInactivityTimeDeviceLockWithExternalDisplay")]
    [TestCase("./Device/Vendor/MSFT/Policy/Result/DeviceLock/MinDevicePasswordLength")]
    [TestCase("./Device/Vendor/MSFT/Policy/Config/Authentication/AllowFastReconnect")]
    public void The1703DeviceHasTheNodesOfItsDdfSet(string path)
    {
        Assert.That(s_mobile1703.Find(path), Is.Not.Null);
    }

    [TestCase("./DevDetail/Ext/Microsoft/DNSComputerName")]
    [TestCase("./DevDetail/Ext/Microsoft/SMBIOSSerialNumber")]
    [TestCase("./DevInfo/Ext/ICCID")]
    [TestCase("./Device/Vendor/MSFT/PassportForWork/DeviceUnlock")]
    [TestCase("./Device/Vendor/MSFT/Policy/Config/Authentication/EnablePasswordlessExperience")]
    // ADMX-backed (desktop Group Policy template): not on the phone (docs/csps.md "Policy CSP").
    [TestCase("./Device/Vendor/MSFT/Policy/Config/DeviceLock/PreventLockScreenSlideShow")]
    public void NodesNewerThan15063AreAbsent(string path)
    {
        Assert.That(s_mobile1703.Find(path), Is.Null);
    }

    [Test]
    public void The2025SetOnAWindows11BuildHasTheNewerNodes()
    {
        var schema = DmSchema.For(DdfSet.ForOsBuild(OsBuild.Parse("10.0.22631.2506")), OsBuild.Parse("10.0.22631.2506"));

        Assert.That(schema.Find("./DevDetail/Ext/Microsoft/DNSComputerName"), Is.Not.Null);
        Assert.That(schema.Find("./Device/Vendor/MSFT/Policy/Config/Authentication/EnablePasswordlessExperience"), Is.Not.Null);
    }

    [Test]
    public void The1703NodesBorrowAllowedValuesFromDdfV2()
    {
        var min = s_mobile1703.Find("./Device/Vendor/MSFT/PassportForWork/{TenantId}/Policies/PINComplexity/MinimumPINLength")!;

        Assert.That(min.Definition!.AllowedValues, Is.Null);
        Assert.That((min.AllowedValues!.RangeMin, min.AllowedValues.RangeMax), Is.EqualTo((4L, 127L)));
    }

    [Test]
    public void SchemasAreSharedPerSetAndBuild()
    {
        Assert.That(DmSchema.For(DdfSet.Windows10Mobile1703, OsBuild.Parse("10.0.15063.297")), Is.SameAs(s_mobile1703));
    }
}

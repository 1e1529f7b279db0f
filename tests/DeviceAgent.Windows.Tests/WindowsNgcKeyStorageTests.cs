using DeviceAgent.Ngc;
using Windows.Security.Credentials;

namespace DeviceAgent.Windows.Tests;

/// <summary>Parts of the Windows provider that need Windows but no Windows Hello.</summary>
public sealed class WindowsNgcKeyStorageTests
{
    // KeyCredentialStatus values as docs/reference/pin-reset.md §6 lists them; 99 stands for a value this build does not know.
    [TestCase(0, NgcOutcome.Success)]
    [TestCase(1, NgcOutcome.DeviceError)]
    [TestCase(2, NgcOutcome.KeyNotFound)]
    [TestCase(3, NgcOutcome.UserCanceled)]
    [TestCase(4, NgcOutcome.UserPrefersPassword)]
    [TestCase(5, NgcOutcome.KeyAlreadyExists)]
    [TestCase(6, NgcOutcome.LockedOut)]
    [TestCase(99, NgcOutcome.DeviceError)]
    public void KeyCredentialStatus_maps_to_a_named_outcome(int status, NgcOutcome expected)
    {
        if (!WindowsPlatform.IsSupported)
        {
            Assert.Ignore(WindowsPlatform.NotSupportedReason);
            return;
        }

        Assert.That(WindowsNgcKeyStorage.ToOutcome((KeyCredentialStatus)status), Is.EqualTo(expected));
    }

    [Test]
    public async Task Pin_operations_are_not_supported_without_touching_the_platform()
    {
        if (!WindowsPlatform.IsSupported)
        {
            Assert.Ignore(WindowsPlatform.NotSupportedReason);
            return;
        }

        var storage = new WindowsNgcKeyStorage();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(storage.Capabilities, Is.EqualTo(NgcCapabilities.Keys));
            Assert.That((await storage.CreateContainerAsync("u", "1234")).Outcome, Is.EqualTo(NgcOutcome.NotSupported));
            Assert.That((await storage.ResetPinDestructiveAsync("u", "1234")).Outcome, Is.EqualTo(NgcOutcome.NotSupported));
            Assert.That((await storage.RecoverPinAsync("u", new byte[32], "1234")).Outcome, Is.EqualTo(NgcOutcome.NotSupported));
            Assert.That((await storage.ListKeysAsync("u")).Outcome, Is.EqualTo(NgcOutcome.NotSupported));
        }
    }

    [Test]
    public void Credential_names_keep_users_apart()
    {
        if (!WindowsPlatform.IsSupported)
        {
            Assert.Ignore(WindowsPlatform.NotSupportedReason);
            return;
        }

        var storage = new WindowsNgcKeyStorage("P.");
        Assert.That(storage.CredentialName("alice", "k"), Is.Not.EqualTo(storage.CredentialName("bob", "k")));
        Assert.That(storage.CredentialName("alice", "k"), Is.EqualTo("P.alice.k"));
    }
}

using System.Text;
using DeviceAgent.Ngc;
using DeviceAgent.Ngc.Software;

namespace DeviceAgent.Tests.Ngc.Software;

public sealed class SoftwareNgcKeyStoragePersistenceTests
{
    private const string User = "alice@contoso.com";
    private const string Pin = "1234";
    private static readonly byte[] s_data = Encoding.UTF8.GetBytes("sign me");
    private string _directory = null!;

    [SetUp]
    public void MakeDirectory() => _directory = Path.Combine(Path.GetTempPath(), "ngc-persist-" + Guid.NewGuid().ToString("N"));

    [TearDown]
    public void RemoveDirectory()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private SoftwareNgcKeyStorage Open(int lockout = 3) =>
        new(new SoftwareNgcOptions { Directory = _directory, Pbkdf2Iterations = 7, LockoutThreshold = lockout, KeyAlgorithm = NgcKeyAlgorithm.EcdsaP256 });

    [Test]
    public async Task A_restarted_device_keeps_pin_keys_recovery_and_failed_attempts()
    {
        var tenant = SharedPinResetService.ConsentedTenant();
        var first = Open();
        await first.CreateContainerAsync(User, Pin);
        var key = (await first.CreateKeyAsync(User, Pin, "k1")).Required;
        await first.EnablePinRecoveryAsync(User, tenant, SharedPinResetService.Instance.GetPublicKey());
        await first.VerifyPinAsync(User, "0000");
        var id = (await first.GetContainerInfoAsync(User)).Required.ContainerId;

        var second = Open();
        var info = (await second.GetContainerInfoAsync(User)).Required;
        await Assert.MultipleAsync(async () =>
        {
            Assert.That(info.ContainerId, Is.EqualTo(id));
            Assert.That(info.FailedAttempts, Is.EqualTo(1));
            Assert.That(info.Recovery, Is.EqualTo(NgcRecoveryState.Enabled));
            var signature = (await second.SignAsync(User, Pin, "k1", s_data)).Required;
            Assert.That(key.Verify(s_data, signature), Is.True);
        });

        var blob = (await second.GetEncryptedRecoveryProtectorAsync(User)).Required;
        var protector = SharedPinResetService.Instance.RecoverProtector(tenant, blob).Protector!;
        Assert.That((await second.RecoverPinAsync(User, protector, "8642")).Outcome, Is.EqualTo(NgcOutcome.Success));
        Assert.That((await Open().VerifyPinAsync(User, "8642")).Outcome, Is.EqualTo(NgcOutcome.Success));
    }

    [Test]
    public async Task A_lockout_survives_a_restart()
    {
        var first = Open(lockout: 2);
        await first.CreateContainerAsync(User, Pin);
        await first.VerifyPinAsync(User, "0000");
        await first.VerifyPinAsync(User, "0000");
        Assert.That((await Open(lockout: 2).VerifyPinAsync(User, Pin)).Outcome, Is.EqualTo(NgcOutcome.LockedOut));
    }

    [Test]
    public async Task After_a_restart_the_container_is_locked_so_recovery_waits_for_the_pin()
    {
        await Open().CreateContainerAsync(User, Pin);
        var restarted = Open();
        Assert.That(
            (await restarted.EnablePinRecoveryAsync(User, SharedPinResetService.ConsentedTenant(), SharedPinResetService.Instance.GetPublicKey())).Outcome,
            Is.EqualTo(NgcOutcome.RecoveryPending));
        Assert.That((await Open().GetContainerInfoAsync(User)).Required.Recovery, Is.EqualTo(NgcRecoveryState.Pending), "pending is persisted");
        await restarted.VerifyPinAsync(User, Pin);
        Assert.That((await Open().GetContainerInfoAsync(User)).Required.Recovery, Is.EqualTo(NgcRecoveryState.Enabled));
    }

    [Test]
    public async Task The_file_holds_neither_the_pin_nor_any_unsealed_secret_and_records_the_iterations()
    {
        var storage = Open();
        await storage.CreateContainerAsync(User, "97531864");
        var text = File.ReadAllText(storage.ContainerPath(User)!);
        Assert.That(text, Does.Not.Contain("97531864"));
        Assert.That(text, Does.Contain("\"iterations\": 7"));
        Assert.That(Directory.GetFiles(_directory), Has.Length.EqualTo(1), "no temporary file is left behind");
    }

    [Test]
    public async Task Deleting_the_container_deletes_its_file()
    {
        var storage = Open();
        await storage.CreateContainerAsync(User, Pin);
        await storage.DeleteContainerAsync(User);
        Assert.That(Directory.GetFiles(_directory), Is.Empty);
        Assert.That((await Open().GetContainerInfoAsync(User)).Outcome, Is.EqualTo(NgcOutcome.NoContainer));
    }

    private static IEnumerable<TestCaseData> Corruptions()
    {
        yield return new TestCaseData((Func<string, string>)(_ => "not json"), "not a valid container document").SetName("garbage");
        yield return new TestCaseData((Func<string, string>)(t => t[..(t.Length / 2)]), "not a valid container document").SetName("truncated");
        yield return new TestCaseData((Func<string, string>)(_ => "null"), "null").SetName("null document");
        yield return new TestCaseData((Func<string, string>)(t => t.Replace("DeviceAgent.Ngc.Container/1", "Other/9", StringComparison.Ordinal)), "format").SetName("wrong format");
        yield return new TestCaseData((Func<string, string>)(t => t.Replace(User, "mallory@contoso.com", StringComparison.Ordinal)), "does not belong").SetName("moved between users");
        yield return new TestCaseData((Func<string, string>)(t => t.Replace("\"failedAttempts\": 0", "\"failedAttempts\": -1", StringComparison.Ordinal)), "failedAttempts").SetName("negative counter");
        yield return new TestCaseData((Func<string, string>)(t => t.Replace("\"keys\": []", "\"keys\": null", StringComparison.Ordinal)), "not a valid container document").SetName("null list");
    }

    [TestCaseSource(nameof(Corruptions))]
    public async Task A_corrupt_file_stops_the_load_with_its_path_and_the_reason(Func<string, string> corrupt, string reason)
    {
        var storage = Open();
        await storage.CreateContainerAsync(User, Pin);
        var path = storage.ContainerPath(User)!;
        File.WriteAllText(path, corrupt(File.ReadAllText(path)));

        var ex = Assert.Throws<InvalidDataException>(() => Open());
        Assert.That(ex!.Message, Does.Contain(path).And.Contain("corrupt").And.Contain(reason));
    }

    [Test]
    public async Task A_temporary_file_from_an_interrupted_write_is_discarded_and_the_old_file_used()
    {
        var storage = Open();
        await storage.CreateContainerAsync(User, Pin);
        var path = storage.ContainerPath(User)!;
        File.WriteAllText(path + ".tmp", "{ half written");
        Assert.That((await Open().VerifyPinAsync(User, Pin)).Outcome, Is.EqualTo(NgcOutcome.Success));
        Assert.That(File.Exists(path + ".tmp"), Is.False);
    }

    [Test]
    public async Task A_failed_write_changes_nothing_in_memory()
    {
        var storage = Open();
        await storage.CreateContainerAsync(User, Pin);
        Directory.Delete(_directory, recursive: true);

        Assert.That(async () => await storage.ChangePinAsync(User, Pin, "5678"), Throws.InstanceOf<IOException>());
        Directory.CreateDirectory(_directory);
        Assert.That((await storage.VerifyPinAsync(User, Pin)).Outcome, Is.EqualTo(NgcOutcome.Success), "the old PIN still holds");
    }

    [Test]
    public async Task The_same_secret_seed_gives_the_same_container_id()
    {
        static SoftwareNgcKeyStorage Seeded()
        {
            var random = new Random(17);
            return new SoftwareNgcKeyStorage(new SoftwareNgcOptions { Pbkdf2Iterations = 1, SecretRandom = buffer => random.NextBytes(buffer) });
        }

        SoftwareNgcKeyStorage a = Seeded(), b = Seeded();
        await a.CreateContainerAsync(User, Pin);
        await b.CreateContainerAsync(User, Pin);
        Assert.That((await a.GetContainerInfoAsync(User)).Required.ContainerId, Is.EqualTo((await b.GetContainerInfoAsync(User)).Required.ContainerId));
    }

    [Test]
    public async Task The_default_key_algorithm_is_RSA_2048_with_PKCS1_signatures()
    {
        var storage = new SoftwareNgcKeyStorage(new SoftwareNgcOptions { Pbkdf2Iterations = 1 });
        await storage.CreateContainerAsync(User, Pin);
        var key = (await storage.CreateKeyAsync(User, Pin, "rsa")).Required;
        using var rsa = System.Security.Cryptography.RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(key.PublicKey, out _);
        Assert.That(key.Algorithm, Is.EqualTo(NgcKeyAlgorithm.Rsa2048));
        Assert.That(rsa.KeySize, Is.EqualTo(2048));
        var signature2 = (await storage.SignAsync(User, Pin, "rsa", s_data)).Required;
        Assert.That(key.Verify(s_data, signature2), Is.True);
    }

    [Test]
    public void Bad_option_values_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new SoftwareNgcOptions { Pbkdf2Iterations = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new SoftwareNgcOptions { LockoutThreshold = 0 });
    }

    [Test]
    public async Task A_service_key_that_is_not_RSA_is_refused_at_once()
    {
        var storage = Open();
        await storage.CreateContainerAsync(User, Pin);
        Assert.That(async () => await storage.EnablePinRecoveryAsync(User, "t", [1, 2, 3]), Throws.ArgumentException.With.Message.Contains("SubjectPublicKeyInfo"));
        Assert.That((await storage.GetContainerInfoAsync(User)).Required.Recovery, Is.EqualTo(NgcRecoveryState.Disabled));
    }
}

using DeviceAgent.Csp;
using DeviceAgent.Ngc;
using DeviceAgent.Ngc.Policy;
using DeviceAgent.PinReset;
using DeviceAgent.Protocol;
using DeviceAgent.SyncML;
using DeviceAgent.Tests.Ngc;
using static DeviceAgent.Tests.Csp.HelloTestDevice;

namespace DeviceAgent.Tests.Csp;

public sealed class PassportForWorkCspTests
{
    private static readonly string s_tenant = Guid.NewGuid().ToString("D");

    [Test]
    public async Task EnablePinRecoveryTrueCreatesTheProtectorAndFalseRemovesIt()
    {
        var device = await CreateAsync();
        var tenant = SharedPinResetService.ConsentedTenant();
        var uri = DevicePolicies(tenant) + "/EnablePinRecovery";

        var added = (await device.SendAsync(Command<Add>("1", uri, "true", "bool")));

        Assert.That(added.StatusOf("1"), Is.EqualTo(200));
        Assert.That((await device.Hello.Ngc.GetContainerInfoAsync(User)).Required.Recovery, Is.EqualTo(NgcRecoveryState.Enabled));
        var protector = (await device.Hello.Ngc.GetEncryptedRecoveryProtectorAsync(User)).Required;
        Assert.That(SharedPinResetService.Instance.RecoverProtector(tenant, protector).Outcome, Is.EqualTo(PinRecoveryOutcome.Success));
        Assert.That(device.Hello.EventLog.Query(NgcOperation.EnablePinRecovery)[^1].ToString(),
            Does.EndWith("EnablePinRecovery Success user=" + User + " tenant=" + tenant));

        var replaced = (await device.SendAsync(Command<Replace>("2", uri, "false", "bool")));

        Assert.That(replaced.StatusOf("2"), Is.EqualTo(200));
        Assert.That((await device.Hello.Ngc.GetContainerInfoAsync(User)).Required.Recovery, Is.EqualTo(NgcRecoveryState.Disabled));
    }

    [Test]
    public async Task ProvisioningWithRecoveryUnsetLogsNoRecoveryChange()
    {
        var device = await CreateAsync();

        Assert.That((await device.Hello.Ngc.GetContainerInfoAsync(User)).Required.Recovery, Is.EqualTo(NgcRecoveryState.Disabled));
        Assert.That(device.Hello.EventLog.Query(NgcOperation.DisablePinRecovery), Is.Empty, "a new container has no protector to remove");
        Assert.That(device.Hello.EventLog.Query(NgcOperation.EnablePinRecovery), Is.Empty);
    }

    [Test]
    public async Task DeletingTheTenantTurnsRecoveryOff()
    {
        var device = await CreateAsync();
        await device.SetAsync(DevicePolicies(s_tenant) + "/EnablePinRecovery", "true", "bool");

        var answers = (await device.SendAsync(Command<Delete>("1", $"./Device/Vendor/MSFT/PassportForWork/{s_tenant}")));

        Assert.That(answers.StatusOf("1"), Is.EqualTo(200));
        Assert.That((await device.Hello.Ngc.GetContainerInfoAsync(User)).Required.Recovery, Is.EqualTo(NgcRecoveryState.Disabled));
    }

    [Test]
    public async Task AnOmaUriWithAnEmptyTenantSegmentIsABadRequestAndCreatesNothing()
    {
        var device = await CreateAsync();

        // The old documentation's PassportForWork//Policies mistake (docs/reference/omadm.md §8: empty node names are invalid).
        var answers = (await device.SendAsync(Command<Add>("1", "./Device/Vendor/MSFT/PassportForWork//Policies/EnablePinRecovery", "true", "bool")));

        Assert.That(answers.StatusOf("1"), Is.EqualTo(StatusCodes.BadRequest));
        Assert.That(device.Tree.Find(PassportForWorkPolicy.DeviceRoot)!.ChildList(), Does.Not.Contain("Policies"));
        Assert.That((await device.Hello.Ngc.GetContainerInfoAsync(User)).Required.Recovery, Is.EqualTo(NgcRecoveryState.Disabled));
    }

    [Test]
    public async Task AnOmaUriWithoutTheTenantSegmentIsNotFound()
    {
        var device = await CreateAsync();

        var answers = (await device.SendAsync(Command<Add>("1", "./Device/Vendor/MSFT/PassportForWork/Policies/EnablePinRecovery", "true", "bool")));

        Assert.That(answers.StatusOf("1"), Is.EqualTo(StatusCodes.NotFound));
    }

    [TestCase("Policies")]
    [TestCase("{6F1C8D1E-2A3B-4C5D-8E9F-0A1B2C3D4E5F}")]
    [TestCase("6f1c8d1e2a3b4c5d8e9f0a1b2c3d4e5f")]
    public async Task ATenantIdThatIsNotABracelessGuidIsRefusedAndCreatesNothing(string tenant)
    {
        var device = await CreateAsync();

        var answers = (await device.SendAsync(Command<Add>("1", DevicePolicies(tenant) + "/EnablePinRecovery", "true", "bool")));

        Assert.That(answers.StatusOf("1"), Is.EqualTo(StatusCodes.BadRequest));
        Assert.That(device.Tree.Find(PassportForWorkPolicy.DeviceRoot)!.Children.Where(c => c.Schema.IsDynamicName), Is.Empty);
    }

    [Test]
    public async Task TheTenantIdStatusIsConfigurable()
    {
        var device = await CreateAsync(passportForWork: new PassportForWorkOptions { InvalidTenantIdStatus = 500 });

        var answers = (await device.SendAsync(Command<Add>("1", DevicePolicies("not-a-guid") + "/UsePassportForWork", "true", "bool")));

        Assert.That(answers.StatusOf("1"), Is.EqualTo(500));
    }

    [TestCase("MinimumPINLength", "3")]
    [TestCase("MinimumPINLength", "128")]
    [TestCase("MaximumPINLength", "0")]
    [TestCase("UppercaseLetters", "3")]
    [TestCase("Digits", "-1")]
    [TestCase("History", "51")]
    [TestCase("Expiration", "731")]
    public async Task APinComplexityValueOutsideTheDdfRangeFailsAndIsNotStored(string leaf, string value)
    {
        var device = await CreateAsync();
        var uri = DevicePolicies(s_tenant) + "/PINComplexity/" + leaf;

        var answers = (await device.SendAsync(Command<Add>("1", uri, value, "int")));

        Assert.That(answers.StatusOf("1"), Is.EqualTo(StatusCodes.CommandFailed));
        Assert.That(device.Tree.Find(uri), Is.Null);
        Assert.That(device.Hello.PolicySource.GetPolicy(User), Is.EqualTo(PinPolicy.Default));
    }

    [TestCase("MinimumPINLength", "4")]
    [TestCase("MinimumPINLength", "127")]
    [TestCase("SpecialCharacters", "2")]
    [TestCase("History", "50")]
    [TestCase("Expiration", "730")]
    public async Task APinComplexityValueAtTheEdgeOfTheRangeIsStored(string leaf, string value)
    {
        var device = await CreateAsync();
        var uri = DevicePolicies(s_tenant) + "/PINComplexity/" + leaf;

        var answers = (await device.SendAsync(Command<Add>("1", uri, value, "int")));

        Assert.That(answers.StatusOf("1"), Is.EqualTo(200));
        Assert.That(device.Tree.Find(uri)!.Value, Is.EqualTo(value));
    }

    [Test]
    public async Task ABoolLeafRefusesAValueThatIsNotABool()
    {
        var device = await CreateAsync();

        var answers = (await device.SendAsync(Command<Add>("1", DevicePolicies(s_tenant) + "/EnablePinRecovery", "maybe", "bool")));

        Assert.That(answers.StatusOf("1"), Is.EqualTo(StatusCodes.UnsupportedMediaTypeOrFormat));
    }

    [Test]
    public async Task TenantIdsDifferingOnlyInCaseAreOneTenant()
    {
        var device = await CreateAsync();
        var lower = Guid.NewGuid().ToString("D");
        var upper = lower.ToUpperInvariant();
        await device.SetAsync(DevicePolicies(lower) + "/PINComplexity/MinimumPINLength", "8", "int");

        var answers = await device.SendAsync(
            Command<Add>("1", DevicePolicies(upper) + "/PINComplexity/MinimumPINLength", "10", "int"),
            Command<Replace>("2", DevicePolicies(upper) + "/PINComplexity/MinimumPINLength", "9", "int"),
            Command<Get>("3", "./Device/Vendor/MSFT/PassportForWork"));

        Assert.That(answers.StatusOf("1"), Is.EqualTo(StatusCodes.AlreadyExists));
        Assert.That(answers.StatusOf("2"), Is.EqualTo(StatusCodes.Ok));
        Assert.That(answers.ResultsOf("3")!.Items.Single().Data!.Value, Is.EqualTo("Biometrics/" + lower), "one tenant, the first name sent is kept");
        Assert.That(device.Hello.PolicySource.GetPolicy(User).MinimumLength, Is.EqualTo(9));
    }

    [Test]
    public async Task DeviceAndUserPinComplexityMergeIntoTheNgcPolicy()
    {
        var device = await CreateAsync();
        var other = Guid.NewGuid().ToString("D");
        await device.SetAsync(DevicePolicies(s_tenant) + "/PINComplexity/MinimumPINLength", "8", "int");
        await device.SetAsync(UserPolicies(other) + "/PINComplexity/MinimumPINLength", "10", "int");
        await device.SetAsync(UserPolicies(other) + "/PINComplexity/LowercaseLetters", "1", "int");

        var policy = device.Hello.PolicySource.GetPolicy(User);

        Assert.That(policy.MinimumLength, Is.EqualTo(10));
        Assert.That(policy.LowercaseLetters, Is.EqualTo(PinCharacterRule.Required));
        Assert.That((await device.Hello.Ngc.ChangePinAsync(User, device.Hello.InitialPin!, "12345abcd")).Outcome, Is.EqualTo(NgcOutcome.InvalidPinTooFewCharacters));
        Assert.That((await device.Hello.Ngc.ChangePinAsync(User, device.Hello.InitialPin!, "12345abcde")).Outcome, Is.EqualTo(NgcOutcome.Success));
    }

    [Test]
    public async Task AFailedAtomicRollsBackPolicyAndRecovery()
    {
        var device = await CreateAsync();
        var atomic = new Atomic { CmdID = "1" };
        atomic.Commands.Add(Command<Add>("2", DevicePolicies(s_tenant) + "/EnablePinRecovery", "true", "bool"));
        atomic.Commands.Add(Command<Add>("3", DevicePolicies(s_tenant) + "/PINComplexity/MinimumPINLength", "8", "int"));
        atomic.Commands.Add(Command<Add>("4", DevicePolicies(s_tenant) + "/PINComplexity/Digits", "7", "int"));

        var answers = (await device.SendAsync(atomic));

        Assert.That(answers.StatusOf("1"), Is.EqualTo(StatusCodes.AtomicFailed));
        Assert.That(answers.StatusOf("2"), Is.EqualTo(StatusCodes.AtomicRollbackOk));
        Assert.That(answers.StatusOf("3"), Is.EqualTo(StatusCodes.AtomicRollbackOk));
        Assert.That(answers.StatusOf("4"), Is.EqualTo(StatusCodes.CommandFailed));
        Assert.That(device.Tree.Find($"./Device/Vendor/MSFT/PassportForWork/{s_tenant}"), Is.Null);
        Assert.That(device.Hello.PolicySource.GetPolicy(User), Is.EqualTo(PinPolicy.Default));
        Assert.That((await device.Hello.Ngc.GetContainerInfoAsync(User)).Required.Recovery, Is.EqualTo(NgcRecoveryState.Disabled));
    }

    [Test]
    public async Task RootLevelSettingsBesideTheTenantsAreStoredWithoutATenantCheck()
    {
        var device = await CreateAsync();
        const string uri = "./Device/Vendor/MSFT/PassportForWork/Biometrics/UseBiometrics";

        var answers = (await device.SendAsync(Command<Add>("1", uri, "false", "bool"), Command<Get>("2", uri)));

        Assert.That(answers.StatusOf("1"), Is.EqualTo(200));
        Assert.That(answers.ResultsOf("2")!.Items.Single().Data!.Value, Is.EqualTo("false"));
    }

    [Test]
    public async Task OnBuild14393EnablePinRecoveryDoesNotExist()
    {
        var device = await CreateAsync(osBuild: Build14393);

        var answers = (await device.SendAsync(
            Command<Add>("1", DevicePolicies(s_tenant) + "/EnablePinRecovery", "true", "bool"),
            Command<Add>("2", DevicePolicies(s_tenant) + "/PINComplexity/MinimumPINLength", "6", "int")));

        Assert.That(answers.StatusOf("1"), Is.EqualTo(StatusCodes.NotFound));
        Assert.That(answers.StatusOf("2"), Is.EqualTo(200));
    }
}

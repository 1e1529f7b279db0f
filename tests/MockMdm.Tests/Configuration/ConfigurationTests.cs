using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MockMdm.Configuration;
using MockMdm.Tests.Support;

namespace MockMdm.Tests.Configuration;

/// <summary>
/// The options come from appsettings.json, MOCKMDM__ environment variables and the command line, in that order of
/// precedence, and a bad value stops the start naming the setting (docs/mock-mdm.md "Configuration").
/// </summary>
[NonParallelizable] // sets process environment variables
public sealed class ConfigurationTests
{
    private string _contentRoot = "";

    [SetUp]
    public void CreateContentRoot() => _contentRoot = Directory.CreateTempSubdirectory("mockmdm-config-").FullName;

    [TearDown]
    public void RemoveContentRoot()
    {
        Environment.SetEnvironmentVariable("MOCKMDM__TENANTDISPLAYNAME", null);
        Environment.SetEnvironmentVariable("MOCKMDM__MAXCOMMANDSPERMESSAGE", null);
        Directory.Delete(_contentRoot, recursive: true);
    }

    [Test]
    public async Task AppSettingsJson_IsBound()
    {
        WriteAppSettings("""{ "MockMdm": { "MaxCommandsPerMessage": 7, "TenantDisplayName": "From the file" } }""");

        var options = await ResolveAsync();

        Assert.That(options.MaxCommandsPerMessage, Is.EqualTo(7));
        Assert.That(options.TenantDisplayName, Is.EqualTo("From the file"));
    }

    [Test]
    public async Task AnEnvironmentVariable_OverridesAppSettingsJson()
    {
        WriteAppSettings("""{ "MockMdm": { "MaxCommandsPerMessage": 7, "TenantDisplayName": "From the file" } }""");
        Environment.SetEnvironmentVariable("MOCKMDM__TENANTDISPLAYNAME", "From the environment");

        var options = await ResolveAsync();

        Assert.That(options.TenantDisplayName, Is.EqualTo("From the environment"));
        Assert.That(options.MaxCommandsPerMessage, Is.EqualTo(7), "settings the environment does not name stay from the file");
    }

    [Test]
    public async Task TheCommandLine_WinsOverTheEnvironmentAndAppSettingsJson()
    {
        WriteAppSettings("""{ "MockMdm": { "MaxCommandsPerMessage": 7, "Urls": "http://127.0.0.1:1;http://127.0.0.1:2" } }""");
        Environment.SetEnvironmentVariable("MOCKMDM__MAXCOMMANDSPERMESSAGE", "8");

        var options = await ResolveAsync("--max-commands", "9", "--tenant-id", "{11111111-2222-3333-4444-555555555555}", "--in-memory");

        Assert.That(options.MaxCommandsPerMessage, Is.EqualTo(9));
        Assert.That(options.TenantId, Is.EqualTo("11111111-2222-3333-4444-555555555555"), "a GUID in any form is kept in the D form");
        Assert.That(options.InMemory, Is.True);
        Assert.That(options.Urls, Is.EqualTo(new[] { "http://127.0.0.1:1", "http://127.0.0.1:2" }), "one ';'-separated value is a list");
    }

    [Test]
    public void AnOutOfRangeValue_FailsTheStart_NamingTheSetting()
    {
        var ex = Assert.ThrowsAsync<OptionsValidationException>(() => ResolveAsync("--max-commands", "0"));

        Assert.That(ex!.Message, Does.Contain("MaxCommandsPerMessage (--max-commands, MOCKMDM__MAXCOMMANDSPERMESSAGE, \"MockMdm:MaxCommandsPerMessage\") must be from 1 to 1000, not 0"));
    }

    [Test]
    public async Task MaxCommandAttempts_ComesFromItsFlag_AndZeroFailsTheStart()
    {
        Assert.That((await ResolveAsync("--max-attempts", "5", "--in-memory")).MaxCommandAttempts, Is.EqualTo(5));
        var ex = Assert.ThrowsAsync<OptionsValidationException>(() => ResolveAsync("--max-attempts", "0"));
        Assert.That(ex!.Message, Does.Contain("MaxCommandAttempts (--max-attempts, MOCKMDM__MAXCOMMANDATTEMPTS, \"MockMdm:MaxCommandAttempts\") must be from 1 to 100, not 0"));
    }

    [Test]
    public void AValueOfTheWrongForm_FailsTheStart_NamingTheSettingAndTheValue()
    {
        WriteAppSettings("""{ "MockMdm": { "Seed": "seven", "PasscodeVisibility": "a week" } }""");

        var ex = Assert.ThrowsAsync<OptionsValidationException>(() => ResolveAsync());

        Assert.That(ex!.Failures, Has.Some.Contains("Seed (--seed, MOCKMDM__SEED").And.Some.Contains("not 'seven'"));
        Assert.That(ex.Failures, Has.Some.Contains("PasscodeVisibility").And.Some.Contains("not 'a week'"));
    }

    [Test]
    public void DbAndInMemoryTogether_AreAParseErrorNamingBoth()
    {
        var parse = MockMdm.CommandLine.CreateRootCommand().Parse(["--db", "x.db", "--in-memory"]);

        Assert.That(parse.Errors.Select(e => e.Message), Has.One.Contains("--db and --in-memory"));
    }

    [Test]
    public void TheHelp_ListsEverySettingWithItsEnvironmentVariable()
    {
        var root = MockMdm.CommandLine.CreateRootCommand();

        foreach (var setting in MockMdmSetting.All)
        {
            var option = root.Options.SingleOrDefault(o => o.Name == setting.Flag);
            Assert.That(option, Is.Not.Null, setting.Flag);
            Assert.That(option!.Description, Does.Contain(setting.EnvironmentVariable));
        }
    }

    private void WriteAppSettings(string json) => File.WriteAllText(Path.Combine(_contentRoot, "appsettings.json"), json);

    /// <summary>Builds (and disposes) a TestServer-hosted server from <paramref name="args"/> and returns its bound options.</summary>
    private async Task<MockMdmOptions> ResolveAsync(params string[] args)
    {
        var commandLine = new MockMdm.CommandLine();
        var root = new System.CommandLine.RootCommand();
        foreach (var option in commandLine.Options)
        {
            root.Options.Add(option);
        }

        var parse = root.Parse(args);
        Assert.That(parse.Errors, Is.Empty);
        var host = new MockMdmHostSettings { CommandLine = commandLine.ToConfiguration(parse), ContentRootPath = _contentRoot };
        await using var app = MockMdmServer.Build(new MockMdmOptions { Store = TestMdm.SeededStore() }, b => b.WebHost.UseTestServer(), host);
        return app.Services.GetRequiredService<MockMdmOptions>();
    }
}

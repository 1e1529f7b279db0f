using DeviceAgent.Emulator.Scenarios;
using DeviceAgent.Protocol;

namespace DeviceAgent.Emulator.Tests.Scenarios;

public class ScenarioParserTests
{
    private const string Valid = """
        name: recover on an Azure AD joined phone
        seed: 7
        steps:
          - create-tenant: { name: contoso, domain: contoso.com }
          - consent: { app: service }
          - consent: { app: client }
          - create-profile:
              name: PIN recovery
              settings:
                - oma-uri: ./Device/Vendor/MSFT/PassportForWork/{tenant}/Policies/EnablePinRecovery
                  type: boolean
                  value: true
                - oma-uri: ./Device/Vendor/MSFT/PassportForWork/{tenant}/Policies/PINComplexity/MinimumPINLength
                  type: integer
                  value: 6
          - assign-profile: { profile: PIN recovery, device-group: phones }
          - enroll:
              device: phone1
              join: azure-ad-joined
              user: alice@contoso.com
              pin-policy: { min-length: 6 }
              device-groups: [phones]
          - sync:
          - request-action: { device: phone1, action: new-passcode, method: LockAndRecoverPIN }
          - expect-action: { device: phone1, state: pending }
          - sync: { device: phone1, sessions: 2 }
          - expect-passcode: { device: phone1, present: true, length: 6, meets-policy: true }
          - unlock: { device: phone1, pin: $passcode, new-pin: "975310" }
          - expect-keys: { device: phone1, kept: true }
          - expect-event: { device: phone1, contains: InvalidPinTooFewCharacters, absent: true }
          - advance-time: { by: 7d1h }
          - expect-lock: { device: phone1, locked: false }
          - expect-profile: { device: phone1, profile: PIN recovery, state: not-applicable }
        """;

    [Test]
    public void Valid_scenario_reads_every_step_with_its_fields_and_position()
    {
        var s = ScenarioParser.Parse(Valid, "a.yaml");

        Assert.That(s.Name, Is.EqualTo("recover on an Azure AD joined phone"));
        Assert.That(s.Seed, Is.EqualTo(7));
        Assert.That(s.Steps, Has.Count.EqualTo(17));
        var profile = (CreateProfileStep)s.Steps[3];
        Assert.That(profile.Settings[0].Type, Is.EqualTo(OmaSettingType.Boolean));
        Assert.That(profile.Settings[1].Value, Is.EqualTo("6"));
        var enroll = (EnrollStep)s.Steps[5];
        Assert.That(enroll.Join, Is.EqualTo(JoinType.AzureADJoined));
        Assert.That(enroll.OsBuild, Is.EqualTo("10.0.15063"));
        Assert.That(enroll.PinPolicy!.MinimumPINLength, Is.EqualTo(6));
        Assert.That(enroll.DeviceGroups, Is.EqualTo(new[] { "phones" }));
        Assert.That(enroll.Position, Is.EqualTo(new SourcePosition("a.yaml", 17, 5)));
        Assert.That(((SyncStep)s.Steps[6]).Device, Is.Null);
        Assert.That(((RequestActionStep)s.Steps[7]).Method, Is.EqualTo(PinResetMethod.LockAndRecoverPIN));
        Assert.That(((UnlockStep)s.Steps[11]).Pin, Is.EqualTo(UnlockStep.PasscodeToken));
        Assert.That(((AdvanceTimeStep)s.Steps[14]).By, Is.EqualTo(TimeSpan.FromHours(169)));
        Assert.That(((ExpectProfileStep)s.Steps[16]).State, Is.EqualTo(ProfileState.NotApplicable));
    }

    [TestCase("  - sync: { device: phone1, sesions: 2 }", 3, 29, "unknown field 'sesions'")]
    [TestCase("  - synch: { device: phone1 }", 3, 5, "unknown step 'synch'")]
    [TestCase("  - enroll: { device: p, join: hybrid }", 3, 32, "unknown value 'hybrid' (one of azure-ad-joined, workplace-joined)")]
    [TestCase("  - enroll: { device: p, join: azure-ad-joined, pin-policy: { min-lenght: 6 } }", 3, 63, "pin-policy: unknown field 'min-lenght'")]
    [TestCase("  - enroll: { device: p, join: azure-ad-joined, pin-policy: { min-length: 3 } }", 3, 75, "from 4 to 127")]
    [TestCase("  - expect-lock: { device: p }", 3, 18, "field 'locked' is required")]
    [TestCase("  - advance-time: { by: 7 days }", 3, 25, "duration")]
    [TestCase("  - assign-profile: { profile: x, user-group: a, device-group: b }", 3, 21, "exactly one")]
    [TestCase("  - sync: { device: phone1 }\n    extra: 1", 3, 5, "a step is one")]
    [TestCase("  - enroll: { device: p, join: azure-ad-joined, os-build: 15063 }", 3, 59, "os-build")]
    public void Bad_step_is_an_error_naming_file_line_and_column(string stepLine, int line, int column, string reason)
    {
        var yaml = $"name: x\nsteps:\n{stepLine}\n";

        var e = Assert.Throws<ScenarioFormatException>(() => ScenarioParser.Parse(yaml, "bad.yaml"));

        Assert.That(e!.Message, Does.StartWith($"bad.yaml:{line}:{column}: "));
        Assert.That(e.Reason, Does.Contain(reason));
    }

    [Test]
    public void Unknown_top_level_field_is_an_error()
    {
        var e = Assert.Throws<ScenarioFormatException>(() => ScenarioParser.Parse("name: x\nstep: []\nsteps:\n  - sync:\n", "t.yaml"));
        Assert.That(e!.Message, Does.StartWith("t.yaml:2:1: scenario: unknown field 'step'"));
    }

    [Test]
    public void Boolean_setting_rejects_a_non_boolean_value()
    {
        var yaml = "name: x\nsteps:\n  - create-profile:\n      name: p\n      settings:\n        - { oma-uri: ./Device/X, type: boolean, value: yes }\n";
        var e = Assert.Throws<ScenarioFormatException>(() => ScenarioParser.Parse(yaml, "t.yaml"));
        Assert.That(e!.Message, Does.StartWith("t.yaml:6:56: setting: a boolean value is true or false"));
    }

    [Test]
    public void Malformed_yaml_is_reported_with_its_position()
    {
        var e = Assert.Throws<ScenarioFormatException>(() => ScenarioParser.Parse("name: x\nsteps:\n  - sync: { device: [\n", "t.yaml"));
        Assert.That(e!.Message, Does.StartWith("t.yaml:").And.Contain("not valid YAML"));
    }

    // Inputs found by fuzzing (fuzz/README.md, scenario target) on which YamlDotNet throws InvalidOperationException or
    // ArgumentException instead of a YamlException; they escaped Parse before the fix.
    [TestCase(":\r[\0:\r9j", TestName = "Malformed_yaml_found_by_fuzzing_is_a_format_error(control character in a flow mapping)")]
    [TestCase("...\0", TestName = "Malformed_yaml_found_by_fuzzing_is_a_format_error(document end marker and NUL)")]
    [TestCase("?\r?\0:\t5", TestName = "Malformed_yaml_found_by_fuzzing_is_a_format_error(complex keys and NUL)")]
    [TestCase("!!!!!!!!!!![", TestName = "Malformed_yaml_found_by_fuzzing_is_a_format_error(invalid global tag)")]
    public void Malformed_yaml_found_by_fuzzing_is_a_format_error(string yaml)
    {
        var e = Assert.Throws<ScenarioFormatException>(() => ScenarioParser.Parse(yaml, "t.yaml"));
        Assert.That(e!.Message, Does.Match(@"^t\.yaml:[1-9][0-9]*:[1-9][0-9]*: not valid YAML: "));
    }

    [Test]
    public void Duplicate_field_is_an_error()
    {
        var e = Assert.Throws<ScenarioFormatException>(() => ScenarioParser.Parse("name: x\nsteps:\n  - sync: { device: a, device: b }\n", "t.yaml"));
        Assert.That(e!.Reason, Does.Contain("Duplicate key device"));
    }

    [TestCase("7d", 7 * 24 * 60)]
    [TestCase("1d12h", 36 * 60)]
    [TestCase("90m", 90)]
    public void Durations_parse(string text, int minutes) =>
        Assert.That(ScenarioParser.ParseDuration(text), Is.EqualTo(TimeSpan.FromMinutes(minutes)));

    [TestCase("")]
    [TestCase("0d")]
    [TestCase("7")]
    [TestCase("d7")]
    public void Bad_durations_are_rejected(string text) => Assert.That(ScenarioParser.ParseDuration(text), Is.Null);

    [TestCase("LockAndRecoverPIN", "lock-and-recover-pin")]
    [TestCase("AzureAdJoined", "azure-ad-joined")]
    [TestCase("NotApplicable", "not-applicable")]
    public void Enum_names_are_written_in_kebab_case(string name, string kebab) => Assert.That(YamlObject.Kebab(name), Is.EqualTo(kebab));
}

using System.Globalization;
using System.Text.RegularExpressions;
using DeviceAgent.Dm;
using DeviceAgent.Emulator.Devices;
using DeviceAgent.Protocol;
using MockMdm.PinReset;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DeviceAgent.Emulator.Scenarios;

/// <summary>Reads scenario YAML strictly (docs/scenarios.md): unknown steps, fields or values are errors with file, line and column.</summary>
public static partial class ScenarioParser
{
    /// <summary>Largest scenario file accepted; scenarios are hand-written, so anything bigger is a mistake.</summary>
    public const int MaxFileBytes = 1024 * 1024;

    private delegate ScenarioStep StepReader(YamlObject args);

    private static readonly Dictionary<string, StepReader> s_stepReaders = new(StringComparer.Ordinal)
    {
        ["create-tenant"] = a => new CreateTenantStep(a.RequiredString("name"), a.OptionalString("id"), a.OptionalString("domain")),
        ["consent"] = a => new ConsentStep(a.OptionalString("tenant"), a.RequiredEnum<PinResetApplication>("app"), a.OptionalBool("granted") ?? true),
        ["create-profile"] = ReadCreateProfile,
        ["assign-profile"] = ReadAssignProfile,
        ["enroll"] = ReadEnroll,
        ["request-action"] = a => new RequestActionStep(a.RequiredString("device"), a.RequiredEnum<DeviceActionKind>("action"), a.OptionalEnum<PinResetMethod>("method") ?? PinResetMethod.Auto),
        ["sync"] = a => new SyncStep(a.OptionalString("device"), a.OptionalInt("sessions", 1, 100) ?? 1),
        ["advance-time"] = ReadAdvanceTime,
        ["unlock"] = a => new UnlockStep(a.RequiredString("device"), a.RequiredString("pin"), a.OptionalString("new-pin"), a.OptionalBool("succeeds") ?? true),
        ["expect-action"] = a => new ExpectActionStep(a.RequiredString("device"), a.OptionalEnum<DeviceActionKind>("action"), a.RequiredEnum<ActionState>("state"), a.OptionalString("error-contains")),
        ["expect-passcode"] = ReadExpectPasscode,
        ["expect-profile"] = a => new ExpectProfileStep(a.RequiredString("device"), a.RequiredString("profile"), a.RequiredEnum<ProfileState>("state")),
        ["expect-lock"] = a => new ExpectLockStep(a.RequiredString("device"), a.OptionalBool("locked") ?? throw new ScenarioFormatException(a.Where, "expect-lock: field 'locked' is required")),
        ["expect-event"] = a => new ExpectEventStep(a.RequiredString("device"), a.RequiredString("contains"), a.OptionalBool("absent") ?? false),
        ["expect-keys"] = ReadExpectKeys,
    };

    /// <summary>The step names the format knows, in documentation order.</summary>
    public static IReadOnlyCollection<string> StepKinds => s_stepReaders.Keys;

    public static Scenario ParseFile(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"scenario file not found: {path}", path);
        }

        if (info.Length > MaxFileBytes)
        {
            throw new ScenarioFormatException(new SourcePosition(path, 1, 1), $"file is larger than {MaxFileBytes} bytes");
        }

        return Parse(File.ReadAllText(path), path);
    }

    public static Scenario Parse(string yaml, string file)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var stream = new YamlStream();
        var parser = new Parser(new StringReader(yaml));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            throw new ScenarioFormatException(new SourcePosition(file, (int)e.Start.Line, (int)e.Start.Column), $"not valid YAML: {e.Message}", e);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet 16.3 throws these instead of a YamlException on some malformed input (a control character in a
            // flow mapping, a stray "..." document end, an invalid global tag; found by fuzzing, fuzz/README.md). They come
            // from inside the library's Load of a string, so they mean "not YAML"; the position is the last event parsed.
            var where = parser.Current?.Start ?? Mark.Empty;
            throw new ScenarioFormatException(
                new SourcePosition(file, (int)Math.Max(1, where.Line), (int)Math.Max(1, where.Column)), $"not valid YAML: {e.Message}", e);
        }

        if (stream.Documents.Count != 1)
        {
            throw new ScenarioFormatException(new SourcePosition(file, 1, 1), $"expected one YAML document, found {stream.Documents.Count}");
        }

        var rootNode = stream.Documents[0].RootNode;
        if (rootNode is not YamlMappingNode rootMapping)
        {
            throw new ScenarioFormatException(YamlObject.At(file, rootNode), "a scenario is a mapping with 'name' and 'steps'");
        }

        var root = new YamlObject(rootMapping, file, "scenario");
        var name = root.RequiredString("name");
        var description = root.OptionalString("description");
        var seed = root.OptionalInt("seed", 0, int.MaxValue) ?? 1;
        var steps = new List<ScenarioStep>();
        foreach (var entry in root.RequiredSequence("steps").Children)
        {
            steps.Add(ReadStep(entry, file));
        }

        root.Done();
        if (steps.Count == 0)
        {
            throw new ScenarioFormatException(root.Where, "scenario: 'steps' is empty");
        }

        return new Scenario(name, description, seed, steps, file);
    }

    private static ScenarioStep ReadStep(YamlNode entry, string file)
    {
        var at = YamlObject.At(file, entry);
        if (entry is not YamlMappingNode { Children.Count: 1 } mapping)
        {
            throw new ScenarioFormatException(at, "a step is one 'kind: { fields }' entry, e.g. '- sync: { device: phone1 }'");
        }

        var (keyNode, valueNode) = mapping.Children.Single();
        var kind = (keyNode as YamlScalarNode)?.Value ?? "";
        if (!s_stepReaders.TryGetValue(kind, out var reader))
        {
            throw new ScenarioFormatException(YamlObject.At(file, keyNode), $"unknown step '{kind}' (known: {string.Join(", ", s_stepReaders.Keys)})");
        }

        var args = valueNode switch
        {
            YamlMappingNode fields => new YamlObject(fields, file, kind),
            // "- sync:" with nothing after it: a step whose fields are all optional.
            YamlScalarNode { Value: null or "" } => new YamlObject(new YamlMappingNode(), file, kind),
            _ => throw new ScenarioFormatException(YamlObject.At(file, valueNode), $"{kind}: the step's fields must be a mapping (key: value lines)"),
        };
        var step = reader(args);
        args.Done();
        return step with { Position = YamlObject.At(file, keyNode) };
    }

    private static CreateProfileStep ReadCreateProfile(YamlObject a)
    {
        var name = a.RequiredString("name");
        var tenant = a.OptionalString("tenant");
        var platforms = a.StringList("platforms");
        var settings = new List<OmaSetting>();
        foreach (var node in a.RequiredSequence("settings").Children)
        {
            if (node is not YamlMappingNode mapping)
            {
                throw new ScenarioFormatException(a.Position(node), "create-profile: each setting is a mapping with oma-uri, type and value");
            }

            var s = new YamlObject(mapping, a.Where.File, "setting");
            var uri = s.RequiredString("oma-uri");
            if (!uri.StartsWith("./", StringComparison.Ordinal))
            {
                throw new ScenarioFormatException(s.Position(s.Node("oma-uri")!), $"setting: oma-uri must start with './', not '{uri}'");
            }

            var type = s.RequiredEnum<OmaSettingType>("type");
            var valueNode = s.Node("value") ?? throw new ScenarioFormatException(s.Where, "setting: field 'value' is required");
            var raw = (valueNode as YamlScalarNode)?.Value ?? throw new ScenarioFormatException(s.Position(valueNode), "setting: 'value' must be a single value");
            var value = type switch
            {
                OmaSettingType.Boolean when raw is "true" or "false" => raw,
                OmaSettingType.Boolean => throw new ScenarioFormatException(s.Position(valueNode), $"setting: a boolean value is true or false, not '{raw}'"),
                OmaSettingType.Integer when int.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i) => i.ToString(CultureInfo.InvariantCulture),
                OmaSettingType.Integer => throw new ScenarioFormatException(s.Position(valueNode), $"setting: an integer value is a whole number, not '{raw}'"),
                _ => raw,
            };
            s.Done();
            settings.Add(new OmaSetting(uri, type, value));
        }

        if (settings.Count == 0)
        {
            throw new ScenarioFormatException(a.Where, "create-profile: 'settings' is empty");
        }

        return new CreateProfileStep(name, tenant, settings, platforms);
    }

    private static AssignProfileStep ReadAssignProfile(YamlObject a)
    {
        var profile = a.RequiredString("profile");
        var users = a.OptionalString("user-group");
        var devices = a.OptionalString("device-group");
        return (users, devices) switch
        {
            ({ } u, null) => new AssignProfileStep(profile, GroupKind.User, u),
            (null, { } d) => new AssignProfileStep(profile, GroupKind.Device, d),
            _ => throw new ScenarioFormatException(a.Where, "assign-profile: give exactly one of 'user-group' or 'device-group'"),
        };
    }

    private static EnrollStep ReadEnroll(YamlObject a)
    {
        var device = a.RequiredString("device");
        var tenant = a.OptionalString("tenant");
        var join = a.RequiredEnum<JoinType>("join");
        var build = a.OptionalString("os-build") ?? DeviceDefaults.OsBuild;
        if (!OsBuildPattern().IsMatch(build))
        {
            throw new ScenarioFormatException(a.Position(a.Node("os-build")!), $"enroll: os-build looks like 10.0.15063 or 10.0.15063.0, not '{build}'");
        }

        var platform = a.OptionalString("platform") ?? DeviceDefaults.Platform;
        var user = a.OptionalString("user");
        PinPolicySpec? policy = null;
        if (a.OptionalObject("pin-policy", "pin-policy") is { } p)
        {
            policy = new PinPolicySpec(
                p.OptionalInt("min-length", 4, 127),
                p.OptionalInt("max-length", 4, 127),
                p.OptionalInt("digits", 0, 2),
                p.OptionalInt("lowercase-letters", 0, 2),
                p.OptionalInt("uppercase-letters", 0, 2),
                p.OptionalInt("special-characters", 0, 2),
                p.OptionalInt("expiration", 0, 730));
            p.Done();
        }

        var pin = a.OptionalString("pin");
        var userGroups = a.StringList("user-groups");
        var deviceGroups = a.StringList("device-groups");
        var refused = a.OptionalBool("expect-refused") ?? false;
        return new EnrollStep(device, tenant, join, build, platform, user, policy, pin, userGroups, deviceGroups, refused, ReadDeviceSpec(a));
    }

    // device-spec: a device spec file (docs/emulator.md "Device specification"), relative to the scenario file; read
    // now so that a bad spec stops the run before anything starts, with the spec file's own line and column.
    private static PhoneSpec? ReadDeviceSpec(YamlObject a)
    {
        if (a.OptionalString("device-spec") is not { } path)
        {
            return null;
        }

        var scenarioFolder = Path.GetDirectoryName(Path.GetFullPath(a.Where.File)) ?? ".";
        var full = Path.IsPathRooted(path) ? path : Path.Combine(scenarioFolder, path);
        if (!File.Exists(full))
        {
            throw new ScenarioFormatException(a.Position(a.Node("device-spec")!), $"enroll: device spec file not found: {full}");
        }

        try
        {
            return PhoneSpecReader.ReadFile(full);
        }
        catch (PhoneSpecFormatException e)
        {
            throw new ScenarioFormatException(new SourcePosition(e.File, e.Line, e.Column), $"{e.Reason} (device spec of the enroll step at {a.Where})", e);
        }
    }

    private static AdvanceTimeStep ReadAdvanceTime(YamlObject a)
    {
        var text = a.RequiredString("by");
        return new AdvanceTimeStep(ParseDuration(text) ?? throw new ScenarioFormatException(a.Position(a.Node("by")!), $"advance-time: 'by' is a duration like 7d, 12h, 30m, 45s or 7d1h, not '{text}'"));
    }

    private static ExpectPasscodeStep ReadExpectPasscode(YamlObject a)
    {
        var step = new ExpectPasscodeStep(a.RequiredString("device"), a.OptionalBool("present"), a.OptionalInt("length", 1, 127), a.OptionalBool("meets-policy"));
        if (step.Present is null && step.Length is null && step.MeetsPolicy is null)
        {
            throw new ScenarioFormatException(a.Where, "expect-passcode: give at least one of present, length, meets-policy");
        }

        return step;
    }

    private static ExpectKeysStep ReadExpectKeys(YamlObject a)
    {
        var kept = a.OptionalBool("kept");
        var deleted = a.OptionalBool("deleted");
        return (kept, deleted) switch
        {
            ({ } k, null) => new ExpectKeysStep(a.RequiredString("device"), k),
            (null, { } d) => new ExpectKeysStep(a.RequiredString("device"), !d),
            _ => throw new ScenarioFormatException(a.Where, "expect-keys: give exactly one of 'kept' or 'deleted'"),
        };
    }

    /// <summary>Parses "7d", "12h", "30m", "45s" and concatenations ("1d12h"); null when malformed or zero.</summary>
    public static TimeSpan? ParseDuration(string text)
    {
        var match = DurationPattern().Match(text);
        if (!match.Success)
        {
            return null;
        }

        var total = TimeSpan.Zero;
        foreach (Capture part in match.Groups["part"].Captures)
        {
            var n = long.Parse(part.Value[..^1], CultureInfo.InvariantCulture);
            if (n > 100_000)
            {
                return null;
            }

            total += part.Value[^1] switch
            {
                'd' => TimeSpan.FromDays(n),
                'h' => TimeSpan.FromHours(n),
                'm' => TimeSpan.FromMinutes(n),
                _ => TimeSpan.FromSeconds(n),
            };
        }

        return total > TimeSpan.Zero ? total : null;
    }

    [GeneratedRegex(@"^(?<part>[0-9]{1,6}[dhms])+$")]
    private static partial Regex DurationPattern();

    [GeneratedRegex(@"^10\.0\.[0-9]{4,5}(\.[0-9]{1,5})?$")]
    private static partial Regex OsBuildPattern();
}

using System.Globalization;
using System.Text;
using YamlDotNet.RepresentationModel;

namespace DeviceAgent.Emulator.Scenarios;

/// <summary>
/// A YAML mapping read strictly: every field is looked up by name, and <see cref="Done"/> rejects any field nobody
/// asked for, naming it with its line and column. That is how a typo such as "min-lenght" becomes an error.
/// </summary>
internal sealed class YamlObject
{
    private readonly YamlMappingNode _node;
    private readonly string _file;
    private readonly string _what;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public YamlObject(YamlMappingNode node, string file, string what)
    {
        _node = node;
        _file = file;
        _what = what;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in node.Children.Keys)
        {
            if (key is not YamlScalarNode { Value: { } name })
            {
                throw new ScenarioFormatException(Position(key), $"{what}: field names must be plain text");
            }

            if (!seen.Add(name))
            {
                throw new ScenarioFormatException(Position(key), $"{what}: field '{name}' is given twice");
            }
        }
    }

    public SourcePosition Where => Position(_node);

    public SourcePosition Position(YamlNode node) => At(_file, node);

    public static SourcePosition At(string file, YamlNode node) => new(file, (int)node.Start.Line, (int)node.Start.Column);

    public bool Has(string key) => _node.Children.ContainsKey(new YamlScalarNode(key));

    public YamlNode? Node(string key)
    {
        _read.Add(key);
        return _node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;
    }

    public string RequiredString(string key) =>
        OptionalString(key) ?? throw new ScenarioFormatException(Where, $"{_what}: field '{key}' is required");

    public string? OptionalString(string key)
    {
        var node = Node(key);
        if (node is null)
        {
            return null;
        }

        if (node is not YamlScalarNode scalar)
        {
            throw new ScenarioFormatException(Position(node), $"{_what}: field '{key}' must be a single value");
        }

        if (string.IsNullOrEmpty(scalar.Value))
        {
            throw new ScenarioFormatException(Position(node), $"{_what}: field '{key}' is empty");
        }

        return scalar.Value;
    }

    public int? OptionalInt(string key, int min, int max)
    {
        var text = OptionalString(key);
        if (text is null)
        {
            return null;
        }

        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new ScenarioFormatException(Position(Node(key)!), $"{_what}: field '{key}' must be a whole number from {min} to {max}, not '{text}'");
        }

        return value;
    }

    public bool? OptionalBool(string key)
    {
        var text = OptionalString(key);
        return text switch
        {
            null => null,
            "true" => true,
            "false" => false,
            _ => throw new ScenarioFormatException(Position(Node(key)!), $"{_what}: field '{key}' must be true or false, not '{text}'"),
        };
    }

    public T RequiredEnum<T>(string key)
        where T : struct, Enum =>
        OptionalEnum<T>(key) ?? throw new ScenarioFormatException(Where, $"{_what}: field '{key}' is required (one of {string.Join(", ", EnumNames<T>())})");

    public T? OptionalEnum<T>(string key)
        where T : struct, Enum
    {
        var text = OptionalString(key);
        if (text is null)
        {
            return null;
        }

        if (TryParseEnum<T>(text, out var value))
        {
            return value;
        }

        throw new ScenarioFormatException(Position(Node(key)!), $"{_what}: field '{key}' has unknown value '{text}' (one of {string.Join(", ", EnumNames<T>())})");
    }

    /// <summary>Accepts the kebab-case name (azure-ad-joined) or the enum's own name (AzureAdJoined, LockAndRecoverPIN).</summary>
    public static bool TryParseEnum<T>(string text, out T value)
        where T : struct, Enum
    {
        var squashed = text.Replace("-", "", StringComparison.Ordinal);
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (string.Equals(candidate.ToString(), squashed, StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }

    public static IEnumerable<string> EnumNames<T>()
        where T : struct, Enum => Enum.GetValues<T>().Select(v => Kebab(v.ToString()));

    /// <summary>AzureAdJoined to azure-ad-joined; a run of capitals stays one word (LockAndRecoverPIN to lock-and-recover-pin).</summary>
    public static string Kebab(string name)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c) && i > 0 && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]) && char.IsUpper(name[i - 1]))))
            {
                sb.Append('-');
            }

            sb.Append(char.ToLowerInvariant(c));
        }

        return sb.ToString();
    }

    public IReadOnlyList<string> StringList(string key)
    {
        var node = Node(key);
        switch (node)
        {
            case null:
                return [];
            case YamlScalarNode { Value: { Length: > 0 } single }:
                return [single];
            case YamlSequenceNode sequence:
                return sequence.Children.Select(child => child is YamlScalarNode { Value: { Length: > 0 } v }
                    ? v
                    : throw new ScenarioFormatException(Position(child), $"{_what}: every entry of '{key}' must be a single value")).ToList();
            default:
                throw new ScenarioFormatException(Position(node), $"{_what}: field '{key}' must be a value or a list of values");
        }
    }

    public YamlObject? OptionalObject(string key, string what)
    {
        var node = Node(key);
        return node switch
        {
            null => null,
            YamlMappingNode mapping => new YamlObject(mapping, _file, what),
            _ => throw new ScenarioFormatException(Position(node), $"{_what}: field '{key}' must be a mapping (key: value lines)"),
        };
    }

    public YamlSequenceNode RequiredSequence(string key)
    {
        var node = Node(key) ?? throw new ScenarioFormatException(Where, $"{_what}: field '{key}' is required");
        return node as YamlSequenceNode ?? throw new ScenarioFormatException(Position(node), $"{_what}: field '{key}' must be a list");
    }

    /// <summary>Rejects every field that was not read: an unknown field is an error, never ignored.</summary>
    public void Done()
    {
        foreach (var key in _node.Children.Keys.OfType<YamlScalarNode>())
        {
            if (key.Value is { } name && !_read.Contains(name))
            {
                var known = string.Join(", ", _read.Order(StringComparer.Ordinal));
                throw new ScenarioFormatException(Position(key), $"{_what}: unknown field '{name}' (known: {known})");
            }
        }
    }
}

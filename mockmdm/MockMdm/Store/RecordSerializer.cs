using System.Text.Json;
using System.Text.Json.Serialization;

namespace MockMdm.Store;

/// <summary>How records become stored text: JSON, enums by name, so a database file stays readable with sqlite3.</summary>
internal static class RecordSerializer
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>The record kind's stored name: the CLR type name without "Record".</summary>
    public static string KindOf(Type type)
    {
        var name = type.Name;
        return name.EndsWith("Record", StringComparison.Ordinal) ? name[..^"Record".Length] : name;
    }

    public static string Serialize<T>(T record) => JsonSerializer.Serialize(record, Options);

    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new InvalidDataException($"stored {typeof(T).Name} is null");
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace MockMdm.Store;

/// <summary>How records become stored text: JSON, enums by name, so a database file stays readable with sqlite3.</summary>
internal static class RecordSerializer
{
    private static readonly JsonSerializerOptions s_options = new()
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

    public static string Serialize<T>(T record) => JsonSerializer.Serialize(record, s_options);

    /// <summary>UTF-8 JSON: the in-memory store keeps records this way, skipping the UTF-16 string a copy would need.</summary>
    public static byte[] SerializeToUtf8<T>(T record) => JsonSerializer.SerializeToUtf8Bytes(record, s_options);

    public static T Deserialize<T>(ReadOnlySpan<byte> utf8Json) =>
        JsonSerializer.Deserialize<T>(utf8Json, s_options) ?? throw new InvalidDataException($"stored {typeof(T).Name} is null");

    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, s_options) ?? throw new InvalidDataException($"stored {typeof(T).Name} is null");
}

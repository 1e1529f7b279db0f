using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace MockMdm.Api;

/// <summary>Graph-shaped errors, the API key check and bounded JSON reading shared by the admin API.</summary>
internal static class ApiSupport
{
    public const string ApiKeyHeader = "api-key";
    private const int MaxBodyBytes = 1024 * 1024;

    /// <summary>Graph's error shape: {"error":{"code":..., "message":...}}.</summary>
    public static IResult Error(int status, string code, string message) =>
        Results.Json(new { error = new { code, message } }, statusCode: status);

    public static IResult NotFound(string what) => Error(404, "ResourceNotFound", what);

    public static IResult BadRequest(string message) => Error(400, "BadRequest", message);

    /// <summary>Refuses every /api call without the configured key (401), before anything else runs.</summary>
    public static async ValueTask<object?> RequireApiKey(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var options = http.RequestServices.GetRequiredService<MockMdmOptions>();
        var given = http.Request.Headers[ApiKeyHeader].ToString();
        var authorization = http.Request.Headers.Authorization.ToString();
        if (given.Length == 0 && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            given = authorization["Bearer ".Length..].Trim();
        }

        if (given.Length == 0)
        {
            return Error(401, "Unauthorized", $"send the API key in the {ApiKeyHeader} header (or Authorization: Bearer <key>)");
        }

        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(options.ApiKey)))
        {
            return Error(401, "Unauthorized", "the API key is wrong");
        }

        return await next(context).ConfigureAwait(false);
    }

    /// <summary>Reads a JSON object body; the error result says what is wrong and where.</summary>
    public static async Task<(JsonElement Body, IResult? Error)> ReadObjectAsync(HttpRequest request)
    {
        // Refused before reading, so a client that sent Expect: 100-continue never uploads the body.
        if (request.ContentLength > MaxBodyBytes)
        {
            return (default, Error(413, "RequestTooLarge", $"the body is {request.ContentLength} bytes; at most {MaxBodyBytes} are accepted"));
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return (default, Error(413, "RequestTooLarge", $"the body is larger than {MaxBodyBytes} bytes"));
            }

            buffer.Write(chunk, 0, read);
        }

        // JsonDocument checks structure, not the UTF-8 inside strings (GetString would throw later): check it all here.
        var bytes = buffer.ToArray();
        if (!System.Text.Unicode.Utf8.IsValid(bytes))
        {
            var valid = FirstInvalidUtf8(bytes);
            return (default, BadRequest($"the body is not valid UTF-8 (byte {valid + 1} of {bytes.Length})"));
        }

        try
        {
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 32 });
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? (document.RootElement.Clone(), null)
                : (default, BadRequest($"the body must be a JSON object, not {document.RootElement.ValueKind}"));
        }
        catch (JsonException ex)
        {
            return (default, BadRequest($"the body is not valid JSON (line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1}): {ex.Message}"));
        }
    }

    private static int FirstInvalidUtf8(byte[] bytes)
    {
        System.Text.Unicode.Utf8.ToUtf16(bytes, new char[bytes.Length], out var read, out _, replaceInvalidSequences: false);
        return read;
    }

    /// <summary>A string property, or null when absent; an error text when present but not a string.</summary>
    public static string? OptionalString(JsonElement body, string name, List<string> errors)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add($"'{name}' must be a string");
            return null;
        }

        return value.GetString();
    }

    /// <summary>A list of strings, or null when absent.</summary>
    public static List<string>? OptionalStrings(JsonElement body, string name, List<string> errors)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
        {
            errors.Add($"'{name}' must be an array of strings");
            return null;
        }

        return value.EnumerateArray().Select(e => e.GetString()!).ToList();
    }
}

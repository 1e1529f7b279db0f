using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DeviceAgent.Ngc.Software;

/// <summary>
/// Persists containers as one JSON file each, named after a hash of the user ID so any ID is a safe file name.
/// Writes go to a temporary file that replaces the old one by rename, so a crash leaves the old or the new file whole.
/// </summary>
internal sealed class ContainerFileStore
{
    private const string Extension = ".ngc.json";
    private const string TempSuffix = ".tmp";

    private static readonly JsonSerializerOptions s_json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        MaxDepth = 16,
        Converters = { new JsonStringEnumConverter(allowIntegerValues: false) },
    };

    private readonly string _directory;

    public ContainerFileStore(string directory)
    {
        _directory = Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(_directory);
    }

    /// <summary>Every container in the _directory; a corrupt file stops the load with its path and the reason.</summary>
    public IEnumerable<ContainerState> LoadAll()
    {
        foreach (var stale in System.IO.Directory.EnumerateFiles(_directory, "*" + Extension + TempSuffix))
        {
            // A write interrupted before its rename: the previous file is still whole.
            File.Delete(stale);
        }

        foreach (var path in System.IO.Directory.EnumerateFiles(_directory, "*" + Extension).Order(StringComparer.Ordinal))
        {
            yield return Load(path);
        }
    }

    public async ValueTask SaveAsync(ContainerState state)
    {
        var path = PathFor(state.UserId);
        var temp = path + TempSuffix;
        var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 4096, useAsync: true);
        await using (stream.ConfigureAwait(false))
        {
            await JsonSerializer.SerializeAsync(stream, state, s_json).ConfigureAwait(false);
            await stream.FlushAsync().ConfigureAwait(false);

            // .NET has no asynchronous fsync; the bytes are already written, this only waits for the disk.
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }

    public void Delete(string userId) => File.Delete(PathFor(userId));

    public string PathFor(string userId) =>
        Path.Combine(_directory, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(userId)))[..32] + Extension);

    private ContainerState Load(string path)
    {
        ContainerState? state;
        try
        {
            using var stream = File.OpenRead(path);
            state = JsonSerializer.Deserialize<ContainerState>(stream, s_json);
        }
        catch (JsonException ex)
        {
            throw Corrupt(path, $"not a valid container document ({ex.Message})", ex);
        }

        if (state is null)
        {
            throw Corrupt(path, "the document is null");
        }

        var problem = Check(state);
        if (problem is null && !string.Equals(PathFor(state.UserId), path, StringComparison.Ordinal))
        {
            problem = $"the file name does not belong to user '{state.UserId}'";
        }

        return problem is null ? state : throw Corrupt(path, problem);
    }

    private static string? Check(ContainerState state)
    {
        if (state.Format != ContainerState.CurrentFormat)
        {
            return $"format '{state.Format}' is not '{ContainerState.CurrentFormat}'";
        }

        if (state.FailedAttempts < 0)
        {
            return "failedAttempts is negative";
        }

        var pin = state.PinProtector;
        if (pin.Iterations < 1 || pin.Salt.Length != NgcCrypto.SaltSize || !IsBox(pin.WrappedContainerKey, NgcCrypto.KeySize))
        {
            return "pinProtector is malformed";
        }

        if (state.History.Any(h => h.Iterations < 1 || h.Salt.Length != NgcCrypto.SaltSize || h.Hash.Length != NgcCrypto.KeySize))
        {
            return "history holds a malformed entry";
        }

        if (state.Recovery is { } recovery && (!IsBox(recovery.WrappedContainerKey, NgcCrypto.KeySize) || recovery.EncryptedProtector.Length == 0))
        {
            return "recovery is malformed";
        }

        if (state.Keys.Any(k => string.IsNullOrEmpty(k.Name) || !Enum.IsDefined(k.Algorithm) || k.PublicKey.Length == 0 || !IsBox(k.PrivateKey, null)))
        {
            return "keys holds a malformed key";
        }

        if (state.Keys.Select(k => k.Name).Distinct(StringComparer.Ordinal).Count() != state.Keys.Count)
        {
            return "two keys share a name";
        }

        return null;
    }

    private static bool IsBox(SealedBox box, int? size) =>
        box.Nonce.Length == NgcCrypto.NonceSize && box.Tag.Length == NgcCrypto.TagSize && (size is null || box.Ciphertext.Length == size);

    private static InvalidDataException Corrupt(string path, string reason, Exception? inner = null) =>
        new($"NGC container file '{path}' is corrupt: {reason}. Delete it to deprovision that user, or restore it from a backup.", inner);
}

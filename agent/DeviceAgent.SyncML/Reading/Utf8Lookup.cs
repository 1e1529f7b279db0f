using System.Text;

namespace DeviceAgent.SyncML.Reading;

/// <summary>
/// Looks up short UTF-8 keys without decoding them. Keys are bucketed by length and ASCII-folded first byte, so a probe
/// is almost always one span compare (element names and recurring values are looked up once per element).
/// </summary>
internal sealed class Utf8Lookup<T>
{
    private const int MaxKeyLength = 32;
    private readonly (byte[] Key, T Value)[][] _buckets;

    public Utf8Lookup(IEnumerable<(string Key, T Value)> entries)
    {
        var lists = new List<(byte[], T)>[(MaxKeyLength + 1) * 32];
        foreach (var (key, value) in entries)
        {
            byte[] utf8 = Encoding.UTF8.GetBytes(key);
            if (utf8.Length is 0 or > MaxKeyLength) throw new ArgumentException($"key '{key}' must be 1 to {MaxKeyLength} bytes");
            (lists[BucketOf(utf8)] ??= []).Add((utf8, value));
        }

        _buckets = Array.ConvertAll(lists, list => list?.ToArray() ?? []);
    }

    private static int BucketOf(ReadOnlySpan<byte> key) => key.Length * 32 + (key[0] & 0x1F);

    public bool TryGet(ReadOnlySpan<byte> key, out T value)
    {
        if (key.Length is > 0 and <= MaxKeyLength)
        {
            foreach (var (candidate, candidateValue) in _buckets[BucketOf(key)])
            {
                if (key.SequenceEqual(candidate))
                {
                    value = candidateValue;
                    return true;
                }
            }
        }

        value = default!;
        return false;
    }

    /// <summary>As <see cref="TryGet"/>, ignoring ASCII case.</summary>
    public bool TryGetIgnoreCase(ReadOnlySpan<byte> key, out T value)
    {
        if (key.Length is > 0 and <= MaxKeyLength)
        {
            foreach (var (candidate, candidateValue) in _buckets[BucketOf(key)])
            {
                if (Ascii.EqualsIgnoreCase(key, candidate))
                {
                    value = candidateValue;
                    return true;
                }
            }
        }

        value = default!;
        return false;
    }
}

namespace MockMdm;

/// <summary>Makes record IDs and device tokens from one random source, seeded when the options give a seed (docs/design.md rule 4).</summary>
public sealed class IdGenerator(MockMdmOptions options)
{
    private readonly Lock _gate = new();
    private readonly Random? _seeded = options.Seed is { } seed ? new Random(seed) : null;

    /// <summary>A new GUID, lower case "D" form.</summary>
    public string NewId() => new Guid(NextBytes(16) is var b ? FixVersion(b) : b).ToString("D");

    /// <summary>A 32-character hex secret.</summary>
    public string NewToken() => Convert.ToHexStringLower(NextBytes(16));

    private byte[] NextBytes(int count)
    {
        var bytes = new byte[count];
        if (_seeded is null)
        {
            System.Security.Cryptography.RandomNumberGenerator.Fill(bytes);
            return bytes;
        }

        lock (_gate)
        {
            _seeded.NextBytes(bytes);
        }

        return bytes;
    }

    private static byte[] FixVersion(byte[] b)
    {
        b[7] = (byte)((b[7] & 0x0F) | 0x40);
        b[8] = (byte)((b[8] & 0x3F) | 0x80);
        return b;
    }
}

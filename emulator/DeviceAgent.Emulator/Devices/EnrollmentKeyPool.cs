using System.Security.Cryptography;

namespace DeviceAgent.Emulator.Devices;

/// <summary>
/// A small pool of RSA key pairs that fleet devices reuse for their enrollment requests. Generating an RSA-2048 key
/// costs far more CPU than the rest of an enrollment, so a 1,000-device run shares a few keys; the certificates the
/// server issues still differ (subject, serial). Each draw is a new RSA object the caller owns (docs/emulator.md).
/// </summary>
public sealed class EnrollmentKeyPool
{
    private readonly Lazy<byte[]>[] _keys;
    private int _next = -1;

    /// <param name="size">Number of distinct key pairs (generated on first use).</param>
    /// <param name="keySize">RSA key size; the mock server's policy asks for 2048 bits.</param>
    public EnrollmentKeyPool(int size, int keySize = 2048)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        _keys = Enumerable.Range(0, size).Select(_ => new Lazy<byte[]>(() =>
        {
            using var rsa = RSA.Create(keySize);
            return rsa.ExportPkcs8PrivateKey();
        })).ToArray();
    }

    public int Size => _keys.Length;

    /// <summary>The next key pair, round robin, as a fresh RSA object (RSA instances are not shared between threads).</summary>
    public RSA Next()
    {
        var index = (int)((uint)Interlocked.Increment(ref _next) % (uint)_keys.Length);
        var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(_keys[index].Value, out _);
        return rsa;
    }
}

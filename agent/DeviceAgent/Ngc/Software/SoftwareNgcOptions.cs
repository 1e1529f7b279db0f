using System.Security.Cryptography;
using DeviceAgent.Ngc.Policy;

namespace DeviceAgent.Ngc.Software;

/// <summary>Fills a buffer with secret random bytes (salts, nonces, container keys, recovery protectors).</summary>
public delegate void SecretRandomFill(Span<byte> destination);

/// <summary>Settings of <see cref="SoftwareNgcKeyStorage"/>; defaults are in docs/ngc.md.</summary>
public sealed record SoftwareNgcOptions
{
    /// <summary>Default PBKDF2-SHA256 iterations: an emulation value, far below what protects real secrets (docs/ngc.md).</summary>
    public const int DefaultPbkdf2Iterations = 10_000;

    /// <summary>Default number of wrong PINs after which the container locks out.</summary>
    public const int DefaultLockoutThreshold = 10;

    /// <summary>Directory holding one file per container; null keeps everything in memory.</summary>
    public string? Directory { get; init; }

    /// <summary>PBKDF2-SHA256 iterations for new PIN protectors (existing files keep the count they were written with).</summary>
    public int Pbkdf2Iterations { get; init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(Pbkdf2Iterations), value, "PBKDF2 needs at least 1 iteration."); } = DefaultPbkdf2Iterations;

    /// <summary>Wrong PINs allowed before <see cref="NgcOutcome.LockedOut"/>; the count resets on a right PIN.</summary>
    public int LockoutThreshold { get; init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(LockoutThreshold), value, "The lockout threshold must be at least 1."); } = DefaultLockoutThreshold;

    /// <summary>Algorithm of keys created by <see cref="INgcKeyStorage.CreateKeyAsync"/>.</summary>
    public NgcKeyAlgorithm KeyAlgorithm { get; init; } = NgcKeyAlgorithm.Rsa2048;

    /// <summary>Clock for PIN age (Expiration) and timestamps.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Policy that PINs are checked against.</summary>
    public IPinPolicySource PolicySource { get; init; } = new FixedPinPolicySource();

    /// <summary>
    /// Source of secret bytes; the OS CSPRNG by default. A seeded source makes files reproducible, but key pairs always
    /// come from the platform generator, which cannot be seeded (docs/ngc.md).
    /// </summary>
    public SecretRandomFill SecretRandom { get; init; } = RandomNumberGenerator.Fill;
}

using System.Security.Cryptography;
using System.Text;
using MockMdm.Store;

namespace MockMdm.Enrollment;

/// <summary>
/// Index from how a device authenticates (certificate thumbprint, or the SHA-256 of its plain-HTTP device token) to
/// its managed device ID, written at enrollment so the OMA-DM endpoint finds a device without listing every device.
/// </summary>
public sealed class DeviceKeyRecord : IStoreRecord
{
    public required string Id { get; init; }
    public string? Owner => null;
    public required string DeviceId { get; init; }

    /// <summary>The index ID of a client certificate thumbprint.</summary>
    public static string ForThumbprint(string thumbprint) => "cert:" + thumbprint.ToUpperInvariant();

    /// <summary>The index ID of a device token: its hash, so the lookup does not compare the secret itself.</summary>
    public static string ForToken(string token) => "token:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}

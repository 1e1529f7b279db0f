using System.Security.Cryptography;
using System.Text;
using MockMdm.Store;

namespace MockMdm.Enrollment;

/// <summary>
/// Index from how a device authenticates (certificate thumbprint, or the SHA-256 of its plain-HTTP device token) to
/// its managed device ID, written at enrollment so the OMA-DM endpoint finds a device without listing every device;
/// also from the DevId a device reported, so no second device can claim it.
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

    /// <summary>The index ID of a DevId a device reported (SyncHdr Source), so one DevId belongs to one device.</summary>
    public static string ForDevId(string devId) => "devid:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(devId)));

    /// <summary>Writes the device's index records (at enrollment, and at start for devices stored without them).</summary>
    public static void Index(IStoreTransaction tx, DeviceRecord device)
    {
        ArgumentNullException.ThrowIfNull(tx);
        ArgumentNullException.ThrowIfNull(device);
        tx.Put(new DeviceKeyRecord { Id = ForThumbprint(device.CertificateThumbprint), DeviceId = device.Id });
        tx.Put(new DeviceKeyRecord { Id = ForToken(device.DeviceToken), DeviceId = device.Id });
        if (device.DevId is { Length: > 0 } devId && tx.Find<DeviceKeyRecord>(ForDevId(devId)) is null)
        {
            tx.Put(new DeviceKeyRecord { Id = ForDevId(devId), DeviceId = device.Id });
        }
    }

    /// <summary>
    /// Indexes every device whose index records are missing (a store written before the index existed), once at start,
    /// so request-time lookups never fall back to listing devices. Returns how many devices were indexed.
    /// </summary>
    public static int IndexAll(IMdmStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.Write(tx =>
        {
            var indexed = 0;
            foreach (var device in tx.List<DeviceRecord>())
            {
                if (tx.Find<DeviceKeyRecord>(ForToken(device.DeviceToken)) is null
                    || tx.Find<DeviceKeyRecord>(ForThumbprint(device.CertificateThumbprint)) is null
                    || (device.DevId is { Length: > 0 } devId && tx.Find<DeviceKeyRecord>(ForDevId(devId)) is null))
                {
                    Index(tx, device);
                    indexed++;
                }
            }

            return indexed;
        });
    }
}

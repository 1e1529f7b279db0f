using DeviceAgent.Dm;

namespace DeviceAgent.Session;

/// <summary>What the device reports about itself in package 1: the ./DevInfo leaves, DMClient HWDevID and the login status.</summary>
/// <param name="DevId">./DevInfo/DevId; also the SyncHdr Source LocURI of every client message (docs/reference/omadm.md §2).</param>
/// <param name="Man">./DevInfo/Man.</param>
/// <param name="Mod">./DevInfo/Mod.</param>
/// <param name="DmV">./DevInfo/DmV; Windows reports 1.3 (docs/reference/devinfo-devdetail.md §1).</param>
/// <param name="Lang">./DevInfo/Lang, RFC 1766.</param>
public sealed record DmDeviceIdentity(string DevId, string Man, string Mod, string DmV = "1.3", string Lang = "en-US")
{
    /// <summary>./Vendor/MSFT/DMClient/HWDevID (64 hex characters), sent in package 1 when not null (docs/reference/omadm.md §11, docs/reference/open-questions.md item 6).</summary>
    public string? HWDevID { get; init; }

    /// <summary>Data of the Alert 1224 LoginStatus: user, others or none (docs/reference/omadm.md §7).</summary>
    public string LoginStatus { get; init; } = "user";

    /// <summary>The identity of a device profile: its DevInfo values, HWDevID, and "user" or "none" by its signed-in user.</summary>
    public static DmDeviceIdentity FromProfile(DeviceProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return new DmDeviceIdentity(profile.DevId, profile.Manufacturer, profile.Model, profile.DmV, profile.Language)
        {
            HWDevID = profile.HwDevId,
            LoginStatus = profile.SignedInUser is null ? "none" : "user",
        };
    }
}

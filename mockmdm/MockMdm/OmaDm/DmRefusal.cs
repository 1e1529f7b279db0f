using System.Globalization;
using DeviceAgent.SyncML;

namespace MockMdm.OmaDm;

/// <summary>
/// A client message the server refuses as a whole with a SyncHdr status (401/407 with a Chal, 403 for a changed
/// DevId, 505 for an unknown SyncML version): the client sent SyncML, so it is answered in SyncML (docs/omadm-clients.md
/// "Refusals"). Thrown inside the request's store transaction, so nothing of the message is applied.
/// </summary>
public sealed class DmRefusalException(int status, string reason, Chal? chal = null) : Exception(reason)
{
    /// <summary>The SyncHdr status code.</summary>
    public int Status { get; } = status;

    /// <summary>The challenge for a 401/407, or null.</summary>
    public Chal? Chal { get; } = chal;
}

/// <summary>How the server's messages mirror the client's protocol version and how a refusal is written.</summary>
public static class DmReplies
{
    /// <summary>
    /// Whether the client speaks SyncML 1.1 (DM 1.1.2): its namespace or VerDTD says so. Its messages are answered in
    /// 1.1 (namespace SYNCML:SYNCML1.1, VerDTD 1.1, VerProto DM/1.1); any VerDTD but 1.1 and 1.2 is refused with 505
    /// (SyncML RepPro 1.2 section 10, "DTD version not supported").
    /// </summary>
    public static bool IsVersion11(SyncMLMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return string.Equals(request.Namespace, SyncMLNames.Namespace11, StringComparison.OrdinalIgnoreCase)
            || request.SyncHdr?.VerDTD == "1.1";
    }

    /// <summary>The 505 refusal for a VerDTD the server does not speak, or null when the version is 1.1 or 1.2.</summary>
    public static DmRefusalException? UnsupportedVersion(SyncMLMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var verDtd = request.SyncHdr?.VerDTD;
        return verDtd is null or "1.1" or "1.2"
            ? null
            : new DmRefusalException(505, $"SyncML VerDTD '{verDtd}' is not supported: this server speaks 1.1 and 1.2");
    }

    /// <summary>An empty reply message with the header the client's message calls for (version mirrored, Target and Source swapped).</summary>
    public static SyncMLMessage ReplyTo(SyncMLMessage request, string msgId)
    {
        ArgumentNullException.ThrowIfNull(request);
        var hdr = request.SyncHdr!;
        var v11 = IsVersion11(request);
        return new SyncMLMessage
        {
            Namespace = v11 ? SyncMLNames.Namespace11 : SyncMLNames.Namespace12,
            SyncHdr = new SyncHdr
            {
                VerDTD = v11 ? "1.1" : "1.2",
                VerProto = v11 ? "DM/1.1" : "DM/1.2",
                SessionID = hdr.SessionID,
                MsgID = msgId,
                Target = hdr.Source is null ? null : new LocationElement(hdr.Source.LocURI),
                Source = hdr.Target is null ? null : new LocationElement(hdr.Target.LocURI),
            },
        };
    }

    /// <summary>
    /// The reply to a refused message: the Status of its SyncHdr with the code, the Chal if any and the reason as the
    /// Status's Item Data, and Final. Nothing else of the message is answered: none of it was processed.
    /// </summary>
    public static SyncMLMessage Refusal(SyncMLMessage request, DmRefusalException refusal)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(refusal);
        var reply = ReplyTo(request, "1");
        var status = new Status
        {
            CmdID = "1",
            MsgRef = request.SyncHdr?.MsgID ?? "1",
            CmdRef = "0",
            Cmd = SyncMLNames.SyncHdr,
            Chal = refusal.Chal,
            Data = refusal.Status.ToString(CultureInfo.InvariantCulture),
        };
        status.Items.Add(new Item { Data = refusal.Message });
        reply.SyncBody.Commands.Add(status);
        reply.SyncBody.Final = true;
        return reply;
    }
}

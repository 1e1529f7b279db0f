using DeviceAgent.Emulator.Devices;
using DeviceAgent.Protocol;
using DeviceAgent.Session;
using DeviceAgent.SyncML;

namespace DeviceAgent.Fuzzing.Targets;

/// <summary>
/// A whole OMA-DM server message received by an emulated phone: the bytes are read as the DM client reads a server's
/// answer (XML or WBXML by the first byte), given to a DmSession that has sent package 1 with the phone's executor
/// (its DDF-built tree and every CSP), and the phone's reply is written in the same encoding. Each input gets a new
/// phone, so a finding replays alone. The session takes the message's own SessionID when it has one (a fuzzer cannot
/// be expected to guess it; the check that refuses another SessionID is a one-line comparison), else "1". Refusals:
/// SyncMLFormatException from the codec and DmProtocolException from the session (docs/session.md), both of which end
/// the real DM client's session.
/// </summary>
internal sealed class DeviceMessageTarget : FuzzTarget
{
    private const string ServerUrl = "https://mdm.contoso.com/ManagementServer/MDM.svc";

    private static readonly EmulatorOptions s_options = new()
    {
        Pbkdf2Iterations = 1,
        HelloKeyAlgorithm = DeviceAgent.Ngc.NgcKeyAlgorithm.EcdsaP256,
        PinResetService = new MockMdm.PinReset.PinResetService(),
    };

    public override string Name => "dm-message";

    public override string Description => "a server message through an emulated phone's DM session and executor";

    public override void Prepare() => EmulatedDevice.CreateAsync(new DeviceSpec { Name = "fuzz-phone", User = "fuzz@contoso.com" }, s_options).GetAwaiter().GetResult().Dispose();

    public override FuzzOutcome Run(byte[] input)
    {
        SyncMLMessage message;
        try
        {
            message = SyncMLWbxml.ReadAnyMessage(input);
        }
        catch (SyncMLFormatException)
        {
            return FuzzOutcome.Rejected;
        }

        using var phone = EmulatedDevice.CreateAsync(new DeviceSpec { Name = "fuzz-phone", User = "fuzz@contoso.com" }, s_options).GetAwaiter().GetResult();
        var sessionId = message.SyncHdr?.SessionID is { Length: > 0 } id ? id : "1";
        var session = new DmSession(sessionId, ServerUrl, phone.Identity, phone.Executor);
        _ = session.StartPackage1(DmSessionTrigger.ClientInitiated);
        SyncMLMessage? reply;
        try
        {
            reply = session.ReceiveAsync(message, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }
        catch (DmProtocolException)
        {
            return FuzzOutcome.Rejected;
        }

        if (reply is not null)
        {
            _ = SyncMLWbxml.ToBytes(reply, SyncMLWbxml.DetectEncoding(input));
        }

        return FuzzOutcome.Accepted;
    }
}

using DeviceAgent.SyncML;

namespace DeviceAgent.Fuzzing.Targets;

/// <summary>
/// The WBXML reader (SyncMLWbxml.ReadFragment). Refusal: SyncMLFormatException with a byte offset (docs/syncml.md
/// "WBXML"). An accepted message must survive the writer and read back, as for XML.
/// </summary>
internal sealed class WbxmlTarget : FuzzTarget
{
    public override string Name => "wbxml";

    public override string Description => "SyncML WBXML reader (SyncMLWbxml.ReadFragment) and a write/read round trip";

    public override FuzzOutcome Run(byte[] input)
    {
        SyncMLFragment fragment;
        try
        {
            fragment = SyncMLWbxml.ReadFragment(input);
        }
        catch (SyncMLFormatException)
        {
            return FuzzOutcome.Rejected;
        }

        RoundTrip.Check(fragment, SyncMLEncoding.Wbxml);
        return FuzzOutcome.Accepted;
    }
}

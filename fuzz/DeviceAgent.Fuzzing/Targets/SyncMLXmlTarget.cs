using DeviceAgent.SyncML;

namespace DeviceAgent.Fuzzing.Targets;

/// <summary>
/// The SyncML XML reader (SyncMLReader.ReadFragment: message, bare SyncBody or commands). Refusal: SyncMLFormatException
/// (docs/syncml.md). What the reader accepts as a message must also survive the writer and read back: a message the
/// device or server accepts is one it may echo.
/// </summary>
internal sealed class SyncMLXmlTarget : FuzzTarget
{
    public override string Name => "syncml-xml";

    public override string Description => "SyncML 1.2 XML reader (SyncMLReader.ReadFragment) and a write/read round trip";

    public override FuzzOutcome Run(byte[] input)
    {
        SyncMLFragment fragment;
        try
        {
            fragment = SyncMLReader.ReadFragment(input);
        }
        catch (SyncMLFormatException)
        {
            return FuzzOutcome.Rejected;
        }

        RoundTrip.Check(fragment, SyncMLEncoding.Xml);
        return FuzzOutcome.Accepted;
    }
}

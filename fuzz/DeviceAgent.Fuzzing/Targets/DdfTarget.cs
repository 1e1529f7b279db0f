using DeviceAgent.Dm;

namespace DeviceAgent.Fuzzing.Targets;

/// <summary>The DDF loader (DdfLoader.Load from bytes). Refusal: DdfFormatException (docs/dm-tree.md).</summary>
internal sealed class DdfTarget : FuzzTarget
{
    public override string Name => "ddf";

    public override string Description => "DDF loader (DdfLoader.Load)";

    public override FuzzOutcome Run(byte[] input)
    {
        try
        {
            _ = DdfLoader.Load(input, "fuzz.xml");
            return FuzzOutcome.Accepted;
        }
        catch (DdfFormatException)
        {
            return FuzzOutcome.Rejected;
        }
    }
}

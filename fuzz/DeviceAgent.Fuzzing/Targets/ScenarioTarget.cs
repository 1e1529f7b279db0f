using System.Text;
using DeviceAgent.Emulator.Scenarios;

namespace DeviceAgent.Fuzzing.Targets;

/// <summary>
/// The scenario YAML reader (ScenarioParser.Parse; bytes decoded as File.ReadAllText decodes a file). Refusal:
/// ScenarioFormatException (docs/scenarios.md). Input over the parser's file limit is refused as ParseFile refuses it.
/// </summary>
internal sealed class ScenarioTarget : FuzzTarget
{
    public override string Name => "scenario";

    public override string Description => "scenario YAML reader (ScenarioParser.Parse)";

    public override FuzzOutcome Run(byte[] input)
    {
        if (input.Length > ScenarioParser.MaxFileBytes)
        {
            return FuzzOutcome.Rejected;
        }

        try
        {
            _ = ScenarioParser.Parse(DecodeLikeReadAllText(input), "fuzz.yaml");
            return FuzzOutcome.Accepted;
        }
        catch (ScenarioFormatException)
        {
            return FuzzOutcome.Rejected;
        }
    }

    private static string DecodeLikeReadAllText(byte[] input)
    {
        using var reader = new StreamReader(new MemoryStream(input), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }
}

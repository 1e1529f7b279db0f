using System.CommandLine;
using DeviceAgent.SyncML;

namespace DeviceAgent.Cli.Commands;

/// <summary>
/// The <c>--encoding xml|wbxml</c> option of fleet and scenario run: the encoding devices send OMA-DM messages in,
/// whatever the provisioning document's w7 DEFAULTENCODING says, for servers that do not send one (docs/emulator.md
/// "Encoding"). Absent: devices follow the provisioning document, XML when it names none.
/// </summary>
internal static class EncodingOption
{
    public static Option<string?> Create()
    {
        var option = new Option<string?>("--encoding")
        {
            Description = "xml | wbxml: the encoding devices send OMA-DM messages in (default: the provisioning document's w7 DEFAULTENCODING, XML without one)",
        };
        option.AcceptOnlyFromAmong("xml", "wbxml");
        return option;
    }

    public static SyncMLEncoding? Parse(string? value) => value switch
    {
        "xml" => SyncMLEncoding.Xml,
        "wbxml" => SyncMLEncoding.Wbxml,
        _ => null,
    };
}

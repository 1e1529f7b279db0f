using System.CommandLine;
using DeviceAgent.Dm;

namespace DeviceAgent.Cli.Commands;

/// <summary>
/// The <c>--device-spec FILE</c> option of the commands that build phones (fleet, scenario run, send, device tree): a
/// device spec YAML (docs/emulator.md "Device specification"); without it the embedded Lumia 950-class spec. A bad
/// file is refused before anything starts with its file:line:column (exit 2).
/// </summary>
internal sealed class DeviceSpecOption
{
    public Option<FileInfo?> Option { get; } = new("--device-spec")
    {
        Description = "A device spec YAML (model, IMEI TAC, battery, storage, location, apps ...; docs/emulator.md). Default: the embedded, illustrative Lumia 950-class phone.",
    };

    public void AddTo(Command command) => command.Options.Add(Option);

    /// <summary>The spec the command uses, or null after writing why the file cannot be used to <paramref name="error"/>.</summary>
    public PhoneSpec? Resolve(ParseResult parse, TextWriter error) => Read(parse.GetValue(Option), error);

    internal static PhoneSpec? Read(FileInfo? file, TextWriter error)
    {
        if (file is null)
        {
            return PhoneSpec.Default;
        }

        try
        {
            return PhoneSpecReader.ReadFile(file.FullName);
        }
        catch (PhoneSpecFormatException e)
        {
            error.WriteLine(e.Message);
            return null;
        }
    }
}

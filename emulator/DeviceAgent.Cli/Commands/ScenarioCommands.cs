using System.CommandLine;
using DeviceAgent.Emulator.Scenarios;

namespace DeviceAgent.Cli.Commands;

/// <summary>`deviceagent scenario check FILE...`: validates scenario files (docs/scenarios.md).</summary>
internal static class ScenarioCommands
{
    public static Command Create()
    {
        var files = new Argument<FileInfo[]>("files") { Description = "Scenario YAML files", Arity = ArgumentArity.OneOrMore };
        var check = new Command("check", """
            Parse scenario files strictly and list their steps; an unknown step or field is an error with file:line:column.

            Examples:
              deviceagent scenario check scenarios/*.yaml
            """)
        { files };
        check.SetAction(parse => Check(parse.GetRequiredValue(files), Console.Out, Console.Error));
        return new Command("scenario", "Scenario files: steps and expectations run against the mock MDM and emulated devices") { check };
    }

    internal static int Check(IEnumerable<FileInfo> files, TextWriter output, TextWriter error)
    {
        var bad = 0;
        foreach (var file in files)
        {
            try
            {
                var scenario = ScenarioParser.ParseFile(file.FullName);
                output.WriteLine($"{file.FullName}: {scenario.Name} ({scenario.Steps.Count} steps)");
            }
            catch (ScenarioFormatException e)
            {
                bad++;
                error.WriteLine(e.Message);
            }
            catch (FileNotFoundException e)
            {
                bad++;
                error.WriteLine(e.Message);
            }
        }

        return bad == 0 ? 0 : 1;
    }
}

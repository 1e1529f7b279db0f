using System.CommandLine;

namespace DeviceAgent.Cli.Commands;

/// <summary>
/// `deviceagent mdm serve [options]`: runs the mock MDM server until Ctrl+C with the very options of
/// <c>dotnet run --project mockmdm/MockMdm</c> (MockMdm.CommandLine, docs/mock-mdm.md "Configuration").
/// </summary>
internal static class MdmCommands
{
    public static Command Create()
    {
        var serve = new Command("serve", MockMdm.CommandLine.ServeDescription + """

            Examples:
              deviceagent mdm serve --urls http://127.0.0.1:5080 --in-memory
              deviceagent mdm serve --urls https://127.0.0.1:5443 --db mockmdm.db --seed 7
            """);
        new MockMdm.CommandLine().AddTo(serve);
        return new Command("mdm", "The mock MDM server") { serve };
    }
}

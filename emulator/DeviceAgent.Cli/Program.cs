using System.CommandLine;
using DeviceAgent.Cli.Commands;

namespace DeviceAgent.Cli;

/// <summary>The `deviceagent` command. Each command group lives in its own file under Commands/ and is added here in one line.</summary>
internal static class Program
{
    public static int Main(string[] args) => CreateRootCommand().Parse(args).Invoke();

    public static RootCommand CreateRootCommand()
    {
        var root = new RootCommand("""
            DeviceAgent: an emulated Windows 10 Mobile OMA-DM device, its SyncML tools and a mock MDM server.

            Examples:
              deviceagent demo
              deviceagent scenario run scenarios/*.yaml --report junit.xml
              deviceagent fleet --devices 200 --concurrency 32
              deviceagent mdm serve --urls http://127.0.0.1:5080 --in-memory
              deviceagent pinreset serve --urls http://127.0.0.1:5090
              deviceagent scenario check scenarios/*.yaml
              deviceagent trace show artifacts/phone1/syncml-trace.xml --xml
              deviceagent check-server https://mdm.contoso.com --trust-root root.pem
            """);
        root.Subcommands.Add(DemoCommands.Create());
        root.Subcommands.Add(FleetCommands.Create());
        root.Subcommands.Add(SyncMLCommands.Create());
        root.Subcommands.Add(SendCommand.Create());
        root.Subcommands.Add(MdmCommands.Create());
        root.Subcommands.Add(PinResetCommands.Create());
        root.Subcommands.Add(ScenarioCommands.Create());
        root.Subcommands.Add(TraceCommands.Create());
        root.Subcommands.Add(DeviceCommands.Create());
        root.Subcommands.Add(CheckServerCommand.Create());
        return root;
    }
}

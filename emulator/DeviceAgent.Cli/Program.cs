using System.CommandLine;
using DeviceAgent.Cli.Commands;

var root = new RootCommand("""
    deviceagent: emulated Windows 10 Mobile devices, the mock MDM server, scenarios and SyncML traces.

    Examples:
      deviceagent mdm serve -- --urls http://127.0.0.1:5080 --in-memory
      deviceagent scenario check scenarios/*.yaml
      deviceagent trace show artifacts/phone1/syncml-trace.xml --xml
    """)
{
    MdmCommands.Create(),
    ScenarioCommands.Create(),
    TraceCommands.Create(),
};
return await root.Parse(args).InvokeAsync().ConfigureAwait(false);

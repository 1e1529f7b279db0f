// Starts MockMdm from the command line: dotnet run --project mockmdm/MockMdm -- [--urls ..] [--db file | --in-memory]
// [--api-key key] [--plain-http] [--seed n]; see docs/mock-mdm.md.
MockMdm.MockMdmServer.Build(MockMdm.CommandLine.Parse(args)).Run();

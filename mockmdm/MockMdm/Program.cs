// Starts MockMdm from the command line: dotnet run --project mockmdm/MockMdm -- [options]; `--help` lists them all
// (docs/mock-mdm.md "Configuration").
return await MockMdm.CommandLine.CreateRootCommand().Parse(args).InvokeAsync().ConfigureAwait(false);

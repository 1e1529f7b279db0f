using System.CommandLine;
using Microsoft.Extensions.Hosting;

namespace DeviceAgent.Cli.Commands;

/// <summary>`deviceagent mdm serve [options]`: runs the mock MDM server (mockmdm's builder) until Ctrl+C.</summary>
internal static class MdmCommands
{
    public static Command Create()
    {
        var serverArgs = new Argument<string[]>("options")
        {
            Description = "Server options: --urls URL[;URL], --db FILE | --in-memory, --api-key KEY, --plain-http, --public-url URL, --tenant-id GUID, --seed N",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var serve = new Command("serve", """
            Run the mock MDM server (enrollment MS-MDE2, OMA-DM endpoint, Graph-like REST API) until Ctrl+C.

            Examples:
              deviceagent mdm serve --urls http://127.0.0.1:5080 --in-memory
              deviceagent mdm serve --urls https://127.0.0.1:5443 --db mockmdm.db --seed 7
            """)
        { serverArgs };
        serve.TreatUnmatchedTokensAsErrors = false;
        serve.SetAction(async (parse, cancellationToken) =>
        {
            var raw = parse.GetValue(serverArgs) ?? [];
            MockMdm.MockMdmOptions options;
            try
            {
                options = MockMdm.CommandLine.Parse([.. raw, .. parse.UnmatchedTokens]);
            }
            catch (ArgumentException e)
            {
                await Console.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
                return 2;
            }

            if (options.Urls.Count == 0)
            {
                options.Urls.Add("http://127.0.0.1:5080");
            }

            await using var app = MockMdm.MockMdmServer.Build(options);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            foreach (var url in app.Urls)
            {
                Console.WriteLine($"mock MDM listening on {url} (Ctrl+C to stop)");
            }

            await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        });
        return new Command("mdm", "The mock MDM server") { serve };
    }
}

using System.CommandLine;
using MockMdm.Enrollment;
using MockMdm.Store;

namespace DeviceAgent.Cli.Commands;

/// <summary>
/// `deviceagent mdm serve [options]`: runs the mock MDM server until Ctrl+C with the very options of
/// <c>dotnet run --project mockmdm/MockMdm</c> (MockMdm.CommandLine, docs/mock-mdm.md "Configuration").
/// `deviceagent mdm root --db FILE`: writes the server's CA root as PEM, for --trust-root in another process
/// (docs/emulator.md "Trust").
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
        var db = new Option<FileInfo>("--db") { Description = "The server's SQLite file (created with a new CA when it does not exist yet)", Required = true };
        var output = new Option<FileInfo?>("--out", "-o") { Description = "Write the PEM here instead of standard output" };
        var root = new Command("root", """
            Write the mock server's CA root certificate (PEM): it signs the server's TLS certificate and the devices'
            client certificates. Give the file to --trust-root of fleet, scenario run or check-server in another process.
            The CA lives in the --db file: run this before or after `mdm serve --db` with the same file.

            Examples:
              deviceagent mdm root --db mdm.db --out root.pem
              deviceagent fleet --server https://127.0.0.1:5443 --trust-root root.pem --devices 20
            """)
        { db, output };
        root.SetAction(parse => WriteRoot(parse.GetRequiredValue(db).FullName, parse.GetValue(output)?.FullName, Console.Out, Console.Error));
        return new Command("mdm", "The mock MDM server") { serve, root };
    }

    internal static int WriteRoot(string databasePath, string? outputPath, TextWriter output, TextWriter error)
    {
        string pem;
        try
        {
            using var store = new SqliteMdmStore(databasePath);
            using var ca = CertificateAuthority.LoadOrCreate(store, TimeProvider.System);
            pem = ca.Certificate.ExportCertificatePem() + "\n";
        }
        catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or IOException or UnauthorizedAccessException or InvalidDataException)
        {
            error.WriteLine($"mdm root: cannot read the server's CA from {databasePath}: {e.Message}");
            return 1;
        }

        if (outputPath is null)
        {
            output.Write(pem);
        }
        else
        {
            File.WriteAllText(outputPath, pem);
            output.WriteLine($"CA root written to {outputPath}");
        }

        return 0;
    }
}

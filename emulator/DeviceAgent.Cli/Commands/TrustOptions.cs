using System.CommandLine;
using DeviceAgent.Emulator.Devices;

namespace DeviceAgent.Cli.Commands;

/// <summary>
/// `--trust-root FILE` (PEM, repeatable) and `--insecure` of every command that talks to a server (docs/emulator.md
/// "Trust"). Server certificates are verified against the system store, these roots and, for OMA-DM sessions, the
/// root of the provisioning document; --insecure verifies nothing and is warned about on every run.
/// </summary>
internal sealed class TrustOptions
{
    public const string InsecureWarning =
        "warning: --insecure: server TLS certificates are NOT verified; anyone on the path can read and change this run's traffic. Use it only with lab servers.";

    private readonly Option<FileInfo[]> _roots = new("--trust-root")
    {
        Description = "PEM file of a root CA to trust for the server's TLS certificate, besides the system store (repeatable)",
        AllowMultipleArgumentsPerToken = false,
    };

    private readonly Option<bool> _insecure = new("--insecure")
    {
        Description = "Do not verify server TLS certificates (lab servers only; warned about and recorded in reports)",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(_roots);
        command.Options.Add(_insecure);
    }

    /// <summary>The trust the options ask for; null after writing why a root file cannot be used (exit 2).</summary>
    public ServerTrust? Resolve(ParseResult parse, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(error);
        return Resolve((parse.GetValue(_roots) ?? []).Select(f => f.FullName), parse.GetValue(_insecure), error);
    }

    public static ServerTrust? Resolve(IEnumerable<string> roots, bool insecure, TextWriter error)
    {
        ServerTrust trust;
        try
        {
            trust = ServerTrust.FromPemFiles(roots, insecure);
        }
        catch (TrustRootException e)
        {
            error.WriteLine(e.Message);
            return null;
        }

        if (trust.Insecure)
        {
            error.WriteLine(InsecureWarning);
        }

        return trust;
    }
}

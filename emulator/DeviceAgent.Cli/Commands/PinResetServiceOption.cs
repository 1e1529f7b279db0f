using System.CommandLine;

namespace DeviceAgent.Cli.Commands;

/// <summary>
/// `--pin-reset-service URL`: the PIN reset service devices call during LockAndRecoverPIN (a `deviceagent pinreset
/// serve` process, docs/pin-reset.md "Wire"); consent steps are sent there too. Its TLS certificate is verified with
/// the command's --trust-root/--insecure.
/// </summary>
internal static class PinResetServiceOption
{
    public static Option<Uri?> Create() => new("--pin-reset-service")
    {
        Description = "Base URL of a PIN reset service the devices call (deviceagent pinreset serve); default: the server's hosted one",
        CustomParser = result =>
        {
            string value = result.Tokens.Single().Value;
            if (Uri.TryCreate(value, UriKind.Absolute, out Uri? url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps))
            {
                return url;
            }

            result.AddError($"--pin-reset-service: '{value}' is not an absolute http:// or https:// URL (e.g. http://127.0.0.1:5090)");
            return null;
        },
    };
}

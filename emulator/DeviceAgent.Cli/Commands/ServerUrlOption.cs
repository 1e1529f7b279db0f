using System.CommandLine;

namespace DeviceAgent.Cli.Commands;

/// <summary>
/// The <c>--server URL</c> option of the commands that can drive a running mock MDM. System.CommandLine 2.0 has no
/// parser for <see cref="Uri"/> (an Option&lt;Uri&gt; ended in a stack trace), so the value is parsed here, with an
/// error that says what is wrong.
/// </summary>
internal static class ServerUrlOption
{
    public static Option<Uri?> Create(string description) => new("--server")
    {
        Description = description,
        CustomParser = result =>
        {
            string value = result.Tokens.Single().Value;
            if (Uri.TryCreate(value, UriKind.Absolute, out Uri? url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps))
            {
                return url;
            }

            result.AddError($"--server: '{value}' is not an absolute http:// or https:// URL (e.g. http://127.0.0.1:5080)");
            return null;
        },
    };
}

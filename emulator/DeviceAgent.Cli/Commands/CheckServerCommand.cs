using System.CommandLine;
using System.Text.Json;
using DeviceAgent.Emulator.Conformance;
using DeviceAgent.Emulator.Devices;
using DeviceAgent.Enrollment;
using DeviceAgent.Ngc;

namespace DeviceAgent.Cli.Commands;

/// <summary>
/// `deviceagent check-server URL`: enrolls one emulated phone against any MS-MDE2/OMA-DM server, runs one session and
/// prints what Windows would accept, warn about or reject, step by step (docs/check-server.md). Exit 0: nothing
/// rejected; 1: a step was rejected; 2: bad arguments.
/// </summary>
internal static class CheckServerCommand
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create()
    {
        var url = new Argument<Uri?>("URL")
        {
            Description = "The server's base URL (https://host:port) or its discovery URL (…/EnrollmentServer/Discovery.svc)",
            CustomParser = result =>
            {
                var value = result.Tokens.Single().Value;
                if (Uri.TryCreate(value, UriKind.Absolute, out var parsed) && (parsed.Scheme == Uri.UriSchemeHttp || parsed.Scheme == Uri.UriSchemeHttps))
                {
                    return parsed;
                }

                result.AddError($"URL: '{value}' is not an absolute http:// or https:// URL (e.g. https://mdm.contoso.com)");
                return null;
            },
        };
        var user = new Option<string>("--user") { Description = "UPN the phone enrolls for (Discover EmailAddress, login_hint, OnPremise user name)", DefaultValueFactory = _ => "user@contoso.com" };
        var password = new Option<string?>("--password") { Description = "Password for the OnPremise AuthPolicy (offered only when given)" };
        var token = new Option<string?>("--token") { Description = "A Federated token to send instead of asking the server's STS" };
        var policies = new Option<string[]>("--auth-policy")
        {
            Description = "AuthPolicy to offer, in order of preference (repeatable: Federated, OnPremise, Certificate); default: OnPremise when --password is given, then Federated",
            AllowMultipleArgumentsPerToken = false,
        };
        policies.AcceptOnlyFromAmong([.. Enum.GetNames<EnrollmentAuthPolicy>()]);
        var json = new Option<bool>("--json") { Description = "Print the report as JSON (for machines)" };
        var trust = new TrustOptions();
        var command = new Command("check-server", """
            Check an MS-MDE2 / OMA-DM server the way a Windows 10 Mobile phone sees it: one emulated phone enrolls
            (discovery, policy, enrollment, provisioning document) and runs one session, and each step is reported as
            accept, warn or reject with the field, what the server sent and what was expected. Exit code 1 when a
            step is rejected.

            Examples:
              deviceagent check-server https://mdm.contoso.com --trust-root contoso-root.pem
              deviceagent check-server http://127.0.0.1:5080 --json
              deviceagent check-server https://mdm.lab --insecure --user alice@lab.test --password secret
            """)
        { url, user, password, token, policies, json };
        trust.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            if (trust.Resolve(parse, parse.InvocationConfiguration.Error) is not { } serverTrust)
            {
                return Task.FromResult(2);
            }

            var offered = parse.GetValue(policies) is { Length: > 0 } names ? names.Select(Enum.Parse<EnrollmentAuthPolicy>).ToList() : null;
            var credentials = new EnrollmentCredentials { AuthPolicies = offered, Password = parse.GetValue(password), UserToken = parse.GetValue(token) };
            return RunAsync(parse.GetValue(url)!, parse.GetValue(user)!, credentials, serverTrust, parse.GetValue(json),
                parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancellationToken);
        });
        return command;
    }

    internal static async Task<int> RunAsync(Uri url, string user, EnrollmentCredentials credentials, ServerTrust trust, bool json,
        TextWriter output, TextWriter error, CancellationToken cancellationToken, IDeviceTransport? transport = null)
    {
        ServerCheckReport report;
        try
        {
            // Refuses a credential-less policy (e.g. --auth-policy OnPremise without --password) before any traffic.
            _ = new EnrollmentRequest { DiscoveryUrl = url, UserPrincipalName = user, DeviceId = "-", AuthPolicies = credentials.AuthPolicies, Password = credentials.Password, AuthenticationCertificate = credentials.Certificate }
                .OfferedAuthPolicies();
            using var owned = transport is null ? new SocketDeviceTransport(url, trust) : null;
            report = await ServerCheck.RunAsync(transport ?? owned!, user, new EmulatorOptions
            {
                EnrollmentCredentials = credentials,
                Pbkdf2Iterations = 10,
                HelloKeyAlgorithm = NgcKeyAlgorithm.EcdsaP256,
                InitialBackoffTime = TimeSpan.FromMilliseconds(200),
            }, trust.Describe(), cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            await error.WriteLineAsync($"check-server: {e.Message}").ConfigureAwait(false);
            return 2;
        }

        if (json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(new
            {
                server = report.Server,
                serverCertificates = report.Trust,
                rejected = report.Rejected,
                warnings = report.Warnings,
                findings = report.Findings,
            }, s_json)).ConfigureAwait(false);
        }
        else
        {
            await output.WriteLineAsync($"check-server {report.Server} (server certificates: {report.Trust})").ConfigureAwait(false);
            foreach (var finding in report.Findings)
            {
                var verdict = finding.Verdict switch { CheckVerdict.Reject => "REJECT", CheckVerdict.Warn => "warn", _ => "accept" };
                await output.WriteLineAsync($"  {finding.Step,-22} {verdict,-7} {finding.Text}").ConfigureAwait(false);
            }

            var rejections = report.Findings.Count(f => f.Verdict == CheckVerdict.Reject);
            await output.WriteLineAsync($"result: {(report.Rejected ? "Windows would stop here" : "Windows would enroll and sync")}; {rejections} rejection(s), {report.Warnings} warning(s)").ConfigureAwait(false);
        }

        return report.Rejected ? 1 : 0;
    }
}

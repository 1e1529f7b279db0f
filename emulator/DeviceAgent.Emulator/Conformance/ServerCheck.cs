using System.Net.Http;
using System.Security.Authentication;
using System.Text.Json.Serialization;
using DeviceAgent.Emulator.Devices;
using DeviceAgent.Enrollment;
using DeviceAgent.Protocol;
using DeviceAgent.Session;

namespace DeviceAgent.Emulator.Conformance;

/// <summary>What Windows would do with something a server did (docs/check-server.md).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CheckVerdict>))]
public enum CheckVerdict
{
    /// <summary>Windows accepts it (possibly with a default the server left to it).</summary>
    Accept,

    /// <summary>Windows goes on, but it breaks OMA-DM 1.2 or MS-MDE2: a protocol warning of the device's checks.</summary>
    Warn,

    /// <summary>Windows stops here: the enrollment client's refusal, or a session that fails.</summary>
    Reject,
}

/// <summary>One observation of a server check.</summary>
/// <param name="Step">discovery, token, policy, enrollment, provisioning document, first session or statuses.</param>
/// <param name="Verdict">Accept, Warn or Reject.</param>
/// <param name="Text">What the server did, in one or two sentences (for Warn and Reject: the field, what was sent, what was expected).</param>
/// <param name="Check">For warnings, the device's protocol check that fired ("cmdref", "msgref", "status-code", "synchdr-status", "version").</param>
public sealed record CheckFinding(string Step, CheckVerdict Verdict, string Text, string? Check = null);

/// <summary>The outcome of <see cref="ServerCheck.RunAsync"/>: every finding in step order.</summary>
public sealed record ServerCheckReport(Uri Server, string Trust, IReadOnlyList<CheckFinding> Findings)
{
    /// <summary>True when a step was rejected (the command exits non-zero).</summary>
    public bool Rejected => Findings.Any(f => f.Verdict == CheckVerdict.Reject);

    /// <summary>How many warnings were found.</summary>
    public int Warnings => Findings.Count(f => f.Verdict == CheckVerdict.Warn);
}

/// <summary>
/// The server conformance check (issue 14 item 6, docs/check-server.md): one emulated phone enrolls over MS-MDE2 and runs
/// one OMA-DM session, and every step becomes findings. It judges nothing itself: enrollment refusals are the
/// <see cref="EnrollmentClient"/>'s, accepted leniencies its <see cref="EnrollmentResult.Notes"/>, and session warnings
/// the device's own protocol checks (docs/session.md "Protocol checks"), so check-server and a real run never disagree.
/// </summary>
public static class ServerCheck
{
    /// <summary>The steps in the order they are reported.</summary>
    public static IReadOnlyList<string> Steps { get; } =
    [
        EnrollmentClient.Steps.Discovery, EnrollmentClient.Steps.Token, EnrollmentClient.Steps.Policy, EnrollmentClient.Steps.Enrollment,
        EnrollmentClient.Steps.ProvisioningDocument, FirstSession, Statuses,
    ];

    /// <summary>The step of the first OMA-DM session.</summary>
    public const string FirstSession = "first session";

    /// <summary>The step of the server's statuses in that session.</summary>
    public const string Statuses = "statuses";

    private static readonly HashSet<string> s_statusChecks = ["cmdref", "msgref", "status-code", "synchdr-status"];

    /// <summary>Enrolls one phone named "check-server" for <paramref name="user"/> over <paramref name="transport"/> and runs one session.</summary>
    public static async Task<ServerCheckReport> RunAsync(IDeviceTransport transport, string user, EmulatorOptions options, string trust, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(options);
        var findings = new List<CheckFinding>();
        // Checks record warnings; they never fail the session themselves (a rejection is a session that Windows ends).
        using var device = await EmulatedDevice.CreateAsync(
            new DeviceSpec { Name = "check-server", User = user, Join = JoinType.WorkplaceJoined },
            options with { FailOnProtocolWarnings = false },
            cancellationToken).ConfigureAwait(false);

        EnrollmentResult enrollment;
        try
        {
            enrollment = await device.EnrollAsync(transport, cancellationToken).ConfigureAwait(false);
        }
        catch (EnrollmentFaultException e)
        {
            var step = e.Step ?? EnrollmentClient.Steps.ProvisioningDocument; // Only applying the document to the DM tree refuses without a step.
            AcceptStepsBefore(step, findings);
            findings.Add(new CheckFinding(step, CheckVerdict.Reject, e.Message));
            return Report(transport, trust, findings);
        }
        catch (HttpRequestException e)
        {
            findings.Add(new CheckFinding(EnrollmentClient.Steps.Discovery, CheckVerdict.Reject, $"discovery: {Describe(e)}"));
            return Report(transport, trust, findings);
        }

        findings.Add(new CheckFinding(EnrollmentClient.Steps.Discovery, CheckVerdict.Accept,
            $"AuthPolicy {enrollment.AuthPolicy}, EnrollmentVersion {enrollment.EnrollmentVersion ?? "(none)"}."));
        findings.Add(new CheckFinding(EnrollmentClient.Steps.Policy, CheckVerdict.Accept, $"minimalKeyLength {enrollment.MinimalKeyLength}."));
        findings.Add(new CheckFinding(EnrollmentClient.Steps.Enrollment, CheckVerdict.Accept,
            $"certificate {enrollment.ClientCertificate.Subject} issued by {enrollment.ClientCertificate.Issuer} for the device's own key."));
        findings.Add(new CheckFinding(EnrollmentClient.Steps.ProvisioningDocument, CheckVerdict.Accept,
            $"w7 ADDR {enrollment.ManagementServerUrl.GetLeftPart(UriPartial.Path)}, provider {enrollment.ProviderId}, root {enrollment.RootCertificate.Subject}, poll {(enrollment.Poll is null ? "not set (DMClient defaults)" : "provisioned")}."));
        foreach (var note in enrollment.Notes)
        {
            findings.Add(new CheckFinding(note.Step, CheckVerdict.Accept, note.ToString()));
        }

        DmSessionResult session;
        try
        {
            session = await device.SyncAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            findings.Add(new CheckFinding(FirstSession, CheckVerdict.Reject, $"first session: {Describe(e)}"));
            return Report(transport, trust, findings);
        }

        foreach (var warning in session.ProtocolWarnings)
        {
            var step = s_statusChecks.Contains(warning.Check) ? Statuses : FirstSession;
            findings.Add(new CheckFinding(step, CheckVerdict.Warn, warning.ToString(), warning.Check));
        }

        if (session.Succeeded)
        {
            findings.Add(new CheckFinding(FirstSession, CheckVerdict.Accept,
                $"session {session.SessionID} ended normally after {session.MessagesSent} client and {session.MessagesReceived} server messages."));
        }
        else
        {
            var error = session.Error is { } ex ? $" ({Describe(ex)})" : "";
            findings.Add(new CheckFinding(FirstSession, CheckVerdict.Reject, $"first session: {session.Outcome}: {session.Reason}{error}"));
        }

        if (!session.ProtocolWarnings.Any(w => s_statusChecks.Contains(w.Check)) && session.MessagesReceived > 0)
        {
            findings.Add(new CheckFinding(Statuses, CheckVerdict.Accept,
                $"{session.ServerStatuses.Count} statuses, each answering a command the device sent, with known codes."));
        }

        return Report(transport, trust, findings);
    }

    private static ServerCheckReport Report(IDeviceTransport transport, string trust, List<CheckFinding> findings) =>
        new(transport.DiscoveryUrl, trust, [.. findings.OrderBy(f => Order(f.Step))]);

    private static int Order(string step) => Steps.IndexOf(step) is var i and >= 0 ? i : Steps.Count;

    private static int IndexOf(this IReadOnlyList<string> list, string value)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] == value)
            {
                return i;
            }
        }

        return -1;
    }

    // Steps before a refused one passed (the Federated token step only when it ran: it is not reported when skipped).
    private static void AcceptStepsBefore(string step, List<CheckFinding> findings)
    {
        foreach (var earlier in Steps.TakeWhile(s => s != step).Where(s => s != EnrollmentClient.Steps.Token && s != FirstSession && s != Statuses))
        {
            findings.Add(new CheckFinding(earlier, CheckVerdict.Accept, "answered as MS-MDE2 describes."));
        }
    }

    // The innermost message says what went wrong (e.g. the TLS certificate's chain), the outer one only that a request failed.
    private static string Describe(Exception e)
    {
        var messages = new List<string>();
        for (var current = e; current is not null; current = current.InnerException)
        {
            messages.Add(current.Message);
        }

        var tls = e is HttpRequestException { InnerException: AuthenticationException } ? " Is the server's root trusted (--trust-root FILE)?" : "";
        return string.Join(" <- ", messages.Distinct()) + tls;
    }
}

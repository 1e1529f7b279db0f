using DeviceAgent.Emulator.Devices;
using DeviceAgent.PinReset;

namespace DeviceAgent.Emulator.Server;

/// <summary>
/// A server given by --server, with what it offers (<see cref="ServerOffer"/>) and where its devices find the PIN reset
/// service: --pin-reset-service, else the server's hosted one, else none (docs/emulator.md "Servers without the mock's
/// API"). Makes the clients a fleet or scenario needs, each verifying TLS with the run's <see cref="Trust"/>.
/// </summary>
public sealed record ExternalServer(Uri ServerUrl, string ApiKey, ServerTrust Trust, ServerOffer Offer, Uri? StandalonePinResetService)
{
    /// <summary>Probes <paramref name="serverUrl"/> once.</summary>
    /// <exception cref="ServerUnreachableException">The server could not be reached.</exception>
    public static async Task<ExternalServer> ProbeAsync(Uri serverUrl, string apiKey, ServerTrust trust, Uri? pinResetService, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(serverUrl);
        ArgumentNullException.ThrowIfNull(trust);
        var offer = await ServerOffer.ProbeAsync(serverUrl, apiKey, trust.CreateHandler(), cancellationToken).ConfigureAwait(false);
        return new ExternalServer(serverUrl, apiKey, trust, offer, pinResetService);
    }

    /// <summary>The PIN reset service devices call: --pin-reset-service, else the server's hosted one, else null.</summary>
    public Uri? PinResetService => StandalonePinResetService ?? Offer.HostedPinResetService;

    /// <summary>One line for the run's output.</summary>
    public string Describe() =>
        $"server {ServerUrl}: {Offer.Describe()}; devices' PIN reset service: {(PinResetService?.ToString() ?? "none (give --pin-reset-service URL)")}";

    /// <summary>The admin API client, or null when the server offers none.</summary>
    public MdmApiClient? CreateApiClient() => Offer.AdminApi ? new MdmApiClient(ServerUrl, ApiKey, Trust.CreateHandler()) : null;

    /// <summary>The devices' shared PIN reset service client (the caller disposes it when it is <see cref="IDisposable"/>).</summary>
    public IPinResetServiceClient CreatePinResetClient() => PinResetService is { } url
        ? new HttpPinResetServiceClient(url, Trust.CreateHandler())
        : new UnreachablePinResetServiceClient(
            $"no PIN reset service: {ServerUrl} hosts none at /{DeviceAgent.Protocol.PinResetWire.HostedPrefix}/ and no --pin-reset-service URL was given");

    /// <summary>The consent client of a standalone service (consent there as well as on the server), or null.</summary>
    public PinResetConsentClient? CreateConsentClient() =>
        StandalonePinResetService is { } url ? new PinResetConsentClient(url, Trust.CreateHandler()) : null;
}

/// <summary>A PIN reset service in its own process (--pin-reset-service) and the trust its TLS certificate is verified with.</summary>
public sealed record PinResetServiceEndpoint(Uri Url, ServerTrust Trust)
{
    /// <summary>The devices' shared client (the caller disposes it).</summary>
    public HttpPinResetServiceClient CreateClient() => new(Url, Trust.CreateHandler());

    /// <summary>The client of its consent endpoints (the caller disposes it).</summary>
    public PinResetConsentClient CreateConsentClient() => new(Url, Trust.CreateHandler());
}

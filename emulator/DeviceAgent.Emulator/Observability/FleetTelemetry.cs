using System.Diagnostics.Metrics;
using DeviceAgent.Emulator.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MockMdm;
using MockMdm.Observability;

namespace DeviceAgent.Emulator.Observability;

/// <summary>
/// A fleet run's live metrics and traces through OpenTelemetry (docs/observability.md "Fleet runs"): the run's
/// <see cref="EmulatorMetrics"/> and, when the server is embedded, that server's DeviceAgent.MockMdm meter, on a
/// Prometheus endpoint at http://127.0.0.1:PORT/metrics and/or to OTLP. Nothing else in the process is exported.
/// </summary>
public sealed class FleetTelemetry : IAsyncDisposable
{
    private readonly IHost _host;

    private FleetTelemetry(IHost host, Uri? metricsUrl)
    {
        _host = host;
        MetricsUrl = metricsUrl;
    }

    /// <summary>The Prometheus scrape URL, or null when only OTLP is exported.</summary>
    public Uri? MetricsUrl { get; }

    /// <summary>
    /// Starts the exporters: a Prometheus endpoint on 127.0.0.1:<paramref name="metricsPort"/> (0 picks a free port)
    /// when the port is given, OTLP when <paramref name="otlpEndpoint"/> or OTEL_EXPORTER_OTLP_ENDPOINT is set. Returns
    /// null when neither is asked for.
    /// </summary>
    public static async Task<FleetTelemetry?> StartAsync(int? metricsPort, Uri? otlpEndpoint, EmulatorMetrics metrics, EmbeddedMdm? server, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        if (metricsPort is < 0 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(metricsPort), metricsPort, "a TCP port is 0 to 65535");
        }

        var export = new TelemetryExport { PrometheusPath = metricsPort is null ? null : MockMdmOptions.DefaultMetricsPath, OtlpEndpoint = otlpEndpoint };
        if (!export.ServesPrometheus && !export.ExportsOtlp)
        {
            return null;
        }

        var serverMeters = server?.Services.GetRequiredService<IMeterFactory>();
        bool Owns(Meter meter) => ReferenceEquals(meter, metrics.Meter) || (serverMeters is not null && ReferenceEquals(meter.Scope, serverMeters));
        string[] meters = [EmulatorMetrics.MeterName, MockMdmMetrics.MeterName];
        string[] sources = [EmulatorMetrics.ActivitySourceName, Telemetry.MockMdmActivitySourceName];
        IHost host;
        if (metricsPort is { } port)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
            Telemetry.Add(builder.Services, "deviceagent-fleet", export, meters, sources, Owns);
            var app = builder.Build();
            app.MapPrometheusScrapingEndpoint(MockMdmOptions.DefaultMetricsPath);
            host = app;
        }
        else
        {
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            Telemetry.Add(builder.Services, "deviceagent-fleet", export, meters, sources, Owns);
            host = builder.Build();
        }

        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            host.Dispose();
            throw;
        }

        Uri? url = null;
        if (metricsPort is not null)
        {
            var address = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            url = new Uri(address.TrimEnd('/') + MockMdmOptions.DefaultMetricsPath);
        }

        return new FleetTelemetry(host, url);
    }

    /// <summary>Flushes OTLP and stops the endpoint.</summary>
    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync().ConfigureAwait(false);
        _host.Dispose();
    }
}

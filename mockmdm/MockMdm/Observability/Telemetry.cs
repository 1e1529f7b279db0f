using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace MockMdm.Observability;

/// <summary>
/// Where a process's meters and traces go through OpenTelemetry (docs/observability.md): a Prometheus scrape endpoint
/// and/or an OTLP exporter. Shared by the mock server and the emulator's fleet runs.
/// </summary>
public sealed record TelemetryExport
{
    /// <summary>The standard OpenTelemetry variable that points the OTLP exporter at a collector.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The path of the Prometheus scrape endpoint ("/metrics"); null or empty serves none.</summary>
    public string? PrometheusPath { get; init; }

    /// <summary>The OTLP endpoint; null falls back to <see cref="OtlpEndpointVariable"/> (with the exporter's other OTEL_EXPORTER_OTLP_* variables).</summary>
    public Uri? OtlpEndpoint { get; init; }

    /// <summary>True when an OTLP endpoint is given here or in the environment.</summary>
    public bool ExportsOtlp => OtlpEndpoint is not null || !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(OtlpEndpointVariable));

    /// <summary>True when the Prometheus endpoint is served.</summary>
    public bool ServesPrometheus => !string.IsNullOrEmpty(PrometheusPath);
}

/// <summary>
/// The OpenTelemetry wiring both sides use: the project's meters and activity sources, ASP.NET Core's HTTP server
/// metrics and spans (OpenTelemetry's HTTP semantic conventions), the Prometheus exporter and, when configured, OTLP.
/// </summary>
public static class Telemetry
{
    /// <summary>The server's activity source: one span per OMA-DM message and per MS-MDE2 request (docs/observability.md).</summary>
    public const string MockMdmActivitySourceName = "DeviceAgent.MockMdm";

    /// <summary>ASP.NET Core's meters (http.server.request.duration, http.server.active_requests, kestrel.*).</summary>
    public static readonly IReadOnlyList<string> AspNetCoreMeters = ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel"];

    internal static readonly ActivitySource MockMdmSource = new(MockMdmActivitySourceName, Version);

    /// <summary>The version every resource reports as service.version (Directory.Build.props).</summary>
    public static string Version { get; } = typeof(Telemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>
    /// Registers OpenTelemetry on <paramref name="services"/>: the meters named in <paramref name="meters"/> whose
    /// <see cref="Meter"/> <paramref name="owns"/> accepts (meter names are process-wide, so a process hosting several
    /// servers, as tests do, keeps each endpoint to its own server's instruments), the activity sources, the
    /// Prometheus exporter (mapped by the host at <see cref="TelemetryExport.PrometheusPath"/>) and OTLP when configured.
    /// </summary>
    public static void Add(IServiceCollection services, string serviceName, TelemetryExport export, IReadOnlyList<string> meters,
        IReadOnlyList<string> activitySources, Func<Meter, bool> owns)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(export);
        ArgumentNullException.ThrowIfNull(owns);
        var otel = services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService(serviceName, serviceVersion: Version));
        otel.WithMetrics(metrics =>
        {
            metrics.AddMeter([.. meters]);
            metrics.AddView(instrument => owns(instrument.Meter) ? null : MetricStreamConfiguration.Drop);
            if (export.ServesPrometheus)
            {
                metrics.AddPrometheusExporter();
            }

            if (export.ExportsOtlp)
            {
                metrics.AddOtlpExporter(o => Point(o, export));
            }
        });
        if (export.ExportsOtlp)
        {
            otel.WithTracing(tracing =>
            {
                tracing.AddSource([.. activitySources]);
                tracing.AddAspNetCoreInstrumentation();
                tracing.AddOtlpExporter(o => Point(o, export));
            });
        }
    }

    private static void Point(OpenTelemetry.Exporter.OtlpExporterOptions options, TelemetryExport export)
    {
        if (export.OtlpEndpoint is { } endpoint)
        {
            options.Endpoint = endpoint;
        }
    }

    /// <summary>Holds the host's meter factory once the host is built, so the view can tell this host's meters from another's.</summary>
    internal sealed class HostMeters
    {
        public IMeterFactory? Factory { get; set; }

        // ASP.NET Core and MockMdmMetrics make their meters through the host's IMeterFactory (Meter.Scope).
        public bool Owns(Meter meter) => Factory is not null && ReferenceEquals(meter.Scope, Factory);
    }
}

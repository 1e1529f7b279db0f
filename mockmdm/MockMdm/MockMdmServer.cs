using System.Security.Cryptography;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using MockMdm.Actions;
using Microsoft.Extensions.Options;
using MockMdm.Api;
using MockMdm.Configuration;
using MockMdm.Enrollment;
using MockMdm.Observability;
using MockMdm.OmaDm;
using MockMdm.PinReset;
using MockMdm.Profiles;
using MockMdm.Store;
using MockMdm.Tenants;

namespace MockMdm;

/// <summary>
/// Builds the MockMdm server for any host: Program, the deviceagent CLI, tests (which add UseTestServer through
/// <c>configure</c>). See docs/mock-mdm.md.
/// </summary>
public static class MockMdmServer
{
    /// <summary>
    /// A builder with every MockMdm service registered; <see cref="Build(WebApplicationBuilder)"/> finishes it.
    /// <paramref name="options"/> is the host's starting point; the "MockMdm" configuration section (appsettings.json,
    /// MOCKMDM__ environment variables, then <paramref name="host"/>'s command-line values) is bound on top of a copy of
    /// it and validated at start (docs/mock-mdm.md "Configuration").
    /// </summary>
    public static WebApplicationBuilder CreateBuilder(MockMdmOptions options, MockMdmHostSettings? host = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        host ??= new MockMdmHostSettings();
        // No Args: System.CommandLine is the one parser of the command line (CommandLine); its values arrive as
        // configuration keys, added last so they win over appsettings.json and environment variables.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ContentRootPath = host.ContentRootPath,
            EnvironmentName = host.EnvironmentName,
        });
        if (host.CommandLine.Count > 0)
        {
            builder.Configuration.AddInMemoryCollection(host.CommandLine);
        }

        var services = builder.Services;
        var baseline = options.Clone();
        services.AddSingleton<IOptionsFactory<MockMdmOptions>>(sp => new StartingPointOptionsFactory(
            baseline,
            sp.GetServices<IConfigureOptions<MockMdmOptions>>(),
            sp.GetServices<IPostConfigureOptions<MockMdmOptions>>(),
            sp.GetServices<IValidateOptions<MockMdmOptions>>()));
        services.AddSingleton<IConfigureOptions<MockMdmOptions>, MockMdmOptionsBinder>();
        services.AddSingleton<IValidateOptions<MockMdmOptions>, MockMdmOptionsValidator>();
        services.AddOptions<MockMdmOptions>().ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<MockMdmOptions>>().Value);
        // With clock control every reader of the server's time sees the offset the testing API moves (docs/mock-mdm.md).
        services.PostConfigure<MockMdmOptions>(o =>
        {
            if (o.ClockControl && o.TimeProvider is not AdjustableClock)
            {
                o.TimeProvider = new AdjustableClock(o.TimeProvider);
            }
        });
        if (options.Store is not null)
        {
            services.AddSingleton(new ExternalStore(options.Store));
            services.AddSingleton<IMdmStore>(sp => sp.GetRequiredService<ExternalStore>().Store);
        }
        else
        {
            services.AddSingleton<IMdmStore>(sp => sp.GetRequiredService<MockMdmOptions>() is { InMemory: false } configured
                ? new SqliteMdmStore(configured.DatabasePath!)
                : new InMemoryMdmStore());
        }
        services.AddSingleton(sp => CertificateAuthority.LoadOrCreate(sp.GetRequiredService<IMdmStore>(), sp.GetRequiredService<MockMdmOptions>().TimeProvider));
        services.AddSingleton<IPinResetService>(sp => new PinResetService(key: PinResetServiceKey(sp.GetRequiredService<IMdmStore>())));
        services.AddSingleton<IdGenerator>();
        services.AddSingleton<MockMdmMetrics>();
        services.AddSingleton<TenantDirectory>();
        services.AddSingleton<CommandQueue>();
        services.AddSingleton<InventoryCommands>();
        services.AddSingleton<DeviceActionService>();
        services.AddSingleton<ProfileService>();
        services.AddSingleton<ICommandCompletionHandler>(sp => sp.GetRequiredService<InventoryCommands>());
        services.AddSingleton<ICommandCompletionHandler>(sp => sp.GetRequiredService<DeviceActionService>());
        services.AddSingleton<ICommandCompletionHandler>(sp => sp.GetRequiredService<ProfileService>());
        services.AddSingleton<DmSessionProcessor>();
        services.AddSingleton<OmaDm.Authentication.OmaDmAuthenticator>();
        services.AddSingleton<EnrollmentService>();
        AdminConsole.ConsoleEndpoints.AddServices(services);
        services.AddSingleton(sp => PushChannelPolicy.Parse(sp.GetRequiredService<MockMdmOptions>().PushChannelPattern, out _)
            ?? throw new InvalidOperationException("PushChannelPattern was validated at start"));
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<MockMdmOptions>();
            // No redirects: an allowed channel host must not bounce the POST to an address the device chose.
            var client = options.PushHandler is null
                ? new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false })
                : new HttpClient(options.PushHandler, disposeHandler: false);
            client.Timeout = Timeout.InfiniteTimeSpan; // PushNotifier bounds each push by PushTimeout.
            return new PushNotifier(client, sp.GetRequiredService<PushChannelPolicy>(), options.PushTimeout,
                sp.GetRequiredService<ILogger<PushNotifier>>(), options.PushEnabled);
        });

        AddTelemetry(builder, baseline);

        builder.WebHost.ConfigureKestrel((context, kestrel) => kestrel.ConfigureHttpsDefaults(https =>
        {
            var ca = kestrel.ApplicationServices.GetRequiredService<CertificateAuthority>();
            https.ServerCertificate = ca.CreateServerCertificate(HostNames(kestrel.ApplicationServices.GetRequiredService<MockMdmOptions>()));
            // Mutual TLS: ask for the enrollment client certificate; the OMA-DM endpoint checks it against the CA.
            https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
            https.AllowAnyClientCertificate();
        }));
        return builder;
    }

    /// <summary>Creates the builder, lets <paramref name="configure"/> adjust it, and returns the mapped application.</summary>
    public static WebApplication Build(MockMdmOptions options, Action<WebApplicationBuilder>? configure = null, MockMdmHostSettings? host = null)
    {
        var builder = CreateBuilder(options, host);
        configure?.Invoke(builder);
        return Build(builder);
    }

    /// <summary>
    /// Builds the application from a builder made by <see cref="CreateBuilder"/>: binds and validates the options
    /// (an <see cref="OptionsValidationException"/> names every bad setting), opens the store and maps endpoints.
    /// </summary>
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var app = builder.Build();
        // Bind and validate now (ValidateOnStart would only at StartAsync), before anything opens files or keys.
        MockMdmOptions options;
        try
        {
            options = app.Services.GetRequiredService<MockMdmOptions>();
        }
        catch (OptionsValidationException)
        {
            ((IHost)app).Dispose();
            throw;
        }

        foreach (var url in options.Urls)
        {
            app.Urls.Add(url);
        }

        app.Services.GetRequiredService<Telemetry.HostMeters>().Factory = app.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        if (!string.IsNullOrEmpty(options.MetricsPath))
        {
            app.MapPrometheusScrapingEndpoint(options.MetricsPath);
        }

        // Open (create, migrate) the store and the CA now, so a bad database fails the start, not the first request.
        app.Services.GetRequiredService<CertificateAuthority>();
        app.Services.GetRequiredService<TenantDirectory>().Initialize();
        DeviceKeyRecord.IndexAll(app.Services.GetRequiredService<IMdmStore>());

        ErrorShapes.Use(app);
        EnrollmentEndpoints.Map(app);
        OmaDmEndpoint.Map(app);
        ErrorHelpPages.Map(app);
        ConsentPages.Map(app);
        // The hosted PIN reset service's device endpoints; consent goes through the tenants' consent pages (docs/pin-reset.md "Wire").
        PinResetEndpoints.MapDeviceEndpoints(app.MapGroup(ErrorShapes.HostedPinResetPath));
        AdminConsole.ConsoleEndpoints.Map(app);
        var api = app.MapGroup("/api").AddEndpointFilter(ApiSupport.RequireApiKey);
        ManagedDevicesApi.Map(api);
        DeviceConfigurationsApi.Map(api);
        GroupsApi.Map(api);
        TenantsApi.Map(api);
        OmaDmAccountsApi.Map(api);
        ClockApi.Map(api);
        AdminConsole.ConsoleEndpoints.MapApi(api);
        return app;
    }

    /// <summary>
    /// OpenTelemetry for this server (docs/observability.md): its own DeviceAgent.MockMdm meter and ASP.NET Core's HTTP
    /// meters to the Prometheus exporter, and with traces to OTLP when an endpoint is configured. The OTLP choice is
    /// made here, before the options are bound, from the same sources in the same order (configuration over the host's
    /// options); a malformed value is refused by the binder at Build.
    /// </summary>
    private static void AddTelemetry(WebApplicationBuilder builder, MockMdmOptions baseline)
    {
        var section = builder.Configuration.GetSection(MockMdmOptions.SectionName);
        var otlp = section[MockMdmSetting.OtlpEndpoint.Property] is { Length: > 0 } configured
            ? (Uri.TryCreate(configured, UriKind.Absolute, out var uri) ? uri : null)
            : baseline.OtlpEndpoint;
        var hostMeters = new Telemetry.HostMeters();
        builder.Services.AddSingleton(hostMeters);
        Telemetry.Add(builder.Services, "mockmdm",
            new TelemetryExport { PrometheusPath = MockMdmOptions.DefaultMetricsPath, OtlpEndpoint = otlp },
            [MockMdmMetrics.MeterName, .. Telemetry.AspNetCoreMeters],
            [Telemetry.MockMdmActivitySourceName],
            hostMeters.Owns);
    }

    private static HashSet<string> HostNames(MockMdmOptions options)
    {
        var hosts = new HashSet<string>(["localhost", "127.0.0.1"], StringComparer.OrdinalIgnoreCase);
        foreach (var url in options.Urls)
        {
            if (Uri.TryCreate(url.Replace("*", "localhost", StringComparison.Ordinal).Replace("+", "localhost", StringComparison.Ordinal), UriKind.Absolute, out var uri))
            {
                hosts.Add(uri.Host);
            }
        }

        if (options.PublicBaseUrl is not null)
        {
            hosts.Add(options.PublicBaseUrl.Host);
        }

        return hosts;
    }

    /// <summary>The PIN reset service's RSA key, kept in the store so protectors sealed before a restart still open.</summary>
    internal static RSA PinResetServiceKey(IMdmStore store)
    {
        var record = store.Write(tx =>
        {
            var existing = tx.Find<PinResetServiceKeyRecord>(PinResetServiceKeyRecord.SingletonId);
            if (existing is not null)
            {
                return existing;
            }

            using var rsa = RSA.Create(2048);
            var created = new PinResetServiceKeyRecord { Pkcs8 = Convert.ToBase64String(rsa.ExportPkcs8PrivateKey()) };
            tx.Put(created);
            return created;
        });
        var key = RSA.Create();
        key.ImportPkcs8PrivateKey(Convert.FromBase64String(record.Pkcs8), out _);
        return key;
    }

    /// <summary>Starts every options instance from the host's <see cref="MockMdmOptions"/> (a copy) instead of a new one.</summary>
    private sealed class StartingPointOptionsFactory(
        MockMdmOptions baseline,
        IEnumerable<IConfigureOptions<MockMdmOptions>> setups,
        IEnumerable<IPostConfigureOptions<MockMdmOptions>> postConfigures,
        IEnumerable<IValidateOptions<MockMdmOptions>> validations)
        : OptionsFactory<MockMdmOptions>(setups, postConfigures, validations)
    {
        protected override MockMdmOptions CreateInstance(string name) => baseline.Clone();
    }

    /// <summary>Wraps a host-owned store so the container does not dispose it.</summary>
    private sealed record ExternalStore(IMdmStore Store);
}

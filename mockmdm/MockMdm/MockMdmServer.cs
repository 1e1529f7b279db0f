using System.Security.Cryptography;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using MockMdm.Actions;
using MockMdm.Api;
using MockMdm.Enrollment;
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
    /// <summary>A builder with every MockMdm service registered; <see cref="Build"/> finishes it.</summary>
    public static WebApplicationBuilder CreateBuilder(MockMdmOptions options, string[]? args = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args ?? [] });
        if (options.Urls.Count > 0)
        {
            builder.WebHost.UseUrls([.. options.Urls]);
        }

        var services = builder.Services;
        services.AddSingleton(options);
        if (options.Store is not null)
        {
            services.AddSingleton(new ExternalStore(options.Store));
            services.AddSingleton<IMdmStore>(sp => sp.GetRequiredService<ExternalStore>().Store);
        }
        else
        {
            services.AddSingleton<IMdmStore>(_ => options.DatabasePath is null
                ? new InMemoryMdmStore()
                : new SqliteMdmStore(options.DatabasePath));
        }
        services.AddSingleton(sp => CertificateAuthority.LoadOrCreate(sp.GetRequiredService<IMdmStore>(), options.TimeProvider));
        services.AddSingleton<IPinResetService>(sp => new PinResetService(key: PinResetServiceKey(sp.GetRequiredService<IMdmStore>())));
        services.AddSingleton<IdGenerator>();
        services.AddSingleton<TenantDirectory>();
        services.AddSingleton<CommandQueue>();
        services.AddSingleton<InventoryCommands>();
        services.AddSingleton<DeviceActionService>();
        services.AddSingleton<ProfileService>();
        services.AddSingleton<ICommandCompletionHandler>(sp => sp.GetRequiredService<InventoryCommands>());
        services.AddSingleton<ICommandCompletionHandler>(sp => sp.GetRequiredService<DeviceActionService>());
        services.AddSingleton<ICommandCompletionHandler>(sp => sp.GetRequiredService<ProfileService>());
        services.AddSingleton<DmSessionProcessor>();
        services.AddSingleton<EnrollmentService>();
        AdminConsole.ConsoleEndpoints.AddServices(services);
        services.AddSingleton(sp =>
        {
            var client = options.PushHandler is null ? new HttpClient() : new HttpClient(options.PushHandler, disposeHandler: false);
            // A push is best effort: an unreachable channel must not hold the admin's request for long.
            client.Timeout = TimeSpan.FromSeconds(10);
            return new PushNotifier(client, sp.GetRequiredService<ILogger<PushNotifier>>(), options.PushEnabled);
        });

        builder.WebHost.ConfigureKestrel((context, kestrel) => kestrel.ConfigureHttpsDefaults(https =>
        {
            var ca = kestrel.ApplicationServices.GetRequiredService<CertificateAuthority>();
            https.ServerCertificate = ca.CreateServerCertificate(HostNames(options));
            // Mutual TLS: ask for the enrollment client certificate; the OMA-DM endpoint checks it against the CA.
            https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
            https.AllowAnyClientCertificate();
        }));
        return builder;
    }

    /// <summary>Creates the builder, lets <paramref name="configure"/> adjust it, and returns the mapped application.</summary>
    public static WebApplication Build(MockMdmOptions options, Action<WebApplicationBuilder>? configure = null, string[]? args = null)
    {
        var builder = CreateBuilder(options, args);
        configure?.Invoke(builder);
        return Build(builder);
    }

    /// <summary>Builds the application from a builder made by <see cref="CreateBuilder"/>: opens the store and maps endpoints.</summary>
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var app = builder.Build();
        // Open (create, migrate) the store and the CA now, so a bad database fails the start, not the first request.
        app.Services.GetRequiredService<CertificateAuthority>();
        app.Services.GetRequiredService<TenantDirectory>().Initialize();

        EnrollmentEndpoints.Map(app);
        OmaDmEndpoint.Map(app);
        ErrorHelpPages.Map(app);
        ConsentPages.Map(app);
        AdminConsole.ConsoleEndpoints.Map(app);
        var api = app.MapGroup("/api").AddEndpointFilter(ApiSupport.RequireApiKey);
        ManagedDevicesApi.Map(api);
        DeviceConfigurationsApi.Map(api);
        GroupsApi.Map(api);
        TenantsApi.Map(api);
        AdminConsole.ConsoleEndpoints.MapApi(api);
        return app;
    }

    private static IEnumerable<string> HostNames(MockMdmOptions options)
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

    /// <summary>Wraps a host-owned store so the container does not dispose it.</summary>
    private sealed record ExternalStore(IMdmStore Store);
}

namespace MockMdm.Configuration;

/// <summary>How a host sets up the server's configuration sources (docs/mock-mdm.md "Configuration").</summary>
public sealed record MockMdmHostSettings
{
    /// <summary>
    /// Configuration keys from the command line ("MockMdm:Seed" = "7"), made by <see cref="MockMdm.CommandLine"/>;
    /// added last, so they win over appsettings.json and environment variables.
    /// </summary>
    public IReadOnlyDictionary<string, string?> CommandLine { get; init; } = new Dictionary<string, string?>();

    /// <summary>Where appsettings.json (and appsettings.{Environment}.json) are read from; null is the working directory.</summary>
    public string? ContentRootPath { get; init; }

    /// <summary>The ASP.NET Core environment (Development, Production, ...); null takes ASPNETCORE_ENVIRONMENT.</summary>
    public string? EnvironmentName { get; init; }
}

using Microsoft.Extensions.Options;

namespace MockMdm.Configuration;

/// <summary>
/// Binds the "MockMdm" configuration section onto the options (docs/mock-mdm.md "Configuration"). Every raw value is
/// checked for its form first, so a value of the wrong type fails with the setting's names and the value instead of
/// the binder's conversion exception; the meaning of well-formed values is <see cref="MockMdmOptionsValidator"/>'s.
/// </summary>
internal sealed class MockMdmOptionsBinder(IConfiguration configuration) : IConfigureOptions<MockMdmOptions>
{
    public void Configure(MockMdmOptions options)
    {
        var section = configuration.GetSection(MockMdmOptions.SectionName);
        var failures = new List<string>();
        foreach (var setting in MockMdmSetting.All)
        {
            var value = section[setting.Property];
            if (value is not null && setting.IsWellFormed is { } isWellFormed && !isWellFormed(value.Trim()))
            {
                failures.Add($"{setting.DisplayName} must be {setting.Expected}, not '{value}'");
            }
        }

        if (failures.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(MockMdmOptions), failures);
        }

        section.Bind(options);
        // One ';'-separated value (as --urls and ASP.NET Core's own "urls" take it) replaces the list; the binder
        // itself only fills the list from indexed keys (MockMdm:Urls:0).
        if (section[MockMdmSetting.Urls.Property] is { } urls)
        {
            options.Urls.Clear();
            foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                options.Urls.Add(url);
            }
        }

        if (Guid.TryParse(options.TenantId, out var tenant))
        {
            options.TenantId = tenant.ToString("D");
        }
    }
}

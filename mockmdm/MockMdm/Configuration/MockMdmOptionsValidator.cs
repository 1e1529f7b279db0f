using Microsoft.Extensions.Options;

namespace MockMdm.Configuration;

/// <summary>
/// Checks the bound options when the server starts (ValidateOnStart): every failure names the setting in all its
/// spellings (<see cref="MockMdmSetting.DisplayName"/>) and the value, so a bad value stops the start with a message
/// a person can act on.
/// </summary>
internal sealed class MockMdmOptionsValidator : IValidateOptions<MockMdmOptions>
{
    /// <summary>The most commands one server message may carry; more makes messages no real device expects.</summary>
    public const int MaxCommandsLimit = 1000;

    /// <summary>The most attempts a command may be given; past a few, a device that does not answer will not.</summary>
    public const int MaxAttemptsLimit = 100;

    public ValidateOptionsResult Validate(string? name, MockMdmOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        void Fail(MockMdmSetting setting, string problem) => failures.Add($"{setting.DisplayName} {problem}");

        foreach (var url in options.Urls)
        {
            // Kestrel's wildcard hosts (http://*:5080, http://+:5080) are not URI hosts.
            var parsable = url.Replace("://*", "://localhost", StringComparison.Ordinal).Replace("://+", "://localhost", StringComparison.Ordinal);
            if (!Uri.TryCreate(parsable, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                Fail(MockMdmSetting.Urls, $"must hold absolute http:// or https:// URLs, not '{url}'");
            }
        }

        if (!options.InMemory)
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(options.DatabasePath!));
            if (directory is not null && !Directory.Exists(directory))
            {
                Fail(MockMdmSetting.DatabasePath, $"names a file in a directory that does not exist: '{options.DatabasePath}'");
            }
        }

        if (options.MetricsPath is { Length: > 0 } metricsPath && !MockMdmSetting.MetricsPath.IsWellFormed!(metricsPath))
        {
            Fail(MockMdmSetting.MetricsPath, $"must be {MockMdmSetting.MetricsPath.Expected}, not '{metricsPath}'");
        }

        if (string.IsNullOrWhiteSpace(options.ApiKey))
        {
            Fail(MockMdmSetting.ApiKey, "must not be empty");
        }

        if (options.PublicBaseUrl is { } publicUrl && (!publicUrl.IsAbsoluteUri || (publicUrl.Scheme != Uri.UriSchemeHttp && publicUrl.Scheme != Uri.UriSchemeHttps)))
        {
            Fail(MockMdmSetting.PublicBaseUrl, $"must be an absolute http:// or https:// URL, not '{publicUrl}'");
        }

        if (!Guid.TryParse(options.TenantId, out _))
        {
            Fail(MockMdmSetting.TenantId, $"must be a GUID, not '{options.TenantId}'");
        }

        foreach (var (setting, value) in new[]
        {
            (MockMdmSetting.TenantDisplayName, options.TenantDisplayName),
            (MockMdmSetting.ProviderId, options.ProviderId),
            (MockMdmSetting.PushPackageFamilyName, options.PushPackageFamilyName),
        })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                Fail(setting, "must not be empty");
            }
        }

        if (OmaDm.PushChannelPolicy.Parse(options.PushChannelPattern ?? "", out var patternError) is null)
        {
            Fail(MockMdmSetting.PushChannelPattern, $"is not usable: {patternError}");
        }

        if (options.PushTimeout <= TimeSpan.Zero || options.PushTimeout > TimeSpan.FromSeconds(30))
        {
            Fail(MockMdmSetting.PushTimeout, $"must be longer than zero and at most 30 seconds, not {options.PushTimeout}");
        }

        if (options.PasscodeVisibility <= TimeSpan.Zero)
        {
            Fail(MockMdmSetting.PasscodeVisibility, $"must be longer than zero, not {options.PasscodeVisibility}");
        }

        if (options.MaxCommandsPerMessage is < 1 or > MaxCommandsLimit)
        {
            Fail(MockMdmSetting.MaxCommandsPerMessage, $"must be from 1 to {MaxCommandsLimit}, not {options.MaxCommandsPerMessage}");
        }

        if (options.MaxInventoryKeys is < 32 or > 100_000)
        {
            Fail(MockMdmSetting.MaxInventoryKeys, $"must be from 32 to 100000, not {options.MaxInventoryKeys}");
        }

        if (options.MaxInventoryBytes is < 16 * 1024 or > 64 * 1024 * 1024)
        {
            Fail(MockMdmSetting.MaxInventoryBytes, $"must be from 16384 to 67108864, not {options.MaxInventoryBytes}");
        }

        if (options.MaxCommandAttempts is < 1 or > MaxAttemptsLimit)
        {
            Fail(MockMdmSetting.MaxCommandAttempts, $"must be from 1 to {MaxAttemptsLimit}, not {options.MaxCommandAttempts}");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

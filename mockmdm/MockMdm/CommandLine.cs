using System.CommandLine;
using System.CommandLine.Parsing;
using Microsoft.Extensions.Options;
using MockMdm.Configuration;

namespace MockMdm;

/// <summary>
/// The server's command-line options, parsed by System.CommandLine for both <c>dotnet run --project mockmdm/MockMdm</c>
/// and <c>deviceagent mdm serve</c> (docs/mock-mdm.md "Configuration"). Each option is one
/// <see cref="MockMdmSetting"/>; given values become configuration keys that win over appsettings.json and MOCKMDM__
/// environment variables, and are checked with every other source by the options binder and validator.
/// </summary>
public sealed class CommandLine
{
    private readonly List<(MockMdmSetting Setting, Option<string> Option)> _valueOptions = [];

    private readonly Option<bool> _inMemory = new("--in-memory")
    {
        Description = "Keep everything in memory (nothing survives a restart); the same as an empty --db.",
    };

    private readonly Option<bool> _plainHttp = new(MockMdmSetting.PlainHttp.Flag)
    {
        Description = MockMdmSetting.PlainHttp.Description + Environment(MockMdmSetting.PlainHttp),
        HelpName = "true|false",
    };

    private readonly Option<bool> _noPush = new(MockMdmSetting.PushEnabled.Flag)
    {
        Description = MockMdmSetting.PushEnabled.Description + Environment(MockMdmSetting.PushEnabled),
    };

    public CommandLine()
    {
        foreach (var setting in MockMdmSetting.All)
        {
            if (setting == MockMdmSetting.PlainHttp || setting == MockMdmSetting.PushEnabled)
            {
                continue;
            }

            _valueOptions.Add((setting, new Option<string>(setting.Flag)
            {
                Description = setting.Description + Environment(setting),
                HelpName = setting.ValueName,
            }));
        }
    }

    /// <summary>Every option, in help order.</summary>
    public IEnumerable<Option> Options =>
        [.. _valueOptions.Select(o => (Option)o.Option), _inMemory, _plainHttp, _noPush];

    /// <summary>The command <c>dotnet run --project mockmdm/MockMdm</c> runs.</summary>
    public static RootCommand CreateRootCommand()
    {
        var root = new RootCommand(ServeDescription);
        new CommandLine().AddTo(root);
        return root;
    }

    /// <summary>What `serve` does, for the help of both commands that run it.</summary>
    public const string ServeDescription = """
        Run the mock MDM server (enrollment MS-MDE2, OMA-DM endpoint, Graph-like REST API) until Ctrl+C.
        Every option can also come from appsettings.json ("MockMdm": { ... }) or a MOCKMDM__ environment variable;
        the command line wins over the environment, which wins over appsettings.json (docs/mock-mdm.md "Configuration").
        """;

    /// <summary>Adds the options to <paramref name="command"/> and makes it run the server.</summary>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (var option in Options)
        {
            command.Options.Add(option);
        }

        command.Validators.Add(result =>
        {
            if (result.GetResult(_inMemory) is not null && result.GetResult(Find(MockMdmSetting.DatabasePath)) is not null)
            {
                result.AddError($"{MockMdmSetting.DatabasePath.Flag} and {_inMemory.Name} exclude each other: give one");
            }
        });
        command.SetAction(ServeAsync);
    }

    /// <summary>The configuration keys the given options stand for ("MockMdm:Seed" = "7"); options not given are absent.</summary>
    public Dictionary<string, string?> ToConfiguration(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (setting, option) in _valueOptions)
        {
            if (parse.GetResult(option) is not null)
            {
                values[setting.Key] = parse.GetValue(option) ?? "";
            }
        }

        if (parse.GetResult(_inMemory) is not null && parse.GetValue(_inMemory))
        {
            values[MockMdmSetting.DatabasePath.Key] = "";
        }

        if (parse.GetResult(_plainHttp) is not null)
        {
            values[MockMdmSetting.PlainHttp.Key] = parse.GetValue(_plainHttp) ? "true" : "false";
        }

        if (parse.GetResult(_noPush) is not null && parse.GetValue(_noPush))
        {
            values[MockMdmSetting.PushEnabled.Key] = "false";
        }

        return values;
    }

    /// <summary>Builds the server from the parsed options and runs it until Ctrl+C; a bad setting is a message and exit code 2.</summary>
    public async Task<int> ServeAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var host = new MockMdmHostSettings { CommandLine = ToConfiguration(parse) };
        WebApplication app;
        try
        {
            app = MockMdmServer.Build(new MockMdmOptions(), builder => builder.Services.PostConfigure<MockMdmOptions>(options =>
            {
                if (options.Urls.Count == 0)
                {
                    options.Urls.Add(MockMdmOptions.DefaultUrl);
                }

                // A running server is scraped at /metrics unless told otherwise (an empty --metrics-path turns it off).
                options.MetricsPath ??= MockMdmOptions.DefaultMetricsPath;
            }), host);
        }
        catch (OptionsValidationException e)
        {
            await Console.Error.WriteLineAsync(DescribeFailure(e)).ConfigureAwait(false);
            return 2;
        }

        await using (app.ConfigureAwait(false))
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            foreach (var url in app.Urls)
            {
                Console.WriteLine($"mock MDM listening on {url} (Ctrl+C to stop)");
            }

            if (app.Services.GetRequiredService<MockMdmOptions>().MetricsPath is { Length: > 0 } metrics)
            {
                Console.WriteLine($"Prometheus metrics at {metrics}");
            }

            await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        }

        return 0;
    }

    /// <summary>The message a person reads when the configuration is refused: one line per bad setting.</summary>
    public static string DescribeFailure(OptionsValidationException failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return "mock MDM: the configuration is not valid:" + string.Concat(failure.Failures.Select(f => $"{System.Environment.NewLine}  {f}"));
    }

    private Option<string> Find(MockMdmSetting setting) => _valueOptions.Single(o => o.Setting == setting).Option;

    private static string Environment(MockMdmSetting setting) => $" [env {setting.EnvironmentVariable}]";
}

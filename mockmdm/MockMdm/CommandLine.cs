using System.Globalization;

namespace MockMdm;

/// <summary>The options of <c>dotnet run --project mockmdm/MockMdm</c> (docs/mock-mdm.md "Running").</summary>
public static class CommandLine
{
    /// <summary>Reads --urls, --db, --in-memory, --api-key, --plain-http, --no-push, --public-url and --seed; throws ArgumentException naming a bad one.</summary>
    public static MockMdmOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new MockMdmOptions();
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--urls":
                    foreach (var url in Value().Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        options.Urls.Add(url);
                    }

                    break;
                case "--db": options.DatabasePath = Value(); break;
                case "--in-memory": options.DatabasePath = null; break;
                case "--api-key": options.ApiKey = Value(); break;
                case "--plain-http": options.PlainHttp = true; break;
                case "--no-push": options.PushEnabled = false; break;
                case "--public-url": options.PublicBaseUrl = new Uri(Value(), UriKind.Absolute); break;
                case "--tenant-id":
                    var tenant = Value();
                    options.TenantId = Guid.TryParse(tenant, out var g) ? g.ToString("D") : throw new ArgumentException($"--tenant-id must be a GUID, not '{tenant}'");
                    break;
                case "--seed":
                    var seed = Value();
                    options.Seed = int.TryParse(seed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var s)
                        ? s
                        : throw new ArgumentException($"--seed must be an integer, not '{seed}'");
                    break;
                default:
                    throw new ArgumentException($"unknown option '{args[i]}' (known: --urls, --db, --in-memory, --api-key, --plain-http, --no-push, --public-url, --tenant-id, --seed)");
            }
        }

        if (options.Urls.Count == 0)
        {
            options.Urls.Add("http://127.0.0.1:5080");
        }

        return options;
    }
}

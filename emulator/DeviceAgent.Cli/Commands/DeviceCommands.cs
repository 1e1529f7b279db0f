using System.CommandLine;
using DeviceAgent.Csp;
using DeviceAgent.Dm;
using DeviceAgent.Emulator.Devices;

namespace DeviceAgent.Cli.Commands;

/// <summary>
/// `deviceagent device log PATH [--contains TEXT]`: prints a device's NGC event log from its artifact folder.
/// `deviceagent device tree [--profile P] [--seed N] [PATH]`: prints an emulated phone's DM tree.
/// </summary>
internal static class DeviceCommands
{
    public static Command Create()
    {
        var path = new Argument<string>("path") { Description = $"A device's artifact folder (holding {EmulatedDevice.EventLogFileName}) or the log file itself" };
        var contains = new Option<string?>("--contains") { Description = "Print only lines containing this text (e.g. InvalidPinTooFewCharacters)" };
        var log = new Command("log", $"""
            Print the NGC event log an emulated device wrote (one line per Windows Hello operation and its outcome).

            Examples:
              deviceagent device log artifacts/phone1
              deviceagent device log artifacts/phone1/{EmulatedDevice.EventLogFileName} --contains InvalidPin
            """)
        { path, contains };
        log.SetAction(parse => Log(parse.GetRequiredValue(path), parse.GetValue(contains), Console.Out, Console.Error));
        return new Command("device", "Emulated devices' artifacts and DM trees") { log, CreateTree() };
    }

    private static Command CreateTree()
    {
        var path = new Argument<string>("PATH") { Description = "The node to start at (./Vendor/MSFT is ./Device/Vendor/MSFT)", DefaultValueFactory = _ => "." };
        var profile = new Option<string>("--profile") { Description = "The emulated device.", DefaultValueFactory = _ => "win10-mobile-1703" };
        profile.AcceptOnlyFromAmong([.. SendCommand.Profiles.Keys]);
        var seed = new Option<int>("--seed") { Description = "Seed of the device's random values: same seed, same device.", DefaultValueFactory = _ => 1 };
        var deviceSpec = new DeviceSpecOption();
        var tree = new Command("tree", """
            Print the emulated phone's DM tree right after it is built, one node per line as Get ?list=Struct would
            list it (the node URI, then its format, and the value of a leaf that has one).

            Examples:
              deviceagent device tree ./Vendor/MSFT
              deviceagent device tree --profile win10-mobile-1709 ./DevDetail
              deviceagent device tree --device-spec my-phone.yaml ./Vendor/MSFT/DeviceStatus
            """)
        { path, profile, seed };
        deviceSpec.AddTo(tree);
        tree.SetAction((parse, cancellationToken) => deviceSpec.Resolve(parse, parse.InvocationConfiguration.Error) is not { } spec
            ? Task.FromResult(2)
            : TreeAsync(parse.GetValue(profile)!, spec, parse.GetValue(seed), parse.GetValue(path)!,
                parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancellationToken));
        return tree;
    }

    internal static async Task<int> TreeAsync(string profileName, PhoneSpec spec, int seed, string path, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (!DmUri.TryParse(path, out var segments, out var problem))
        {
            error.WriteLine($"{path}: not a DM URI ({problem})");
            return 2;
        }

        var random = new Random(seed);
        var device = await StandardDevice.CreateAsync(SendCommand.Profiles[profileName](spec, random), random, cancellationToken: cancellationToken).ConfigureAwait(false);
        var lines = device.Tree.Read(tree =>
        {
            var lookup = tree.Lookup(segments);
            if (lookup.Node is not { } start)
            {
                return null;
            }

            var list = new List<string>();
            Append(start, list);
            return list;
        });
        if (lines is null)
        {
            error.WriteLine($"{path}: the {profileName} phone has no such node (a Get answers 404)");
            return 1;
        }

        foreach (var line in lines)
        {
            output.WriteLine(line);
        }

        return 0;

        static void Append(DmNode node, List<string> lines)
        {
            var format = DdfLoader.FormatName(node.Schema.Format);
            lines.Add(node.Value is null ? $"{node.Path} ({format})" : $"{node.Path} ({format}) = {node.Value}");
            foreach (var child in node.Children)
            {
                Append(child, lines);
            }
        }
    }

    internal static int Log(string path, string? contains, TextWriter output, TextWriter error)
    {
        var file = Directory.Exists(path) ? Path.Combine(path, EmulatedDevice.EventLogFileName) : path;
        if (!File.Exists(file))
        {
            error.WriteLine($"no NGC event log at {Path.GetFullPath(file)}");
            return 2;
        }

        var shown = 0;
        foreach (var line in File.ReadLines(file))
        {
            if (contains is null || line.Contains(contains, StringComparison.Ordinal))
            {
                output.WriteLine(line);
                shown++;
            }
        }

        return contains is null || shown > 0 ? 0 : 1;
    }
}

using System.CommandLine;
using DeviceAgent.Emulator.Devices;

namespace DeviceAgent.Cli.Commands;

/// <summary>`deviceagent device log PATH [--contains TEXT]`: prints a device's NGC event log from its artifact folder.</summary>
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
        return new Command("device", "Emulated devices' artifacts") { log };
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

using System.CommandLine;
using DeviceAgent.Emulator.Demo;
using DeviceAgent.Emulator.Traces;
using Spectre.Console;

namespace DeviceAgent.Cli.Commands;

/// <summary>`deviceagent demo [--seed N] [--verbose]`: the end-to-end PIN reset story against an embedded mock MDM (docs/emulator.md "Demo").</summary>
internal static class DemoCommands
{
    public static Command Create()
    {
        var seed = new Option<int>("--seed") { Description = "Run seed: same seed, same devices, PINs and IDs", DefaultValueFactory = _ => new DemoOptions().Seed };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Show every SyncML message the devices exchange" };
        var demo = new Command("demo", """
            Run the PIN reset story end to end: an embedded mock MDM on 127.0.0.1 (mutual TLS), a tenant that consents
            both PIN reset apps, an EnablePinRecovery profile, and emulated phones whose PINs an admin resets. Exit code 0
            only if everything went as the story says.

            Examples:
              deviceagent demo
              deviceagent demo --verbose --seed 42
            """)
        { seed, verbose };
        demo.SetAction((parse, cancellationToken) => RunAsync(
            new DemoOptions { Seed = parse.GetValue(seed), Verbose = parse.GetValue(verbose) },
            UseSpectre() ? new SpectreNarrator(AnsiConsole.Console) : new PlainNarrator(Console.Out),
            cancellationToken));
        return demo;
    }

    internal static async Task<int> RunAsync(DemoOptions options, IDemoNarrator narrator, CancellationToken cancellationToken)
    {
        var ok = await new DemoStory(narrator, options).RunAsync(cancellationToken).ConfigureAwait(false);
        return ok ? 0 : 1;
    }

    /// <summary>Markup on an interactive terminal; plain lines when output is redirected or CI=true.</summary>
    internal static bool UseSpectre() =>
        !Console.IsOutputRedirected && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
}

/// <summary>The demo as plain lines (CI logs, redirected output, tests).</summary>
internal sealed class PlainNarrator(TextWriter output) : IDemoNarrator
{
    public void Chapter(string title)
    {
        output.WriteLine();
        output.WriteLine($"== {title}");
    }

    public void Say(string text) => output.WriteLine($"   {text}");

    public void Good(string text) => output.WriteLine($"   [ok] {text}");

    public void Bad(string text) => output.WriteLine($"   [FAILED] {text}");

    public void Quote(string text) => output.WriteLine($"      > {text}");

    public void SyncML(string device, TraceDirection direction, string summary, string xml)
    {
        output.WriteLine($"      {device} {summary.TrimEnd().Replace("\n", "\n      ", StringComparison.Ordinal)}");
        output.WriteLine("      " + xml.Replace("\n", "\n      ", StringComparison.Ordinal));
    }
}

/// <summary>The demo with Spectre.Console markup on a terminal.</summary>
internal sealed class SpectreNarrator(IAnsiConsole console) : IDemoNarrator
{
    public void Chapter(string title) => console.Write(new Rule($"[bold]{Markup.Escape(title)}[/]") { Justification = Justify.Left });

    public void Say(string text) => console.MarkupLine($"  {Markup.Escape(text)}");

    public void Good(string text) => console.MarkupLine($"  [green]✔ {Markup.Escape(text)}[/]");

    public void Bad(string text) => console.MarkupLine($"  [red bold]✘ {Markup.Escape(text)}[/]");

    public void Quote(string text) => console.MarkupLine($"    [yellow]{Markup.Escape(text)}[/]");

    public void SyncML(string device, TraceDirection direction, string summary, string xml)
    {
        var color = direction == TraceDirection.DeviceToServer ? "blue" : "magenta";
        console.MarkupLine($"    [{color}]{Markup.Escape(device)} {Markup.Escape(summary.TrimEnd())}[/]");
        console.MarkupLine($"[grey]{Markup.Escape(xml)}[/]");
    }
}

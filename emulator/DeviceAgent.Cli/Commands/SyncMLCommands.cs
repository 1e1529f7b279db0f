using System.CommandLine;
using DeviceAgent.SyncML;

namespace DeviceAgent.Cli.Commands;

/// <summary>`deviceagent syncml check|format`: the SyncML codec as a tool for files (docs/syncml.md).</summary>
internal static class SyncMLCommands
{
    public static Command Create()
    {
        var group = new Command("syncml", "Check and format SyncML 1.2 DM files (messages, bare SyncBody or command fragments), XML or WBXML (told apart by their first byte).");
        group.Subcommands.Add(CreateCheck());
        group.Subcommands.Add(CreateFormat());
        return group;
    }

    private static Option<bool> AllowUndeclaredPrefixesOption() =>
        new("--allow-undeclared-prefixes") { Description = "Accept prefixes such as A: that no xmlns:A declares (Fleet samples)." };

    private static Command CreateCheck()
    {
        var files = new Argument<FileInfo[]>("FILE") { Arity = ArgumentArity.OneOrMore, Description = "Files to parse." };
        var lenient = AllowUndeclaredPrefixesOption();
        var check = new Command("check", "Parse each file (XML or WBXML); print one line per file, 'OK' or 'ERROR line:col message' " +
                                           "('ERROR byte N message' for WBXML); exit 1 if any failed.")
        {
            files,
            lenient,
        };
        check.SetAction(parse =>
        {
            TextWriter output = parse.InvocationConfiguration.Output;
            var options = new SyncMLReaderOptions { AllowUndeclaredPrefixes = parse.GetValue(lenient) };
            bool failed = false;
            foreach (FileInfo file in parse.GetValue(files) ?? [])
            {
                string? error = TryRead(file, options, out _);
                failed |= error is not null;
                output.WriteLine($"{file.FullName}: {error ?? "OK"}");
            }

            return failed ? 1 : 0;
        });
        return check;
    }

    private static Command CreateFormat()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "The file to format." };
        var compact = new Option<bool>("--compact") { Description = "Write the compact wire form (no indentation), as Windows sends it." };
        var wbxml = new Option<bool>("--wbxml") { Description = "Write WBXML (binary, SyncML 1.2 public identifier) instead of XML; needs --output." };
        var outputFile = new Option<string?>("--output", "-o")
        {
            Description = "Write to this file instead of standard output ('-' is standard output, refused for WBXML when it is a terminal).",
        };
        var lenient = AllowUndeclaredPrefixesOption();
        var format = new Command("format", "Print the canonical form: DTD element order, metinf namespaces, trimmed LocURIs. " +
                                           "A bare SyncBody is printed as a message without SyncHdr; a command fragment as its commands " +
                                           "(in WBXML, which has one root, as a message without SyncHdr). Reads XML or WBXML.")
        {
            file,
            compact,
            wbxml,
            outputFile,
            lenient,
        };
        format.SetAction(parse =>
        {
            var options = new SyncMLReaderOptions { AllowUndeclaredPrefixes = parse.GetValue(lenient) };
            FileInfo input = parse.GetValue(file)!;
            string? target = parse.GetValue(outputFile);
            TextWriter errors = parse.InvocationConfiguration.Error;
            if (parse.GetValue(wbxml) && (target is null || (target == "-" && !Console.IsOutputRedirected)))
            {
                errors.WriteLine("format --wbxml writes binary: give --output FILE (or '--output -' with standard output redirected, not a terminal)");
                return 2;
            }

            string? error = TryRead(input, options, out SyncMLFragment? fragment);
            if (error is not null)
            {
                errors.WriteLine($"{input.FullName}: {error}");
                return 1;
            }

            if (parse.GetValue(wbxml))
            {
                byte[] bytes = SyncMLWbxml.ToBytes(fragment!.Message);
                if (target == "-")
                {
                    using Stream stdout = Console.OpenStandardOutput();
                    stdout.Write(bytes);
                }
                else
                {
                    File.WriteAllBytes(target!, bytes);
                }

                return 0;
            }

            bool indented = !parse.GetValue(compact);
            using var fileWriter = target is null or "-" ? null : new StreamWriter(target, append: false, new System.Text.UTF8Encoding(false));
            TextWriter output = (TextWriter?)fileWriter ?? parse.InvocationConfiguration.Output;
            if (fragment!.Kind == SyncMLDocumentKind.Commands)
            {
                foreach (SyncMLCommand command in fragment.Message.SyncBody.Commands) output.WriteLine(SyncMLWriter.ToXml(command, indented));
                if (fragment.Message.SyncBody.Final) output.WriteLine("<Final/>");
            }
            else
            {
                output.WriteLine(SyncMLWriter.ToXml(fragment.Message, indented));
            }

            return 0;
        });
        return format;
    }

    /// <summary>Reads a file; returns null on success or the one-line error to print.</summary>
    private static string? TryRead(FileInfo file, SyncMLReaderOptions options, out SyncMLFragment? fragment)
    {
        fragment = null;
        byte[] bytes;
        try
        {
            // Checked before reading so a huge file is refused without loading it; same wording as the reader's limit.
            if (file.Exists && file.Length > options.MaxMessageBytes)
            {
                return $"ERROR 1:1 the message is {file.Length} bytes; the limit is {options.MaxMessageBytes} (SyncMLReaderOptions.MaxMessageBytes)";
            }

            bytes = File.ReadAllBytes(file.FullName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"ERROR cannot read the file: {e.Message}";
        }

        try
        {
            fragment = SyncMLWbxml.DetectEncoding(bytes) == SyncMLEncoding.Wbxml
                ? SyncMLWbxml.ReadFragment(bytes, options)
                : SyncMLReader.ReadFragment(bytes, options);
            return null;
        }
        catch (SyncMLFormatException e)
        {
            return $"ERROR {e.Where} {e.Reason}";
        }
    }
}

using System.CommandLine;
using System.Globalization;
using DeviceAgent.Csp;
using DeviceAgent.Dm;
using DeviceAgent.Protocol;
using DeviceAgent.Session;
using DeviceAgent.SyncML;

namespace DeviceAgent.Cli.Commands;

/// <summary>
/// `deviceagent send --profile win10-mobile-1703 FILE`: feeds one server message to an emulated device right after its
/// package 1 and prints the device's reply (docs/session.md "deviceagent send").
/// </summary>
internal static class SendCommand
{
    /// <summary>The SyncHdr Source the tool supplies when FILE has no SyncHdr.</summary>
    public const string DefaultServerUrl = "https://mdm.example.test/ManagementServer/MDM.svc";

    /// <summary>The phones the tools emulate, by --profile name (docs/csp-coverage.md).</summary>
    internal static readonly Dictionary<string, Func<PhoneSpec, Random, DeviceProfile>> Profiles = new(StringComparer.Ordinal)
    {
        ["win10-mobile-1703"] = (spec, random) => spec.CreateProfile(random),
        ["win10-mobile-1709"] = (spec, random) => DeviceProfiles.AsWin10Mobile1709(spec.CreateProfile(random)),
    };

    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "A SyncML message, a bare SyncBody, or a list of commands (documentation samples)." };
        var profile = new Option<string>("--profile")
        {
            Description = "The emulated device.",
            DefaultValueFactory = _ => "win10-mobile-1703",
        };
        profile.AcceptOnlyFromAmong([.. Profiles.Keys]);
        var seed = new Option<int>("--seed") { Description = "Seed of the device's random values (DevId, IMEI ...): same seed, same device.", DefaultValueFactory = _ => 1 };
        var serverUrl = new Option<string>("--server-url") { Description = "Server URL the device's session talks to when FILE has no SyncHdr Source.", DefaultValueFactory = _ => DefaultServerUrl };
        var lenient = new Option<bool>("--allow-undeclared-prefixes") { Description = "Accept prefixes such as A: that no xmlns:A declares (Fleet samples)." };
        var log = new Option<bool>("--log") { Description = "After the reply, print the device's NGC event log (every Windows Hello operation and its outcome)." };
        var deviceSpec = new DeviceSpecOption();
        var send = new Command("send", "Feed one server message to an emulated device right after its package 1 and print the device's reply message (SyncML) on stdout.")
        {
            file,
            profile,
            seed,
            serverUrl,
            lenient,
            log,
        };
        deviceSpec.AddTo(send);
        send.Description += """


            Examples:
              deviceagent send tests/corpus/syncml/ms-learn-docs/remotelock_sequence_lockandresetpin_get_newpin_fragment.xml --log
              deviceagent send --seed 7 server-package.xml
              deviceagent send --device-spec my-phone.yaml tests/corpus/syncml/inventory/inventory.xml
            """;
        send.SetAction((parse, cancellationToken) => deviceSpec.Resolve(parse, parse.InvocationConfiguration.Error) is not { } spec ? Task.FromResult(2) : RunAsync(
            parse.GetValue(file)!,
            parse.GetValue(profile)!,
            spec,
            parse.GetValue(seed),
            parse.GetValue(serverUrl)!,
            new SyncMLReaderOptions { AllowUndeclaredPrefixes = parse.GetValue(lenient) },
            parse.GetValue(log),
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error,
            cancellationToken));
        return send;
    }

    internal static async Task<int> RunAsync(FileInfo file, string profileName, PhoneSpec spec, int seed, string serverUrl, SyncMLReaderOptions readerOptions, bool printLog,
        TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var fragment = Read(file, readerOptions, out var readError);
        if (fragment is null)
        {
            error.WriteLine($"{file.FullName}: ERROR {readError}");
            return 1;
        }

        // The whole standard device: DM tree, DevInfo/DevDetail/DMClient, PassportForWork and RemoteLock over Windows
        // Hello provisioned with a PIN that meets the default policy (profile win10-mobile-1703).
        var random = new Random(seed);
        var device = await StandardDevice.CreateAsync(Profiles[profileName](spec, random), random, cancellationToken: cancellationToken).ConfigureAwait(false);
        var executor = device.Executor;
        var identity = DmDeviceIdentity.FromProfile(device.Profile);

        var serverMessage = fragment.Message;
        var header = serverMessage.SyncHdr;
        var sessionId = string.IsNullOrWhiteSpace(header?.SessionID) ? "1" : header.SessionID;
        var serverLocUri = string.IsNullOrWhiteSpace(header?.Source?.LocURI) ? serverUrl : header.Source.LocURI;
        var session = new DmSession(sessionId, serverLocUri, identity, executor);
        session.StartPackage1(DmSessionTrigger.ClientInitiated);
        SupplyMissingParts(fragment, sessionId, identity.DevId, serverLocUri);

        SyncMLMessage? reply;
        try
        {
            reply = await session.ReceiveAsync(serverMessage, cancellationToken).ConfigureAwait(false);
        }
        catch (DmProtocolException e)
        {
            error.WriteLine($"{file.FullName}: ERROR {e.Message}");
            return 1;
        }

        if (reply is null)
        {
            error.WriteLine($"{file.FullName}: the device sends no reply ({session.State}): {session.EndReason}");
        }
        else
        {
            output.WriteLine(SyncMLWriter.ToXml(reply, indented: true));
        }

        if (printLog)
        {
            output.WriteLine($"<!-- NGC event log ({device.Hello.EventLog.Events.Count} events) -->");
            device.Hello.EventLog.WriteTo(output);
        }

        return 0;
    }

    // The tool plays the server: it supplies the session's SyncHdr where FILE lacks it or parts of it, and for a
    // fragment (a SyncBody or commands, as documentation prints them) it also numbers commands and closes the package.
    private static void SupplyMissingParts(SyncMLFragment fragment, string sessionId, string devId, string serverLocUri)
    {
        var message = fragment.Message;
        var header = message.SyncHdr ??= new SyncHdr();
        header.SessionID = sessionId;
        if (string.IsNullOrWhiteSpace(header.MsgID))
        {
            header.MsgID = "1";
        }

        header.Target ??= new LocationElement(devId);
        header.Source ??= new LocationElement(serverLocUri);
        if (fragment.Kind == SyncMLDocumentKind.Message)
        {
            return;
        }

        message.SyncBody.Final = true;
        var next = AllCommands(message.SyncBody.Commands)
            .Select(c => int.TryParse(c.CmdID, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0)
            .DefaultIfEmpty(0)
            .Max();
        foreach (var command in AllCommands(message.SyncBody.Commands).Where(c => string.IsNullOrWhiteSpace(c.CmdID)))
        {
            command.CmdID = (++next).ToString(CultureInfo.InvariantCulture);
        }
    }

    private static IEnumerable<SyncMLCommand> AllCommands(IEnumerable<SyncMLCommand> commands) =>
        commands.SelectMany(c => c is ContainerCommand container ? AllCommands(container.Commands).Prepend(c) : [c]);

    private static SyncMLFragment? Read(FileInfo file, SyncMLReaderOptions options, out string? error)
    {
        error = null;
        byte[] bytes;
        try
        {
            if (file.Exists && file.Length > options.MaxMessageBytes)
            {
                error = $"1:1 the message is {file.Length} bytes; the limit is {options.MaxMessageBytes} (SyncMLReaderOptions.MaxMessageBytes)";
                return null;
            }

            bytes = File.ReadAllBytes(file.FullName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = $"cannot read the file: {e.Message}";
            return null;
        }

        try
        {
            return SyncMLReader.ReadFragment(bytes, options);
        }
        catch (SyncMLFormatException e)
        {
            error = $"{e.Line}:{e.Column} {e.Reason}";
            return null;
        }
    }
}

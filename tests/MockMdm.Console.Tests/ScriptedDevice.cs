using System.Globalization;
using System.Net.Http.Headers;
using DeviceAgent.Enrollment;
using DeviceAgent.SyncML;
using Microsoft.Extensions.DependencyInjection;
using MockMdm.Enrollment;
using MockMdm.Store;

namespace MockMdm.Console.Tests;

/// <summary>
/// A phone for the console tests until the emulator branch lands (then these tests switch to it): it enrolls through
/// the real MS-MDE2 client and speaks real SyncML, but it is no device: no DM tree, no NGC, no PIN reset service. It answers each server command with the status a
/// Windows 10 Mobile 1703 device gives in the documented cases the console must show (protocol.md 4.1): LockAndRecoverPIN
/// fails with 500 when EnablePinRecovery is not set or when the PIN policy asks for more than the 6 characters the PIN
/// reset service generates; otherwise NewPINValue returns a 6-digit PIN once.
/// </summary>
internal sealed class ScriptedDevice
{
    private const string PassportPolicies = "/Policies/";
    private readonly Dictionary<string, string> _settings = new(StringComparer.Ordinal);
    private readonly Random _random;
    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private int _sessions;
    private string? _newPinValue;

    private ScriptedDevice(HttpClient http, Uri endpoint, DeviceRecord record, int seed)
    {
        _http = http;
        _endpoint = endpoint;
        Record = record;
        _random = new Random(seed);
    }

    public DeviceRecord Record { get; }
    public string Id => Record.Id;
    public string DevId => Record.EnrollmentDeviceId;

    /// <summary>Enrolls through the real MS-MDE2 client (DeviceAgent.Enrollment) over loopback sockets.</summary>
    public static async Task<ScriptedDevice> EnrollAsync(ConsoleServer server, HttpClient http, string upn, string name, JoinType join,
        string deviceType = DevicePlatform.WindowsPhone, string osVersion = "10.0.15063.0")
    {
        using var handler = new HttpClientHandler();
        var enrollment = await new EnrollmentClient(handler).EnrollAsync(new EnrollmentRequest
        {
            DiscoveryUrl = new Uri(server.BaseAddress, "EnrollmentServer/Discovery.svc"),
            UserPrincipalName = upn,
            DeviceId = "DEV-" + name.ToUpperInvariant(),
            DeviceType = deviceType,
            OsVersion = osVersion,
            DeviceName = name,
            AuthenticationQuery = join == JoinType.AzureADJoined
                ? new Dictionary<string, string> { ["join"] = "AzureADJoined" }
                : new Dictionary<string, string>(),
        }).ConfigureAwait(false);
        var record = server.App.Services.GetRequiredService<IMdmStore>()
            .Read(v => v.List<DeviceRecord>().Single(d => d.EnrollmentDeviceId == "DEV-" + name.ToUpperInvariant()));
        return new ScriptedDevice(http, enrollment.ManagementServerUrl, record, name.Sum(c => c));
    }

    /// <summary>One client-initiated session (Alert 1201) run until the server sends only statuses.</summary>
    public async Task CheckInAsync()
    {
        var sessionId = (++_sessions).ToString("X", CultureInfo.InvariantCulture);
        var outgoing = new List<SyncMLCommand> { new Alert { Data = AlertCodes.ClientInitiatedMgmt.ToString(CultureInfo.InvariantCulture) } };
        var devInfo = new Replace();
        foreach (var (uri, value) in new[] { ("./DevInfo/DevId", DevId), ("./DevInfo/Man", "Contoso"), ("./DevInfo/Mod", "Lumia 950"), ("./DevInfo/DmV", "1.3"), ("./DevInfo/Lang", "en-US") })
        {
            devInfo.Items.Add(new Item { Source = new LocationElement(uri), Data = new Data(value) });
        }

        outgoing.Add(devInfo);
        for (var msgId = 1; msgId <= 20; msgId++)
        {
            var reply = await ExchangeAsync(sessionId, msgId, outgoing).ConfigureAwait(false);
            var hdr = reply.SyncHdr!;
            outgoing = [new Status { MsgRef = hdr.MsgID, CmdRef = "0", Cmd = SyncMLNames.SyncHdr, Data = "200" }];
            var commands = reply.SyncBody.Commands.Where(c => c is not Status).ToList();
            if (commands.Count == 0)
            {
                return;
            }

            foreach (var command in commands)
            {
                Answer(command, hdr.MsgID!, outgoing, failedBefore: false);
            }
        }

        throw new InvalidOperationException("the server kept sending commands for 20 messages");
    }

    private async Task<SyncMLMessage> ExchangeAsync(string sessionId, int msgId, List<SyncMLCommand> commands)
    {
        var message = new SyncMLMessage
        {
            SyncHdr = new SyncHdr
            {
                SessionID = sessionId,
                MsgID = msgId.ToString(CultureInfo.InvariantCulture),
                Target = new LocationElement(_endpoint.ToString()),
                Source = new LocationElement(DevId),
            },
        };
        var cmdId = 1;
        foreach (var command in commands)
        {
            command.CmdID = (cmdId++).ToString(CultureInfo.InvariantCulture);
            message.SyncBody.Commands.Add(command);
        }

        message.SyncBody.Final = true;
        using var content = new ByteArrayContent(SyncMLWriter.ToBytes(message));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.syncml.dm+xml");
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = content };
        using var response = await _http.SendAsync(request).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"the OMA-DM endpoint answered {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(bytes)}");
        }

        return SyncMLReader.ReadMessage(bytes);
    }

    /// <summary>Adds the Status (and any Results) for one server command; returns whether it failed.</summary>
    private bool Answer(SyncMLCommand command, string msgRef, List<SyncMLCommand> outgoing, bool failedBefore)
    {
        int code;
        if (failedBefore)
        {
            code = StatusCodes.NotExecuted;
        }
        else
        {
            switch (command)
            {
                case Sequence sequence:
                    outgoing.Add(StatusOf(command, msgRef, StatusCodes.Ok));
                    var failed = false;
                    foreach (var child in sequence.Commands)
                    {
                        failed |= Answer(child, msgRef, outgoing, failed);
                    }

                    return failed;
                case Add or Replace:
                    foreach (var item in ((ItemCommand)command).Items)
                    {
                        _settings[item.Target?.LocURI ?? ""] = item.Data?.Value ?? "";
                    }

                    code = StatusCodes.Ok;
                    break;
                case Get get:
                    code = AnswerGet(get, msgRef, outgoing);
                    break;
                case Exec exec:
                    code = Execute(exec.Items.FirstOrDefault()?.Target?.LocURI ?? "");
                    break;
                default:
                    code = StatusCodes.CommandNotAllowed;
                    break;
            }
        }

        outgoing.Add(StatusOf(command, msgRef, code));
        return code != StatusCodes.Ok;
    }

    private int AnswerGet(Get get, string msgRef, List<SyncMLCommand> outgoing)
    {
        var uri = get.Items.FirstOrDefault()?.Target?.LocURI ?? "";
        if (get.Items.Count != 1 || !uri.EndsWith("/RemoteLock/NewPINValue", StringComparison.Ordinal))
        {
            return StatusCodes.NotFound; // no DM tree behind this stand-in
        }

        // NewPINValue reads once, then is empty (ErrorHelpPages explains the empty case).
        var results = new Results { MsgRef = msgRef, CmdRef = get.CmdID };
        results.Items.Add(new Item { Source = new LocationElement(uri), Data = new Data(_newPinValue ?? "") });
        outgoing.Add(results);
        _newPinValue = null;
        return StatusCodes.Ok;
    }

    private int Execute(string uri)
    {
        var minimumLength = int.TryParse(Setting("PINComplexity/MinimumPINLength"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 4;
        if (uri.EndsWith("/LockAndRecoverPIN", StringComparison.Ordinal))
        {
            // The PIN reset service makes a 6-character PIN; a longer minimum rejects it (design.md rule 7).
            if (!string.Equals(Setting("EnablePinRecovery"), "true", StringComparison.OrdinalIgnoreCase) || minimumLength > 6)
            {
                return StatusCodes.CommandFailed;
            }

            _newPinValue = Digits(6);
            return StatusCodes.Ok;
        }

        if (uri.EndsWith("/LockAndResetPIN", StringComparison.Ordinal))
        {
            _newPinValue = Digits(Math.Max(minimumLength, 6));
            return StatusCodes.Ok;
        }

        return uri.EndsWith("/RemoteLock/Lock", StringComparison.Ordinal) ? StatusCodes.Ok : StatusCodes.NotFound;
    }

    private string? Setting(string policy) =>
        _settings.FirstOrDefault(s => s.Key.Contains("/PassportForWork/", StringComparison.Ordinal)
                                      && s.Key.EndsWith(PassportPolicies + policy, StringComparison.Ordinal)).Value;

    private string Digits(int count) => string.Concat(Enumerable.Range(0, count).Select(_ => (char)('0' + _random.Next(10))));

    private static Status StatusOf(SyncMLCommand command, string msgRef, int code) => new()
    {
        MsgRef = msgRef,
        CmdRef = command.CmdID,
        Cmd = command.Name,
        Data = code.ToString(CultureInfo.InvariantCulture),
    };
}

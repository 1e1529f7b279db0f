using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Threading.Channels;
using DeviceAgent.Session;
using DeviceAgent.SyncML;

namespace DeviceAgent.Tests.Session;

/// <summary>
/// A scripted fake DM server in the spirit of Npgsql's PgServerMock: the test awaits each message the device POSTs,
/// checks it, and states the server's answer. It is the HttpMessageHandler the DmClient under test talks through.
/// </summary>
internal sealed class ScriptedDmServer : HttpMessageHandler
{
    private readonly Channel<DmServerRequest> _requests = Channel.CreateUnbounded<DmServerRequest>();
    private Task<DmSessionResult>? _session;
    private int _msgId;

    public ScriptedDmServer(string serverUrl = "https://mdm.example.test/omadm/windows.ashx") => ServerUrl = serverUrl;

    public string ServerUrl { get; }

    /// <summary>Starts watching a running session so that expectations fail (instead of hanging) when it ends early.</summary>
    public Task<DmSessionResult> Watch(Task<DmSessionResult> session) => _session = session;

    /// <summary>Waits for the device's next message; fails the test when the session ends without sending one.</summary>
    public async Task<DmServerRequest> ExpectMessageAsync()
    {
        var next = _requests.Reader.ReadAsync().AsTask();
        if (_session is not null && await Task.WhenAny(next, _session).ConfigureAwait(false) != next)
        {
            if (next.IsCompleted)
            {
                return await next.ConfigureAwait(false);
            }

            var result = await _session.ConfigureAwait(false);
            Assert.Fail($"The device sent no further message; its session ended {result.Outcome}: {result.Reason}");
        }

        return await next.ConfigureAwait(false);
    }

    /// <summary>Waits for the session to end and checks the device sent nothing more.</summary>
    public async Task<DmSessionResult> ExpectEndAsync()
    {
        Assert.That(_session, Is.Not.Null, "Watch the session first.");
        var result = await _session!.ConfigureAwait(false);
        Assert.That(_requests.Reader.TryRead(out var extra), Is.False, () => $"The device sent an unexpected message:\n{extra?.Xml}");
        return result;
    }

    /// <summary>True when the device has sent a message nobody has taken with <see cref="ExpectMessageAsync"/> yet.</summary>
    public bool HasUnreadMessage => _requests.Reader.TryPeek(out _);

    /// <summary>The next server MsgID (servers number their own messages from 1, docs/reference/omadm.md §2).</summary>
    public string NextMsgId() => (++_msgId).ToString(CultureInfo.InvariantCulture);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = await request.Content!.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        // NonValidated: the values exactly as the client set them (User-Agent is not re-split into product tokens).
        var headers = request.Headers.NonValidated.Concat(request.Content.Headers.NonValidated)
            .ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var pending = new DmServerRequest(this, request.RequestUri!, headers, body);
        await _requests.Writer.WriteAsync(pending, cancellationToken).ConfigureAwait(false);
        using (cancellationToken.Register(() => pending.Response.TrySetCanceled(cancellationToken)))
        {
            return await pending.Response.Task.ConfigureAwait(false);
        }
    }
}

/// <summary>One POST the device made: URL, headers, body and the parsed message; answer it with one of the Respond methods.</summary>
internal sealed class DmServerRequest(ScriptedDmServer server, Uri uri, IReadOnlyDictionary<string, string> headers, byte[] body)
{
    internal TaskCompletionSource<HttpResponseMessage> Response { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Uri Uri { get; } = uri;
    public IReadOnlyDictionary<string, string> Headers { get; } = headers;
    public byte[] Body { get; } = body;
    public SyncMLMessage Message { get; } = SyncMLWbxml.ReadAnyMessage(body);
    public string Xml => System.Text.Encoding.UTF8.GetString(SyncMLWbxml.DetectEncoding(Body) == SyncMLEncoding.Wbxml ? SyncMLWbxml.ToXml(Body) : Body);
    public SyncHdr Header => Message.SyncHdr!;
    public List<SyncMLCommand> Commands => Message.SyncBody.Commands;

    /// <summary>Starts the server's answer: a SyncHdr echoing the session, Target = device, Source = server URL.</summary>
    public ServerMessageBuilder Reply() => new(this, new SyncMLMessage
    {
        SyncHdr = new SyncHdr
        {
            SessionID = Header.SessionID,
            MsgID = server.NextMsgId(),
            Target = new LocationElement(Header.Source?.LocURI ?? ""),
            Source = new LocationElement(server.ServerUrl),
        },
    });

    public void Respond(SyncMLMessage message) => RespondBytes(SyncMLWriter.ToBytes(message));

    /// <summary>Answers in <paramref name="encoding"/> with its OMA DM media type.</summary>
    public void Respond(SyncMLMessage message, SyncMLEncoding encoding) =>
        RespondBytes(SyncMLWbxml.ToBytes(message, encoding), SyncMLMediaTypes.For(encoding));

    public void RespondBytes(byte[] bytes, string contentType = DmHttp.ContentType)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        Response.TrySetResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content });
    }

    public void RespondHttp(HttpResponseMessage response) => Response.TrySetResult(response);

    /// <summary>Fails the exchange as a broken connection would.</summary>
    public void FailConnection(string reason = "Connection refused (loopback test)") =>
        Response.TrySetException(new HttpRequestException(reason));
}

/// <summary>Builds a server message answering one device message.</summary>
internal sealed class ServerMessageBuilder(DmServerRequest request, SyncMLMessage message)
{
    private int _cmdId;

    public SyncMLMessage Message { get; } = message;

    /// <summary>Status for the device's SyncHdr (CmdRef 0, first in the body, docs/reference/omadm.md §8).</summary>
    public ServerMessageBuilder StatusForSyncHdr(int code = 200) => Add(new Status
    {
        MsgRef = request.Header.MsgID,
        CmdRef = "0",
        Cmd = SyncMLNames.SyncHdr,
        Data = code.ToString(CultureInfo.InvariantCulture),
    });

    /// <summary>A Status for every Alert, Replace and Results of the device's message (servers differ on Results; docs/reference/omadm.md §13 d).</summary>
    public ServerMessageBuilder StatusForCommands(int code = 200, bool includeResults = true)
    {
        foreach (var command in request.Commands.Where(c => c is not Status && (includeResults || c is not Results)))
        {
            Add(new Status
            {
                MsgRef = request.Header.MsgID,
                CmdRef = command.CmdID,
                Cmd = command.Name,
                Data = code.ToString(CultureInfo.InvariantCulture),
            });
        }

        return this;
    }

    public ServerMessageBuilder Add(SyncMLCommand command)
    {
        command.CmdID ??= (++_cmdId).ToString(CultureInfo.InvariantCulture);
        if (command is ContainerCommand container)
        {
            foreach (var inner in container.Commands)
            {
                inner.CmdID ??= (++_cmdId).ToString(CultureInfo.InvariantCulture);
            }
        }

        Message.SyncBody.Commands.Add(command);
        return this;
    }

    public ServerMessageBuilder Item<T>(string locUri, string? data = null, string? format = null)
        where T : ItemCommand, new()
    {
        var command = new T();
        command.Items.Add(new Item
        {
            Target = new LocationElement(locUri),
            Meta = format is null ? null : new Meta { Format = format },
            Data = data is null ? null : new Data(data),
        });
        return Add(command);
    }

    public ServerMessageBuilder Alert(int code) => Add(new Alert { Data = code.ToString(CultureInfo.InvariantCulture) });

    public ServerMessageBuilder Final(bool final = true)
    {
        Message.SyncBody.Final = final;
        return this;
    }

    public void Send() => request.Respond(Message);

    public void Send(SyncMLEncoding encoding) => request.Respond(Message, encoding);
}

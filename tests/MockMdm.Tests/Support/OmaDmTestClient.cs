using System.Text;
using DeviceAgent.SyncML;

namespace MockMdm.Tests.Support;

/// <summary>
/// A generic OMA-DM 1.2 client (not Windows): no certificate, no device token; it names itself by its Source and
/// authenticates with SyncHdr Cred or the x-syncml-hmac header, in XML or WBXML.
/// </summary>
public sealed class OmaDmTestClient(TestMdm mdm, string devId, SyncMLEncoding encoding = SyncMLEncoding.Xml)
{
    public const string ServerUrl = "http://mdm.test/ManagementServer/MDM.svc";

    private int _msgId;

    public string DevId { get; } = devId;
    public string SessionId { get; set; } = "1";

    /// <summary>The size in bytes of every message the server sent this client.</summary>
    public List<int> ReplySizes { get; } = [];

    /// <summary>The x-syncml-hmac header of the server's last reply, or null.</summary>
    public string? LastReplyHmac { get; private set; }

    /// <summary>A SyncHdr for the next message; <paramref name="headerExtra"/> is XML inserted after Source (Cred, Meta).</summary>
    public SyncMLMessage Message(string bodyXml, string headerExtra = "", string? locName = null, string ns = "SYNCML:SYNCML1.2", string verDtd = "1.2", bool final = true)
    {
        _msgId++;
        var name = locName is null ? "" : $"<LocName>{locName}</LocName>";
        var xml = $"<SyncML xmlns=\"{ns}\"><SyncHdr><VerDTD>{verDtd}</VerDTD><VerProto>DM/{verDtd}</VerProto><SessionID>{SessionId}</SessionID><MsgID>{_msgId}</MsgID>" +
                  $"<Target><LocURI>{ServerUrl}</LocURI></Target><Source><LocURI>{DevId}</LocURI>{name}</Source>{headerExtra}</SyncHdr>" +
                  $"<SyncBody>{bodyXml}{(final ? "<Final/>" : "")}</SyncBody></SyncML>";
        return SyncMLReader.ReadMessage(Encoding.UTF8.GetBytes(xml));
    }

    /// <summary>Package 1: Alert 1201 and DevInfo.</summary>
    public SyncMLMessage Package1(string headerExtra = "", string? locName = null)
    {
        _msgId = 0;
        return Message(
            $"<Alert><CmdID>1</CmdID><Data>1201</Data></Alert><Replace><CmdID>2</CmdID><Item><Source><LocURI>./DevInfo/DevId</LocURI></Source><Data>{DevId}</Data></Item>" +
            "<Item><Source><LocURI>./DevInfo/Man</LocURI></Source><Data>Generic</Data></Item></Replace>",
            headerExtra, locName);
    }

    /// <summary>Sends the message in the client's encoding; returns the server's answer (asserting HTTP 200 and the media type).</summary>
    public async Task<SyncMLMessage> SendAsync(SyncMLMessage message, Func<byte[], string>? hmac = null)
    {
        var bytes = SyncMLWbxml.ToBytes(message, encoding);
        var mediaType = encoding == SyncMLEncoding.Wbxml ? "application/vnd.syncml.dm+wbxml" : "application/vnd.syncml.dm+xml";
        var context = await mdm.Server.SendAsync(c =>
        {
            c.Request.Method = "POST";
            c.Request.Scheme = "http";
            c.Request.Host = new Microsoft.AspNetCore.Http.HostString("mdm.test");
            c.Request.Path = "/ManagementServer/MDM.svc";
            c.Request.ContentType = mediaType;
            if (hmac is not null)
            {
                c.Request.Headers["x-syncml-hmac"] = hmac(bytes);
            }

            c.Request.Body = new MemoryStream(bytes);
        }).ConfigureAwait(false);
        using var body = new MemoryStream();
        await context.Response.Body.CopyToAsync(body).ConfigureAwait(false);
        var reply = body.ToArray();
        Assert.That(context.Response.StatusCode, Is.EqualTo(200), Encoding.UTF8.GetString(reply));
        Assert.That(context.Response.ContentType, Is.EqualTo(mediaType));
        LastReplyHmac = context.Response.Headers["x-syncml-hmac"].ToString() is { Length: > 0 } h ? h : null;
        ReplySizes.Add(reply.Length);
        return encoding == SyncMLEncoding.Wbxml ? SyncMLWbxml.ReadMessage(reply) : SyncMLReader.ReadMessage(reply);
    }

    /// <summary>Statuses answering every command of the server's message with <paramref name="code"/> (the SyncHdr with 200).</summary>
    public static string Answer(SyncMLMessage reply, string code = "200")
    {
        var body = new StringBuilder();
        var id = 1;
        body.Append($"<Status><CmdID>{id++}</CmdID><MsgRef>{reply.SyncHdr!.MsgID}</MsgRef><CmdRef>0</CmdRef><Cmd>SyncHdr</Cmd><Data>200</Data></Status>");
        foreach (var command in reply.SyncBody.Commands.Where(c => c is not Status))
        {
            body.Append($"<Status><CmdID>{id++}</CmdID><MsgRef>{reply.SyncHdr.MsgID}</MsgRef><CmdRef>{command.CmdID}</CmdRef><Cmd>{command.Name}</Cmd><Data>{code}</Data></Status>");
        }

        return body.ToString();
    }

    /// <summary>The SyncHdr Status of a server reply.</summary>
    public static Status HeaderStatus(SyncMLMessage reply) =>
        reply.SyncBody.Commands.OfType<Status>().Single(s => s.CmdRef == "0");

    /// <summary>An auth-basic SyncHdr Cred.</summary>
    public static string BasicCred(string user, string password) =>
        $"<Cred><Meta><Format xmlns=\"syncml:metinf\">b64</Format><Type xmlns=\"syncml:metinf\">syncml:auth-basic</Type></Meta><Data>{Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password))}</Data></Cred>";
}

using System.Security.Cryptography.X509Certificates;
using System.Text;
using DeviceAgent.Enrollment;
using DeviceAgent.SyncML;
using Microsoft.AspNetCore.TestHost;

namespace MockMdm.Tests.Support;

/// <summary>A device driven by the test: it sends exactly the SyncML the test writes and returns the server's answer.</summary>
public sealed class ScriptedDevice(TestMdm mdm, EnrollmentResult enrollment, string devId = "DEV-0001")
{
    private int _msgId;

    public string DevId { get; } = devId;
    public string SessionId { get; set; } = "1";
    public EnrollmentResult Enrollment { get; } = enrollment;

    /// <summary>When set, the device authenticates by this client certificate (mutual TLS) instead of the ADDR token.</summary>
    public X509Certificate2? ClientCertificate { get; set; }

    /// <summary>The server's last message, as text.</summary>
    public string LastReply { get; private set; } = "";

    /// <summary>Starts a session with package 1 (Alert 1201 or 1200, LoginStatus, DevInfo Replace).</summary>
    public Task<SyncMLMessage> StartSessionAsync(string alert = "1201")
    {
        _msgId = 0;
        return SendBodyAsync(
            $"""
            <Alert><CmdID>1</CmdID><Data>{alert}</Data></Alert>
            <Alert><CmdID>2</CmdID><Data>1224</Data><Item><Meta><Type xmlns="syncml:metinf">com.microsoft/MDM/LoginStatus</Type><Format xmlns="syncml:metinf">chr</Format></Meta><Data>user</Data></Item></Alert>
            <Replace><CmdID>3</CmdID>
            <Item><Source><LocURI>./DevInfo/DevId</LocURI></Source><Data>{DevId}</Data></Item>
            <Item><Source><LocURI>./DevInfo/Man</LocURI></Source><Data>Contoso Mobile</Data></Item>
            <Item><Source><LocURI>./DevInfo/Mod</LocURI></Source><Data>Lumia 950</Data></Item>
            <Item><Source><LocURI>./DevInfo/DmV</LocURI></Source><Data>1.3</Data></Item>
            <Item><Source><LocURI>./DevInfo/Lang</LocURI></Source><Data>en-US</Data></Item>
            </Replace>
            """);
    }

    /// <summary>Starts numbering messages from 1 again (a new session).</summary>
    public void ResetMessages() => _msgId = 0;

    /// <summary>Sends a message whose SyncBody holds <paramref name="commandsXml"/> and Final.</summary>
    public async Task<SyncMLMessage> SendBodyAsync(string commandsXml)
    {
        var response = await PostAsync(Message(commandsXml)).ConfigureAwait(false);
        Assert.That((int)response.Status, Is.EqualTo(200), response.Body);
        LastReply = response.Body;
        return SyncMLReader.ReadMessage(Encoding.UTF8.GetBytes(response.Body));
    }

    /// <summary>The whole message text the device would send.</summary>
    public string Message(string commandsXml)
    {
        _msgId++;
        return $"""
            <SyncML xmlns="SYNCML:SYNCML1.2"><SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto><SessionID>{SessionId}</SessionID><MsgID>{_msgId}</MsgID><Target><LocURI>{Enrollment.ManagementServerUrl}</LocURI></Target><Source><LocURI>{DevId}</LocURI></Source></SyncHdr><SyncBody>{commandsXml}<Final/></SyncBody></SyncML>
            """;
    }

    /// <summary>POSTs raw bytes to the device's ADDR (or with its client certificate) and returns status and body.</summary>
    public async Task<(int Status, string Body)> PostAsync(string message)
    {
        var (status, body, _) = await PostAsync(Encoding.UTF8.GetBytes(message), "application/vnd.syncml.dm+xml").ConfigureAwait(false);
        return (status, Encoding.UTF8.GetString(body));
    }

    /// <summary>POSTs bytes with the given Content-Type (none when null); returns status, body and the answer's Content-Type.</summary>
    public async Task<(int Status, byte[] Body, string? ContentType)> PostAsync(byte[] bytes, string? contentType)
    {
        var url = Enrollment.ManagementServerUrl;
        var context = await mdm.Server.SendAsync(c =>
        {
            c.Request.Method = "POST";
            c.Request.Scheme = url.Scheme;
            c.Request.Host = new Microsoft.AspNetCore.Http.HostString(url.Authority);
            c.Request.Path = url.AbsolutePath;
            c.Request.QueryString = ClientCertificate is null ? new Microsoft.AspNetCore.Http.QueryString(url.Query) : default;
            c.Request.ContentType = contentType;
            c.Request.Body = new MemoryStream(bytes);
            c.Connection.ClientCertificate = ClientCertificate;
        }).ConfigureAwait(false);
        using var body = new MemoryStream();
        await context.Response.Body.CopyToAsync(body).ConfigureAwait(false);
        return (context.Response.StatusCode, body.ToArray(), context.Response.ContentType);
    }
}

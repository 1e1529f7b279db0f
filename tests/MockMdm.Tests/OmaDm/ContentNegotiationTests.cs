using System.Text;
using DeviceAgent.SyncML;
using MockMdm.Tests.Support;

namespace MockMdm.Tests.OmaDm;

/// <summary>The OMA-DM endpoint answers in the encoding and media type the device used, and refuses other types with 415.</summary>
public class ContentNegotiationTests
{
    private static string Package1(ScriptedDevice device) => device.Message(
        $"<Alert><CmdID>1</CmdID><Data>1201</Data></Alert>" +
        $"<Replace><CmdID>2</CmdID><Item><Source><LocURI>./DevInfo/DevId</LocURI></Source><Data>{device.DevId}</Data></Item></Replace>");

    [TestCase("application/vnd.syncml.dm+wbxml")]
    [TestCase("application/vnd.syncml+wbxml")]
    public async Task Wbxml_request_gets_a_wbxml_answer_of_the_same_media_type(string mediaType)
    {
        await using var mdm = await TestMdm.StartAsync();
        var device = new ScriptedDevice(mdm, await mdm.EnrollAsync());
        byte[] wbxml = SyncMLWbxml.ToBytes(SyncMLReader.ReadMessage(Encoding.UTF8.GetBytes(Package1(device))));

        var (status, body, contentType) = await device.PostAsync(wbxml, mediaType);

        Assert.That(status, Is.EqualTo(200), Encoding.UTF8.GetString(body));
        Assert.That(contentType, Is.EqualTo(mediaType));
        Assert.That(SyncMLWbxml.DetectEncoding(body), Is.EqualTo(SyncMLEncoding.Wbxml));
        SyncMLMessage reply = SyncMLWbxml.ReadMessage(body);
        var first = (Status)reply.SyncBody.Commands[0];
        Assert.That((first.Cmd, first.Data), Is.EqualTo(("SyncHdr", "200")));
        Assert.That(reply.SyncBody.Commands.OfType<Get>(), Is.Not.Empty, "the server carries on with its inventory Get as in XML");
    }

    [TestCase("application/vnd.syncml+xml")]
    [TestCase("application/vnd.syncml.dm+xml; charset=utf-8")]
    public async Task Xml_request_gets_an_xml_answer_of_the_same_media_type(string contentType)
    {
        await using var mdm = await TestMdm.StartAsync();
        var device = new ScriptedDevice(mdm, await mdm.EnrollAsync());

        var (status, body, answerType) = await device.PostAsync(Encoding.UTF8.GetBytes(Package1(device)), contentType);

        Assert.That(status, Is.EqualTo(200));
        Assert.That(answerType, Is.EqualTo(contentType.Split(';')[0]));
        Assert.That(SyncMLReader.ReadMessage(body).SyncBody.Commands, Is.Not.Empty);
    }

    [TestCase("text/xml")]
    [TestCase("application/octet-stream")]
    [TestCase(null)]
    public async Task Other_content_types_get_415_with_a_sentence(string? contentType)
    {
        await using var mdm = await TestMdm.StartAsync();
        var device = new ScriptedDevice(mdm, await mdm.EnrollAsync());

        var (status, body, _) = await device.PostAsync(Encoding.UTF8.GetBytes(Package1(device)), contentType);

        Assert.That(status, Is.EqualTo(415));
        Assert.That(Encoding.UTF8.GetString(body), Does.StartWith($"Content-Type '{contentType}' is not a SyncML DM type; send application/vnd.syncml.dm+xml"));
    }

    [Test]
    public async Task Malformed_wbxml_gets_400_with_the_byte_offset()
    {
        await using var mdm = await TestMdm.StartAsync();
        var device = new ScriptedDevice(mdm, await mdm.EnrollAsync());

        var (status, body, _) = await device.PostAsync([0x03, 0xA4, 0x01, 0x6A, 0x00, 0x6D, 0x6B, 0x7F], "application/vnd.syncml.dm+wbxml");

        Assert.That(status, Is.EqualTo(400));
        Assert.That(Encoding.UTF8.GetString(body), Is.EqualTo("malformed SyncML at byte 7: unknown tag token 0x7F on code page 0 (SyncML)"));
    }
}

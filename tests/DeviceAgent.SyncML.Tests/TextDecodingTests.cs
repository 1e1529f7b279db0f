using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace DeviceAgent.SyncML.Tests;

/// <summary>
/// The reader's character-data decoding (word-at-a-time runs, inline entities, CR normalisation, CDATA, non-ASCII) checked
/// against System.Xml on the same bytes: random content with runs long and short enough to cross every word boundary.
/// </summary>
public class TextDecodingTests
{
    private static readonly string[] s_pieces =
    [
        "&lt;", "&gt;", "&amp;", "&quot;", "&apos;", "&#65;", "&#x1F600;", "&#xD;", "\r\n", "\r", "\n", "\t", " ", "é", "日本", "😀",
        "<![CDATA[a&b\r\nc<d>]]>", "<![CDATA[]]>", "<!-- note -->", "=\"'", "%7B",
    ];

    [Test]
    public void Data_and_simple_values_decode_as_System_Xml_does([Values(0, 1, 2, 3)] int block)
    {
        for (int seed = block * 500; seed < block * 500 + 500; seed++)
        {
            var random = new Random(seed);
            string data = "x" + Content(random);
            string locUri = "./" + Content(random);
            string xml = "<SyncML xmlns=\"SYNCML:SYNCML1.2\"><SyncBody><Replace><CmdID>1</CmdID><Item><Target><LocURI>" + locUri +
                "</LocURI></Target><Data>" + data + "</Data></Item></Replace></SyncBody></SyncML>";
            byte[] bytes = Encoding.UTF8.GetBytes(xml);

            var expected = XDocument.Load(XmlReader.Create(new MemoryStream(bytes), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit }));
            XNamespace ns = "SYNCML:SYNCML1.2";
            string expectedData = expected.Descendants(ns + "Data").Single().Value;
            string expectedLocUri = expected.Descendants(ns + "LocURI").Single().Value.Trim(' ', '\t', '\r', '\n'); // XML white space, a CR from &#xD; included (docs/syncml.md)

            Item item = ((Replace)SyncMLReader.ReadMessage(bytes).SyncBody.Commands.Single()).Items.Single();
            Assert.That(item.Data!.Value, Is.EqualTo(expectedData), $"seed {seed}, Data in:\n{xml}");
            Assert.That(item.Target!.LocURI, Is.EqualTo(expectedLocUri), $"seed {seed}, LocURI in:\n{xml}");
        }
    }

    /// <summary>Pieces separated by ASCII runs of 0 to 40 bytes, so runs start and end at every offset of a word.</summary>
    private static string Content(Random random)
    {
        var sb = new StringBuilder();
        for (int n = random.Next(0, 10); n > 0; n--)
        {
            for (int run = random.Next(0, 41); run > 0; run--) sb.Append((char)random.Next('a', 'z' + 1));
            sb.Append(s_pieces[random.Next(s_pieces.Length)]);
        }

        return sb.ToString();
    }
}

namespace DeviceAgent.SyncML.Tests;

/// <summary>
/// SyncMLSizeMeter's promise (docs/syncml.md "Size accounting"): the message's bound plus its commands' bounds is never
/// below the real encoded size; exact in XML, at most the documented slack above it in WBXML. Checked on every corpus
/// message and on random models, whose unknown elements and attributes exercise WBXML's string table.
/// </summary>
public class SizeMeterTests
{
    private static IEnumerable<string> WellFormedCorpus() => Corpus.XmlFiles().Where(f => !Corpus.IsMalformed(f));

    private static void AssertBound(SyncMLMessage model, SyncMLEncoding encoding, string what)
    {
        var meter = new SyncMLSizeMeter(encoding, model.Namespace);
        var commands = model.SyncBody.Commands.ToList();
        var real = meter.Measure(model);
        model.SyncBody.Commands.Clear();
        var bound = meter.MessageBound(model);
        foreach (var command in commands)
        {
            bound += meter.CommandBound(command);
            model.SyncBody.Commands.Add(command);
        }

        if (encoding == SyncMLEncoding.Xml)
        {
            Assert.That(bound, Is.EqualTo(real), $"{what}: XML sizes add up exactly");
        }
        else
        {
            Assert.That(bound, Is.GreaterThanOrEqualTo(real), $"{what}: the WBXML bound is never below the real size");
        }
    }

    [TestCaseSource(nameof(WellFormedCorpus))]
    public void Corpus_messages_are_bounded_by_the_sum_of_their_parts(string file)
    {
        SyncMLMessage model = SyncMLReader.ReadFragment(Corpus.Read(file)).Message;
        AssertBound(model, SyncMLEncoding.Xml, file);
        AssertBound(model, SyncMLEncoding.Wbxml, file);
    }

    [Test]
    public void Random_models_are_bounded_by_the_sum_of_their_parts([Values(1, 2)] int block)
    {
        for (int seed = block * 1000; seed < block * 1000 + 200; seed++)
        {
            SyncMLMessage model = new RandomModel(new Random(seed)).Message();
            AssertBound(model, SyncMLEncoding.Xml, $"seed {seed}");
            AssertBound(model, SyncMLEncoding.Wbxml, $"seed {seed}");
        }
    }

    [Test]
    public void Wbxml_slack_is_a_few_bytes_for_plain_commands()
    {
        // 40 Gets, no string-table names: at most 2 bytes of page-switch slack per command, and per message 4 for the
        // string table's length prefix and 2 for Final's page switch.
        var message = new SyncMLMessage { SyncHdr = new SyncHdr { SessionID = "1", MsgID = "1", Target = new LocationElement("t"), Source = new LocationElement("s") } };
        var meter = new SyncMLSizeMeter(SyncMLEncoding.Wbxml);
        var bound = meter.MessageBound(message);
        for (var i = 1; i <= 40; i++)
        {
            var get = new Get { CmdID = i.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            get.Items.Add(new Item { Target = new LocationElement($"./Vendor/MSFT/Node{i}"), Meta = new Meta { Format = "chr" } });
            bound += meter.CommandBound(get);
            message.SyncBody.Commands.Add(get);
        }

        Assert.That(bound - meter.Measure(message), Is.InRange(0, (40 * 2) + 6));
    }
}

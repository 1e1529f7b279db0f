namespace DeviceAgent.SyncML.Tests;

/// <summary>Every corpus file: well-formed ones parse and survive write-then-read; malformed ones fail with a position.</summary>
public class CorpusRoundTripTests
{
    private static IEnumerable<string> WellFormed() => Corpus.XmlFiles().Where(f => !Corpus.IsMalformed(f));

    private static IEnumerable<string> Malformed() => Corpus.XmlFiles().Where(Corpus.IsMalformed);

    [Test]
    public void Corpus_is_found_and_has_both_kinds_of_file()
    {
        Assert.That(WellFormed().Count(), Is.GreaterThan(30));
        Assert.That(Malformed().Count(), Is.GreaterThan(0));
    }

    [TestCaseSource(nameof(WellFormed))]
    public void Well_formed_file_round_trips(string file)
    {
        SyncMLFragment fragment = SyncMLReader.ReadFragment(Corpus.Read(file));

        byte[] compact = SyncMLWriter.ToBytes(fragment.Message);
        SyncMLMessage reread = SyncMLReader.ReadMessage(compact);
        Assert.That(SyncMLEquivalence.AreEqual(fragment.Message, reread, out string difference), Is.True, difference);

        SyncMLMessage fromIndented = SyncMLReader.ReadMessage(System.Text.Encoding.UTF8.GetBytes(SyncMLWriter.ToXml(fragment.Message, indented: true)));
        Assert.That(SyncMLEquivalence.AreEqual(fragment.Message, fromIndented, out difference), Is.True, "indented: " + difference);

        Assert.That(SyncMLWriter.ToBytes(reread), Is.EqualTo(compact), "writing is deterministic and stable");
    }

    [TestCaseSource(nameof(WellFormed))]
    public void Well_formed_file_has_content(string file)
    {
        SyncMLFragment fragment = SyncMLReader.ReadFragment(Corpus.Read(file));
        Assert.That(fragment.Message.SyncBody.Commands, Is.Not.Empty);
        if (fragment.Kind != SyncMLDocumentKind.Message)
        {
            Assert.That(() => SyncMLReader.ReadMessage(Corpus.Read(file)), Throws.TypeOf<SyncMLFormatException>());
        }
    }

    [TestCaseSource(nameof(Malformed))]
    public void Malformed_file_fails_with_position(string file)
    {
        var error = Assert.Throws<SyncMLFormatException>(() => SyncMLReader.ReadFragment(Corpus.Read(file)));
        Assert.That(error!.Line, Is.GreaterThan(0));
        Assert.That(error.Column, Is.GreaterThan(0));
        Assert.That(error.Reason, Is.Not.Empty);
        TestContext.Out.WriteLine(error.Message);
    }
}

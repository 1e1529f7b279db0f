namespace DeviceAgent.SyncML.Tests;

/// <summary>Random models from a seeded generator survive write-then-read unchanged, compact and indented.</summary>
public class PropertyTests
{
    [Test]
    public void Random_models_round_trip([Values(1, 2, 3, 4)] int block)
    {
        for (int seed = block * 1000; seed < block * 1000 + 250; seed++)
        {
            SyncMLMessage model = new RandomModel(new Random(seed)).Message();
            foreach (bool indented in new[] { false, true })
            {
                string xml = SyncMLWriter.ToXml(model, indented);
                SyncMLMessage reread;
                try
                {
                    reread = SyncMLReader.ReadMessage(System.Text.Encoding.UTF8.GetBytes(xml));
                }
                catch (SyncMLFormatException e)
                {
                    Assert.Fail($"seed {seed}, indented {indented}: {e.Message}\n{xml}");
                    return;
                }

                Assert.That(SyncMLEquivalence.AreEqual(model, reread, out string difference), Is.True, $"seed {seed}, indented {indented}: {difference}\n{xml}");
            }
        }
    }

    [Test]
    public void Random_commands_round_trip_through_ToXml_of_one_command()
    {
        for (int seed = 0; seed < 300; seed++)
        {
            SyncMLMessage model = new RandomModel(new Random(seed)).Message();
            // A lone unknown element is not a command fragment (the reader rejects it at top level by design).
            foreach (SyncMLCommand command in model.SyncBody.Commands.Where(c => c is not UnknownCommand))
            {
                string xml = SyncMLWriter.ToXml(command);
                SyncMLFragment fragment = SyncMLReader.ReadFragment(System.Text.Encoding.UTF8.GetBytes(xml));
                Assert.That(fragment.Message.SyncBody.Commands, Has.Count.EqualTo(1), xml);
                Assert.That(SyncMLEquivalence.AreEqual(command, fragment.Message.SyncBody.Commands[0], out string difference), Is.True, $"seed {seed}: {difference}\n{xml}");
            }
        }
    }
}

namespace DeviceAgent.SyncML.Tests;

/// <summary>
/// The writer's argument checks and first-element layout; written to kill mutants Stryker.NET found surviving in
/// SyncMLWriter.cs (docs/testing.md "Mutation testing").
/// </summary>
public class WriterContractTests
{
    private sealed class ForeignCommand : SyncMLCommand
    {
        public override string Name => "Foreign";
    }

    [Test]
    public void Null_arguments_are_refused_by_name()
    {
        Assert.That(() => SyncMLWriter.ToXml((SyncMLCommand)null!), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("command"));
        Assert.That(() => SyncMLWriter.Write(null!, new System.Buffers.ArrayBufferWriter<byte>(), false), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("message"));
        Assert.That(() => SyncMLWriter.Write(new SyncMLMessage(), null!, false), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("output"));
    }

    [TestCase("<x")]
    [TestCase("SYNCML:SYNCML1.2\" evil=\"1")]
    [TestCase("a&b")]
    public void A_namespace_that_would_break_the_root_tag_is_refused(string ns)
    {
        Assert.That(() => SyncMLWriter.ToXml(new SyncMLMessage { Namespace = ns }),
            Throws.ArgumentException.With.Message.StartsWith($"invalid namespace '{ns}'"));
    }

    [TestCase(null)]
    [TestCase("")]
    public void A_message_without_a_namespace_is_written_as_SyncML_1_2(string? ns)
    {
        Assert.That(SyncMLWriter.ToXml(new SyncMLMessage { Namespace = ns }), Does.StartWith("<SyncML xmlns=\"SYNCML:SYNCML1.2\">"));
    }

    [Test]
    public void A_single_command_starts_without_a_line_break_even_indented()
    {
        Assert.That(SyncMLWriter.ToXml(new Get { CmdID = "1" }, indented: true), Does.StartWith("<Get>"));
        Assert.That(SyncMLWriter.ToXml(new UnknownCommand("Frob", "<Frob><CmdID>2</CmdID></Frob>"), indented: true), Is.EqualTo("<Frob><CmdID>2</CmdID></Frob>"));
    }

    [Test]
    public void A_command_type_the_writer_does_not_know_is_refused_by_name()
    {
        Assert.That(() => SyncMLWriter.ToXml(new ForeignCommand()),
            Throws.ArgumentException.With.Message.StartsWith("the writer does not know the command type ForeignCommand"));
    }
}

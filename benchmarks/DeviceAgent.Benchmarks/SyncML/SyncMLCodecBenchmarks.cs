using System.Buffers;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using DeviceAgent.SyncML;

namespace DeviceAgent.Benchmarks.SyncML;

/// <summary>Our SyncML reader and writer against an XDocument-based codec producing the same model, in the same run.</summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
public class SyncMLCodecBenchmarks
{
    private byte[] _bytes = [];
    private byte[] _wbxml = [];
    private SyncMLMessage _model = new();
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);

    [Params("Package10", "Package200")]
    public string Message { get; set; } = "Package10";

    [GlobalSetup]
    public void Setup()
    {
        _model = Message == "Package10" ? BenchmarkMessages.Package10() : BenchmarkMessages.Package200();
        _bytes = SyncMLWriter.ToBytes(_model);

        // Both sides must do the same work: same model from the same bytes.
        if (!SyncMLEquivalence.AreEqual(SyncMLReader.ReadMessage(_bytes), XDocumentSyncMLCodec.Read(_bytes), out string difference) ||
            !SyncMLEquivalence.AreEqual(_model, XDocumentSyncMLCodec.Read(XDocumentSyncMLCodec.Write(_model)), out difference))
        {
            throw new InvalidOperationException("the baseline codec disagrees with ours: " + difference);
        }

        _wbxml = SyncMLWbxml.ToBytes(_model);
        if (!SyncMLEquivalence.AreEqual(_model, SyncMLWbxml.ReadMessage(_wbxml), out difference))
        {
            throw new InvalidOperationException("the WBXML round trip disagrees with the model: " + difference);
        }

        Console.WriteLine($"// {Message}: {_bytes.Length} bytes ({_wbxml.Length} as WBXML), {_model.SyncBody.Commands.Count} top-level commands");
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Read")]
    public SyncMLMessage Read_XDocument() => XDocumentSyncMLCodec.Read(_bytes);

    [Benchmark, BenchmarkCategory("Read")]
    public SyncMLMessage Read_Ours() => SyncMLReader.ReadMessage(_bytes);

    [Benchmark(Baseline = true), BenchmarkCategory("Write")]
    public byte[] Write_XDocument() => XDocumentSyncMLCodec.Write(_model);

    /// <summary>The intended use: into a reused IBufferWriter (e.g. the HTTP response pipe).</summary>
    [Benchmark, BenchmarkCategory("Write")]
    public int Write_Ours_BufferWriter()
    {
        _buffer.ResetWrittenCount();
        SyncMLWriter.Write(_model, _buffer);
        return _buffer.WrittenCount;
    }

    [Benchmark, BenchmarkCategory("Write")]
    public byte[] Write_Ours_ToBytes() => SyncMLWriter.ToBytes(_model);

    /// <summary>WBXML read: decoded to XML, then the XML reader (docs/syncml.md "WBXML").</summary>
    [Benchmark, BenchmarkCategory("Read")]
    public SyncMLMessage Read_Wbxml() => SyncMLWbxml.ReadMessage(_wbxml);

    /// <summary>WBXML write into a reused IBufferWriter: the XML writer, then the WBXML encoder.</summary>
    [Benchmark, BenchmarkCategory("Write")]
    public int Write_Wbxml_BufferWriter()
    {
        _buffer.ResetWrittenCount();
        SyncMLWbxml.Write(_model, _buffer);
        return _buffer.WrittenCount;
    }
}

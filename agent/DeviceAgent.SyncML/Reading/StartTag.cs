namespace DeviceAgent.SyncML.Reading;

/// <summary>Offsets of one start tag in the input; the parser works on offsets so nothing is allocated per element.</summary>
internal struct StartTag
{
    /// <summary>Offset of the '&lt;'.</summary>
    public int Start;

    public int NameStart;
    public int NameLength;

    /// <summary>Offset of the local name (after the prefix colon, or NameStart).</summary>
    public int LocalStart;

    /// <summary>Offset just after the '&gt;' (or '/&gt;').</summary>
    public int ContentStart;

    /// <summary>Offset of the raw value of an xmlns="..." attribute, or -1 when the element has none.</summary>
    public int DefaultNsStart;

    public int DefaultNsLength;
    public bool IsEmpty;

    /// <summary>The element, by local name (Unknown for names the codec does not model).</summary>
    public El Id;

    /// <summary>1 for the document's root element.</summary>
    public int Depth;

    public readonly int LocalLength => NameStart + NameLength - LocalStart;
}

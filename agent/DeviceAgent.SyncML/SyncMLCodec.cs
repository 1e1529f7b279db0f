using System.Buffers;

namespace DeviceAgent.SyncML;

/// <summary>Limits the reader enforces on hostile input; exceeding one is a <see cref="SyncMLFormatException"/>.</summary>
public sealed record SyncMLReaderOptions
{
    /// <summary>The limits used when a read is given no options.</summary>
    public static SyncMLReaderOptions Default { get; } = new();

    /// <summary>Largest message accepted, in bytes.</summary>
    public int MaxMessageBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Deepest element nesting accepted (Atomic in Sequence in ... counts every element).</summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>Most elements accepted in one message.</summary>
    public int MaxElements { get; init; } = 200_000;

    /// <summary>
    /// Accept element and attribute prefixes that no xmlns:prefix declares (Fleet's PoC samples use an undeclared A:).
    /// Off by default: such input is not namespace-well-formed XML (docs/syncml.md).
    /// </summary>
    public bool AllowUndeclaredPrefixes { get; init; }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxMessageBytes, 1, nameof(MaxMessageBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDepth, 1, nameof(MaxDepth));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxElements, 1, nameof(MaxElements));
    }
}

/// <summary>What a tool-level read found at the document's top level.</summary>
public enum SyncMLDocumentKind
{
    /// <summary>A whole &lt;SyncML&gt; message.</summary>
    Message,

    /// <summary>A bare &lt;SyncBody&gt; (documentation samples).</summary>
    SyncBody,

    /// <summary>One or more top-level commands (Fleet profiles, documentation fragments).</summary>
    Commands,
}

/// <summary>The result of <see cref="SyncMLReader.ReadFragment"/>: the kind found and a message holding it (SyncHdr null unless Kind is Message).</summary>
public sealed record SyncMLFragment(SyncMLDocumentKind Kind, SyncMLMessage Message);

/// <summary>
/// Malformed or over-limit SyncML. In XML, Line and Column are 1-based positions in the input; WBXML has no lines, so
/// there <see cref="ByteOffset"/> is the 0-based offset of the offending byte and Line and Column are 0.
/// </summary>
public sealed class SyncMLFormatException : Exception
{
    /// <summary>An error in XML input at a 1-based line and column.</summary>
    public SyncMLFormatException(string reason, int line, int column)
        : base($"{line}:{column} {reason}")
    {
        Reason = reason;
        Line = line;
        Column = column;
        ByteOffset = -1;
    }

    /// <summary>An error in binary (WBXML) input at a 0-based byte offset.</summary>
    public SyncMLFormatException(string reason, int byteOffset)
        : base($"byte {byteOffset}: {reason}")
    {
        Reason = reason;
        ByteOffset = byteOffset;
    }

    /// <summary>The problem, without the position.</summary>
    public string Reason { get; }

    /// <summary>1-based line of an XML error; 0 for WBXML.</summary>
    public int Line { get; }

    /// <summary>1-based column (in characters) of an XML error; 0 for WBXML.</summary>
    public int Column { get; }

    /// <summary>0-based offset of the offending byte of WBXML input; -1 for XML, whose errors have a line and column.</summary>
    public int ByteOffset { get; }

    /// <summary>The position as people read it: "line:column" for XML, "byte N" for WBXML.</summary>
    public string Where => ByteOffset >= 0 ? $"byte {ByteOffset}" : $"{Line}:{Column}";
}

using System.Buffers;
using DeviceAgent.SyncML.Wbxml;

namespace DeviceAgent.SyncML;

/// <summary>
/// Size accounting for a message being filled up to a peer's MaxMsgSize (OMA DM RepPro 1.2 "Message size"), in the
/// encoding it will be sent in, at a cost linear in what is added: each command is encoded once, on its own, instead of
/// the whole message being encoded again per added command. <see cref="MessageBound"/> of the message so far plus the
/// <see cref="CommandBound"/> of each command added to its SyncBody is never less than the encoded size of the result
/// (docs/syncml.md "Size accounting"):
/// <list type="bullet">
/// <item>XML: the writer writes sibling commands independently of each other, so the sum is exact.</item>
/// <item>WBXML: a command's tokens do not depend on its neighbours except for the code page in force before it (at most
/// one SWITCH_PAGE, 2 bytes) and the width of its string-table offsets (a multi-byte integer of at most 4 bytes for a
/// message under 256 MiB); per message, the string table's length prefix can widen (at most 4 bytes) and Final may need
/// a switch back to the SyncML page after a command ending in MetInf (2 bytes). Those bytes are added as slack, so the
/// sum is an upper bound a few bytes above the real size.</item>
/// </list>
/// </summary>
public sealed class SyncMLSizeMeter
{
    // A SWITCH_PAGE token and its page index.
    private const int PageSwitchBytes = 2;

    // The widest multi-byte integer (mb_u_int32) an offset or length can take in a message under 256 MiB.
    private const int MaxMultiByteWidth = 4;

    private readonly SyncMLMessage _skeleton;
    private readonly int _skeletonSize;

    /// <summary>Measures in <paramref name="encoding"/>; <paramref name="syncMLNamespace"/> is the messages' namespace (null: SyncML 1.2).</summary>
    public SyncMLSizeMeter(SyncMLEncoding encoding, string? syncMLNamespace = null)
    {
        Encoding = encoding;
        // The smallest message around a command: no SyncHdr, nothing after the command in its SyncBody (what follows a
        // command pays for its own code page: the next command's slack, or Final's in MessageBound).
        _skeleton = new SyncMLMessage { Namespace = syncMLNamespace ?? SyncMLNames.Namespace12 };
        _skeletonSize = Encode(_skeleton, out _);
    }

    /// <summary>The encoding sizes are measured in.</summary>
    public SyncMLEncoding Encoding { get; }

    /// <summary>The exact encoded size of <paramref name="message"/> in bytes (one encoding of the whole message).</summary>
    public int Measure(SyncMLMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Encode(message, out _);
    }

    /// <summary>
    /// The encoded size of <paramref name="message"/> plus what adding commands can cost the message's own parts (WBXML:
    /// the string table's length prefix widening, a page switch before Final); the starting point to which
    /// <see cref="CommandBound"/>s are added.
    /// </summary>
    public int MessageBound(SyncMLMessage message) =>
        Measure(message) + (Encoding == SyncMLEncoding.Wbxml ? MaxMultiByteWidth + PageSwitchBytes : 0);

    /// <summary>
    /// The most bytes <paramref name="command"/> (with its CmdID as set now) adds to any message's SyncBody, wherever it is
    /// put among the other commands. Costs one encoding of the command alone.
    /// </summary>
    public int CommandBound(SyncMLCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var commands = _skeleton.SyncBody.Commands;
        commands.Add(command);
        try
        {
            var alone = Encode(_skeleton, out var literalReferences) - _skeletonSize;
            return Encoding == SyncMLEncoding.Wbxml
                ? alone + PageSwitchBytes + (literalReferences * MaxMultiByteWidth)
                : alone;
        }
        finally
        {
            commands.Clear();
        }
    }

    private int Encode(SyncMLMessage message, out int literalReferences)
    {
        var xml = new ArrayBufferWriter<byte>(1024);
        SyncMLWriter.Write(message, xml);
        if (Encoding == SyncMLEncoding.Xml)
        {
            literalReferences = 0;
            return xml.WrittenCount;
        }

        var wbxml = new ArrayBufferWriter<byte>(Math.Max(256, xml.WrittenCount / 2));
        WbxmlEncoder.Encode(xml.WrittenSpan, wbxml, out literalReferences);
        return wbxml.WrittenCount;
    }
}

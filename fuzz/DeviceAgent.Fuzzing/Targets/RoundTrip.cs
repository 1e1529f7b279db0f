using DeviceAgent.SyncML;

namespace DeviceAgent.Fuzzing.Targets;

/// <summary>A message the codec read must be writable in both encodings, and what is written must read back.</summary>
internal static class RoundTrip
{
    public static void Check(SyncMLFragment fragment, SyncMLEncoding readAs)
    {
        if (fragment.Kind != SyncMLDocumentKind.Message)
        {
            return;
        }

        foreach (var encoding in new[] { readAs, readAs == SyncMLEncoding.Xml ? SyncMLEncoding.Wbxml : SyncMLEncoding.Xml })
        {
            var bytes = SyncMLWbxml.ToBytes(fragment.Message, encoding);
            try
            {
                _ = SyncMLWbxml.ReadAnyMessage(bytes);
            }
            catch (SyncMLFormatException e)
            {
                // Not a refusal of the input: the codec wrote something it cannot read back.
                throw new InvalidOperationException($"an accepted message written as {encoding} does not read back: {e.Message}", e);
            }
        }
    }
}

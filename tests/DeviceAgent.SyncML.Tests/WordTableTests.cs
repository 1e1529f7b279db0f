using System.Text;
using DeviceAgent.SyncML.Reading;

namespace DeviceAgent.SyncML.Tests;

/// <summary>The reader's word tables (element names, recurring values) find exactly their keys, by span and by words.</summary>
public class WordTableTests
{
    private static readonly string[] s_keys = ["a", "Add", "Status", "CmdID", "text/plain", "MaxMsgSize", "MaxObjSize", "SourceRef", "Source", "0123456789abcdef"];

    [Test]
    public void Every_key_is_found_and_nothing_else()
    {
        var (multiplier, slots) = WordTable.Build(s_keys.Select((key, i) => (key, i)));
        for (int i = 0; i < s_keys.Length; i++)
        {
            byte[] key = Encoding.UTF8.GetBytes(s_keys[i]);
            Assert.That(WordTable.TryGet(slots, multiplier, key, out int found) ? found : -1, Is.EqualTo(i), s_keys[i]);

            byte[] padded = new byte[16];
            key.CopyTo(padded, 0);
            Assert.That(WordTable.TryGet(slots, multiplier, BitConverter.ToUInt64(padded, 0), BitConverter.ToUInt64(padded, 8), out found) ? found : -1, Is.EqualTo(i));
        }

        foreach (string other in new[] { "", "A", "add", "Ad", "Addx", "Statu", "Statuss", "text/plai", "MaxMsgSiz", "SourceRe", "0123456789abcdefg", "SOURCE" })
        {
            Assert.That(WordTable.TryGet(slots, multiplier, Encoding.UTF8.GetBytes(other), out _), Is.False, other);
        }
    }

    [Test]
    public void Keys_sharing_their_first_8_bytes_are_refused() =>
        Assert.Throws<ArgumentException>(() => WordTable.Build([("SessionID", 1), ("SessionIX", 2)]));

    [Test]
    public void Element_names_are_identified_in_any_ASCII_case()
    {
        foreach (string name in new[] { "Status", "STATUS", "status", "MaxObjSize", "maxobjsize", "Correlator" })
        {
            Assert.That(ElementNames.Identify(Encoding.ASCII.GetBytes(name)).ToString(), Is.EqualTo(name).IgnoreCase);
        }

        Assert.That(ElementNames.Identify("Statuses"u8), Is.EqualTo(El.Unknown));
    }
}

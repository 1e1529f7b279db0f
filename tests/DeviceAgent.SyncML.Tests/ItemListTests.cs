namespace DeviceAgent.SyncML.Tests;

/// <summary>ItemList (first item inline in the command, the rest in a list) behaves as List&lt;Item&gt; under random edits.</summary>
public class ItemListTests
{
    [Test]
    public void Random_edits_match_a_List([Range(0, 49)] int seed)
    {
        var random = new Random(seed);
        ItemList items = new Replace().Items;
        var reference = new List<Item>();
        for (int step = 0; step < 200; step++)
        {
            var item = new Item { Data = $"{seed}-{step}" };
            switch (random.Next(7))
            {
                case 0 or 1:
                    items.Add(item);
                    reference.Add(item);
                    break;
                case 2:
                    int at = random.Next(reference.Count + 1);
                    items.Insert(at, item);
                    reference.Insert(at, item);
                    break;
                case 3 when reference.Count > 0:
                    int removeAt = random.Next(reference.Count);
                    items.RemoveAt(removeAt);
                    reference.RemoveAt(removeAt);
                    break;
                case 4 when reference.Count > 0:
                    Item existing = reference[random.Next(reference.Count)];
                    Assert.That(items.Remove(existing), Is.EqualTo(reference.Remove(existing)));
                    break;
                case 5 when reference.Count > 0:
                    int setAt = random.Next(reference.Count);
                    items[setAt] = item;
                    reference[setAt] = item;
                    break;
                case 6 when random.Next(20) == 0:
                    items.Clear();
                    reference.Clear();
                    break;
            }

            Assert.That(items, Is.EqualTo(reference), $"seed {seed}, step {step}");
            Assert.That(items, Has.Count.EqualTo(reference.Count));
        }
    }

    [Test]
    public void Bad_positions_and_null_items_are_refused()
    {
        ItemList items = new Get().Items;
        items.Add(new Item());
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = items[1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => items.Insert(2, new Item()));
        Assert.Throws<ArgumentOutOfRangeException>(() => items.RemoveAt(-1));
        Assert.Throws<ArgumentNullException>(() => items.Add(null!));
        Assert.That(items, Has.Count.EqualTo(1));
    }

    [Test]
    public void Rare_Meta_and_Status_parts_keep_values_and_clearing_them_works()
    {
        var meta = new Meta { Size = "10", NextNonce = "abc" };
        meta.Size = null;
        Assert.That((meta.Size, meta.NextNonce, meta.Mark), Is.EqualTo(((string?)null, "abc", (string?)null)));

        var empty = new Meta { MaxObjSize = null };
        Assert.That(empty.MaxObjSize, Is.Null);

        var status = new Status { Cred = new Cred(), Chal = null };
        status.TargetRefs.Add("./a");
        Assert.That((status.Cred, status.Chal, status.TargetRefs.Single()), Is.EqualTo((status.Cred, (Chal?)null, "./a")));
        status.Cred = null;
        Assert.That(status.Cred, Is.Null);
    }
}

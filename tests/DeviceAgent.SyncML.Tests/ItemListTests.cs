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

    [Test]
    public void Lookups_copy_and_enumeration_follow_document_order_by_reference()
    {
        var first = new Item { Data = "1" };
        var second = new Item { Data = "2" };
        var stranger = new Item { Data = "1" };
        ItemList items = new Exec().Items;
        items.AddRange([first, second]);
        var copy = new Item[4];

        items.CopyTo(copy, 1);
        ItemList.Enumerator enumerator = items.GetEnumerator();
        enumerator.MoveNext();
        enumerator.MoveNext();
        Item atSecond = enumerator.Current;
        enumerator.Reset();
        enumerator.MoveNext();

        Assert.Multiple(() =>
        {
            Assert.That(copy, Is.EqualTo(new[] { null, first, second, null }));
            Assert.That(items.FindIndex(i => i.Data!.Value == "2"), Is.EqualTo(1));
            Assert.That(items.FindIndex(i => i.Data!.Value == "3"), Is.EqualTo(-1));
            Assert.That(items.IndexOf(second), Is.EqualTo(1));
            Assert.That(items.Contains(first), Is.True);
            // An equal-looking Item is another Item: lookups are by reference.
            Assert.That(items.Contains(stranger), Is.False);
            Assert.That(items.Remove(stranger), Is.False);
            Assert.That(((ICollection<Item>)items).IsReadOnly, Is.False);
            Assert.That(atSecond, Is.SameAs(second));
            Assert.That(enumerator.Current, Is.SameAs(first), "Reset goes back before the first Item");
            Assert.That(((System.Collections.IEnumerable)items).Cast<Item>(), Is.EqualTo(new[] { first, second }));
        });
    }

    [Test]
    public void Setting_an_Item_replaces_it_in_place_and_null_is_refused()
    {
        var a = new Item { Data = "a" };
        var b = new Item { Data = "b" };
        var c = new Item { Data = "c" };
        ItemList items = new Replace().Items;
        items.AddRange([a, b]);

        items[0] = c;
        items[1] = a;

        Assert.That(items, Is.EqualTo(new[] { c, a }));
        Assert.That(() => items[0] = null!, Throws.ArgumentNullException);
        Assert.That(() => items[2] = b, Throws.TypeOf<ArgumentOutOfRangeException>()
            .With.Message.StartsWith("the list has 2 position(s)").And.Property("ActualValue").EqualTo(2));
        Assert.That(items, Is.EqualTo(new[] { c, a }));
    }

    [Test]
    public void Removing_the_first_Item_moves_the_second_up_and_removing_the_last_empties_the_command()
    {
        var a = new Item { Data = "a" };
        var b = new Item { Data = "b" };
        var command = new Delete();
        command.Items.AddRange([a, b]);

        command.Items.RemoveAt(0);
        Assert.That(command.Items, Is.EqualTo(new[] { b }));
        command.Items.RemoveAt(0);
        Assert.That(command.Items, Is.Empty);
        Assert.That(() => command.Items.RemoveAt(0), Throws.TypeOf<ArgumentOutOfRangeException>());
        command.Items.Insert(0, a);
        Assert.That(command.Items, Is.EqualTo(new[] { a }));
    }
}

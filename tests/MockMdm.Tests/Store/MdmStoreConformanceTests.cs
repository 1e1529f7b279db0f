using MockMdm.Store;

namespace MockMdm.Tests.Store;

/// <summary>A record kind for the conformance suite.</summary>
public sealed class ThingRecord : IStoreRecord
{
    public required string Id { get; init; }
    public string? Owner { get; set; }
    public string Value { get; set; } = "";

    /// <summary>Stands for a command's state: the store indexes it as the record's Tag.</summary>
    public string? State { get; set; }

    string? IStoreRecord.Tag => State;
}

/// <summary>The one conformance suite every <see cref="IMdmStore"/> passes (docs/design.md rule 5).</summary>
public abstract class MdmStoreConformanceTests
{
    protected abstract IMdmStore Open();

    [Test]
    public void PutThenFind_ReturnsACopy()
    {
        using var store = Open();
        var thing = new ThingRecord { Id = "a", Value = "1" };
        store.Write(tx => tx.Put(thing));
        thing.Value = "changed after put";

        var found = store.Find<ThingRecord>("a")!;
        found.Value = "changed after find";

        Assert.That(store.Find<ThingRecord>("a")!.Value, Is.EqualTo("1"));
        Assert.That(store.Find<ThingRecord>("missing"), Is.Null);
    }

    [Test]
    public void List_KeepsFirstInsertionOrder_AcrossUpdates()
    {
        using var store = Open();
        store.Write(tx =>
        {
            tx.Put(new ThingRecord { Id = "b", Value = "1" });
            tx.Put(new ThingRecord { Id = "a", Value = "1" });
            tx.Put(new ThingRecord { Id = "c", Value = "1" });
        });
        store.Write(tx => tx.Put(new ThingRecord { Id = "b", Value = "2" }));

        var list = store.Read(v => v.List<ThingRecord>());
        Assert.That(list.Select(t => t.Id), Is.EqualTo(new[] { "b", "a", "c" }));
        Assert.That(list[0].Value, Is.EqualTo("2"));
    }

    [Test]
    public void ListByOwner_ReturnsOnlyThatOwnersRecordsInOrder()
    {
        using var store = Open();
        store.Write(tx =>
        {
            tx.Put(new ThingRecord { Id = "1", Owner = "x" });
            tx.Put(new ThingRecord { Id = "2", Owner = "y" });
            tx.Put(new ThingRecord { Id = "3", Owner = "x" });
            tx.Put(new ThingRecord { Id = "4" });
        });

        Assert.That(store.Read(v => v.ListByOwner<ThingRecord>("x")).Select(t => t.Id), Is.EqualTo(new[] { "1", "3" }));
        Assert.That(store.Read(v => v.ListByOwner<ThingRecord>("z")), Is.Empty);
    }

    [Test]
    public void ListByOwnerAndTag_FollowsTheRecordsCurrentTag_InFirstInsertionOrder()
    {
        using var store = Open();
        store.Write(tx =>
        {
            tx.Put(new ThingRecord { Id = "1", Owner = "x", State = "open" });
            tx.Put(new ThingRecord { Id = "2", Owner = "x", State = "done" });
            tx.Put(new ThingRecord { Id = "3", Owner = "y", State = "open" });
            tx.Put(new ThingRecord { Id = "4", Owner = "x", State = "open" });
            tx.Put(new ThingRecord { Id = "5", Owner = "x" });
        });
        store.Write(tx => tx.Put(new ThingRecord { Id = "1", Owner = "x", State = "done" }));

        Assert.That(store.Read(v => v.ListByOwner<ThingRecord>("x", "open")).Select(t => t.Id), Is.EqualTo(new[] { "4" }));
        Assert.That(store.Read(v => v.ListByOwner<ThingRecord>("x", "done")).Select(t => t.Id), Is.EqualTo(new[] { "1", "2" }));
        Assert.That(store.Read(v => v.ListByOwner<ThingRecord>("y", "done")), Is.Empty);

        var inTransaction = store.Write(tx =>
        {
            tx.Put(new ThingRecord { Id = "2", Owner = "x", State = "open" });
            tx.Put(new ThingRecord { Id = "4", Owner = "x", State = "done" });
            tx.Put(new ThingRecord { Id = "6", Owner = "x", State = "open" });
            return tx.ListByOwner<ThingRecord>("x", "open").Select(t => t.Id).ToList();
        });
        Assert.That(inTransaction, Is.EqualTo(new[] { "2", "6" }));
        Assert.That(store.Read(v => v.ListByOwner<ThingRecord>("x", "open")).Select(t => t.Id), Is.EqualTo(new[] { "2", "6" }));
        Assert.That(store.Read(v => v.ListByOwner<ThingRecord>("x")).Select(t => t.Id), Is.EqualTo(new[] { "1", "2", "4", "5", "6" }));
    }

    [Test]
    public void Delete_RemovesAndReportsWhetherThereWasOne()
    {
        using var store = Open();
        store.Write(tx => tx.Put(new ThingRecord { Id = "a" }));
        Assert.That(store.Write(tx => tx.Delete<ThingRecord>("a")), Is.True);
        Assert.That(store.Write(tx => tx.Delete<ThingRecord>("a")), Is.False);
        Assert.That(store.Find<ThingRecord>("a"), Is.Null);
    }

    [Test]
    public void AWriteThatThrows_AppliesNothing()
    {
        using var store = Open();
        store.Write(tx => tx.Put(new ThingRecord { Id = "kept", Value = "1" }));

        Assert.Throws<InvalidOperationException>(() => store.Write(tx =>
        {
            tx.Put(new ThingRecord { Id = "new" });
            tx.Put(new ThingRecord { Id = "kept", Value = "2" });
            tx.Delete<ThingRecord>("kept");
            throw new InvalidOperationException("fail mid-transaction");
        }));

        Assert.That(store.Find<ThingRecord>("new"), Is.Null);
        Assert.That(store.Find<ThingRecord>("kept")!.Value, Is.EqualTo("1"));
    }

    [Test]
    public void ATransaction_SeesItsOwnWrites()
    {
        using var store = Open();
        var seen = store.Write(tx =>
        {
            tx.Put(new ThingRecord { Id = "a", Owner = "o" });
            tx.Put(new ThingRecord { Id = "b", Owner = "o" });
            tx.Delete<ThingRecord>("a");
            return (tx.Find<ThingRecord>("b") is not null, tx.ListByOwner<ThingRecord>("o").Select(t => t.Id).ToList());
        });
        Assert.That(seen.Item1, Is.True);
        Assert.That(seen.Item2, Is.EqualTo(new[] { "b" }));
    }

    [Test]
    public void KindsAreSeparate()
    {
        using var store = Open();
        store.Write(tx => tx.Put(new ThingRecord { Id = "same" }));
        Assert.That(store.Find<MockMdm.Profiles.GroupRecord>("same"), Is.Null);
    }
}

public sealed class InMemoryMdmStoreConformanceTests : MdmStoreConformanceTests
{
    protected override IMdmStore Open() => new InMemoryMdmStore();
}

public sealed class SqliteMdmStoreConformanceTests : MdmStoreConformanceTests
{
    private string _path = "";

    [SetUp]
    public void NewFile() => _path = Path.Combine(Path.GetTempPath(), $"mockmdm-{Guid.NewGuid():N}.db");

    [TearDown]
    public void DeleteFile()
    {
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_path + suffix);
        }
    }

    protected override IMdmStore Open() => new SqliteMdmStore(_path);

    [Test]
    public void CommittedWrites_SurviveAReopen()
    {
        using (var store = Open())
        {
            store.Write(tx => tx.Put(new ThingRecord { Id = "a", Value = "durable" }));
        }

        using var reopened = Open();
        Assert.That(reopened.Find<ThingRecord>("a")!.Value, Is.EqualTo("durable"));
    }

    [Test]
    public void ADatabaseFromANewerSchema_IsRefusedWithAClearError()
    {
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version = 99;";
            command.ExecuteNonQuery();
        }

        var ex = Assert.Throws<InvalidOperationException>(() => new SqliteMdmStore(_path).Dispose());
        Assert.That(ex!.Message, Does.Contain("schema 99"));
    }

    [Test]
    public void RowsFromSchema1_AreFoundByTag_AfterTheMigration()
    {
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText =
                """
                CREATE TABLE records (seq INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, id TEXT NOT NULL,
                    owner TEXT NULL, json TEXT NOT NULL, UNIQUE (kind, id));
                CREATE INDEX records_owner ON records (kind, owner, seq);
                INSERT INTO records (kind, id, owner, json) VALUES
                    ('Thing', 'old-open', 'x', '{"id":"old-open","owner":"x","value":"","state":"open"}'),
                    ('Thing', 'old-done', 'x', '{"id":"old-done","owner":"x","value":"","state":"done"}');
                PRAGMA user_version = 1;
                """;
            command.ExecuteNonQuery();
        }

        using var store = Open();
        store.Write(tx => tx.Put(new ThingRecord { Id = "new-open", Owner = "x", State = "open" }));

        Assert.That(store.Read(v => v.ListByOwner<ThingRecord>("x", "open")).Select(t => t.Id), Is.EqualTo(new[] { "old-open", "new-open" }));
        Assert.That(store.Read(v => v.ListByOwner<ThingRecord>("x", "done")).Select(t => t.Id), Is.EqualTo(new[] { "old-done" }));
    }

    [Test]
    public void TheFileUsesWalWithFullSync()
    {
        using (var store = (SqliteMdmStore)Open())
        {
            Assert.That(store.Pragma("synchronous"), Is.EqualTo(2L), "synchronous=FULL (2) on the store's connection: it is not kept in the file");
        }

        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        Assert.That(command.ExecuteScalar(), Is.EqualTo("wal"));
    }
}

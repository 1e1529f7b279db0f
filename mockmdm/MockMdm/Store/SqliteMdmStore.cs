using Microsoft.Data.Sqlite;

namespace MockMdm.Store;

/// <summary>
/// The store in a SQLite file: created and migrated when opened, WAL journal with synchronous=FULL so a transaction
/// that committed survives a crash of the process or the machine (docs/mock-mdm.md "Store").
/// </summary>
public sealed class SqliteMdmStore : IMdmStore
{
    /// <summary>The schema version this code writes (PRAGMA user_version).</summary>
    public const int SchemaVersion = 2;

    private readonly Lock _gate = new();
    private readonly SqliteConnection _connection;

    /// <summary>Opens (creating if needed) the database file at <paramref name="path"/> and migrates it.</summary>
    public SqliteMdmStore(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        };
        _connection = new SqliteConnection(builder.ToString());
        _connection.Open();
        Execute("PRAGMA journal_mode=WAL;");
        Execute("PRAGMA synchronous=FULL;");
        Execute("PRAGMA busy_timeout=5000;");
        Migrate();
    }

    public T Read<T>(Func<IStoreView, T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        lock (_gate)
        {
            using var tx = _connection.BeginTransaction(deferred: true);
            return read(new Transaction(_connection, tx));
        }
    }

    public T Write<T>(Func<IStoreTransaction, T> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        lock (_gate)
        {
            using var tx = _connection.BeginTransaction();
            var result = write(new Transaction(_connection, tx));
            tx.Commit();
            return result;
        }
    }

    public void Dispose() => _connection.Dispose();

    /// <summary>A PRAGMA's value on the store's own connection (journal_mode, synchronous are per connection); for tests.</summary>
    internal object? Pragma(string name)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = $"PRAGMA {name};";
        return command.ExecuteScalar();
    }

    private void Migrate()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "PRAGMA user_version;";
        var version = Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        if (version > SchemaVersion)
        {
            throw new InvalidOperationException(
                $"the database was written by a newer MockMdm (schema {version}; this build knows up to {SchemaVersion})");
        }

        using var tx = _connection.BeginTransaction();
        if (version < 1)
        {
            // One table of JSON documents: each record kind's shape lives in its C# record, so adding a field needs
            // no migration; seq keeps insertion order for queues.
            Execute(
                """
                CREATE TABLE records (
                    seq   INTEGER PRIMARY KEY AUTOINCREMENT,
                    kind  TEXT NOT NULL,
                    id    TEXT NOT NULL,
                    owner TEXT NULL,
                    json  TEXT NOT NULL,
                    UNIQUE (kind, id)
                );
                CREATE INDEX records_owner ON records (kind, owner, seq);
                """,
                tx);
        }

        if (version < 2)
        {
            // IStoreRecord.Tag: rows written before it keep tag NULL and are still read (and filtered) by tag queries,
            // so nothing stored earlier goes missing; every Put from now on writes the tag.
            Execute(
                """
                ALTER TABLE records ADD COLUMN tag TEXT NULL;
                CREATE INDEX records_owner_tag ON records (kind, owner, tag, seq);
                """,
                tx);
        }

        Execute($"PRAGMA user_version = {SchemaVersion};", tx);
        tx.Commit();
    }

    private void Execute(string sql, SqliteTransaction? tx = null)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private sealed class Transaction(SqliteConnection connection, SqliteTransaction tx) : IStoreTransaction
    {
        public T? Find<T>(string id) where T : class, IStoreRecord
        {
            using var command = Command("SELECT json FROM records WHERE kind = $kind AND id = $id;");
            command.Parameters.AddWithValue("$kind", RecordSerializer.KindOf(typeof(T)));
            command.Parameters.AddWithValue("$id", id);
            return command.ExecuteScalar() is string json ? RecordSerializer.Deserialize<T>(json) : null;
        }

        public IReadOnlyList<T> List<T>() where T : class, IStoreRecord
        {
            using var command = Command("SELECT json FROM records WHERE kind = $kind ORDER BY seq;");
            command.Parameters.AddWithValue("$kind", RecordSerializer.KindOf(typeof(T)));
            return ReadAll<T>(command);
        }

        public IReadOnlyList<T> ListByOwner<T>(string owner) where T : class, IStoreRecord
        {
            ArgumentNullException.ThrowIfNull(owner);
            using var command = Command("SELECT json FROM records WHERE kind = $kind AND owner = $owner ORDER BY seq;");
            command.Parameters.AddWithValue("$kind", RecordSerializer.KindOf(typeof(T)));
            command.Parameters.AddWithValue("$owner", owner);
            return ReadAll<T>(command);
        }

        public IReadOnlyList<T> ListByOwner<T>(string owner, string tag) where T : class, IStoreRecord
        {
            ArgumentNullException.ThrowIfNull(owner);
            ArgumentNullException.ThrowIfNull(tag);
            using var command = Command(
                "SELECT json FROM records WHERE kind = $kind AND owner = $owner AND (tag = $tag OR tag IS NULL) ORDER BY seq;");
            command.Parameters.AddWithValue("$kind", RecordSerializer.KindOf(typeof(T)));
            command.Parameters.AddWithValue("$owner", owner);
            command.Parameters.AddWithValue("$tag", tag);
            return ReadAll<T>(command).Where(r => string.Equals(r.Tag, tag, StringComparison.Ordinal)).ToList();
        }

        public void Put<T>(T record) where T : class, IStoreRecord
        {
            ArgumentNullException.ThrowIfNull(record);
            ArgumentException.ThrowIfNullOrEmpty(record.Id);
            using var command = Command(
                """
                INSERT INTO records (kind, id, owner, tag, json) VALUES ($kind, $id, $owner, $tag, $json)
                ON CONFLICT (kind, id) DO UPDATE SET owner = excluded.owner, tag = excluded.tag, json = excluded.json;
                """);
            command.Parameters.AddWithValue("$kind", RecordSerializer.KindOf(typeof(T)));
            command.Parameters.AddWithValue("$id", record.Id);
            command.Parameters.AddWithValue("$owner", (object?)record.Owner ?? DBNull.Value);
            command.Parameters.AddWithValue("$tag", (object?)record.Tag ?? DBNull.Value);
            command.Parameters.AddWithValue("$json", RecordSerializer.Serialize(record));
            command.ExecuteNonQuery();
        }

        public bool Delete<T>(string id) where T : class, IStoreRecord
        {
            using var command = Command("DELETE FROM records WHERE kind = $kind AND id = $id;");
            command.Parameters.AddWithValue("$kind", RecordSerializer.KindOf(typeof(T)));
            command.Parameters.AddWithValue("$id", id);
            return command.ExecuteNonQuery() > 0;
        }

        private SqliteCommand Command(string sql)
        {
            var command = connection.CreateCommand();
            command.Transaction = tx;
            command.CommandText = sql;
            return command;
        }

        private static List<T> ReadAll<T>(SqliteCommand command)
        {
            var list = new List<T>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                list.Add(RecordSerializer.Deserialize<T>(reader.GetString(0)));
            }

            return list;
        }
    }
}

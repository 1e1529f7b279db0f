namespace MockMdm.Store;

/// <summary>
/// The store kept in process memory (tests, throw-away runs). Records are held as the same JSON the SQLite store
/// writes (as UTF-8 bytes), so both implementations copy on read and write and behave alike.
/// </summary>
public sealed class InMemoryMdmStore : IMdmStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Kind, string Id), StoredRow> _rows = [];

    // Indexes over _rows, so List and ListByOwner cost what they return, not the size of the store (benchmarks/README.md).
    private readonly Dictionary<string, HashSet<string>> _idsByKind = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Kind, string Owner), HashSet<string>> _idsByOwner = [];
    private readonly Dictionary<(string Kind, string Owner, string Tag), HashSet<string>> _idsByOwnerTag = [];
    private long _nextSeq = 1;

    public T Read<T>(Func<IStoreView, T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        lock (_gate)
        {
            return read(new Transaction(this));
        }
    }

    public T Write<T>(Func<IStoreTransaction, T> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        lock (_gate)
        {
            var tx = new Transaction(this);
            var result = write(tx);
            tx.Commit();
            return result;
        }
    }

    public void Dispose()
    {
    }

    private sealed record StoredRow(long Seq, string? Owner, string? Tag, byte[] Json);

    /// <summary>Buffers changes (null = deleted) over the committed rows until Commit.</summary>
    private sealed class Transaction(InMemoryMdmStore store) : IStoreTransaction
    {
        private readonly Dictionary<(string Kind, string Id), StoredRow?> _changes = [];
        private long _nextSeq = store._nextSeq;

        public T? Find<T>(string id) where T : class, IStoreRecord
        {
            var row = Lookup((RecordSerializer.KindOf(typeof(T)), id));
            return row is null ? null : RecordSerializer.Deserialize<T>(row.Json);
        }

        public IReadOnlyList<T> List<T>() where T : class, IStoreRecord => Select<T>(null, null);

        public IReadOnlyList<T> ListByOwner<T>(string owner) where T : class, IStoreRecord
        {
            ArgumentNullException.ThrowIfNull(owner);
            return Select<T>(owner, null);
        }

        public IReadOnlyList<T> ListByOwner<T>(string owner, string tag) where T : class, IStoreRecord
        {
            ArgumentNullException.ThrowIfNull(owner);
            ArgumentNullException.ThrowIfNull(tag);
            return Select<T>(owner, tag);
        }

        public void Put<T>(T record) where T : class, IStoreRecord
        {
            ArgumentNullException.ThrowIfNull(record);
            ArgumentException.ThrowIfNullOrEmpty(record.Id);
            var key = (RecordSerializer.KindOf(typeof(T)), record.Id);
            var seq = Lookup(key)?.Seq ?? _nextSeq++;
            _changes[key] = new StoredRow(seq, record.Owner, record.Tag, RecordSerializer.SerializeToUtf8(record));
        }

        public bool Delete<T>(string id) where T : class, IStoreRecord
        {
            var key = (RecordSerializer.KindOf(typeof(T)), id);
            if (Lookup(key) is null)
            {
                return false;
            }

            _changes[key] = null;
            return true;
        }

        public void Commit()
        {
            foreach (var (key, row) in _changes)
            {
                if (store._rows.Remove(key, out var old))
                {
                    store._idsByKind[key.Kind].Remove(key.Id);
                    if (old.Owner is not null && store._idsByOwner.TryGetValue((key.Kind, old.Owner), out var owned))
                    {
                        owned.Remove(key.Id);
                        if (owned.Count == 0)
                        {
                            store._idsByOwner.Remove((key.Kind, old.Owner));
                        }
                    }

                    if (old.Owner is not null && old.Tag is not null
                        && store._idsByOwnerTag.TryGetValue((key.Kind, old.Owner, old.Tag), out var tagged))
                    {
                        tagged.Remove(key.Id);
                        if (tagged.Count == 0)
                        {
                            store._idsByOwnerTag.Remove((key.Kind, old.Owner, old.Tag));
                        }
                    }
                }

                if (row is not null)
                {
                    store._rows[key] = row;
                    Index(store._idsByKind, key.Kind).Add(key.Id);
                    if (row.Owner is not null)
                    {
                        Index(store._idsByOwner, (key.Kind, row.Owner)).Add(key.Id);
                        if (row.Tag is not null)
                        {
                            Index(store._idsByOwnerTag, (key.Kind, row.Owner, row.Tag)).Add(key.Id);
                        }
                    }
                }
            }

            store._nextSeq = _nextSeq;
        }

        private static HashSet<string> Index<TKey>(Dictionary<TKey, HashSet<string>> index, TKey key)
            where TKey : notnull
        {
            if (!index.TryGetValue(key, out var ids))
            {
                ids = new HashSet<string>(StringComparer.Ordinal);
                index[key] = ids;
            }

            return ids;
        }

        private StoredRow? Lookup((string Kind, string Id) key) =>
            _changes.TryGetValue(key, out var changed) ? changed : store._rows.GetValueOrDefault(key);

        private List<T> Select<T>(string? owner, string? tag)
        {
            var kind = RecordSerializer.KindOf(typeof(T));
            var committed = owner is null ? store._idsByKind.GetValueOrDefault(kind)
                : tag is null ? store._idsByOwner.GetValueOrDefault((kind, owner))
                : store._idsByOwnerTag.GetValueOrDefault((kind, owner, tag));
            var rows = new Dictionary<string, StoredRow>(StringComparer.Ordinal);
            foreach (var id in committed ?? [])
            {
                rows[id] = store._rows[(kind, id)];
            }

            foreach (var ((k, id), row) in _changes)
            {
                if (k != kind)
                {
                    continue;
                }

                if (row is null)
                {
                    rows.Remove(id);
                }
                else
                {
                    rows[id] = row;
                }
            }

            return rows.Values
                .Where(r => (owner is null || string.Equals(r.Owner, owner, StringComparison.Ordinal))
                            && (tag is null || string.Equals(r.Tag, tag, StringComparison.Ordinal)))
                .OrderBy(r => r.Seq)
                .Select(r => RecordSerializer.Deserialize<T>(r.Json))
                .ToList();
        }
    }
}

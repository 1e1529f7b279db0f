namespace MockMdm.Store;

/// <summary>A stored entity: a kind (its CLR type), an ID unique within the kind, and an optional owner used for listing.</summary>
public interface IStoreRecord
{
    /// <summary>Unique within the record's kind.</summary>
    string Id { get; }

    /// <summary>The ID of the record this one belongs to (a command's device, an assignment's configuration), or null.</summary>
    string? Owner { get; }

    /// <summary>
    /// A key within the owner that the store indexes (a command's state), so a caller can list an owner's open records
    /// without reading its whole history; null when the kind has none.
    /// </summary>
    string? Tag => null;
}

/// <summary>Read access to the store. Records come back as copies: changing one changes nothing until it is Put.</summary>
public interface IStoreView
{
    /// <summary>The record of kind <typeparamref name="T"/> with this ID, or null.</summary>
    T? Find<T>(string id) where T : class, IStoreRecord;

    /// <summary>All records of the kind, in the order they were first stored.</summary>
    IReadOnlyList<T> List<T>() where T : class, IStoreRecord;

    /// <summary>The records of the kind whose Owner is <paramref name="owner"/>, in the order they were first stored.</summary>
    IReadOnlyList<T> ListByOwner<T>(string owner) where T : class, IStoreRecord;

    /// <summary>
    /// The records of the kind whose Owner is <paramref name="owner"/> and whose <see cref="IStoreRecord.Tag"/> is
    /// <paramref name="tag"/>, in the order they were first stored; costs what it returns, not the owner's history.
    /// </summary>
    IReadOnlyList<T> ListByOwner<T>(string owner, string tag) where T : class, IStoreRecord;
}

/// <summary>Read and write access inside one transaction; nothing is visible to others until the transaction commits.</summary>
public interface IStoreTransaction : IStoreView
{
    /// <summary>Inserts or replaces the record (an update keeps the record's place in listing order).</summary>
    void Put<T>(T record) where T : class, IStoreRecord;

    /// <summary>Removes the record; false when there was none.</summary>
    bool Delete<T>(string id) where T : class, IStoreRecord;
}

/// <summary>
/// The server's store (docs/design.md rule 5: one abstraction, a SQLite and an in-memory implementation, one conformance
/// suite). Every <see cref="Write{T}"/> is one transaction: when it returns, its changes are durable (SQLite: WAL with
/// synchronous=FULL); when the callback throws, nothing of it is applied.
/// </summary>
public interface IMdmStore : IDisposable
{
    /// <summary>Runs <paramref name="read"/> against a consistent view.</summary>
    T Read<T>(Func<IStoreView, T> read);

    /// <summary>Runs <paramref name="write"/> as one all-or-nothing, durable transaction and returns its value.</summary>
    T Write<T>(Func<IStoreTransaction, T> write);
}

/// <summary>Shorthands over <see cref="IMdmStore"/>.</summary>
public static class MdmStoreExtensions
{
    /// <summary>Runs a write with no result.</summary>
    public static void Write(this IMdmStore store, Action<IStoreTransaction> write)
    {
        ArgumentNullException.ThrowIfNull(store);
        store.Write<bool>(tx =>
        {
            write(tx);
            return true;
        });
    }

    /// <summary>Finds one record in its own read.</summary>
    public static T? Find<T>(this IMdmStore store, string id) where T : class, IStoreRecord
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.Read(v => v.Find<T>(id));
    }
}

using System.Collections;

namespace DeviceAgent.SyncML;

/// <summary>
/// The Items of a command, a view over storage in the command itself: almost every command carries exactly one Item,
/// so the first is held in a field of the command and only further items go to a list. Reading a message therefore
/// allocates no collection per command (the model's size is the reader's allocation). Items are never null. A default
/// ItemList (no command) is not usable.
/// </summary>
public readonly struct ItemList : IList<Item>, IReadOnlyList<Item>
{
    private readonly SyncMLCommand _owner;

    internal ItemList(SyncMLCommand owner) => _owner = owner;

    /// <summary>The number of Item elements the command carries.</summary>
    public int Count => _owner.FirstItem is null ? 0 : 1 + (_owner.MoreItems?.Count ?? 0);

    bool ICollection<Item>.IsReadOnly => false;

    /// <summary>The Item at a position in document order; setting a null Item throws.</summary>
    public Item this[int index]
    {
        get
        {
            CheckIndex(index, Count);
            return index == 0 ? _owner.FirstItem! : _owner.MoreItems![index - 1];
        }
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            CheckIndex(index, Count);
            if (index == 0) _owner.FirstItem = value;
            else _owner.MoreItems![index - 1] = value;
        }
    }

    /// <summary>Appends an Item (written after the existing ones); null throws.</summary>
    public void Add(Item item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (_owner.FirstItem is null) _owner.FirstItem = item;
        else (_owner.MoreItems ??= []).Add(item);
    }

    /// <summary>Appends each Item in order; a null Item throws after the ones before it were added.</summary>
    public void AddRange(IEnumerable<Item> items)
    {
        foreach (Item item in items) Add(item);
    }

    /// <summary>Inserts an Item at a position (0 to Count); null throws.</summary>
    public void Insert(int index, Item item)
    {
        ArgumentNullException.ThrowIfNull(item);
        CheckIndex(index, Count + 1);
        if (index > 0)
        {
            (_owner.MoreItems ??= []).Insert(index - 1, item);
            return;
        }

        if (_owner.FirstItem is not null) (_owner.MoreItems ??= []).Insert(0, _owner.FirstItem);
        _owner.FirstItem = item;
    }

    /// <summary>Removes the Item at a position; the later Items move up one.</summary>
    public void RemoveAt(int index)
    {
        CheckIndex(index, Count);
        List<Item>? more = _owner.MoreItems;
        if (index > 0)
        {
            more!.RemoveAt(index - 1);
        }
        else if (more is { Count: > 0 })
        {
            _owner.FirstItem = more[0];
            more.RemoveAt(0);
        }
        else
        {
            _owner.FirstItem = null;
        }
    }

    /// <summary>Removes the first occurrence of the Item (by reference); false when it is not there.</summary>
    public bool Remove(Item item)
    {
        int index = IndexOf(item);
        if (index < 0) return false;
        RemoveAt(index);
        return true;
    }

    /// <summary>Removes every Item from the command.</summary>
    public void Clear()
    {
        _owner.FirstItem = null;
        _owner.MoreItems = null;
    }

    /// <summary>The position of the Item (by reference), or -1.</summary>
    public int IndexOf(Item item)
    {
        for (int i = 0; i < Count; i++)
        {
            if (Equals(this[i], item)) return i;
        }

        return -1;
    }

    /// <summary>The position of the first Item that matches (e.g. by Target LocURI), or -1.</summary>
    public int FindIndex(Predicate<Item> match)
    {
        for (int i = 0; i < Count; i++)
        {
            if (match(this[i])) return i;
        }

        return -1;
    }

    /// <summary>Whether the command carries this Item (by reference).</summary>
    public bool Contains(Item item) => IndexOf(item) >= 0;

    /// <summary>Copies the Items in document order into an array from a position.</summary>
    public void CopyTo(Item[] array, int arrayIndex)
    {
        foreach (Item item in this) array[arrayIndex++] = item;
    }

    /// <summary>An allocation-free enumerator over the Items in document order.</summary>
    public Enumerator GetEnumerator() => new(this);

    IEnumerator<Item> IEnumerable<Item>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static void CheckIndex(int index, int limit)
    {
        if ((uint)index >= (uint)limit) throw new ArgumentOutOfRangeException(nameof(index), index, $"the list has {limit} position(s)");
    }

    /// <summary>Enumerates without allocating (foreach over an ItemList uses this struct).</summary>
    public struct Enumerator : IEnumerator<Item>
    {
        private readonly ItemList _list;
        private int _index;

        internal Enumerator(ItemList list)
        {
            _list = list;
            _index = -1;
        }

        /// <summary>The Item at the enumerator's position.</summary>
        public readonly Item Current => _list[_index];

        readonly object IEnumerator.Current => Current;

        /// <summary>Advances to the next Item; false after the last.</summary>
        public bool MoveNext() => ++_index < _list.Count;

        /// <summary>Goes back to before the first Item.</summary>
        public void Reset() => _index = -1;

        /// <summary>Does nothing: the enumerator holds no resources.</summary>
        public readonly void Dispose() { }
    }
}

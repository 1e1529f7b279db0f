using System.Collections;

namespace DeviceAgent.SyncML;

/// <summary>
/// The Items of a command. Almost every command carries exactly one Item, so the first is held inline and only further
/// items go to a list: reading a message allocates no per-command array (the model's size is the reader's allocation).
/// Items are never null.
/// </summary>
public sealed class ItemList : IList<Item>, IReadOnlyList<Item>
{
    private Item? _first;
    private List<Item>? _rest;

    public int Count => _first is null ? 0 : 1 + (_rest?.Count ?? 0);

    bool ICollection<Item>.IsReadOnly => false;

    public Item this[int index]
    {
        get
        {
            CheckIndex(index, Count);
            return index == 0 ? _first! : _rest![index - 1];
        }
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            CheckIndex(index, Count);
            if (index == 0) _first = value;
            else _rest![index - 1] = value;
        }
    }

    public void Add(Item item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (_first is null) _first = item;
        else (_rest ??= []).Add(item);
    }

    public void AddRange(IEnumerable<Item> items)
    {
        foreach (Item item in items) Add(item);
    }

    public void Insert(int index, Item item)
    {
        ArgumentNullException.ThrowIfNull(item);
        CheckIndex(index, Count + 1);
        if (index > 0)
        {
            (_rest ??= []).Insert(index - 1, item);
            return;
        }

        if (_first is not null) (_rest ??= []).Insert(0, _first);
        _first = item;
    }

    public void RemoveAt(int index)
    {
        CheckIndex(index, Count);
        if (index > 0)
        {
            _rest!.RemoveAt(index - 1);
        }
        else if (_rest is { Count: > 0 })
        {
            _first = _rest[0];
            _rest.RemoveAt(0);
        }
        else
        {
            _first = null;
        }
    }

    public bool Remove(Item item)
    {
        int index = IndexOf(item);
        if (index < 0) return false;
        RemoveAt(index);
        return true;
    }

    public void Clear()
    {
        _first = null;
        _rest = null;
    }

    public int IndexOf(Item item) => FindIndex(candidate => Equals(candidate, item));

    public int FindIndex(Predicate<Item> match)
    {
        for (int i = 0; i < Count; i++)
        {
            if (match(this[i])) return i;
        }

        return -1;
    }

    public bool Contains(Item item) => IndexOf(item) >= 0;

    public void CopyTo(Item[] array, int arrayIndex)
    {
        foreach (Item item in this) array[arrayIndex++] = item;
    }

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

        public readonly Item Current => _list[_index];

        readonly object IEnumerator.Current => Current;

        public bool MoveNext() => ++_index < _list.Count;

        public void Reset() => _index = -1;

        public readonly void Dispose() { }
    }
}

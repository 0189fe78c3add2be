using System;
using System.Threading;

namespace FluentBit.Plugins.Lookup;

/// <summary>
/// A map from UTF-8 keys to values that flushes look up straight from the chunk's bytes: lock-free and
/// allocation-free reads; adds and removals (rare: the first time a series is seen, an expiry sweep) take a
/// lock and publish immutable entries, so concurrent flushes never see a half-built chain. A reader that
/// walks a chain while an entry is removed from it may still find that entry: removal is visible to
/// reads that start after it.
/// </summary>
internal sealed class Utf8KeyTable<T>
    where T : class
{
    private readonly Lock _gate = new();
    private Entry?[] _buckets = new Entry?[16];
    private int _count;

    // Reused by RemoveWhere under the lock.
    private readonly System.Collections.Generic.List<bool> _decisions = new();
    private readonly System.Collections.Generic.List<Entry> _survivors = new();

    public int Count => Volatile.Read(ref _count);

    public T? Find(ReadOnlySpan<byte> key)
    {
        Entry?[] buckets = Volatile.Read(ref _buckets);
        int hash = Hash(key);
        for (Entry? entry = Volatile.Read(ref buckets[hash & (buckets.Length - 1)]); entry is not null; entry = entry.Next)
        {
            if (entry.Hash == hash && key.SequenceEqual(entry.Key))
            {
                return entry.Value;
            }
        }

        return null;
    }

    /// <summary>Adds <paramref name="value"/> unless the key is present; returns the value the table holds.</summary>
    public T Add(ReadOnlySpan<byte> key, T value) => GetOrAdd(key, int.MaxValue, value, static v => v)!;

    /// <summary>
    /// The value of <paramref name="key"/>, created with <paramref name="create"/> (under the table's lock, so
    /// at most once per key) if absent and the table holds fewer than <paramref name="maxCount"/> entries;
    /// null if absent and the table is full.
    /// </summary>
    public T? GetOrAdd<TState>(ReadOnlySpan<byte> key, int maxCount, TState state, Func<TState, T> create)
    {
        lock (_gate)
        {
            if (Find(key) is T existing)
            {
                return existing;
            }

            if (_count >= maxCount)
            {
                return null;
            }

            T value = create(state);
            Entry?[] buckets = _buckets;
            if (_count >= buckets.Length * 3 / 4)
            {
                buckets = Grow(buckets);
            }

            int hash = Hash(key);
            ref Entry? head = ref buckets[hash & (buckets.Length - 1)];
            Volatile.Write(ref head, new Entry(key.ToArray(), hash, value, head));
            Volatile.Write(ref _buckets, buckets);
            Volatile.Write(ref _count, _count + 1);
            return value;
        }
    }

    /// <summary>
    /// Removes every entry for which <paramref name="remove"/> returns true, calling it under the table's lock,
    /// so no add of the same key can run between its decision (and what it does before returning) and the removal.
    /// </summary>
    /// <returns>The number of entries removed.</returns>
    public int RemoveWhere<TState>(TState state, Func<TState, T, bool> remove)
    {
        lock (_gate)
        {
            Entry?[] buckets = _buckets;
            int removed = 0;
            for (int i = 0; i < buckets.Length; i++)
            {
                _decisions.Clear();
                Entry? last = null;
                for (Entry? entry = buckets[i]; entry is not null; entry = entry.Next)
                {
                    bool gone = remove(state, entry.Value);
                    _decisions.Add(gone);
                    if (gone)
                    {
                        last = entry;
                        removed++;
                    }
                }

                if (last is null)
                {
                    continue;
                }

                // Entries are immutable: the survivors before the last removed entry are republished as new
                // entries in front of the unchanged tail; readers already on the old chain finish walking it.
                _survivors.Clear();
                int position = 0;
                for (Entry? entry = buckets[i]; entry != last.Next; entry = entry!.Next, position++)
                {
                    if (!_decisions[position])
                    {
                        _survivors.Add(entry!);
                    }
                }

                Entry? chain = last.Next;
                for (int s = _survivors.Count - 1; s >= 0; s--)
                {
                    Entry survivor = _survivors[s];
                    chain = new Entry(survivor.Key, survivor.Hash, survivor.Value, chain);
                }

                Volatile.Write(ref buckets[i], chain);
            }

            Volatile.Write(ref _count, _count - removed);
            return removed;
        }
    }

    private static int Hash(ReadOnlySpan<byte> key) => Utf8Hash.Of(key);

    private static Entry?[] Grow(Entry?[] old)
    {
        var grown = new Entry?[old.Length * 2];
        foreach (Entry? chain in old)
        {
            for (Entry? entry = chain; entry is not null; entry = entry.Next)
            {
                ref Entry? head = ref grown[entry.Hash & (grown.Length - 1)];
                head = new Entry(entry.Key, entry.Hash, entry.Value, head);
            }
        }

        return grown;
    }

    private sealed class Entry(byte[] key, int hash, T value, Entry? next)
    {
        public byte[] Key { get; } = key;

        public int Hash { get; } = hash;

        public T Value { get; } = value;

        public Entry? Next { get; } = next;
    }
}

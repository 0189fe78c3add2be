using System;
using System.Threading;

namespace FluentBit.Plugins.Metrics;

/// <summary>
/// A map from UTF-8 keys to values that flushes look up straight from the chunk's bytes: lock-free and
/// allocation-free reads; adds (rare: the first time a series is seen) take a lock and publish
/// immutable entries, so concurrent flushes never see a half-built chain.
/// </summary>
internal sealed class Utf8KeyTable<T>
    where T : class
{
    private readonly Lock _gate = new();
    private Entry?[] _buckets = new Entry?[16];
    private int _count;

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
    public T Add(ReadOnlySpan<byte> key, T value)
    {
        lock (_gate)
        {
            if (Find(key) is T existing)
            {
                return existing;
            }

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

    private static int Hash(ReadOnlySpan<byte> key)
    {
        var hash = default(HashCode);
        hash.AddBytes(key);
        return hash.ToHashCode();
    }

    private sealed class Entry(byte[] key, int hash, T value, Entry? next)
    {
        public byte[] Key { get; } = key;

        public int Hash { get; } = hash;

        public T Value { get; } = value;

        public Entry? Next { get; } = next;
    }
}

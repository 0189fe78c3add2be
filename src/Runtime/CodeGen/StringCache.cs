using System;
using System.ComponentModel;
using System.Text;
using FluentBit.Plugins.Lookup;

namespace FluentBit.Plugins.CodeGen;

/// <summary>
/// The strings one record field has held, found again from their UTF-8 bytes so a value seen before
/// allocates nothing (lock-free lookups; safe for concurrent flushes). Bounded: it keeps the first
/// <see cref="Capacity"/> distinct values of at most <see cref="MaxLength"/> bytes and never evicts; any other
/// value is decoded into a new string each time it is read. A field of endless distinct values (ids,
/// timestamps) then costs one string per record, never unbounded memory.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class StringCache
{
    /// <summary>The distinct values a cache keeps by default.</summary>
    public const int DefaultCapacity = 4096;

    /// <summary>The longest value, in UTF-8 bytes, a cache keeps by default.</summary>
    public const int DefaultMaxLength = 512;

    private readonly Utf8KeyTable<string> _strings = new();

    /// <param name="capacity">How many distinct values are kept.</param>
    /// <param name="maxLength">The longest value kept, in UTF-8 bytes.</param>
    public StringCache(int capacity = DefaultCapacity, int maxLength = DefaultMaxLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        ArgumentOutOfRangeException.ThrowIfNegative(maxLength);
        Capacity = capacity;
        MaxLength = maxLength;
    }

    /// <summary>How many distinct values are kept.</summary>
    public int Capacity { get; }

    /// <summary>The longest value kept, in UTF-8 bytes.</summary>
    public int MaxLength { get; }

    /// <summary>The number of values kept.</summary>
    public int Count => _strings.Count;

    /// <summary>The string of <paramref name="utf8"/> (invalid sequences replaced with U+FFFD), from the cache when it was seen before.</summary>
    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return "";
        }

        if (_strings.Find(utf8) is string cached)
        {
            return cached;
        }

        string value = Encoding.UTF8.GetString(utf8);
        return utf8.Length <= MaxLength && _strings.Count < Capacity
            ? _strings.GetOrAdd(utf8, Capacity, value, static v => v) ?? value
            : value;
    }
}

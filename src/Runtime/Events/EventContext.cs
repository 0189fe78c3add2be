using System;
using System.Text;
using FluentBit.Plugins.Decoding;
using MessagePack;

namespace FluentBit.Plugins;

/// <summary>
/// What a flush knows about the event being applied besides its body. Its spans and memory point into the
/// chunk Fluent Bit passed: they are valid only until the flush returns, so never keep them.
/// </summary>
public readonly ref struct EventContext
{
    /// <summary>An event without metadata, flushed at an unknown time (<see cref="FlushTime"/> is the epoch).</summary>
    public EventContext(EventTimestamp timestamp, ReadOnlySpan<byte> tag)
        : this(timestamp, tag, default, default)
    {
    }

    /// <summary>An event as a flush decodes it.</summary>
    public EventContext(EventTimestamp timestamp, ReadOnlySpan<byte> tag, ReadOnlyMemory<byte> metadata, EventTimestamp flushTime)
    {
        Timestamp = timestamp;
        Tag = tag;
        Metadata = metadata;
        FlushTime = flushTime;
    }

    /// <summary>The event's own time.</summary>
    public EventTimestamp Timestamp { get; }

    /// <summary>The chunk's tag as UTF-8, without the terminating NUL.</summary>
    public ReadOnlySpan<byte> Tag { get; }

    /// <summary>
    /// The event's metadata map (Fluent Bit 2.1 and later) as raw MessagePack, straight from the chunk; empty
    /// for an event without metadata or with an empty map. Read it with <see cref="TryGetMetadata"/> or a
    /// <c>MessagePackReader</c>.
    /// </summary>
    public ReadOnlyMemory<byte> Metadata { get; }

    /// <summary>
    /// The wall-clock time the flush started, read once per chunk: <c>FlushTime.SecondsSince(Timestamp)</c>
    /// is how late the event arrives, without a clock call per record.
    /// </summary>
    public EventTimestamp FlushTime { get; }

    /// <summary>Tag part <paramref name="index"/> (0 the first, -1 the last) without allocating. Parts are what lies between dots: <c>a..b</c> has an empty second part, an empty tag none.</summary>
    public bool TagPart(int index, out ReadOnlySpan<byte> part) => TagParts.TryGet(Tag, index, out part);

    /// <summary>The tag as a string. Allocates a new string on every call: not for a per-record path that must not allocate.</summary>
    public string TagToString() => Encoding.UTF8.GetString(Tag);

    /// <summary>
    /// Positions <paramref name="value"/> on the metadata value of <paramref name="key"/>, to be read with its
    /// <c>Read*</c> methods; false when the event has no such metadata key.
    /// </summary>
    public bool TryGetMetadata(ReadOnlySpan<byte> key, out MessagePackReader value)
    {
        value = default;
        if (Metadata.IsEmpty)
        {
            return false;
        }

        var seek = new ChunkReader(Metadata);
        if (!seek.TrySeekKey(key))
        {
            return false;
        }

        // From the value to the end of the map: the value reads as it would in place.
        value = new MessagePackReader(Metadata[seek.Consumed..]);
        return true;
    }
}

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
        SpanDurationSeconds = double.NaN;
    }

    /// <summary>A span as a flush decodes it: <paramref name="resourceAttributes"/> stand where a log event has its metadata.</summary>
    internal EventContext(
        EventTimestamp start, ReadOnlySpan<byte> tag, ReadOnlyMemory<byte> resourceAttributes, EventTimestamp flushTime,
        ReadOnlySpan<byte> kind, ReadOnlySpan<byte> statusCode, ReadOnlySpan<byte> scopeName, double durationSeconds)
        : this(start, tag, resourceAttributes, flushTime)
    {
        IsSpan = true;
        SpanKind = kind;
        SpanStatusCode = statusCode;
        ScopeName = scopeName;
        SpanDurationSeconds = durationSeconds;
    }

    /// <summary>Whether the event is a span (of a plugin whose record has span fields); its <see cref="Timestamp"/> is then the span's start.</summary>
    public bool IsSpan { get; }

    /// <summary>A span's kind as OpenTelemetry spells it (<c>SPAN_KIND_SERVER</c> ...) in UTF-8; empty for a log event.</summary>
    public ReadOnlySpan<byte> SpanKind { get; }

    /// <summary>A span's status code (<c>STATUS_CODE_UNSET</c>, <c>STATUS_CODE_OK</c>, <c>STATUS_CODE_ERROR</c>) in UTF-8; empty for a log event.</summary>
    public ReadOnlySpan<byte> SpanStatusCode { get; }

    /// <summary>The name of the instrumentation scope that made a span, UTF-8; empty when it has none, and for a log event.</summary>
    public ReadOnlySpan<byte> ScopeName { get; }

    /// <summary>A span's end minus its start in seconds; NaN for a log event, and for a span that ends before it starts.</summary>
    public double SpanDurationSeconds { get; }

    /// <summary>The event's own time.</summary>
    public EventTimestamp Timestamp { get; }

    /// <summary>The chunk's tag as UTF-8, without the terminating NUL.</summary>
    public ReadOnlySpan<byte> Tag { get; }

    /// <summary>
    /// The event's metadata map (Fluent Bit 2.1 and later) as raw MessagePack, straight from the chunk; empty
    /// for an event without metadata or with an empty map. Read it with <see cref="TryGetMetadata"/> or a
    /// <c>MessagePackReader</c>. For a span: the attributes of the resource that made it.
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

using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Text.Json;
using MessagePack;

namespace FluentBit.Plugins.TestKit;

/// <summary>
/// Builds a chunk as Fluent Bit hands one to an output plugin: events one after another, each
/// <c>[[EventTime, metadata], body]</c> (the Fluent Bit 2.1+ form), the time an EventTime (MessagePack
/// extension 0: seconds and nanoseconds) and the metadata an empty map unless given. Bodies are packed as
/// Fluent Bit packs records: integers in their smallest width, strings as str, floating point as float64.
/// </summary>
/// <example>
/// <code>
/// var chunk = new ChunkBuilder()
///     .Add(new { method = "GET", status = 200 }, time)
///     .AddJson("""{"method":"POST","status":"201"}""", time, metadata: new { stream = "stdout" });
/// plugin.SendChunk(chunk);
/// </code>
/// </example>
public sealed class ChunkBuilder
{
    private const sbyte EventTimeExtension = 0;

    private readonly ArrayBufferWriter<byte> _buffer = new();

    /// <summary>The events added so far.</summary>
    public int Count { get; private set; }

    /// <summary>
    /// Adds an event whose body is <paramref name="body"/>: a dictionary (<c>Dictionary&lt;string, object?&gt;</c>, for
    /// keys that are not C# names such as <c>cpu0.p_cpu</c>), an object whose public properties are the keys (an
    /// anonymous object such as <c>new { method = "GET", status = 200 }</c>), or a <see cref="JsonElement"/>.
    /// Values nest: dictionaries and objects become maps, other sequences arrays, <c>byte[]</c> bin.
    /// </summary>
    /// <param name="body">
    /// The record. Any other value (a string, a number, null, a <see cref="MessagePackValue"/>) makes an event whose
    /// body is not a map, which Fluent Bit never sends: the plugin skips it and counts it (<c>not_a_map</c>).
    /// </param>
    /// <param name="time">The event's time; now when null.</param>
    /// <param name="metadata">The event's metadata map (Fluent Bit 2.1+), in any form <paramref name="body"/> takes; empty when null.</param>
    public ChunkBuilder Add(object? body, DateTimeOffset? time = null, object? metadata = null)
    {
        MessagePackWriter writer = BeginEvent(time, metadata);
        MessagePackBody.Write(ref writer, body);
        return EndEvent(ref writer);
    }

    /// <summary>Adds an event whose body is one JSON object, packed as Fluent Bit's JSON parser packs it.</summary>
    /// <param name="json">A JSON object, such as <c>{"method":"GET","status":200}</c>.</param>
    /// <param name="time">The event's time; now when null.</param>
    /// <param name="metadata">The event's metadata map; empty when null.</param>
    /// <exception cref="ArgumentException"><paramref name="json"/> is not a JSON object.</exception>
    public ChunkBuilder AddJson(string json, DateTimeOffset? time = null, object? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        using JsonDocument document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException($"A record is a JSON object, not {document.RootElement.ValueKind}: {json}", nameof(json));
        }

        MessagePackWriter writer = BeginEvent(time, metadata);
        MessagePackBody.WriteJson(ref writer, document.RootElement);
        return EndEvent(ref writer);
    }

    /// <summary>Adds one event per non-blank line of <paramref name="jsonLines"/>, each a JSON object, all with the same time.</summary>
    /// <param name="jsonLines">JSON objects, one a line, as Fluent Bit's tail input reads a log with the json parser.</param>
    /// <param name="time">The events' time; now when null.</param>
    /// <exception cref="ArgumentException">A line is not a JSON object; the message gives its number.</exception>
    public ChunkBuilder AddJsonLines(string jsonLines, DateTimeOffset? time = null)
    {
        ArgumentNullException.ThrowIfNull(jsonLines);
        string[] lines = jsonLines.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0)
            {
                continue;
            }

            try
            {
                AddJson(line, time);
            }
            catch (Exception e) when (e is JsonException or ArgumentException)
            {
                throw new ArgumentException($"line {i + 1}: {e.Message}", nameof(jsonLines), e);
            }
        }

        return this;
    }

    /// <summary>
    /// Appends <paramref name="bytes"/> as they are: events packed by other means, or damaged ones (a truncated event,
    /// a header that is not an event's), which make the plugin refuse the whole chunk as Fluent Bit's flush would.
    /// Not counted in <see cref="Count"/>.
    /// </summary>
    public ChunkBuilder AddBytes(ReadOnlySpan<byte> bytes)
    {
        _buffer.Write(bytes);
        return this;
    }

    /// <summary>The chunk's bytes, as a flush receives them.</summary>
    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    private MessagePackWriter BeginEvent(DateTimeOffset? time, object? metadata)
    {
        var writer = new MessagePackWriter(_buffer);
        writer.WriteArrayHeader(2);
        writer.WriteArrayHeader(2);
        EventTimestamp timestamp = EventTimestamp.FromDateTimeOffset(time ?? DateTimeOffset.UtcNow);
        writer.WriteExtensionFormatHeader(new ExtensionHeader(EventTimeExtension, 8));
        byte[] raw = new byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(raw, checked((uint)timestamp.Seconds));
        BinaryPrimitives.WriteUInt32BigEndian(raw.AsSpan(4), timestamp.Nanoseconds);
        writer.WriteRaw(raw.AsSpan());
        if (metadata is null)
        {
            writer.WriteMapHeader(0);
        }
        else
        {
            MessagePackBody.Write(ref writer, metadata);
        }

        return writer;
    }

    private ChunkBuilder EndEvent(ref MessagePackWriter writer)
    {
        writer.Flush();
        Count++;
        return this;
    }
}

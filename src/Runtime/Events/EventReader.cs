using System;
using System.Buffers.Binary;
using FluentBit.Plugins.Decoding;
using MessagePack;

namespace FluentBit.Plugins;

/// <summary>
/// Walks the events of a chunk: each is <c>[header, body]</c>, the header either <c>[timestamp, metadata]</c>
/// (Fluent Bit 2.1 and later) or a bare timestamp, the timestamp an EventTime, an integer or a float.
/// </summary>
internal static class EventReader
{

    /// <summary>
    /// Reads an event up to its body, leaving <paramref name="reader"/> on the body, and gives the event's
    /// metadata map as raw MessagePack sliced from the chunk (no copy); empty for an event without metadata,
    /// with an empty map, or with metadata that is not a map.
    /// </summary>
    /// <exception cref="MalformedChunkException">The next value is not an event.</exception>
    public static EventTimestamp ReadEventHeader(ref ChunkReader reader, out ReadOnlyMemory<byte> metadata)
    {
        metadata = default;
        int offset = reader.Consumed;
        if (!reader.TryReadArrayHeader(out int length) || length != 2)
        {
            throw new MalformedChunkException($"expected an event [header, body] at byte {offset}");
        }

        if (!reader.TryReadArrayHeader(out int headerLength))
        {
            return ReadTimestamp(ref reader, offset);
        }

        if (headerLength < 1)
        {
            throw new MalformedChunkException($"expected [timestamp, metadata] at byte {offset}");
        }

        EventTimestamp timestamp = ReadTimestamp(ref reader, offset);
        if (headerLength > 1)
        {
            metadata = ReadMetadata(ref reader);
        }

        // Anything a later Fluent Bit appends to the header is not used.
        for (int i = 2; i < headerLength; i++)
        {
            reader.Skip();
        }

        return timestamp;
    }

    private static ReadOnlyMemory<byte> ReadMetadata(ref ChunkReader reader)
    {
        int start = reader.Consumed;
        if (!reader.TryReadMapHeader(out int count))
        {
            reader.Skip();
            return default;
        }

        // Nearly every event's metadata is an empty map: nothing to slice.
        if (count == 0)
        {
            return default;
        }

        for (int i = 0; i < count; i++)
        {
            reader.Skip();
            reader.Skip();
        }

        return reader.MemorySince(start);
    }

    private static EventTimestamp ReadTimestamp(ref ChunkReader reader, int offset)
    {
        if (reader.TryReadExtensionHeader(out sbyte type, out int length))
        {
            if (type != MessagePackFormat.EventTimeExtension || length != 8)
            {
                throw new MalformedChunkException($"expected an EventTime (ext 0, 8 bytes) at byte {offset}, found ext {type} of {length} bytes");
            }

            ReadOnlySpan<byte> bytes = reader.ReadRaw(8);
            return new EventTimestamp(BinaryPrimitives.ReadUInt32BigEndian(bytes), BinaryPrimitives.ReadUInt32BigEndian(bytes[4..]));
        }

        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Integer when reader.NextCode == MessagePackCode.UInt64:
                // Beyond any real time; read without overflowing, as the latest time a long holds.
                return new EventTimestamp((long)Math.Min(reader.ReadUInt64(), long.MaxValue), 0);
            case MessagePackType.Integer:
                return new EventTimestamp(reader.ReadInt64(), 0);
            case MessagePackType.Float:
                return EventTimestamp.FromDouble(reader.ReadDouble());
            default:
                throw new MalformedChunkException($"expected a timestamp at byte {offset}, found {reader.NextMessagePackType}");
        }
    }
}

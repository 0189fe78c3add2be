using System;
using System.Buffers;
using System.Buffers.Binary;
using MessagePack;

namespace FluentBit.Plugins.Decoding;

/// <summary>
/// Walks the events of a chunk: each is <c>[header, body]</c>, the header either <c>[timestamp, metadata]</c>
/// (Fluent Bit 2.1 and later) or a bare timestamp, the timestamp an EventTime, an integer or a float.
/// </summary>
internal static class EventReader
{
    private const sbyte EventTimeExtension = 0;

    /// <summary>
    /// Reads an event up to its body, leaving <paramref name="reader"/> on the body, and gives the event's
    /// metadata map as raw MessagePack sliced from the reader's memory (no copy for a chunk, which is one
    /// buffer); empty for an event without metadata, with an empty map, or with metadata that is not a map.
    /// </summary>
    /// <exception cref="MalformedChunkException">The next value is not an event.</exception>
    public static EventTimestamp ReadEventHeader(ref MessagePackReader reader, out ReadOnlyMemory<byte> metadata)
    {
        metadata = default;
        long offset = reader.Consumed;
        if (reader.NextMessagePackType != MessagePackType.Array || reader.ReadArrayHeader() != 2)
        {
            throw new MalformedChunkException($"expected an event [header, body] at byte {offset}");
        }

        if (reader.NextMessagePackType != MessagePackType.Array)
        {
            return ReadTimestamp(ref reader, offset);
        }

        int headerLength = reader.ReadArrayHeader();
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

    private static ReadOnlyMemory<byte> ReadMetadata(ref MessagePackReader reader)
    {
        MessagePackReader peek = reader.CreatePeekReader();
        if (peek.NextMessagePackType != MessagePackType.Map || peek.ReadMapHeader() == 0)
        {
            reader.Skip();
            return default;
        }

        SequencePosition start = reader.Position;
        reader.Skip();
        ReadOnlySequence<byte> map = reader.Sequence.Slice(start, reader.Position);
        return map.IsSingleSegment ? map.First : map.ToArray();
    }

    private static EventTimestamp ReadTimestamp(ref MessagePackReader reader, long offset)
    {
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Extension:
                ExtensionHeader header = reader.ReadExtensionFormatHeader();
                if (header.TypeCode != EventTimeExtension || header.Length != 8)
                {
                    throw new MalformedChunkException($"expected an EventTime (ext 0, 8 bytes) at byte {offset}, found ext {header.TypeCode} of {header.Length} bytes");
                }

                var raw = reader.ReadRaw(8);
                Span<byte> bytes = stackalloc byte[8];
                BuffersExtensions.CopyTo(raw, bytes);
                uint seconds = BinaryPrimitives.ReadUInt32BigEndian(bytes);
                uint nanoseconds = BinaryPrimitives.ReadUInt32BigEndian(bytes[4..]);
                return new EventTimestamp(seconds, nanoseconds);
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

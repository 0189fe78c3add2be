using System;
using System.Buffers;
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
        if (TryReadCommonHeader(ref reader, out EventTimestamp common))
        {
            return common;
        }

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

    /// <summary>
    /// The header nearly every event of a Fluent Bit 2.1+ chunk has, <c>[[EventTime, {}], body]</c> with the metadata
    /// map empty (a fixmap, or a map16/map32 header of 0 as the cpu input writes it), recognised by its bytes in a
    /// one-buffer chunk and passed with two reads instead of one per element; anything else takes the general path.
    /// </summary>
    private static bool TryReadCommonHeader(ref MessagePackReader reader, out EventTimestamp timestamp)
    {
        timestamp = default;
        ReadOnlySequence<byte> chunk = reader.Sequence;
        if (!chunk.IsSingleSegment)
        {
            return false;
        }

        ReadOnlySpan<byte> bytes = chunk.FirstSpan[(int)reader.Consumed..];
        if (bytes.Length < 17 || bytes[0] != 0x92 || bytes[1] != 0x92 || bytes[2] != MessagePackCode.FixExt8 || (sbyte)bytes[3] != EventTimeExtension)
        {
            return false;
        }

        bool emptyMetadata = bytes[12] switch
        {
            MessagePackCode.MinFixMap => true,
            MessagePackCode.Map16 => bytes[13] == 0 && bytes[14] == 0,
            MessagePackCode.Map32 => BinaryPrimitives.ReadUInt32BigEndian(bytes[13..]) == 0,
            _ => false,
        };
        if (!emptyMetadata)
        {
            return false;
        }

        timestamp = new EventTimestamp(BinaryPrimitives.ReadUInt32BigEndian(bytes[4..]), BinaryPrimitives.ReadUInt32BigEndian(bytes[8..]));
        reader.ReadArrayHeader();
        reader.Skip();
        return true;
    }

    private static ReadOnlyMemory<byte> ReadMetadata(ref MessagePackReader reader)
    {
        if (reader.NextMessagePackType != MessagePackType.Map)
        {
            reader.Skip();
            return default;
        }

        // Offsets rather than a peek reader and positions: an event's metadata is nearly always an empty map,
        // and copying the reader or taking its position costs more than the rest of the header.
        long start = reader.Consumed;
        int count = reader.ReadMapHeader();
        if (count == 0)
        {
            return default;
        }

        for (int i = 0; i < count; i++)
        {
            reader.Skip();
            reader.Skip();
        }

        ReadOnlySequence<byte> map = reader.Sequence.Slice(start, reader.Consumed - start);
        return map.IsSingleSegment ? map.First : map.ToArray();
    }

    /// <summary>
    /// The EventTime as Fluent Bit writes it (fixext 8, type 0) read in place in a one-buffer chunk, which costs
    /// a fraction of reading its header and slicing its 8 bytes out of the sequence.
    /// </summary>
    private static bool TryReadEventTimeInPlace(ref MessagePackReader reader, out EventTimestamp timestamp)
    {
        timestamp = default;
        ReadOnlySequence<byte> chunk = reader.Sequence;
        if (reader.NextCode != MessagePackCode.FixExt8 || !chunk.IsSingleSegment)
        {
            return false;
        }

        ReadOnlySpan<byte> ext = chunk.FirstSpan[(int)reader.Consumed..];
        if (ext.Length < 10 || (sbyte)ext[1] != EventTimeExtension)
        {
            return false;
        }

        timestamp = new EventTimestamp(BinaryPrimitives.ReadUInt32BigEndian(ext[2..]), BinaryPrimitives.ReadUInt32BigEndian(ext[6..]));
        reader.Skip();
        return true;
    }

    private static EventTimestamp ReadTimestamp(ref MessagePackReader reader, long offset)
    {
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Extension:
                if (TryReadEventTimeInPlace(ref reader, out EventTimestamp inPlace))
                {
                    return inPlace;
                }

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

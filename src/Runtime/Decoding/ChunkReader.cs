using MessagePack;

namespace FluentBit.Plugins.Decoding;

/// <summary>
/// Walks the events of a chunk: each is <c>[header, body]</c>, the header either <c>[timestamp, metadata]</c>
/// (Fluent Bit 2.1 and later) or a bare timestamp, the timestamp an EventTime, an integer or a float.
/// </summary>
public static class ChunkReader
{
    private const sbyte EventTimeExtension = 0;

    /// <summary>Reads an event up to its body, leaving <paramref name="reader"/> on the body.</summary>
    /// <exception cref="MalformedChunkException">The next value is not an event.</exception>
    public static EventTimestamp ReadEventHeader(ref MessagePackReader reader)
    {
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

        // Metadata (and anything a later Fluent Bit appends to the header) is not used yet.
        for (int i = 1; i < headerLength; i++)
        {
            reader.Skip();
        }

        return timestamp;
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
                System.Span<byte> bytes = stackalloc byte[8];
                System.Buffers.BuffersExtensions.CopyTo(raw, bytes);
                uint seconds = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes);
                uint nanoseconds = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes[4..]);
                return new EventTimestamp(seconds, nanoseconds);
            case MessagePackType.Integer:
                return new EventTimestamp(reader.ReadInt64(), 0);
            case MessagePackType.Float:
                return EventTimestamp.FromDouble(reader.ReadDouble());
            default:
                throw new MalformedChunkException($"expected a timestamp at byte {offset}, found {reader.NextMessagePackType}");
        }
    }

    /// <summary>
    /// Reads the body's map header. A body that is not a map is skipped (Fluent Bit only sends maps,
    /// so this is damaged input, not a record to count) and false is returned.
    /// </summary>
    public static bool TryReadBodyMapHeader(ref MessagePackReader reader, out int count)
    {
        if (reader.NextMessagePackType == MessagePackType.Map)
        {
            count = reader.ReadMapHeader();
            return true;
        }

        reader.Skip();
        count = 0;
        return false;
    }

    /// <summary>
    /// Reads a map key as UTF-8 bytes straight from the chunk; false (with key and value skipped) for keys
    /// that are not strings, which no property or pattern can name.
    /// </summary>
    public static bool TryReadKey(ref MessagePackReader reader, out System.ReadOnlySpan<byte> key)
    {
        if (reader.NextMessagePackType != MessagePackType.String)
        {
            key = default;
            reader.Skip();
            reader.Skip();
            return false;
        }

        // A chunk is one contiguous buffer, so the key is always a single segment of it.
        System.Buffers.ReadOnlySequence<byte> bytes = reader.ReadStringSequence()!.Value;
        if (!bytes.IsSingleSegment)
        {
            key = default;
            reader.Skip();
            return false;
        }

        key = bytes.FirstSpan;
        return true;
    }
}

using System;
using System.Buffers;
using System.ComponentModel;
using System.IO;
using FluentBit.Plugins.Decoding;
using MessagePack;

namespace FluentBit.Plugins.CodeGen;

/// <summary>Reads a record body for generated code: its map header and its keys, straight from the chunk.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ChunkReader
{
    /// <summary>
    /// Skips the value the reader is on, nested maps and arrays included, as <c>MessagePackReader.Skip()</c> does but
    /// without recursing: a value nested 10,000 levels deep costs no more stack than a number, which matters on
    /// Fluent Bit's 24 to 64 KiB coroutine stacks. Use it instead of <c>MessagePackReader.Skip()</c> everywhere.
    /// </summary>
    /// <exception cref="EndOfStreamException">The value runs past the end of the reader's memory.</exception>
    public static void Skip(ref MessagePackReader reader)
    {
        if (reader.NextMessagePackType is not (MessagePackType.Map or MessagePackType.Array))
        {
            // A scalar: MessagePack's own skip reads its header and advances, without recursing.
            reader.Skip();
            return;
        }

        // A chunk is one buffer; a reader over several (never in a flush) is copied to measure the value.
        ReadOnlySequence<byte> rest = reader.Sequence.Slice(reader.Position);
        long length = ChunkStructure.ValueLength(rest.IsSingleSegment ? rest.FirstSpan : rest.ToArray());
        if (length < 0)
        {
            throw new EndOfStreamException($"a {reader.NextMessagePackType} at byte {reader.Consumed} runs past the end of the chunk");
        }

        reader.ReadRaw(length);
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

        Skip(ref reader);
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
            Skip(ref reader);
            Skip(ref reader);
            return false;
        }

        // A chunk is one contiguous buffer, so the key is always a single segment of it.
        if (!ValueReader.TryReadStringBytes(ref reader, out System.ReadOnlyMemory<byte> bytes))
        {
            key = default;
            Skip(ref reader);
            return false;
        }

        key = bytes.Span;
        return true;
    }

    /// <summary>
    /// With the reader on a map, moves it onto the value of <paramref name="key"/> and returns true; the reader is
    /// then inside the map, so seek on a copy (<c>MessagePackReader.CreatePeekReader()</c>) and skip the
    /// map with the original. False, with the whole value consumed, when it is not a map or lacks the key.
    /// Chained, it follows a record accessor path (<c>$kubernetes['labels']['app']</c>) without allocating.
    /// </summary>
    public static bool TrySeekKey(ref MessagePackReader reader, System.ReadOnlySpan<byte> key)
    {
        if (reader.NextMessagePackType != MessagePackType.Map)
        {
            Skip(ref reader);
            return false;
        }

        for (int count = reader.ReadMapHeader(); count > 0; count--)
        {
            if (TryReadKey(ref reader, out System.ReadOnlySpan<byte> name))
            {
                if (name.SequenceEqual(key))
                {
                    return true;
                }

                Skip(ref reader);
            }
        }

        return false;
    }

    /// <summary>
    /// With the reader on an array, moves it onto element <paramref name="index"/> (from 0) and returns true, as
    /// <see cref="TrySeekKey"/> does for a map key. False, with the whole value consumed, when it is not an
    /// array or has no such element.
    /// </summary>
    public static bool TrySeekIndex(ref MessagePackReader reader, int index)
    {
        if (reader.NextMessagePackType != MessagePackType.Array)
        {
            Skip(ref reader);
            return false;
        }

        int count = reader.ReadArrayHeader();
        for (int i = 0; i < count; i++)
        {
            if (i == index)
            {
                return true;
            }

            Skip(ref reader);
        }

        return false;
    }
}

using System;
using System.Buffers;
using System.Runtime.InteropServices;
using System.ComponentModel;
using MessagePack;

namespace FluentBit.Plugins.Decoding;

/// <summary>Reads a record body for generated code: its map header and its keys, straight from the chunk.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ChunkReader
{
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
        if (!TryReadStringSpan(ref reader, out key))
        {
            reader.Skip();
            return false;
        }

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
            reader.Skip();
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

                reader.Skip();
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
            reader.Skip();
            return false;
        }

        int count = reader.ReadArrayHeader();
        for (int i = 0; i < count; i++)
        {
            if (i == index)
            {
                return true;
            }

            reader.Skip();
        }

        return false;
    }

    /// <summary>
    /// Reads the string the reader is on as one contiguous piece of the chunk. A chunk is one buffer, so this
    /// fails only for a reader over a sequence of several buffers (never in a flush).
    /// </summary>
    internal static bool TryReadStringBytes(ref MessagePackReader reader, out ReadOnlyMemory<byte> bytes)
    {
        // The fast path slices the chunk's memory by offset: ReadStringSequence's slice of the sequence by position
        // costs more than the rest of a key's read.
        ReadOnlySequence<byte> chunk = reader.Sequence;
        if (chunk.IsSingleSegment && reader.TryReadStringSpan(out ReadOnlySpan<byte> span))
        {
            bytes = chunk.First.Slice((int)reader.Consumed - span.Length, span.Length);
            return true;
        }

        ReadOnlySequence<byte> sequence = reader.ReadStringSequence() ?? default;
        bytes = sequence.IsSingleSegment ? sequence.First : default;
        return sequence.IsSingleSegment;
    }

    /// <summary>
    /// Reads the string the reader is on as a span of the chunk (see <see cref="TryReadStringBytes"/>), without
    /// going through <see cref="ReadOnlyMemory{T}"/>, whose span a chunk's memory manager gives by a virtual call.
    /// </summary>
    internal static bool TryReadStringSpan(ref MessagePackReader reader, out ReadOnlySpan<byte> text)
    {
        if (reader.TryReadStringSpan(out ReadOnlySpan<byte> span))
        {
            // The span is the reader's memory (the chunk), not the reader: it lives as long as the chunk does.
            text = MemoryMarshal.CreateReadOnlySpan(ref MemoryMarshal.GetReference(span), span.Length);
            return true;
        }

        bool ok = TryReadStringBytes(ref reader, out ReadOnlyMemory<byte> bytes);
        text = bytes.Span;
        return ok;
    }
}

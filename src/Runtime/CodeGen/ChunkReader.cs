using System.ComponentModel;
using MessagePack;

namespace FluentBit.Plugins.CodeGen;

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
        if (!ValueReader.TryReadStringBytes(ref reader, out System.ReadOnlyMemory<byte> bytes))
        {
            key = default;
            reader.Skip();
            return false;
        }

        key = bytes.Span;
        return true;
    }
}

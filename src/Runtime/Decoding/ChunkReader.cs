using System;
using System.Buffers.Binary;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using MessagePack;

namespace FluentBit.Plugins.Decoding;

/// <summary>
/// Reads MessagePack straight from a chunk's bytes for the flush path and generated code: event headers, map
/// keys, numbers and strings in place, and an iterative skip.
/// </summary>
/// <remarks>
/// Written by hand rather than using MessagePack-CSharp's <c>MessagePackReader</c> (which the hook's metadata
/// accessor still hands out): that reader goes through a <c>SequenceReader</c> built for data spread over many
/// buffers, and every read pays for it (segment checks, positions, slices of the sequence); a chunk is always one
/// buffer. Reading the span directly decodes the cpu record in less time than <c>MessagePackReader</c> takes to
/// merely skip it (docs/benchmarks.md). Every read is bounds-checked by the span, and the flush path runs it only
/// over a chunk <see cref="ChunkStructure"/> has validated, so a read never runs past a value's end there; over
/// bytes nobody validated, damage surfaces as an exception, never as a read outside the bytes.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public ref struct ChunkReader
{
    private readonly ReadOnlyMemory<byte> _memory;
    private readonly ReadOnlySpan<byte> _bytes;
    private int _position;

    /// <summary>A reader at the start of <paramref name="memory"/>.</summary>
    public ChunkReader(ReadOnlyMemory<byte> memory)
    {
        _memory = memory;
        _bytes = memory.Span;
        _position = 0;
    }

    /// <summary>Whether every byte has been read.</summary>
    public readonly bool End => _position >= _bytes.Length;

    /// <summary>The bytes read so far: the offset of the next value.</summary>
    public readonly int Consumed => _position;

    /// <summary>The code byte of the next value.</summary>
    public readonly byte NextCode => _bytes[_position];

    /// <summary>The type of the next value.</summary>
    public readonly MessagePackType NextMessagePackType => MessagePackCode.ToMessagePackType(_bytes[_position]);

    /// <summary>Reads a map's header; false, reading nothing, when the next value is not a map.</summary>
    public bool TryReadMapHeader(out int count) =>
        TryReadHeader(MessagePackCode.MinFixMap, MessagePackCode.MaxFixMap, null, MessagePackCode.Map16, MessagePackCode.Map32, out count);

    /// <summary>Reads an array's header; false, reading nothing, when the next value is not an array.</summary>
    public bool TryReadArrayHeader(out int count) =>
        TryReadHeader(MessagePackCode.MinFixArray, MessagePackCode.MaxFixArray, null, MessagePackCode.Array16, MessagePackCode.Array32, out count);

    /// <summary>
    /// Reads the body's map header. A body that is not a map is skipped (Fluent Bit only sends maps,
    /// so this is damaged input, not a record to count) and false is returned.
    /// </summary>
    public bool TryReadBodyMapHeader(out int count)
    {
        if (TryReadMapHeader(out count))
        {
            return true;
        }

        Skip();
        return false;
    }

    /// <summary>
    /// Reads a map key as UTF-8 bytes straight from the chunk; false (with key and value skipped) for keys
    /// that are not strings, which no property or pattern can name.
    /// </summary>
    public bool TryReadKey(out ReadOnlySpan<byte> key)
    {
        if (TryReadStringSpan(out key))
        {
            return true;
        }

        Skip();
        Skip();
        return false;
    }

    /// <summary>Reads a string as a span of the chunk; false, reading nothing, when the next value is not a string.</summary>
    public bool TryReadStringSpan(out ReadOnlySpan<byte> text)
    {
        if (!TryReadStringHeader(out int length))
        {
            text = default;
            return false;
        }

        text = _bytes.Slice(_position, length);
        _position += length;
        return true;
    }

    /// <summary>
    /// Reads a string as a slice of the chunk's memory, for a value that must outlive this reader (yet not the
    /// flush); false, reading nothing, when the next value is not a string.
    /// </summary>
    public bool TryReadStringMemory(out ReadOnlyMemory<byte> text)
    {
        if (!TryReadStringHeader(out int length))
        {
            text = default;
            return false;
        }

        text = _memory.Slice(_position, length);
        _position += length;
        return true;
    }

    /// <summary>
    /// With the reader on a map, moves it onto the value of <paramref name="key"/> and returns true; the reader is
    /// then inside the map, so seek on a copy and skip the map with the original. False, with the whole value
    /// consumed, when it is not a map or lacks the key. Chained, it follows a record accessor path
    /// (<c>$kubernetes['labels']['app']</c>) without allocating.
    /// </summary>
    public bool TrySeekKey(ReadOnlySpan<byte> key)
    {
        if (!TryReadMapHeader(out int count))
        {
            Skip();
            return false;
        }

        for (; count > 0; count--)
        {
            if (TryReadKey(out ReadOnlySpan<byte> name))
            {
                if (name.SequenceEqual(key))
                {
                    return true;
                }

                Skip();
            }
        }

        return false;
    }

    /// <summary>Reads an integer as a long; an unsigned 64-bit integer beyond <see cref="long.MaxValue"/> throws.</summary>
    public long ReadInt64()
    {
        byte code = _bytes[_position];
        ReadOnlySpan<byte> payload = _bytes[(_position + 1)..];
        long value;
        switch (code)
        {
            case <= MessagePackCode.MaxFixInt:
                _position++;
                return code;
            case >= MessagePackCode.MinNegativeFixInt:
                _position++;
                return (sbyte)code;
            case MessagePackCode.UInt8:
                value = payload[0];
                break;
            case MessagePackCode.UInt16:
                value = BinaryPrimitives.ReadUInt16BigEndian(payload);
                break;
            case MessagePackCode.UInt32:
                value = BinaryPrimitives.ReadUInt32BigEndian(payload);
                break;
            case MessagePackCode.UInt64:
                value = checked((long)BinaryPrimitives.ReadUInt64BigEndian(payload));
                break;
            case MessagePackCode.Int8:
                value = (sbyte)payload[0];
                break;
            case MessagePackCode.Int16:
                value = BinaryPrimitives.ReadInt16BigEndian(payload);
                break;
            case MessagePackCode.Int32:
                value = BinaryPrimitives.ReadInt32BigEndian(payload);
                break;
            case MessagePackCode.Int64:
                value = BinaryPrimitives.ReadInt64BigEndian(payload);
                break;
            default:
                throw Unexpected("an integer");
        }

        _position += 1 + MessagePackFormat.NumberWidth(code);
        return value;
    }

    /// <summary>Reads an unsigned 64-bit integer (code 0xcf); use <see cref="ReadInt64"/> for every other integer.</summary>
    public ulong ReadUInt64()
    {
        if (_bytes[_position] != MessagePackCode.UInt64)
        {
            return checked((ulong)ReadInt64());
        }

        ulong value = BinaryPrimitives.ReadUInt64BigEndian(_bytes[(_position + 1)..]);
        _position += 9;
        return value;
    }

    /// <summary>Reads a float 32 or 64 as a double.</summary>
    public double ReadDouble()
    {
        byte code = _bytes[_position];
        switch (code)
        {
            case MessagePackCode.Float64:
                double wide = BinaryPrimitives.ReadDoubleBigEndian(_bytes[(_position + 1)..]);
                _position += 9;
                return wide;
            case MessagePackCode.Float32:
                float narrow = BinaryPrimitives.ReadSingleBigEndian(_bytes[(_position + 1)..]);
                _position += 5;
                return narrow;
            default:
                throw Unexpected("a float");
        }
    }

    /// <summary>Reads a boolean.</summary>
    public bool ReadBoolean()
    {
        byte code = _bytes[_position];
        if (code is not (MessagePackCode.True or MessagePackCode.False))
        {
            throw Unexpected("a boolean");
        }

        _position++;
        return code == MessagePackCode.True;
    }

    /// <summary>
    /// Reads an extension's header, leaving the reader on its data; false, reading nothing, when the next value
    /// is not an extension.
    /// </summary>
    public bool TryReadExtensionHeader(out sbyte type, out int length)
    {
        if (!MessagePackFormat.IsExtension(_bytes[_position]) || !MessagePackFormat.TryReadHead(_bytes[_position..], out int head, out long payload, out _))
        {
            type = 0;
            length = 0;
            return false;
        }

        // The type byte ends the head.
        type = (sbyte)_bytes[_position + head - 1];
        length = payload <= int.MaxValue ? (int)payload : throw new MalformedChunkException($"an extension of {payload} bytes at byte {_position} runs past any chunk");
        _position += head;
        return true;
    }

    /// <summary>Reads <paramref name="length"/> raw bytes (an extension's data).</summary>
    public ReadOnlySpan<byte> ReadRaw(int length)
    {
        ReadOnlySpan<byte> raw = _bytes.Slice(_position, length);
        _position += length;
        return raw;
    }

    /// <summary>The chunk's memory from <paramref name="start"/> to the current position.</summary>
    public readonly ReadOnlyMemory<byte> MemorySince(int start) => _memory[start.._position];

    /// <summary>
    /// Skips one value, nested values included. Iterative: the stack it needs is the same for a value nested a
    /// million levels deep (Fluent Bit runs flushes on coroutine stacks of 24 KiB).
    /// </summary>
    public void Skip()
    {
        long length = MessagePackFormat.ValueLength(_bytes[_position..]);
        _position += length >= 0 ? (int)length : throw Unexpected("a whole value");
    }

    private bool TryReadStringHeader(out int length) =>
        TryReadHeader(MessagePackCode.MinFixStr, MessagePackCode.MaxFixStr, MessagePackCode.Str8, MessagePackCode.Str16, MessagePackCode.Str32, out length);

    /// <summary>
    /// Reads the header of a string, array or map: a fix code holding the length, or a code followed by a big-endian
    /// length of 1 (strings only), 2 or 4 bytes. Inlined with constant codes, it is one compare per form.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryReadHeader(byte minFix, byte maxFix, byte? code8, byte code16, byte code32, out int length)
    {
        byte code = _bytes[_position];
        if (code >= minFix && code <= maxFix)
        {
            _position++;
            length = code - minFix;
            return true;
        }

        if (code == code8)
        {
            length = _bytes[_position + 1];
            _position += 2;
            return true;
        }

        if (code == code16)
        {
            length = BinaryPrimitives.ReadUInt16BigEndian(_bytes[(_position + 1)..]);
            _position += 3;
            return true;
        }

        if (code == code32)
        {
            length = Length32(_position + 1);
            _position += 5;
            return true;
        }

        length = 0;
        return false;
    }

    /// <summary>A 32-bit length; beyond what a 2 GiB chunk can hold, it is damage (the span's bounds would refuse it too).</summary>
    private readonly int Length32(int at)
    {
        uint length = BinaryPrimitives.ReadUInt32BigEndian(_bytes[at..]);
        return length <= int.MaxValue ? (int)length : throw new MalformedChunkException($"a length of {length} at byte {at - 1} runs past any chunk");
    }

    private readonly MalformedChunkException Unexpected(string expected) =>
        new($"expected {expected} at byte {_position}, found code 0x{_bytes[_position]:x2}");
}

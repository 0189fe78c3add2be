using System;
using System.Buffers.Binary;
using FluentBit.Plugins.Decoding;
using CpuFields = global::CpuDecodeOnly.CpuFields;

namespace FluentBit.Plugins.Benchmarks;

/// <summary>
/// A prototype, not framework code: what the generator could emit if <c>ApplyRecord</c> read the chunk through a
/// reader over the chunk's span (a chunk is always one buffer) instead of MessagePack-CSharp's
/// <c>MessagePackReader</c>, whose every call goes through a <c>SequenceReader</c> built for many buffers. It
/// decodes the cpu record exactly as the generated decode-only plugin does (same key dispatch, same states), so
/// the two rows compare the reader, nothing else.
/// </summary>
public ref struct SpanReader
{
    private readonly ReadOnlySpan<byte> _bytes;
    private int _position;

    public SpanReader(ReadOnlySpan<byte> bytes)
    {
        _bytes = bytes;
        _position = 0;
    }

    public readonly bool End => _position >= _bytes.Length;

    public int ReadArrayHeader()
    {
        byte code = _bytes[_position++];
        return code switch
        {
            >= 0x90 and <= 0x9f => code & 0x0f,
            0xdc => Read16(),
            0xdd => Read32(),
            _ => throw new MalformedChunkException($"expected an array at byte {_position - 1}"),
        };
    }

    public bool TryReadMapHeader(out int count)
    {
        byte code = _bytes[_position];
        switch (code)
        {
            case >= 0x80 and <= 0x8f:
                _position++;
                count = code & 0x0f;
                return true;
            case 0xde:
                _position++;
                count = Read16();
                return true;
            case 0xdf:
                _position++;
                count = Read32();
                return true;
            default:
                count = 0;
                return false;
        }
    }

    /// <summary>The EventTime of a v2 header, and the metadata skipped.</summary>
    public EventTimestamp ReadEventHeader()
    {
        if (ReadArrayHeader() != 2 || ReadArrayHeader() != 2 || _bytes[_position] != 0xd7 || _bytes[_position + 1] != 0)
        {
            throw new MalformedChunkException($"not a v2 event header at byte {_position}");
        }

        var timestamp = new EventTimestamp(BinaryPrimitives.ReadUInt32BigEndian(_bytes[(_position + 2)..]), BinaryPrimitives.ReadUInt32BigEndian(_bytes[(_position + 6)..]));
        _position += 10;
        Skip();
        return timestamp;
    }

    public bool TryReadString(out ReadOnlySpan<byte> text)
    {
        byte code = _bytes[_position];
        int length;
        switch (code)
        {
            case >= 0xa0 and <= 0xbf:
                _position++;
                length = code & 0x1f;
                break;
            case 0xd9:
                _position++;
                length = _bytes[_position++];
                break;
            case 0xda:
                _position++;
                length = Read16();
                break;
            case 0xdb:
                _position++;
                length = Read32();
                break;
            default:
                text = default;
                Skip();
                return false;
        }

        text = _bytes.Slice(_position, length);
        _position += length;
        return true;
    }

    public bool TryReadDouble(out double value)
    {
        byte code = _bytes[_position];
        switch (code)
        {
            case 0xcb:
                value = BinaryPrimitives.ReadDoubleBigEndian(_bytes[(_position + 1)..]);
                _position += 9;
                return true;
            case 0xca:
                value = BinaryPrimitives.ReadSingleBigEndian(_bytes[(_position + 1)..]);
                _position += 5;
                return true;
            case <= 0x7f:
                value = code;
                _position++;
                return true;
            case >= 0xe0:
                value = (sbyte)code;
                _position++;
                return true;
            default:
                value = 0;
                Skip();
                return false;
        }
    }

    /// <summary>Skips one value, nested ones included.</summary>
    public void Skip()
    {
        for (long pending = 1; pending > 0; pending--)
        {
            byte code = _bytes[_position++];
            switch (code)
            {
                case <= 0x7f or >= 0xe0 or 0xc0 or 0xc2 or 0xc3:
                    break;
                case <= 0x8f:
                    pending += 2 * (code & 0x0f);
                    break;
                case <= 0x9f:
                    pending += code & 0x0f;
                    break;
                case <= 0xbf:
                    _position += code & 0x1f;
                    break;
                case 0xc4 or 0xd9:
                    _position += 1 + _bytes[_position];
                    break;
                case 0xc5 or 0xda:
                    _position += 2 + Peek16();
                    break;
                case 0xc6 or 0xdb:
                    _position += 4 + Peek32();
                    break;
                case 0xc7:
                    _position += 2 + _bytes[_position];
                    break;
                case 0xc8:
                    _position += 3 + Peek16();
                    break;
                case 0xc9:
                    _position += 5 + Peek32();
                    break;
                case 0xca or 0xce or 0xd2:
                    _position += 4;
                    break;
                case 0xcb or 0xcf or 0xd3:
                    _position += 8;
                    break;
                case 0xcc or 0xd0:
                    _position += 1;
                    break;
                case 0xcd or 0xd1:
                    _position += 2;
                    break;
                case 0xd4:
                    _position += 2;
                    break;
                case 0xd5:
                    _position += 3;
                    break;
                case 0xd6:
                    _position += 5;
                    break;
                case 0xd7:
                    _position += 9;
                    break;
                case 0xd8:
                    _position += 17;
                    break;
                case 0xdc:
                    pending += Read16();
                    break;
                case 0xdd:
                    pending += Read32();
                    break;
                case 0xde:
                    pending += 2L * Read16();
                    break;
                case 0xdf:
                    pending += 2L * Read32();
                    break;
                default:
                    throw new MalformedChunkException($"invalid MessagePack code 0x{code:x2} at byte {_position - 1}");
            }
        }
    }

    private readonly int Peek16() => BinaryPrimitives.ReadUInt16BigEndian(_bytes[_position..]);

    private readonly int Peek32() => checked((int)BinaryPrimitives.ReadUInt32BigEndian(_bytes[_position..]));

    private int Read16()
    {
        int value = Peek16();
        _position += 2;
        return value;
    }

    private int Read32()
    {
        int value = Peek32();
        _position += 4;
        return value;
    }
}

/// <summary>The span-reader prototype's floor and the cpu decode the generated decode-only plugin does.</summary>
public static class SpanDecodePrototype
{
    public static void SkipEvents(Dataset data)
    {
        foreach (byte[] chunk in data.Chunks)
        {
            var reader = new SpanReader(chunk);
            while (!reader.End)
            {
                reader.Skip();
            }
        }
    }

    public static void DecodeCpu(Dataset data, CpuFields record)
    {
        foreach (byte[] chunk in data.Chunks)
        {
            var reader = new SpanReader(chunk);
            while (!reader.End)
            {
                reader.ReadEventHeader();
                ApplyCpu(ref reader, record);
            }
        }
    }

    // The generated decode-only ApplyRecord, line for line, over the span reader.
    private static void ApplyCpu(ref SpanReader reader, CpuFields record)
    {
        record.Total = default;
        record.User = default;
        record.System = default;
        record.Cpu0Total = default;
        record.Cpu0User = default;
        record.Cpu0System = default;
        record.Cpu1Total = default;
        record.Cpu1User = default;
        record.Cpu1System = default;
        if (!reader.TryReadMapHeader(out int count))
        {
            reader.Skip();
            return;
        }

        for (int i = 0; i < count; i++)
        {
            if (!reader.TryReadString(out ReadOnlySpan<byte> key))
            {
                reader.Skip();
                continue;
            }

            switch (key.Length)
            {
                case 5 when key.SequenceEqual("cpu_p"u8):
                    record.Total = reader.TryReadDouble(out double total) ? total : 0;
                    continue;
                case 6 when key.SequenceEqual("user_p"u8):
                    record.User = reader.TryReadDouble(out double user) ? user : 0;
                    continue;
                case 8 when key.SequenceEqual("system_p"u8):
                    record.System = reader.TryReadDouble(out double system) ? system : 0;
                    continue;
                case 10 when key.SequenceEqual("cpu0.p_cpu"u8):
                    record.Cpu0Total = reader.TryReadDouble(out double c0) ? c0 : 0;
                    continue;
                case 10 when key.SequenceEqual("cpu1.p_cpu"u8):
                    record.Cpu1Total = reader.TryReadDouble(out double c1) ? c1 : 0;
                    continue;
                case 11 when key.SequenceEqual("cpu0.p_user"u8):
                    record.Cpu0User = reader.TryReadDouble(out double u0) ? u0 : 0;
                    continue;
                case 11 when key.SequenceEqual("cpu1.p_user"u8):
                    record.Cpu1User = reader.TryReadDouble(out double u1) ? u1 : 0;
                    continue;
                case 13 when key.SequenceEqual("cpu0.p_system"u8):
                    record.Cpu0System = reader.TryReadDouble(out double s0) ? s0 : 0;
                    continue;
                case 13 when key.SequenceEqual("cpu1.p_system"u8):
                    record.Cpu1System = reader.TryReadDouble(out double s1) ? s1 : 0;
                    continue;
            }

            reader.Skip();
        }
    }
}

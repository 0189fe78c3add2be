using System;
using System.Buffers.Binary;

namespace FluentBit.Plugins.Decoding;

/// <summary>
/// Checks the MessagePack structure of a chunk straight from its bytes, before anything of it is applied: without
/// recursion (a value nested 10,000 levels deep costs no stack), without exceptions, without allocating, and
/// without reading a byte outside the chunk. A chunk that passes can then be decoded with
/// <c>MessagePackReader</c> without any read running past its end.
/// </summary>
internal static class ChunkStructure
{
    private const byte EventTimeExtension = 0;

    /// <summary>
    /// The length in bytes of the one MessagePack value <paramref name="data"/> starts with, nested values
    /// included; -1 when that value does not lie wholly within <paramref name="data"/> or uses the never-used
    /// code 0xc1. Iterative: the work is bounded by the bytes, the stack use constant.
    /// </summary>
    public static long ValueLength(ReadOnlySpan<byte> data)
    {
        // One tight loop over code bytes, as ChunkReader.Skip is, with every length checked against the end: this
        // runs over every byte of every chunk before anything of it is applied, so it costs as much as the decode
        // if written with a general head reader per value.
        long position = 0;
        long length = data.Length;

        // Values still to walk: each one needs at least a byte, so more of them than bytes left is damage.
        long pending = 1;
        while (pending > 0)
        {
            if (position >= length)
            {
                return -1;
            }

            byte code = data[(int)position++];
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
                    position += code & 0x1f;
                    break;
                case 0xc1:
                    return -1;
                case 0xcc or 0xd0:
                    position += 1;
                    break;
                case 0xcd or 0xd1:
                    position += 2;
                    break;
                case 0xca or 0xce or 0xd2:
                    position += 4;
                    break;
                case 0xcb or 0xcf or 0xd3:
                    position += 8;
                    break;
                case >= 0xd4 and <= 0xd8:
                    // fixext 1, 2, 4, 8, 16: the type byte, then 2^n bytes.
                    position += 1 + (1L << (code - 0xd4));
                    break;
                default:
                    // bin, ext and str 8/16/32 (a payload), array and map 16/32 (children): a big-endian length follows.
                    int width = code switch { 0xc4 or 0xc7 or 0xd9 => 1, 0xc5 or 0xc8 or 0xda or 0xdc or 0xde => 2, _ => 4 };
                    if (position + width > length)
                    {
                        return -1;
                    }

                    ReadOnlySpan<byte> bytes = data.Slice((int)position, width);
                    long count = width switch
                    {
                        1 => bytes[0],
                        2 => BinaryPrimitives.ReadUInt16BigEndian(bytes),
                        _ => BinaryPrimitives.ReadUInt32BigEndian(bytes),
                    };
                    position += width;
                    if (code >= 0xdc)
                    {
                        pending += count * (code >= 0xde ? 2 : 1);
                    }
                    else
                    {
                        // An extension's type byte precedes its data.
                        position += count + (code is >= 0xc7 and <= 0xc9 ? 1 : 0);
                    }

                    break;
            }

            pending--;
            if (position > length || pending > length - position)
            {
                return -1;
            }
        }

        return position;
    }

    /// <summary>
    /// Checks that <paramref name="chunk"/> is a sequence of Fluent Bit events, each <c>[header, body]</c> with
    /// the header either a timestamp or <c>[timestamp, ...]</c> (the timestamp an EventTime, an integer or a
    /// float) and every value within the chunk. The body may be any value: a body that is not a map is a record
    /// to skip, not damage. An empty chunk is valid and holds no event.
    /// </summary>
    /// <param name="chunk">The chunk's bytes.</param>
    /// <param name="events">The events found; when the chunk is damaged, the complete events before the damage.</param>
    /// <param name="damage">Where the first damaged event starts and what is wrong with it.</param>
    /// <returns>Whether the whole chunk is well formed.</returns>
    public static bool TryValidate(ReadOnlySpan<byte> chunk, out int events, out ChunkDamage damage)
    {
        events = 0;
        damage = default;
        long position = 0;
        while (position < chunk.Length)
        {
            long start = position;
            string? problem = CheckEvent(chunk, ref position);
            if (problem is not null)
            {
                damage = new ChunkDamage(start, problem);
                return false;
            }

            events++;
        }

        return true;
    }

    private static string? CheckEvent(ReadOnlySpan<byte> chunk, ref long position)
    {
        int common = CommonHeaderLength(chunk, position);
        if (common > 0)
        {
            long commonBody = Skip(chunk, position + common);
            if (commonBody < 0)
            {
                return "an event body runs past the end of the chunk";
            }

            position += common + commonBody;
            return null;
        }

        if (!TryReadHead(chunk, position, out long headLength, out _, out long children) || !IsArray(chunk[(int)position]) || children != 2)
        {
            return "an event is not a 2-element array [header, body]";
        }

        position += headLength;
        if (position < chunk.Length && IsArray(chunk[(int)position]))
        {
            if (!TryReadHead(chunk, position, out headLength, out _, out long headerLength) || headerLength < 1)
            {
                return "an event header is not [timestamp, metadata]";
            }

            long header = Skip(chunk, position);
            position += headLength;
            if (header < 0 || !IsTimestamp(chunk, position))
            {
                return header < 0 ? "an event header runs past the end of the chunk" : "an event header does not start with a timestamp";
            }

            position += header - headLength;
        }
        else
        {
            if (!IsTimestamp(chunk, position))
            {
                return "an event does not start with a timestamp";
            }

            position += Skip(chunk, position);
        }

        long body = Skip(chunk, position);
        if (body < 0)
        {
            return "an event body runs past the end of the chunk";
        }

        position += body;
        return null;
    }

    /// <summary>
    /// The length of <c>[[EventTime, {}], </c> when the event at <paramref name="position"/> starts so, with the empty
    /// metadata a fixmap or a map16 (as the cpu input writes it), else 0: what nearly every event of a Fluent Bit 2.1+
    /// chunk looks like, checked by its bytes instead of value by value.
    /// </summary>
    private static int CommonHeaderLength(ReadOnlySpan<byte> chunk, long position)
    {
        // 0x92 0x92, the EventTime (0xd7 0x00 and 8 bytes), the metadata, and a byte of body at least.
        if (chunk.Length - position < 16)
        {
            return 0;
        }

        ReadOnlySpan<byte> head = chunk.Slice((int)position, 16);
        if (head[0] != 0x92 || head[1] != 0x92 || head[2] != 0xd7 || head[3] != EventTimeExtension)
        {
            return 0;
        }

        return head[12] switch
        {
            0x80 => 13,
            0xde when head[13] == 0 && head[14] == 0 => 15,
            _ => 0,
        };
    }

    /// <summary>The length of the value at <paramref name="position"/>, or -1 (including when it is past the end).</summary>
    private static long Skip(ReadOnlySpan<byte> chunk, long position) =>
        position < chunk.Length ? ValueLength(chunk[(int)position..]) : -1;

    private static bool IsArray(byte code) => code is >= 0x90 and <= 0x9f or 0xdc or 0xdd;

    /// <summary>An EventTime (ext 0 of 8 bytes), an integer or a float, wholly within the chunk.</summary>
    private static bool IsTimestamp(ReadOnlySpan<byte> chunk, long position)
    {
        if (Skip(chunk, position) < 0)
        {
            return false;
        }

        byte code = chunk[(int)position];
        if (code is 0xd7 or (>= 0xc7 and <= 0xc9))
        {
            // An extension: the type byte ends its header.
            TryReadHead(chunk, position, out long headLength, out long payload, out _);
            return payload == 8 && chunk[(int)(position + headLength - 1)] == EventTimeExtension;
        }

        return code is <= 0x7f or >= 0xe0 or (>= 0xcc and <= 0xd3) or 0xca or 0xcb;
    }

    /// <summary>
    /// Decodes the head of the value at <paramref name="position"/>: the bytes of its header, the bytes of its
    /// payload (a string's, a binary's or an extension's data) and how many values it contains (an array's
    /// elements, twice a map's entries). False when the header itself is cut short or the code is 0xc1.
    /// </summary>
    private static bool TryReadHead(ReadOnlySpan<byte> data, long position, out long headLength, out long payload, out long children)
    {
        headLength = 1;
        payload = 0;
        children = 0;
        if (position >= data.Length)
        {
            return false;
        }

        ReadOnlySpan<byte> rest = data[(int)position..];
        byte code = rest[0];
        switch (code)
        {
            case <= 0x7f or >= 0xe0 or 0xc0 or 0xc2 or 0xc3:
                return true;
            case <= 0x8f:
                children = 2 * (code & 0x0f);
                return true;
            case <= 0x9f:
                children = code & 0x0f;
                return true;
            case <= 0xbf:
                payload = code & 0x1f;
                return true;
            case 0xc1:
                return false;
            case 0xca or 0xcb or (>= 0xcc and <= 0xd3):
                // float 32 and 64, uint and int 8 to 64: a payload of fixed width.
                payload = code switch { 0xcc or 0xd0 => 1, 0xcd or 0xd1 => 2, 0xca or 0xce or 0xd2 => 4, _ => 8 };
                return true;
            case >= 0xd4 and <= 0xd8:
                // fixext 1, 2, 4, 8, 16: the type byte, then 2^n bytes.
                headLength = 2;
                payload = 1L << (code - 0xd4);
                return true;
            default:
                // bin, ext and str 8/16/32 (a payload), array and map 16/32 (children): a big-endian length follows.
                int width = code switch { 0xc4 or 0xc7 or 0xd9 => 1, 0xc5 or 0xc8 or 0xda or 0xdc or 0xde => 2, _ => 4 };
                bool ok = Length(rest, width, out headLength, out long length);
                if (code >= 0xdc)
                {
                    children = length * (code >= 0xde ? 2 : 1);
                }
                else
                {
                    payload = length;
                }

                // An extension's type byte ends its header.
                headLength += code is >= 0xc7 and <= 0xc9 ? 1 : 0;
                return ok;
        }
    }

    /// <summary>Reads the big-endian length of <paramref name="size"/> bytes that follows the code byte.</summary>
    private static bool Length(ReadOnlySpan<byte> rest, int size, out long headLength, out long length)
    {
        headLength = 1 + size;
        length = 0;
        if (rest.Length < 1 + size)
        {
            return false;
        }

        ReadOnlySpan<byte> bytes = rest.Slice(1, size);
        length = size switch
        {
            1 => bytes[0],
            2 => BinaryPrimitives.ReadUInt16BigEndian(bytes),
            _ => BinaryPrimitives.ReadUInt32BigEndian(bytes),
        };
        return true;
    }
}

/// <summary>Where a damaged chunk's first bad event starts, and what is wrong with it (a constant: no allocation).</summary>
internal readonly record struct ChunkDamage(long Offset, string Problem);

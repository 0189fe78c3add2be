using System;
using System.Buffers.Binary;
using MessagePack;

namespace FluentBit.Plugins.Decoding;

/// <summary>
/// MessagePack's byte layout, once, for every reader here (<see cref="ChunkStructure"/>, <see cref="ChunkReader"/>,
/// the event header's reader): how long a value is (<see cref="ValueLength"/>, nested values included) and what its
/// head says (<see cref="TryReadHead"/>). The codes are named by MessagePack-CSharp's <c>MessagePackCode</c>; this is
/// the only file that knows, for example, that a str 8 (0xd9) has a one-byte length, or that 0xc1 is never used.
/// </summary>
/// <remarks>
/// By hand because MessagePack-CSharp has no such table: its <c>MessagePackReader</c> decodes each form in its own
/// method over a <c>SequenceReader</c>, which costs more than the whole decode here (see <see cref="ChunkReader"/>).
/// </remarks>
internal static class MessagePackFormat
{
    /// <summary>Fluent Bit's EventTime: extension type 0, 8 bytes (seconds and nanoseconds, big-endian).</summary>
    public const sbyte EventTimeExtension = 0;

    /// <summary>
    /// The length in bytes of the one MessagePack value <paramref name="data"/> starts with, nested values
    /// included; -1 when that value does not lie wholly within <paramref name="data"/> or uses the never-used
    /// code. Iterative: the work is bounded by the bytes, the stack use constant.
    /// </summary>
    public static long ValueLength(ReadOnlySpan<byte> data)
    {
        // One tight loop over code bytes, every length checked against the end: the validator runs it over every
        // byte of every chunk before anything is applied, and the reader's skip over every value it does not read.
        // A general head reader per value, or a table lookup, measured twice as slow, and even calling NumberWidth and
        // ReadLength from here instead of the widths written out below made a skip 50 % slower (docs/benchmarks.md).
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
                case <= MessagePackCode.MaxFixInt or >= MessagePackCode.MinNegativeFixInt or MessagePackCode.Nil or MessagePackCode.False or MessagePackCode.True:
                    break;
                case <= MessagePackCode.MaxFixMap:
                    pending += 2 * (code & 0x0f);
                    break;
                case <= MessagePackCode.MaxFixArray:
                    pending += code & 0x0f;
                    break;
                case <= MessagePackCode.MaxFixStr:
                    position += code & 0x1f;
                    break;
                case MessagePackCode.NeverUsed:
                    return -1;
                case MessagePackCode.UInt8 or MessagePackCode.Int8:
                    position += 1;
                    break;
                case MessagePackCode.UInt16 or MessagePackCode.Int16:
                    position += 2;
                    break;
                case MessagePackCode.Float32 or MessagePackCode.UInt32 or MessagePackCode.Int32:
                    position += 4;
                    break;
                case MessagePackCode.Float64 or MessagePackCode.UInt64 or MessagePackCode.Int64:
                    position += 8;
                    break;
                case >= MessagePackCode.FixExt1 and <= MessagePackCode.FixExt16:
                    // fixext 1, 2, 4, 8, 16: the type byte, then 2^n bytes.
                    position += 1 + (1L << (code - MessagePackCode.FixExt1));
                    break;
                default:
                    // bin, ext and str 8/16/32 (a payload), array and map 16/32 (children): a big-endian length follows.
                    int width = LengthWidth(code);
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
                    if (code >= MessagePackCode.Array16)
                    {
                        pending += count * (code >= MessagePackCode.Map16 ? 2 : 1);
                    }
                    else
                    {
                        // An extension's type byte precedes its data.
                        position += count + (code is >= MessagePackCode.Ext8 and <= MessagePackCode.Ext32 ? 1 : 0);
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
    /// Reads the head of the value <paramref name="rest"/> starts with (it must not be empty): the bytes of the head
    /// (code, length, an extension's type), the bytes of payload after it (a string's, a binary's, an extension's
    /// data, a number) and the values nested in it (an array's elements, twice a map's entries). False when the head
    /// is cut short or the code is never used.
    /// </summary>
    public static bool TryReadHead(ReadOnlySpan<byte> rest, out int headLength, out long payload, out long children)
    {
        byte code = rest[0];
        headLength = 1;
        payload = 0;
        children = 0;
        switch (code)
        {
            case <= MessagePackCode.MaxFixInt or >= MessagePackCode.MinNegativeFixInt
                or MessagePackCode.Nil or MessagePackCode.False or MessagePackCode.True:
                return true;
            case <= MessagePackCode.MaxFixMap:
                children = 2 * (code & 0x0f);
                return true;
            case <= MessagePackCode.MaxFixArray:
                children = code & 0x0f;
                return true;
            case <= MessagePackCode.MaxFixStr:
                payload = code & 0x1f;
                return true;
            case MessagePackCode.NeverUsed:
                return false;
            case >= MessagePackCode.Float32 and <= MessagePackCode.Int64:
                payload = NumberWidth(code);
                return true;
            case >= MessagePackCode.FixExt1 and <= MessagePackCode.FixExt16:
                // The type byte, then 1, 2, 4, 8 or 16 bytes.
                headLength = 2;
                payload = 1L << (code - MessagePackCode.FixExt1);
                return true;
            default:
                int width = LengthWidth(code);
                if (rest.Length <= width)
                {
                    return false;
                }

                long length = ReadLength(rest.Slice(1, width));
                headLength = 1 + width;
                if (code >= MessagePackCode.Array16)
                {
                    children = code >= MessagePackCode.Map16 ? 2 * length : length;
                }
                else
                {
                    payload = length;
                    if (IsExtension(code))
                    {
                        // An extension's type byte ends its head.
                        headLength++;
                    }
                }

                return true;
        }
    }

    /// <summary>
    /// The width of the big-endian length after bin, ext and str 8/16/32 (a payload's bytes) and array and map 16/32
    /// (values, pairs).
    /// </summary>
    private static int LengthWidth(byte code) => code switch
    {
        MessagePackCode.Bin8 or MessagePackCode.Ext8 or MessagePackCode.Str8 => 1,
        MessagePackCode.Bin16 or MessagePackCode.Ext16 or MessagePackCode.Str16 or MessagePackCode.Array16 or MessagePackCode.Map16 => 2,
        _ => 4,
    };

    private static long ReadLength(ReadOnlySpan<byte> bytes) => bytes.Length switch
    {
        1 => bytes[0],
        2 => BinaryPrimitives.ReadUInt16BigEndian(bytes),
        _ => BinaryPrimitives.ReadUInt32BigEndian(bytes),
    };

    /// <summary>The payload width of a number code, float 32 to int 64.</summary>
    public static int NumberWidth(byte code) => code switch
    {
        MessagePackCode.UInt8 or MessagePackCode.Int8 => 1,
        MessagePackCode.UInt16 or MessagePackCode.Int16 => 2,
        MessagePackCode.Float32 or MessagePackCode.UInt32 or MessagePackCode.Int32 => 4,
        _ => 8,
    };

    public static bool IsArray(byte code) =>
        code is (>= MessagePackCode.MinFixArray and <= MessagePackCode.MaxFixArray) or MessagePackCode.Array16 or MessagePackCode.Array32;

    public static bool IsExtension(byte code) =>
        code is (>= MessagePackCode.Ext8 and <= MessagePackCode.Ext32) or (>= MessagePackCode.FixExt1 and <= MessagePackCode.FixExt16);

    /// <summary>An integer (fixint, negative fixint, uint or int 8 to 64) or a float 32 or 64.</summary>
    public static bool IsNumber(byte code) =>
        code is <= MessagePackCode.MaxFixInt or >= MessagePackCode.MinNegativeFixInt or (>= MessagePackCode.Float32 and <= MessagePackCode.Int64);
}

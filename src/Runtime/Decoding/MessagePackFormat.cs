using System;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using MessagePack;

namespace FluentBit.Plugins.Decoding;

/// <summary>
/// MessagePack's byte layout, once, for every reader here (<see cref="ChunkStructure"/>, <see cref="ChunkReader"/>,
/// the event header's reader): for a code byte, how long the value's head is, how many bytes of payload follow
/// it and how many values it contains. The codes are named by MessagePack-CSharp's <c>MessagePackCode</c>;
/// this is the only file that knows, for example, that a str 8 (0xd9) has a one-byte length, or that 0xc1 is never used.
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
    /// Reads the head of the value <paramref name="rest"/> starts with (it must not be empty): the bytes of the head
    /// (code, length, an extension's type), the bytes of payload after it (a string's, a binary's, an extension's
    /// data, a number) and the values nested in it (an array's elements, twice a map's entries). False when the head
    /// is cut short or the code is never used (0xc1).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
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
                // bin, ext and str 8/16/32 (a payload), array and map 16/32 (values): a big-endian length follows.
                int width = code switch
                {
                    MessagePackCode.Bin8 or MessagePackCode.Ext8 or MessagePackCode.Str8 => 1,
                    MessagePackCode.Bin16 or MessagePackCode.Ext16 or MessagePackCode.Str16 or MessagePackCode.Array16 or MessagePackCode.Map16 => 2,
                    _ => 4,
                };
                if (rest.Length <= width)
                {
                    return false;
                }

                ReadOnlySpan<byte> bytes = rest.Slice(1, width);
                long length = width switch
                {
                    1 => bytes[0],
                    2 => BinaryPrimitives.ReadUInt16BigEndian(bytes),
                    _ => BinaryPrimitives.ReadUInt32BigEndian(bytes),
                };
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

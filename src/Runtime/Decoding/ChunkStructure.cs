using System;
using MessagePack;

namespace FluentBit.Plugins.Decoding;

/// <summary>
/// Checks the MessagePack structure of a chunk straight from its bytes, before anything of it is applied: without
/// recursion (a value nested 10,000 levels deep costs no stack), without exceptions, without allocating, and
/// without reading a byte outside the chunk. A chunk that passes can then be decoded with
/// <see cref="ChunkReader"/> (or the hook's <c>MessagePackReader</c>) without any read running past its end.
/// </summary>
internal static class ChunkStructure
{
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

        if (!TryReadHead(chunk, position, out int headLength, out _, out long children) || !MessagePackFormat.IsArray(chunk[(int)position]) || children != 2)
        {
            return "an event is not a 2-element array [header, body]";
        }

        position += headLength;
        if (position < chunk.Length && MessagePackFormat.IsArray(chunk[(int)position]))
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
        // Two fixarray 2 heads, the EventTime (fixext 8 of type 0), the metadata, and a byte of body at least.
        if (chunk.Length - position < 16)
        {
            return 0;
        }

        const byte Pair = MessagePackCode.MinFixArray + 2;
        ReadOnlySpan<byte> head = chunk.Slice((int)position, 16);
        if (head[0] != Pair || head[1] != Pair || head[2] != MessagePackCode.FixExt8 || head[3] != MessagePackFormat.EventTimeExtension)
        {
            return 0;
        }

        return head[12] switch
        {
            MessagePackCode.MinFixMap => 13,
            MessagePackCode.Map16 when head[13] == 0 && head[14] == 0 => 15,
            _ => 0,
        };
    }

    /// <summary>The length of the value at <paramref name="position"/>, or -1 (including when it is past the end).</summary>
    private static long Skip(ReadOnlySpan<byte> chunk, long position) =>
        position < chunk.Length ? MessagePackFormat.ValueLength(chunk[(int)position..]) : -1;

    /// <summary>An EventTime (ext 0 of 8 bytes), an integer or a float, wholly within the chunk.</summary>
    private static bool IsTimestamp(ReadOnlySpan<byte> chunk, long position)
    {
        if (Skip(chunk, position) < 0)
        {
            return false;
        }

        byte code = chunk[(int)position];
        if (MessagePackFormat.IsExtension(code))
        {
            // The type byte ends the head.
            TryReadHead(chunk, position, out int headLength, out long payload, out _);
            return payload == 8 && (sbyte)chunk[(int)(position + headLength - 1)] == MessagePackFormat.EventTimeExtension;
        }

        return MessagePackFormat.IsNumber(code);
    }

    private static bool TryReadHead(ReadOnlySpan<byte> chunk, long position, out int headLength, out long payload, out long children)
    {
        if (position < chunk.Length)
        {
            return MessagePackFormat.TryReadHead(chunk[(int)position..], out headLength, out payload, out children);
        }

        (headLength, payload, children) = (0, 0, 0);
        return false;
    }
}

/// <summary>Where a damaged chunk's first bad event starts, and what is wrong with it (a constant: no allocation).</summary>
internal readonly record struct ChunkDamage(long Offset, string Problem);

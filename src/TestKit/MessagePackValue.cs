using System;
using System.Collections.Generic;

namespace FluentBit.Plugins.TestKit;

/// <summary>
/// MessagePack values Fluent Bit itself never writes, to feed through <see cref="ChunkBuilder.Add"/> (as a body,
/// inside one, or as metadata) when testing a plugin against hostile or damaged input: keys that are not strings,
/// strings that are not UTF-8, nesting deeper than any record, bytes written as they are.
/// </summary>
/// <example>
/// <code>
/// var chunk = new ChunkBuilder()
///     .Add(MessagePackValue.Map((1L, "an integer key"), ("status", MessagePackValue.Str([0x34, 0xff]))))
///     .Add(new Dictionary&lt;string, object?&gt; { ["nested"] = MessagePackValue.Nested(10_000) });
/// </code>
/// </example>
public static class MessagePackValue
{
    /// <summary>A map whose keys may be of any type (an integer, bin, nil, a boolean, a <see cref="Str"/>), in the order given.</summary>
    public static MapValue Map(params (object? Key, object? Value)[] entries) => new(entries);

    /// <summary>A str whose bytes are written as given, valid UTF-8 or not.</summary>
    public static StrValue Str(byte[] bytes) => new(bytes);

    /// <summary>MessagePack bytes written as they are: one value, several, or a damaged one.</summary>
    public static RawValue Raw(byte[] bytes) => new(bytes);

    /// <summary>A value nested <paramref name="levels"/> deep: one-element arrays (or one-entry maps under the key "a") around a 1.</summary>
    public static RawValue Nested(int levels, bool maps = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(levels);
        var bytes = new List<byte>((levels * 3) + 1);
        for (int i = 0; i < levels; i++)
        {
            bytes.AddRange(maps ? [0x81, 0xa1, (byte)'a'] : [0x91]);
        }

        bytes.Add(0x01);
        return new RawValue(bytes.ToArray());
    }

    /// <summary>A map with keys of any type; see <see cref="Map"/>.</summary>
    /// <param name="Entries">The entries, in order.</param>
    public sealed record MapValue((object? Key, object? Value)[] Entries);

    /// <summary>A str of any bytes; see <see cref="Str"/>.</summary>
    /// <param name="Bytes">The string's bytes.</param>
    public sealed record StrValue(byte[] Bytes);

    /// <summary>MessagePack written as it is; see <see cref="Raw"/>.</summary>
    /// <param name="Bytes">The bytes.</param>
    public sealed record RawValue(byte[] Bytes);
}

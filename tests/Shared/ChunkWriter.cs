using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Generic;
using MessagePack;

namespace FluentBit.Plugins.Testing;

/// <summary>
/// Writes chunks as Fluent Bit 2.1+ does, <c>[[EventTime, {metadata}], {body}]</c> per event, with values of any
/// MessagePack shape, including those Fluent Bit never writes (non-string keys, invalid UTF-8, raw bytes).
/// </summary>
/// <remarks>
/// Values: <c>null</c>, <see cref="string"/>, <see cref="bool"/>, <see cref="int"/>, <see cref="long"/>,
/// <see cref="ulong"/>, <see cref="float"/>, <see cref="double"/>, <see cref="byte"/>[] (bin), <see cref="Utf8"/>
/// (a str of any bytes), <see cref="Raw"/> (MessagePack written as is), <see cref="long"/>[] and <c>object?[]</c>
/// (arrays), <c>Dictionary&lt;string, object?&gt;</c> and <see cref="Pairs"/> (maps, the latter with keys of any type).
/// </remarks>
public sealed class ChunkWriter
{
    public const long Epoch = 1_700_000_000;

    private readonly ArrayBufferWriter<byte> _buffer = new();

    /// <summary>A str whose bytes are written as given, valid UTF-8 or not.</summary>
    public sealed record Utf8(byte[] Bytes);

    /// <summary>MessagePack bytes written as they are: a value, several, or a damaged one.</summary>
    public sealed record Raw(byte[] Bytes);

    /// <summary>A map whose keys may be of any type.</summary>
    public sealed record Pairs(params (object? Key, object? Value)[] Entries);

    public int Events { get; private set; }

    /// <summary>Adds an event at <see cref="Epoch"/> plus <paramref name="second"/>, half a second in.</summary>
    public ChunkWriter Event(object? body, Dictionary<string, object?>? metadata = null, long second = 0)
    {
        var writer = new MessagePackWriter(_buffer);
        writer.WriteArrayHeader(2);
        writer.WriteArrayHeader(2);
        byte[] time = new byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(time, (uint)(Epoch + second));
        BinaryPrimitives.WriteUInt32BigEndian(time.AsSpan(4), 500_000_000);
        writer.WriteExtensionFormat(new ExtensionResult(0, time));
        Write(ref writer, metadata ?? new Dictionary<string, object?>());
        Write(ref writer, body);
        writer.Flush();
        Events++;
        return this;
    }

    /// <summary>Adds bytes as they are (a damaged event, or anything else that is not an event).</summary>
    public ChunkWriter Bytes(ReadOnlySpan<byte> bytes)
    {
        _buffer.Write(bytes);
        return this;
    }

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    /// <summary>A value nested <paramref name="levels"/> deep: one-element arrays (or one-entry maps under key "a") around a 1.</summary>
    public static Raw Nested(int levels, bool maps = false)
    {
        var bytes = new List<byte>(levels * 3 + 1);
        for (int i = 0; i < levels; i++)
        {
            bytes.AddRange(maps ? [0x81, 0xa1, (byte)'a'] : [0x91]);
        }

        bytes.Add(0x01);
        return new Raw(bytes.ToArray());
    }

    public static void Write(ref MessagePackWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNil(); break;
            case string s: writer.Write(s); break;
            case bool b: writer.Write(b); break;
            case int i: writer.Write(i); break;
            case long l: writer.Write(l); break;
            case ulong u: writer.Write(u); break;
            case float f: writer.Write(f); break;
            case double d: writer.Write(d); break;
            case byte[] bin: writer.Write(bin); break;
            case Utf8 utf8:
                writer.WriteStringHeader(utf8.Bytes.Length);
                writer.WriteRaw(utf8.Bytes);
                break;
            case Raw raw: writer.WriteRaw(raw.Bytes); break;
            case long[] array:
                writer.WriteArrayHeader(array.Length);
                foreach (long item in array)
                {
                    writer.Write(item);
                }

                break;
            case object?[] array:
                writer.WriteArrayHeader(array.Length);
                foreach (object? item in array)
                {
                    Write(ref writer, item);
                }

                break;
            case Dictionary<string, object?> map:
                writer.WriteMapHeader(map.Count);
                foreach ((string key, object? item) in map)
                {
                    writer.Write(key);
                    Write(ref writer, item);
                }

                break;
            case Pairs pairs:
                writer.WriteMapHeader(pairs.Entries.Length);
                foreach ((object? key, object? item) in pairs.Entries)
                {
                    Write(ref writer, key);
                    Write(ref writer, item);
                }

                break;
            default: throw new ArgumentException($"cannot write {value.GetType()}");
        }
    }
}

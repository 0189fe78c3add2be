using System;
using System.Buffers.Binary;

namespace FluentBit.Plugins.Lookup;

/// <summary>The hash of a UTF-8 key for <see cref="Utf8KeyTable{T}"/>: series keys, record keys, string cache entries.</summary>
internal static class Utf8Hash
{
    /// <summary>
    /// The key's hash: wyhash's mixing (a 128-bit product folded to 64 bits) over 8-byte words, keyed with secrets
    /// drawn at random per process, as Go's maps and Zig's hash tables do, so label values in the records cannot be
    /// chosen to collide. A record key or label value is short: this costs a few multiplications where
    /// <see cref="HashCode.AddBytes"/> runs a round per 4 bytes and per trailing byte.
    /// </summary>
    public static int Of(ReadOnlySpan<byte> key)
    {
        ulong seed = Secrets.Seed ^ ((ulong)key.Length * Secrets.Length);
        ulong a, b;
        if (key.Length <= 16)
        {
            if (key.Length >= 8)
            {
                a = Word(key);
                b = Word(key[^8..]);
            }
            else if (key.Length >= 4)
            {
                a = BinaryPrimitives.ReadUInt32LittleEndian(key);
                b = BinaryPrimitives.ReadUInt32LittleEndian(key[^4..]);
            }
            else
            {
                a = key.IsEmpty ? 0 : ((ulong)key[0] << 16) | ((ulong)key[key.Length >> 1] << 8) | key[^1];
                b = 0;
            }
        }
        else
        {
            ReadOnlySpan<byte> rest = key;
            while (rest.Length > 16)
            {
                seed = Mix(Word(rest) ^ Secrets.First, Word(rest[8..]) ^ seed);
                rest = rest[16..];
            }

            a = Word(key[^16..]);
            b = Word(key[^8..]);
        }

        ulong hash = Mix(Secrets.First ^ (ulong)key.Length, Mix(a ^ Secrets.First, b ^ seed));
        return (int)(hash ^ (hash >> 32));
    }

    private static ulong Word(ReadOnlySpan<byte> bytes) => BinaryPrimitives.ReadUInt64LittleEndian(bytes);

    private static ulong Mix(ulong a, ulong b)
    {
        ulong high = Math.BigMul(a, b, out ulong low);
        return high ^ low;
    }

    private static class Secrets
    {
        public static readonly ulong Seed = Draw();
        public static readonly ulong First = Draw() | 1;
        public static readonly ulong Length = Draw() | 1;

        // Random.Shared is seeded from the operating system's random source, as HashCode's seed is.
        private static ulong Draw() => ((ulong)Random.Shared.NextInt64() << 1) ^ (ulong)Random.Shared.NextInt64();
    }
}

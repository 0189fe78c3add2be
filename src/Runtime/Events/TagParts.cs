using System;

namespace FluentBit.Plugins;

/// <summary>
/// The dot-separated parts of a tag (<c>kube.var.log.containers.app.log</c>), found without allocating.
/// Parts are what lies between dots, so <c>a..b</c> has an empty second part and <c>a.</c> an empty last one;
/// an empty tag has no parts.
/// </summary>
internal static class TagParts
{
    /// <summary>The number of parts: dots + 1, or 0 for an empty tag.</summary>
    public static int Count(ReadOnlySpan<byte> tag) => tag.IsEmpty ? 0 : tag.Count((byte)'.') + 1;

    /// <summary>
    /// Part <paramref name="index"/> of <paramref name="tag"/>: 0 is the first, -1 the last, -2 the one before.
    /// False when the tag has no such part.
    /// </summary>
    public static bool TryGet(ReadOnlySpan<byte> tag, int index, out ReadOnlySpan<byte> part)
    {
        part = default;
        if (index < 0)
        {
            index += Count(tag);
            if (index < 0)
            {
                return false;
            }
        }

        if (tag.IsEmpty)
        {
            return false;
        }

        for (; index > 0; index--)
        {
            int dot = tag.IndexOf((byte)'.');
            if (dot < 0)
            {
                return false;
            }

            tag = tag[(dot + 1)..];
        }

        int end = tag.IndexOf((byte)'.');
        part = end < 0 ? tag : tag[..end];
        return true;
    }
}

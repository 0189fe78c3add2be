using System;
using System.Text;
using FluentBit.Plugins.Patterns;

namespace FluentBit.Plugins.CodeGen;

/// <summary>Matches UTF-8 record keys against a key pattern and adds the label values it captures to a series key.</summary>
internal sealed class KeyPatternMatcher
{
    private readonly byte[]?[] _literals;
    private readonly KeyPatternSegment[] _segments;

    // Per capture, in Labels order, the captured values it rewrites and their replacements, as UTF-8.
    private readonly byte[][][] _rewriteFrom;
    private readonly byte[][][] _rewriteTo;

    public KeyPatternMatcher(string pattern)
    {
        KeyPatternSyntax syntax = KeyPatternSyntax.Parse(pattern, out string error)
            ?? throw new ArgumentException($"invalid key pattern '{pattern}': {error}", nameof(pattern));
        _segments = syntax.Segments;
        _literals = Array.ConvertAll(_segments, s => s.Literal is null ? null : Encoding.UTF8.GetBytes(s.Literal));
        Labels = [.. syntax.Labels];
        KeyPatternSegment[] captures = Array.FindAll(_segments, s => s.Label is not null);
        _rewriteFrom = Array.ConvertAll(captures, s => Array.ConvertAll(s.Rewrites, r => Encoding.UTF8.GetBytes(r.Key)));
        _rewriteTo = Array.ConvertAll(captures, s => Array.ConvertAll(s.Rewrites, r => Encoding.UTF8.GetBytes(r.Value)));
    }

    /// <summary>The captured labels, in pattern order.</summary>
    public string[] Labels { get; }

    /// <summary>
    /// If <paramref name="key"/> matches, adds its label values to <paramref name="series"/> in the order
    /// <paramref name="captureOrder"/> gives (indexes into <see cref="Labels"/>), rewritten, without allocating.
    /// </summary>
    public bool TryAddLabelValues(ReadOnlySpan<byte> key, ReadOnlySpan<int> captureOrder, ref SeriesKey series)
    {
        // Most keys a flush offers do not match: find that out without allocating.
        Span<Range> captures = stackalloc Range[Labels.Length];
        if (!TryMatch(key, captures))
        {
            return false;
        }

        foreach (int capture in captureOrder)
        {
            series.Add(Rewrite(capture, key[captures[capture]]));
        }

        return true;
    }

    private ReadOnlySpan<byte> Rewrite(int capture, ReadOnlySpan<byte> value)
    {
        byte[][] from = _rewriteFrom[capture];
        for (int i = 0; i < from.Length; i++)
        {
            if (value.SequenceEqual(from[i]))
            {
                return _rewriteTo[capture][i];
            }
        }

        return value;
    }

    private bool TryMatch(ReadOnlySpan<byte> key, Span<Range> captures)
    {
        int capture = 0;
        int position = 0;
        for (int i = 0; i < _segments.Length; i++)
        {
            byte[]? literal = _literals[i];
            if (literal is not null)
            {
                if (!key[position..].StartsWith(literal))
                {
                    return false;
                }

                position += literal.Length;
                continue;
            }

            // A capture ends where the next literal first occurs after at least one byte, or at the end.
            if (position >= key.Length)
            {
                return false;
            }

            int length = key.Length - position;
            if (i + 1 < _segments.Length)
            {
                int found = key[(position + 1)..].IndexOf(_literals[i + 1]);
                length = found < 0 ? -1 : found + 1;
            }

            if (length <= 0)
            {
                return false;
            }

            captures[capture++] = new Range(position, position + length);
            position += length;
        }

        return position == key.Length;
    }
}

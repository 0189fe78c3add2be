using System;
using System.Text;
using FluentBit.Plugins.Patterns;

namespace FluentBit.Plugins.Metrics;

/// <summary>Matches UTF-8 record keys against a key pattern and yields the label values it captures.</summary>
internal sealed class KeyPatternMatcher
{
    private readonly byte[]?[] _literals;
    private readonly KeyPatternSegment[] _segments;

    public KeyPatternMatcher(string pattern)
    {
        KeyPatternSyntax syntax = KeyPatternSyntax.Parse(pattern, out string error)
            ?? throw new ArgumentException($"invalid key pattern '{pattern}': {error}", nameof(pattern));
        _segments = syntax.Segments;
        _literals = Array.ConvertAll(_segments, s => s.Literal is null ? null : Encoding.UTF8.GetBytes(s.Literal));
        Labels = [.. syntax.Labels];
    }

    /// <summary>The captured labels, in pattern order.</summary>
    public string[] Labels { get; }

    /// <summary>The label values of <paramref name="key"/>, in <see cref="Labels"/> order, or null if it does not match.</summary>
    public string[]? Match(ReadOnlySpan<byte> key)
    {
        // Most keys a flush offers do not match: find that out without allocating.
        Span<Range> captures = stackalloc Range[Labels.Length];
        if (!TryMatch(key, captures))
        {
            return null;
        }

        var values = new string[Labels.Length];
        int capture = 0;
        foreach (KeyPatternSegment segment in _segments)
        {
            if (segment.Label is not null)
            {
                values[capture] = Rewrite(segment, Encoding.UTF8.GetString(key[captures[capture]]));
                capture++;
            }
        }

        return values;
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

    private static string Rewrite(KeyPatternSegment capture, string value)
    {
        foreach (var rewrite in capture.Rewrites)
        {
            if (rewrite.Key == value)
            {
                return rewrite.Value;
            }
        }

        return value;
    }
}

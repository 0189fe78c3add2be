using System.Collections.Generic;
using FluentBit.Plugins.Generator.Model;

namespace FluentBit.Plugins.Generator.Parsing;

/// <summary>
/// Fluent Bit's record accessor, as its filters take it: <c>$log</c>, <c>$kubernetes['labels']['app']</c>,
/// <c>$a["b"]</c>, <c>$items[0]</c>. A key without the leading <c>$</c> is one literal top-level key, dots and all.
/// Parsed at build time: a path that does not parse is a diagnostic, never a run-time surprise.
/// </summary>
internal static class RecordAccessor
{
    /// <summary>The path's segments, or null with <paramref name="error"/> saying what is wrong.</summary>
    public static List<PathSegment>? Parse(string text, out string error)
    {
        error = "";
        if (!text.StartsWith("$", System.StringComparison.Ordinal))
        {
            return text.Length == 0 ? Fail("the key is empty", out error) : new List<PathSegment> { new(text, 0) };
        }

        var segments = new List<PathSegment>();
        int position = 1;
        int end = text.IndexOf('[', position);
        string first = end < 0 ? text.Substring(position) : text.Substring(position, end - position);
        if (first.Length == 0)
        {
            return Fail("a record accessor starts with a key after '$', as in $log or $kubernetes['labels']", out error);
        }

        segments.Add(new PathSegment(first, 0));
        position = end < 0 ? text.Length : end;
        while (position < text.Length)
        {
            if (text[position] != '[')
            {
                return Fail($"expected '[' at position {position}", out error);
            }

            int close;
            if (position + 1 < text.Length && text[position + 1] is '\'' or '"')
            {
                char quote = text[position + 1];
                int endQuote = text.IndexOf(quote, position + 2);
                if (endQuote < 0 || endQuote + 1 >= text.Length || text[endQuote + 1] != ']')
                {
                    return Fail($"the key opened with {quote} at position {position + 1} is not closed with {quote}]", out error);
                }

                string key = text.Substring(position + 2, endQuote - position - 2);
                if (key.Length == 0)
                {
                    return Fail($"empty key at position {position}", out error);
                }

                segments.Add(new PathSegment(key, 0));
                close = endQuote + 1;
            }
            else
            {
                close = text.IndexOf(']', position);
                string digits = close < 0 ? "" : text.Substring(position + 1, close - position - 1);
                if (!int.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int index))
                {
                    return Fail($"expected a quoted key ['key'] or an array index [0] at position {position}", out error);
                }

                segments.Add(new PathSegment(null, index));
            }

            position = close + 1;
        }

        return segments;
    }

    private static List<PathSegment>? Fail(string message, out string error)
    {
        error = message;
        return null;
    }
}

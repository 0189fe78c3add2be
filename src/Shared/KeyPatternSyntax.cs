// Compiled into both the generator (to check patterns at build time) and the runtime (to match keys),
// so the two can never disagree about what a pattern means.
using System.Collections.Generic;
using System.Text;

namespace FluentBit.Plugins.Patterns;

/// <summary>One piece of a key pattern: literal text, or a capture that becomes a label.</summary>
internal sealed class KeyPatternSegment
{
    public KeyPatternSegment(string? literal, string? label, KeyValuePair<string, string>[] rewrites)
    {
        Literal = literal;
        Label = label;
        Rewrites = rewrites;
    }

    /// <summary>The text to match, or null for a capture.</summary>
    public string? Literal { get; }

    /// <summary>The label a capture fills, or null for a literal.</summary>
    public string? Label { get; }

    /// <summary>Captured values replaced by another label value ({mode:cpu=total}).</summary>
    public KeyValuePair<string, string>[] Rewrites { get; }
}

/// <summary>
/// A key pattern such as <c>{cpu}.p_{mode:cpu=total}</c>: literal text between captures; each capture
/// matches at least one character, as few as the following literal allows; the last one takes the rest.
/// </summary>
internal sealed class KeyPatternSyntax
{
    private KeyPatternSyntax(KeyPatternSegment[] segments) => Segments = segments;

    public KeyPatternSegment[] Segments { get; }

    public IEnumerable<string> Labels
    {
        get
        {
            foreach (KeyPatternSegment segment in Segments)
            {
                if (segment.Label is not null)
                {
                    yield return segment.Label;
                }
            }
        }
    }

    /// <returns>null and an error that says how to fix the pattern, or the parsed pattern.</returns>
    public static KeyPatternSyntax? Parse(string pattern, out string error)
    {
        error = "";
        var segments = new List<KeyPatternSegment>();
        var literal = new StringBuilder();
        var labels = new HashSet<string>();
        int i = 0;
        while (i < pattern.Length)
        {
            char c = pattern[i];
            if (c == '}')
            {
                error = $"'}}' at position {i} closes no capture";
                return null;
            }

            if (c != '{')
            {
                literal.Append(c);
                i++;
                continue;
            }

            int close = pattern.IndexOf('}', i + 1);
            if (close < 0)
            {
                error = $"the capture opened at position {i} is not closed with '}}'";
                return null;
            }

            if (literal.Length == 0 && segments.Count > 0)
            {
                error = "two captures follow each other; separate them with literal text so the key can be split";
                return null;
            }

            if (literal.Length > 0)
            {
                segments.Add(new KeyPatternSegment(literal.ToString(), null, []));
                literal.Clear();
            }

            KeyPatternSegment? capture = ParseCapture(pattern.Substring(i + 1, close - i - 1), labels, out error);
            if (capture is null)
            {
                return null;
            }

            segments.Add(capture);
            i = close + 1;
        }

        if (literal.Length > 0)
        {
            segments.Add(new KeyPatternSegment(literal.ToString(), null, []));
        }

        if (labels.Count == 0)
        {
            error = "the pattern has no {label} capture, so every matching key would be the same series; use a property with [Key] instead";
            return null;
        }

        return new KeyPatternSyntax(segments.ToArray());
    }

    private static KeyPatternSegment? ParseCapture(string body, HashSet<string> labels, out string error)
    {
        error = "";
        int colon = body.IndexOf(':');
        string label = colon < 0 ? body : body.Substring(0, colon);
        if (!IsLabelName(label))
        {
            error = $"'{{{body}}}' must start with a label name (letters, digits and '_', not starting with a digit or '__')";
            return null;
        }

        if (!labels.Add(label))
        {
            error = $"the label '{label}' is captured twice";
            return null;
        }

        var rewrites = new List<KeyValuePair<string, string>>();
        if (colon >= 0)
        {
            foreach (string pair in body.Substring(colon + 1).Split(','))
            {
                int eq = pair.IndexOf('=');
                if (eq <= 0 || eq == pair.Length - 1)
                {
                    error = $"'{pair}' in '{{{body}}}' must be 'captured=replacement', both non-empty";
                    return null;
                }

                rewrites.Add(new KeyValuePair<string, string>(pair.Substring(0, eq), pair.Substring(eq + 1)));
            }
        }

        return new KeyPatternSegment(null, label, rewrites.ToArray());
    }

    /// <summary>Prometheus label names: [a-zA-Z_][a-zA-Z0-9_]*, with names starting "__" reserved.</summary>
    public static bool IsLabelName(string name)
    {
        if (name.Length == 0 || name.StartsWith("__", System.StringComparison.Ordinal) || char.IsDigit(name[0]))
        {
            return false;
        }

        foreach (char c in name)
        {
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
            {
                return false;
            }
        }

        return true;
    }
}

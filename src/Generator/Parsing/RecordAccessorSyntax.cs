// Compiled into both the generator (to check paths at build time) and the runtime, so the two can never
// disagree about what a path means.
//
// The grammar is Fluent Bit's record accessor (src/record_accessor/ra.l and ra.y, and the splitting in
// src/flb_record_accessor.c, ra_parse_buffer), for the one form that names a record value:
//
//   $IDENT ( '[' 'STRING' ']' | '[' INTEGER ']' )*
//   IDENT   = [_A-Za-z][A-Za-z0-9_\-/]*   (ra.l allows '.', but ra_parse_buffer ends an accessor at '.',
//                                          so Fluent Bit reads $a.b as $a followed by the text ".b")
//   STRING  = '...' with '' for a quote   (single quotes only: ra.l has no double-quoted string)
//   INTEGER = 0 | [1-9][0-9]*             (no sign: no negative index)
//
// Not supported, each with an error saying why: templates mixing text and accessors ("$a and $b"), $TAG and
// $TAG[n] (the tag, offered as its own label source here), $0..$9 (regex captures), ${VAR} (environment
// variables, which Fluent Bit substitutes before parsing), and white space around the brackets. Accepted
// beyond Fluent Bit: spaces, commas and double quotes inside a quoted key (Fluent Bit's splitter cuts the
// accessor there and fails), so $a['user agent'] works here though Fluent Bit's filters would reject it.
// A string that does not start with '$' is one literal top-level key, whatever it holds: "cpu0.p_cpu" is the
// key cpu0.p_cpu, not a path. A top-level key that itself starts with '$' therefore cannot be named.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace FluentBit.Plugins.Patterns;

/// <summary>One step of a record accessor path: a map key, or an array index.</summary>
internal sealed class RecordAccessorSegment : IEquatable<RecordAccessorSegment>
{
    private RecordAccessorSegment(string? key, int index)
    {
        Key = key;
        Index = index;
    }

    /// <summary>The map key, or null for an array index.</summary>
    public string? Key { get; }

    /// <summary>The array index (from 0), or -1 for a map key.</summary>
    public int Index { get; }

    public bool IsIndex => Key is null;

    public static RecordAccessorSegment ForKey(string key) => new(key ?? throw new ArgumentNullException(nameof(key)), -1);

    public static RecordAccessorSegment ForIndex(int index) =>
        index >= 0 ? new(null, index) : throw new ArgumentOutOfRangeException(nameof(index), index, "an array index is 0 or more");

    public bool Equals(RecordAccessorSegment? other) => other is not null && other.Key == Key && other.Index == Index;

    public override bool Equals(object? obj) => Equals(obj as RecordAccessorSegment);

    public override int GetHashCode() => Key is null ? Index : StringComparer.Ordinal.GetHashCode(Key);

    /// <summary>The segment as it is written after the top-level key: <c>['labels']</c> or <c>[0]</c>.</summary>
    public override string ToString() =>
        Key is null ? "[" + Index.ToString(CultureInfo.InvariantCulture) + "]" : "['" + Key.Replace("'", "''") + "']";
}

/// <summary>
/// Where a value is in a record: a literal top-level key (<c>status</c>, <c>cpu0.p_cpu</c>) or a Fluent Bit record
/// accessor (<c>$kubernetes['labels']['app']</c>, <c>$log</c>, <c>$items[0]</c>).
/// </summary>
internal sealed class RecordAccessorSyntax : IEquatable<RecordAccessorSyntax>
{
    private RecordAccessorSyntax(string text, bool isLiteral, RecordAccessorSegment[] segments)
    {
        Text = text;
        IsLiteral = isLiteral;
        Segments = segments;
    }

    /// <summary>What was parsed.</summary>
    public string Text { get; }

    /// <summary>Whether <see cref="Text"/> is a literal key (it does not start with '$').</summary>
    public bool IsLiteral { get; }

    /// <summary>The path: the first is always the top-level key, then keys and indexes into nested values.</summary>
    public RecordAccessorSegment[] Segments { get; }

    /// <summary>The record's own key the path starts from.</summary>
    public string TopLevelKey => Segments[0].Key!;

    /// <summary>Whether the path goes into a nested map or array.</summary>
    public bool IsNested => Segments.Length > 1;

    /// <returns>null and an error that says how to fix the path, or the parsed path.</returns>
    public static RecordAccessorSyntax? Parse(string text, out string error)
    {
        error = "";
        if (text is null || text.Length == 0)
        {
            error = "a record key cannot be empty";
            return null;
        }

        if (text[0] != '$')
        {
            return new RecordAccessorSyntax(text, true, new[] { RecordAccessorSegment.ForKey(text) });
        }

        string? special = SpecialForm(text);
        if (special is not null)
        {
            error = special;
            return null;
        }

        int i = 1;
        if (i == text.Length || !IsIdentifierStart(text[i]))
        {
            error = i == text.Length
                ? "'$' must be followed by a key name, as in $log or $kubernetes['labels']['app']"
                : $"{Unexpected(text, i)}: a key after '$' starts with a letter or '_' (for any other top-level key, write it without '$')";
            return null;
        }

        while (i < text.Length && IsIdentifierPart(text[i]))
        {
            i++;
        }

        var segments = new List<RecordAccessorSegment> { RecordAccessorSegment.ForKey(text.Substring(1, i - 1)) };
        while (i < text.Length)
        {
            RecordAccessorSegment? segment = ParseSubscript(text, ref i, segments[0].Key!, out error);
            if (segment is null)
            {
                return null;
            }

            segments.Add(segment);
        }

        return new RecordAccessorSyntax(text, false, segments.ToArray());
    }

    public bool Equals(RecordAccessorSyntax? other) => other is not null && other.Text == Text;

    public override bool Equals(object? obj) => Equals(obj as RecordAccessorSyntax);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Text);

    /// <summary>The path in canonical form (<c>$a['b'][0]</c>), or the literal key.</summary>
    public override string ToString()
    {
        if (IsLiteral)
        {
            return Text;
        }

        var builder = new StringBuilder("$").Append(TopLevelKey);
        for (int i = 1; i < Segments.Length; i++)
        {
            builder.Append(Segments[i]);
        }

        return builder.ToString();
    }

    private static RecordAccessorSegment? ParseSubscript(string text, ref int i, string topLevelKey, out string error)
    {
        error = "";
        char c = text[i];
        if (c != '[')
        {
            error = c switch
            {
                '.' => $"'.' at position {i}: Fluent Bit reads $a.b as the key 'a' followed by text; write ${topLevelKey}['...'] for a nested key",
                ' ' or '\t' => $"white space at position {i}: Fluent Bit ends a record accessor at a space",
                _ => $"{Unexpected(text, i)}: after ${topLevelKey} only ['key'] and [index] may follow",
            };
            return null;
        }

        int open = i;
        i++;
        if (i == text.Length)
        {
            error = $"the '[' at position {open} is not closed with ']'";
            return null;
        }

        RecordAccessorSegment segment;
        c = text[i];
        if (c == '\'')
        {
            string? key = ParseQuoted(text, ref i, out error);
            if (key is null)
            {
                return null;
            }

            segment = RecordAccessorSegment.ForKey(key);
        }
        else if (c >= '0' && c <= '9')
        {
            int start = i;
            while (i < text.Length && text[i] >= '0' && text[i] <= '9')
            {
                i++;
            }

            string digits = text.Substring(start, i - start);
            if (digits.Length > 1 && digits[0] == '0')
            {
                error = $"the index '{digits}' at position {start} has a leading zero; write [{digits.TrimStart('0').PadLeft(1, '0')}]";
                return null;
            }

            if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int index))
            {
                error = $"the index {digits} at position {start} is too large";
                return null;
            }

            segment = RecordAccessorSegment.ForIndex(index);
        }
        else
        {
            error = c switch
            {
                '"' => $"the key at position {i} is in double quotes; Fluent Bit's record accessor quotes keys with single quotes: ['...']",
                '-' => $"the negative index at position {i}: Fluent Bit's record accessor counts array elements from 0 only",
                ']' => $"empty brackets at position {open}: write ['key'] or [index]",
                ' ' or '\t' => $"white space at position {i}: Fluent Bit ends a record accessor at a space",
                _ => $"{Unexpected(text, i)}: inside brackets write a quoted key ['key'] or an index [0]",
            };
            return null;
        }

        if (i == text.Length || text[i] != ']')
        {
            error = i == text.Length
                ? $"the '[' at position {open} is not closed with ']'"
                : $"{Unexpected(text, i)}: expected ']' to close the '[' at position {open}";
            return null;
        }

        i++;
        return segment;
    }

    // 'text' with '' standing for one quote; i is on the opening quote and ends after the closing one.
    private static string? ParseQuoted(string text, ref int i, out string error)
    {
        error = "";
        int open = i;
        var key = new StringBuilder();
        i++;
        while (i < text.Length)
        {
            if (text[i] != '\'')
            {
                key.Append(text[i++]);
                continue;
            }

            if (i + 1 < text.Length && text[i + 1] == '\'')
            {
                key.Append('\'');
                i += 2;
                continue;
            }

            i++;
            return key.ToString();
        }

        error = $"the quote opened at position {open} is not closed (write '' for a quote inside a key)";
        return null;
    }

    private static string? SpecialForm(string text)
    {
        if (string.CompareOrdinal(text, 1, "TAG", 0, 3) == 0)
        {
            return "$TAG is the tag in Fluent Bit's record accessor, not a record key; take a label from the tag or its parts instead";
        }

        if (text.Length > 1 && text[1] >= '0' && text[1] <= '9')
        {
            return $"${text[1]} is a regex capture in Fluent Bit's record accessor, not a record key";
        }

        if (text.Length > 1 && text[1] == '{')
        {
            return "${...} is an environment variable in Fluent Bit, not a record key";
        }

        return null;
    }

    private static string Unexpected(string text, int i) => $"unexpected '{text[i]}' at position {i}";

    private static bool IsIdentifierStart(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';

    private static bool IsIdentifierPart(char c) => IsIdentifierStart(c) || (c >= '0' && c <= '9') || c == '-' || c == '/';
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace FluentBit.Plugins.TestKit;

/// <summary>One sample line of the exposition: <c>http_requests_total{method="GET",status="200"} 3</c>.</summary>
public sealed class MetricSample
{
    /// <summary>A sample.</summary>
    /// <param name="name">The sample's name: the metric's, or with <c>_bucket</c>, <c>_sum</c> or <c>_count</c> for a histogram or summary.</param>
    /// <param name="labels">Its labels, in exposition order.</param>
    /// <param name="value">Its value.</param>
    public MetricSample(string name, IReadOnlyList<KeyValuePair<string, string>> labels, double value)
    {
        Name = name;
        Labels = labels;
        Value = value;
    }

    /// <summary>The sample's name: the metric's, or with <c>_bucket</c>, <c>_sum</c> or <c>_count</c> for a histogram or summary.</summary>
    public string Name { get; }

    /// <summary>Its labels, in exposition order (a histogram bucket's <c>le</c> among them).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Labels { get; }

    /// <summary>Its value.</summary>
    public double Value { get; }

    /// <summary>The value of label <paramref name="name"/>, or null when the sample has no such label.</summary>
    public string? Label(string name) => Labels.FirstOrDefault(l => l.Key == name).Value;

    /// <summary>Whether the sample is named <paramref name="name"/> and has exactly <paramref name="labels"/>, in any order.</summary>
    public bool Is(string name, IReadOnlyCollection<(string Label, string Value)> labels) =>
        Name == name && Labels.Count == labels.Count && labels.All(l => Label(l.Label) == l.Value);

    /// <summary>The sample as the exposition writes it.</summary>
    public override string ToString() =>
        Name + (Labels.Count == 0 ? "" : "{" + string.Join(",", Labels.Select(l => $"{l.Key}=\"{l.Value}\"")) + "}")
        + " " + Value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Parses the sample lines of a Prometheus text exposition (comments and blank lines skipped).</summary>
    /// <exception cref="FormatException">A line is not a sample.</exception>
    public static IReadOnlyList<MetricSample> Parse(string exposition)
    {
        var samples = new List<MetricSample>();
        foreach (string raw in exposition.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            if (line.Length > 0 && line[0] != '#')
            {
                samples.Add(ParseLine(line));
            }
        }

        return samples;
    }

    private static MetricSample ParseLine(string line)
    {
        int end = line.IndexOfAny(['{', ' ']);
        if (end <= 0)
        {
            throw new FormatException($"not a sample: {line}");
        }

        string name = line[..end];
        var labels = new List<KeyValuePair<string, string>>();
        int i = end;
        if (line[i] == '{')
        {
            i = ParseLabels(line, i + 1, labels);
        }

        string[] rest = line[i..].Trim().Split(' ');
        return new MetricSample(name, labels, ParseValue(rest[0], line));
    }

    /// <summary>Reads <c>a="x",b="y"}</c> from <paramref name="i"/>; returns the index after the closing brace.</summary>
    private static int ParseLabels(string line, int i, List<KeyValuePair<string, string>> labels)
    {
        while (i < line.Length && line[i] != '}')
        {
            int eq = line.IndexOf("=\"", i, StringComparison.Ordinal);
            if (eq < 0)
            {
                throw new FormatException($"a label without a quoted value: {line}");
            }

            string label = line[i..eq].Trim(',', ' ');
            var value = new System.Text.StringBuilder();
            for (i = eq + 2; i < line.Length && line[i] != '"'; i++)
            {
                char c = line[i];
                if (c == '\\' && i + 1 < line.Length)
                {
                    c = line[++i] == 'n' ? '\n' : line[i];
                }

                value.Append(c);
            }

            labels.Add(new KeyValuePair<string, string>(label, value.ToString()));
            i++;
            if (i < line.Length && line[i] == ',')
            {
                i++;
            }
        }

        return i + 1;
    }

    private static double ParseValue(string text, string line) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            ? value
            : throw new FormatException($"not a sample value '{text}': {line}"),
    };
}

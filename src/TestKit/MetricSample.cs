using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using FluentBit.Plugins.Exposition;

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
                // The runtime's reader, which a push uses too: one parser of the text format.
                ExpositionSample sample = ExpositionParser.ParseSample(line);
                samples.Add(new MetricSample(sample.Name, sample.Labels, sample.Value));
            }
        }

        return samples;
    }
}

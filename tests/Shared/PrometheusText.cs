using System;
using System.Collections.Generic;
using System.Linq;
using FluentBit.Plugins.TestKit;

namespace FluentBit.Plugins.Testing;

/// <summary>
/// The samples of an exposition keyed as <c>name{a="x",b="y"}</c> (labels sorted by name), so tests can compare
/// whole sets of exact values. The parsing is the test kit's (<see cref="MetricSample.Parse"/>): one parser.
/// </summary>
public static class PrometheusText
{
    public static Dictionary<string, double> Parse(string text)
    {
        var series = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (MetricSample sample in MetricSample.Parse(text))
        {
            series[Key(sample.Name, sample.Labels.Select(l => (l.Key, l.Value)).ToArray())] = sample.Value;
        }

        return series;
    }

    /// <summary>The key <see cref="Parse"/> gives a series: <c>Key("m", ("b", "y"), ("a", "x"))</c> is <c>m{a="x",b="y"}</c>.</summary>
    public static string Key(string name, params (string Label, string Value)[] labels) =>
        labels.Length == 0 ? name : name + "{" + string.Join(",", labels.OrderBy(l => l.Label, StringComparer.Ordinal).Select(l => $"{l.Label}=\"{l.Value}\"")) + "}";
}

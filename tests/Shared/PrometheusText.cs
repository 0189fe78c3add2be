using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace FluentBit.Plugins.Testing;

/// <summary>
/// Parses the Prometheus text exposition format into series keyed as <c>name{a="x",b="y"}</c>
/// (labels sorted by name), so tests can compare exact values.
/// </summary>
public static class PrometheusText
{
    public static Dictionary<string, double> Parse(string text)
    {
        var series = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            int i = 0;
            while (i < line.Length && line[i] != '{' && line[i] != ' ')
            {
                i++;
            }

            string name = line[..i];
            var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
            if (i < line.Length && line[i] == '{')
            {
                i++;
                while (line[i] != '}')
                {
                    int eq = line.IndexOf('=', i);
                    string label = line[i..eq].Trim(',', ' ');
                    i = eq + 2;
                    var value = new StringBuilder();
                    while (line[i] != '"')
                    {
                        if (line[i] == '\\')
                        {
                            i++;
                            value.Append(line[i] == 'n' ? '\n' : line[i]);
                        }
                        else
                        {
                            value.Append(line[i]);
                        }

                        i++;
                    }

                    labels[label] = value.ToString();
                    i++;
                    if (line[i] == ',')
                    {
                        i++;
                    }
                }

                i++;
            }

            string[] rest = line[i..].Trim().Split(' ');
            series[Key(name, labels)] = double.Parse(rest[0], NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        return series;
    }

    /// <summary>The key <see cref="Parse"/> gives a series: <c>Key("m", ("b", "y"), ("a", "x"))</c> is <c>m{a="x",b="y"}</c>.</summary>
    public static string Key(string name, params (string Label, string Value)[] labels) =>
        Key(name, new SortedDictionary<string, string>(labels.ToDictionary(l => l.Label, l => l.Value), StringComparer.Ordinal));

    private static string Key(string name, SortedDictionary<string, string> labels) =>
        labels.Count == 0 ? name : name + "{" + string.Join(",", labels.Select(l => $"{l.Key}=\"{l.Value}\"")) + "}";
}

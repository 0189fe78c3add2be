using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace FluentBit.Plugins.RemoteWrite;

/// <summary>One sample line of an exposition: the series' name, its labels as written, and the value.</summary>
internal sealed record PushSample(string Name, KeyValuePair<string, string>[] Labels, double Value);

/// <summary>A family's <c># TYPE</c> and <c># HELP</c>, which remote write sends as metadata.</summary>
internal sealed record PushFamily(string Name, string Type, string Help);

/// <summary>What one push sends: every sample line of the exposition a scrape would get, and the families' metadata.</summary>
internal sealed record PushSnapshot(List<PushSample> Samples, List<PushFamily> Families);

/// <summary>
/// Reads the Prometheus text format (0.0.4) that prometheus-net writes for a scrape, so that a push sends exactly the
/// series a scrape shows: counters, gauges, histograms as <c>_bucket</c>/<c>_sum</c>/<c>_count</c>, summaries with
/// their quantiles, <c>add_labels</c> included. prometheus-net has no public API that lists a registry's series and
/// values (its serializer interface is internal), and no well-kept .NET parser of the text format exists, so this
/// small one reads what prometheus-net writes: the escapes of label values, an optional timestamp (ignored).
/// </summary>
internal static class ExpositionParser
{
    /// <exception cref="FormatException">A line is not in the text format.</exception>
    public static PushSnapshot Parse(ReadOnlySpan<byte> exposition)
    {
        var samples = new List<PushSample>();
        var families = new List<PushFamily>();
        var help = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Range range in exposition.Split((byte)'\n'))
        {
            string line = Encoding.UTF8.GetString(exposition[range]).TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                string rest = line[7..];
                int space = rest.IndexOf(' ');
                // As prometheus-net writes it: it does not escape a backslash in help text, so none is read as an escape.
                help[space < 0 ? rest : rest[..space]] = space < 0 ? "" : rest[(space + 1)..];
            }
            else if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                string[] parts = line[7..].Split(' ');
                if (parts.Length != 2)
                {
                    throw new FormatException($"a TYPE line without a name and a type: '{line}'");
                }

                families.Add(new PushFamily(parts[0], parts[1], help.GetValueOrDefault(parts[0], "")));
            }
            else if (line[0] != '#')
            {
                samples.Add(ParseSample(line));
            }
        }

        return new PushSnapshot(samples, families);
    }

    /// <summary>One sample line: <c>name{a="x",b="y"} value [timestamp]</c>. The test kit's <c>MetricSample.Parse</c> reads lines with it too.</summary>
    /// <exception cref="FormatException">The line is not a sample.</exception>
    public static PushSample ParseSample(string line)
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
        return new PushSample(name, labels.ToArray(), ParseValue(rest[0], line));
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
            var value = new StringBuilder();
            for (i = eq + 2; i < line.Length && line[i] != '"'; i++)
            {
                char c = line[i];
                if (c == '\\' && i + 1 < line.Length)
                {
                    c = line[++i] == 'n' ? '\n' : line[i];
                }

                value.Append(c);
            }

            if (i >= line.Length)
            {
                throw new FormatException($"an unterminated label value: {line}");
            }

            labels.Add(new KeyValuePair<string, string>(label, value.ToString()));
            i++;
            if (i < line.Length && line[i] == ',')
            {
                i++;
            }
        }

        if (i >= line.Length)
        {
            throw new FormatException($"labels without a closing brace: {line}");
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

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace FluentBit.Plugins.Exposition;

/// <summary>One sample line of an exposition: the series' name, its labels as written, and the value.</summary>
internal sealed record ExpositionSample(string Name, KeyValuePair<string, string>[] Labels, double Value)
{
    /// <summary>The family of the <c># TYPE</c> line above the sample; null when it has none.</summary>
    public ExpositionFamily? Family { get; init; }

    /// <summary>The exemplar an OpenMetrics line carries after the value; null when it has none.</summary>
    public ExpositionExemplar? Exemplar { get; init; }
}

/// <summary>
/// A family's <c># TYPE</c> and <c># HELP</c>, which a push sends as metadata. A counter's name is the one its samples
/// carry, <c>_total</c> included, in either format.
/// </summary>
internal sealed record ExpositionFamily(string Name, string Type, string Help);

/// <summary>An OpenMetrics exemplar: its labels (such as <c>trace_id</c>), its value and, when written, its time in seconds.</summary>
internal sealed class ExpositionExemplar(KeyValuePair<string, string>[] labels, double value, double? timestamp)
{
    public KeyValuePair<string, string>[] Labels { get; } = labels;

    public double Value { get; } = value;

    public double? Timestamp { get; } = timestamp;
}

/// <summary>What one push sends: every sample line of the exposition a scrape would get, and the families' metadata.</summary>
internal sealed record ExpositionSnapshot(List<ExpositionSample> Samples, List<ExpositionFamily> Families);

/// <summary>
/// Reads the Prometheus text format (0.0.4) that prometheus-net writes for a scrape, so that a push sends exactly the
/// series a scrape shows: counters, gauges, histograms as <c>_bucket</c>/<c>_sum</c>/<c>_count</c>, summaries with
/// their quantiles, <c>add_labels</c> included. prometheus-net has no public API that lists a registry's series and
/// values (its serializer interface is internal), and no well-kept .NET parser of the text format exists, so this
/// small one reads what prometheus-net writes: the escapes of label values, an optional timestamp (ignored).
/// </summary>
internal static class ExpositionParser
{
    private static readonly byte[] TypePrefix = "# TYPE "u8.ToArray();

    /// <summary>
    /// Counts the series of each family in an exposition prometheus-net wrote (it offers no way to list a registry's
    /// collectors): every sample line belongs to the family of the <c># TYPE</c> line above it. Bytes, not strings:
    /// this runs on every scrape.
    /// </summary>
    /// <returns>Each family with its sample lines, under the name the text format gives it.</returns>
    public static List<(string Metric, int Series)> CountSeries(ReadOnlySpan<byte> exposition, bool openMetrics)
    {
        var families = new List<(string, int)>();
        string? family = null;
        int series = 0;
        while (!exposition.IsEmpty)
        {
            int end = exposition.IndexOf((byte)'\n');
            ReadOnlySpan<byte> line = end < 0 ? exposition : exposition[..end];
            exposition = end < 0 ? default : exposition[(end + 1)..];
            if (line.StartsWith(TypePrefix))
            {
                if (family is not null)
                {
                    families.Add((family, series));
                }

                family = FamilyName(line[TypePrefix.Length..], openMetrics);
                series = 0;
            }
            else if (!line.IsEmpty && line[0] != (byte)'#')
            {
                series++;
            }
        }

        if (family is not null)
        {
            families.Add((family, series));
        }

        return families;
    }

    /// <summary>
    /// OpenMetrics names a counter family without its <c>_total</c>, which its samples carry: the name gets it back,
    /// so a counter declared as <c>x_total</c> is <c>x_total</c> whichever format the scraper asked for.
    /// </summary>
    private static string FamilyName(ReadOnlySpan<byte> nameAndType, bool openMetrics)
    {
        int space = nameAndType.IndexOf((byte)' ');
        ReadOnlySpan<byte> name = space < 0 ? nameAndType : nameAndType[..space];
        bool counter = space >= 0 && nameAndType[(space + 1)..].SequenceEqual("counter"u8);
        string text = Encoding.UTF8.GetString(name);
        return openMetrics && counter ? text + "_total" : text;
    }

    /// <param name="exposition">The body, in the Prometheus text format or, when <paramref name="openMetrics"/>, OpenMetrics.</param>
    /// <param name="openMetrics">Whether the body is OpenMetrics: counters' family names get their <c>_total</c> back and
    /// the exemplars are read.</param>
    /// <exception cref="FormatException">A line is not in the format.</exception>
    public static ExpositionSnapshot Parse(ReadOnlySpan<byte> exposition, bool openMetrics = false)
    {
        var samples = new List<ExpositionSample>();
        var families = new List<ExpositionFamily>();
        var help = new Dictionary<string, string>(StringComparer.Ordinal);
        ExpositionFamily? family = null;
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

                string name = openMetrics && parts[1] == "counter" ? parts[0] + "_total" : parts[0];
                family = new ExpositionFamily(name, parts[1], help.GetValueOrDefault(parts[0], ""));
                families.Add(family);
            }
            else if (line[0] != '#')
            {
                ExpositionSample sample = ParseSample(line, out int labelsEnd);
                samples.Add(sample with
                {
                    Family = family,
                    Exemplar = openMetrics && ParseExemplar(line, labelsEnd) is var (labels, value, timestamp) ? new ExpositionExemplar(labels, value, timestamp) : null,
                });
            }
        }

        return new ExpositionSnapshot(samples, families);
    }

    /// <summary>One sample line: <c>name{a="x",b="y"} value [timestamp]</c>. The test kit's <c>MetricSample.Parse</c> reads lines with it too.</summary>
    /// <exception cref="FormatException">The line is not a sample.</exception>
    public static ExpositionSample ParseSample(string line) => ParseSample(line, out _);

    /// <param name="line">The sample line.</param>
    /// <param name="labelsEnd">The index after the name and labels, where the value starts.</param>
    private static ExpositionSample ParseSample(string line, out int labelsEnd)
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

        labelsEnd = i;
        string[] rest = line[i..].Trim().Split(' ');
        return new ExpositionSample(name, labels.ToArray(), ParseValue(rest[0], line));
    }

    /// <summary>The exemplar after an OpenMetrics sample, <c>... # {trace_id="x"} 0.5 1700000000.1</c>; null when the line has none.</summary>
    /// <exception cref="FormatException">The exemplar is not in the format.</exception>
    public static (KeyValuePair<string, string>[] Labels, double Value, double? Timestamp)? ParseExemplar(string line) =>
        ParseExemplar(line, 0);

    /// <param name="line">The sample line.</param>
    /// <param name="from">Where the exemplar is looked for: after the sample's labels, whose values may hold " # {".</param>
    private static (KeyValuePair<string, string>[] Labels, double Value, double? Timestamp)? ParseExemplar(string line, int from)
    {
        int start = line.IndexOf(" # {", from, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        var labels = new List<KeyValuePair<string, string>>();
        int end = ParseLabels(line, start + 4, labels);
        string[] rest = line[end..].Trim().Split(' ');
        double? timestamp = rest.Length > 1 ? ParseValue(rest[1], line) : null;
        return (labels.ToArray(), ParseValue(rest[0], line), timestamp);
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

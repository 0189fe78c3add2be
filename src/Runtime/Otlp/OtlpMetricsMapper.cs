using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using FluentBit.Plugins.Exposition;

namespace FluentBit.Plugins.Otlp;

/// <summary>
/// Maps a snapshot of the exposition (OpenMetrics, so that exemplars come with it) to OTLP metrics, as the
/// OpenTelemetry specification's Prometheus compatibility section reads a scrape:
/// <list type="bullet">
/// <item>counter → a cumulative, monotonic Sum; gauge → Gauge; histogram → a cumulative Histogram with explicit
/// bounds (the cumulative <c>_bucket</c> counts become per-bucket counts, <c>+Inf</c> the last bucket); summary →
/// Summary with its quantiles.</item>
/// <item>A metric keeps its Prometheus name (a counter's with <c>_total</c>), so it reads back the same through a
/// Prometheus-compatible back end, which adds no second suffix. Labels become attributes (an empty value is no label,
/// as in Prometheus).</item>
/// <item>An exemplar's <c>trace_id</c> and <c>span_id</c> (hex) become the exemplar's ids as bytes; its other labels
/// its filtered attributes.</item>
/// <item>Cumulative points carry their series' start time (<see cref="SeriesStartTimes"/>).</item>
/// </list>
/// </summary>
internal static class OtlpMetricsMapper
{
    private const string TraceIdLabel = "trace_id";
    private const string SpanIdLabel = "span_id";

    public static List<OtlpMetric> Map(ExpositionSnapshot snapshot, ulong timeNanos, SeriesStartTimes startTimes)
    {
        var metrics = new List<OtlpMetric>(snapshot.Families.Count);
        var byFamily = new Dictionary<ExpositionFamily, List<ExpositionSample>>(ReferenceEqualityComparer.Instance);
        foreach (ExpositionSample sample in snapshot.Samples)
        {
            if (sample.Family is ExpositionFamily family)
            {
                if (!byFamily.TryGetValue(family, out List<ExpositionSample>? samples))
                {
                    byFamily[family] = samples = [];
                }

                samples.Add(sample);
            }
        }

        foreach (ExpositionFamily family in snapshot.Families)
        {
            List<ExpositionSample> samples = byFamily.GetValueOrDefault(family) ?? [];
            OtlpMetric metric = family.Type switch
            {
                "counter" => new OtlpMetric(family.Name, family.Help, OtlpDataKind.MonotonicSum, Numbers(family, samples, timeNanos, startTimes)),
                "histogram" => new OtlpMetric(family.Name, family.Help, OtlpDataKind.Histogram, Histograms(family, samples, timeNanos, startTimes)),
                "summary" => new OtlpMetric(family.Name, family.Help, OtlpDataKind.Summary, Summaries(family, samples, timeNanos, startTimes)),
                _ => new OtlpMetric(family.Name, family.Help, OtlpDataKind.Gauge, Numbers(family, samples, timeNanos, startTimes: null)),
            };

            if (metric.Points.Count > 0)
            {
                metrics.Add(metric);
            }
        }

        startTimes.EndSnapshot(timeNanos);
        return metrics;
    }

    private static List<OtlpPoint> Numbers(ExpositionFamily family, List<ExpositionSample> samples, ulong timeNanos, SeriesStartTimes? startTimes)
    {
        var points = new List<OtlpPoint>(samples.Count);
        foreach (ExpositionSample sample in samples)
        {
            if (sample.Name != family.Name)
            {
                continue; // a counter's _created line, if a writer adds one
            }

            KeyValuePair<string, string>[] attributes = Attributes(sample.Labels, except: null);
            ulong start = startTimes?.StartOf(SeriesKey(family.Name, attributes), sample.Value) ?? 0;
            var point = new OtlpPoint(attributes, start, timeNanos) { Value = sample.Value };
            AddExemplar(point, sample.Exemplar, timeNanos);
            points.Add(point);
        }

        return points;
    }

    private static List<OtlpPoint> Histograms(ExpositionFamily family, List<ExpositionSample> samples, ulong timeNanos, SeriesStartTimes startTimes)
    {
        var series = new Dictionary<string, HistogramSeries>(StringComparer.Ordinal);
        var order = new List<HistogramSeries>();
        foreach (ExpositionSample sample in samples)
        {
            KeyValuePair<string, string>[] attributes = Attributes(sample.Labels, except: "le");
            string key = SeriesKey(family.Name, attributes);
            if (!series.TryGetValue(key, out HistogramSeries? one))
            {
                series[key] = one = new HistogramSeries(key, attributes);
                order.Add(one);
            }

            string suffix = sample.Name.Length > family.Name.Length ? sample.Name[family.Name.Length..] : "";
            switch (suffix)
            {
                case "_bucket":
                    one.Buckets.Add((UpperBound(sample), sample.Value, sample.Exemplar));
                    break;
                case "_sum":
                    one.Sum = sample.Value;
                    break;
                case "_count":
                    one.Count = sample.Value;
                    break;
            }
        }

        var points = new List<OtlpPoint>(order.Count);
        foreach (HistogramSeries one in order)
        {
            one.Buckets.Sort(static (a, b) => a.UpperBound.CompareTo(b.UpperBound));
            int finite = one.Buckets.Count > 0 && double.IsPositiveInfinity(one.Buckets[^1].UpperBound) ? one.Buckets.Count - 1 : one.Buckets.Count;
            double[] bounds = new double[finite];
            ulong[] counts = new ulong[finite + 1];
            double below = 0;
            for (int i = 0; i < finite; i++)
            {
                bounds[i] = one.Buckets[i].UpperBound;
                counts[i] = ToCount(one.Buckets[i].Cumulative - below);
                below = one.Buckets[i].Cumulative;
            }

            counts[finite] = ToCount(one.Count - below);
            var point = new OtlpPoint(one.Attributes, startTimes.StartOf(one.Key, one.Count), timeNanos)
            {
                Count = ToCount(one.Count),
                Sum = one.Sum,
                ExplicitBounds = bounds,
                BucketCounts = counts,
            };

            foreach ((_, _, ExpositionExemplar? exemplar) in one.Buckets)
            {
                AddExemplar(point, exemplar, timeNanos);
            }

            points.Add(point);
        }

        return points;
    }

    private static List<OtlpPoint> Summaries(ExpositionFamily family, List<ExpositionSample> samples, ulong timeNanos, SeriesStartTimes startTimes)
    {
        var series = new Dictionary<string, (KeyValuePair<string, string>[] Attributes, List<(double, double)> Quantiles, double Sum, double Count)>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (ExpositionSample sample in samples)
        {
            KeyValuePair<string, string>[] attributes = Attributes(sample.Labels, except: "quantile");
            string key = SeriesKey(family.Name, attributes);
            if (!series.TryGetValue(key, out var one))
            {
                one = (attributes, [], 0, 0);
                order.Add(key);
            }

            if (sample.Name == family.Name && Label(sample.Labels, "quantile") is string quantile)
            {
                one.Quantiles.Add((ParseBound(quantile, sample), sample.Value));
            }
            else if (sample.Name == family.Name + "_sum")
            {
                one.Sum = sample.Value;
            }
            else if (sample.Name == family.Name + "_count")
            {
                one.Count = sample.Value;
            }

            series[key] = one;
        }

        var points = new List<OtlpPoint>(order.Count);
        foreach (string key in order)
        {
            var one = series[key];
            points.Add(new OtlpPoint(one.Attributes, startTimes.StartOf(key, one.Count), timeNanos)
            {
                Count = ToCount(one.Count),
                Sum = one.Sum,
                Quantiles = [.. one.Quantiles],
            });
        }

        return points;
    }

    private static void AddExemplar(OtlpPoint point, ExpositionExemplar? exemplar, ulong timeNanos)
    {
        if (exemplar is null)
        {
            return;
        }

        byte[] traceId = [];
        byte[] spanId = [];
        var filtered = new List<KeyValuePair<string, string>>();
        foreach (KeyValuePair<string, string> label in exemplar.Labels)
        {
            // An id that is not hex of the id's length stays a filtered attribute, as written: nothing is lost.
            if (label.Key == TraceIdLabel && traceId.Length == 0 && TryHex(label.Value, 16, out byte[] trace))
            {
                traceId = trace;
            }
            else if (label.Key == SpanIdLabel && spanId.Length == 0 && TryHex(label.Value, 8, out byte[] span))
            {
                spanId = span;
            }
            else
            {
                filtered.Add(label);
            }
        }

        ulong time = exemplar.Timestamp is double seconds && seconds > 0 ? (ulong)Math.Round(seconds * 1e9) : timeNanos;
        point.Exemplars.Add(new OtlpExemplar(traceId, spanId, [.. filtered], exemplar.Value, time));
    }

    private static bool TryHex(string text, int bytes, out byte[] value)
    {
        value = [];
        if (text.Length != bytes * 2)
        {
            return false;
        }

        try
        {
            value = Convert.FromHexString(text);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static KeyValuePair<string, string>[] Attributes(KeyValuePair<string, string>[] labels, string? except)
    {
        var attributes = new List<KeyValuePair<string, string>>(labels.Length);
        foreach (KeyValuePair<string, string> label in labels)
        {
            if (label.Value.Length > 0 && label.Key != except)
            {
                attributes.Add(label);
            }
        }

        return [.. attributes];
    }

    private static string SeriesKey(string family, KeyValuePair<string, string>[] attributes)
    {
        var key = new StringBuilder(family);
        foreach (KeyValuePair<string, string> attribute in attributes)
        {
            key.Append('\0').Append(attribute.Key).Append('\0').Append(attribute.Value);
        }

        return key.ToString();
    }

    private static string? Label(KeyValuePair<string, string>[] labels, string name)
    {
        foreach (KeyValuePair<string, string> label in labels)
        {
            if (label.Key == name)
            {
                return label.Value;
            }
        }

        return null;
    }

    private static double UpperBound(ExpositionSample sample) =>
        Label(sample.Labels, "le") is string le ? ParseBound(le, sample) : throw new FormatException($"a histogram bucket without le: {sample.Name}");

    private static double ParseBound(string text, ExpositionSample sample) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            ? value
            : throw new FormatException($"not a number '{text}' in a label of {sample.Name}"),
    };

    // Counts are whole in the exposition; a negative difference (a bucket written while another was being counted)
    // is sent as 0 rather than wrapping round.
    private static ulong ToCount(double value) => value <= 0 || double.IsNaN(value) ? 0 : (ulong)Math.Round(value);

    private sealed class HistogramSeries(string key, KeyValuePair<string, string>[] attributes)
    {
        public string Key { get; } = key;

        public KeyValuePair<string, string>[] Attributes { get; } = attributes;

        public List<(double UpperBound, double Cumulative, ExpositionExemplar? Exemplar)> Buckets { get; } = [];

        public double Sum { get; set; }

        public double Count { get; set; }
    }
}

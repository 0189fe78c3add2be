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
        // The parser hands the samples in the exposition's order: each family's samples follow its # TYPE line.
        var metrics = new List<OtlpMetric>(snapshot.Families.Count);
        int next = 0;
        foreach (ExpositionFamily family in snapshot.Families)
        {
            // A family without series has no samples: it takes none of the next family's.
            while (next < snapshot.Samples.Count && snapshot.Samples[next].Family is null)
            {
                next++;
            }

            int first = next;
            while (next < snapshot.Samples.Count && snapshot.Samples[next].Family == family)
            {
                next++;
            }

            var samples = new FamilySamples(snapshot.Samples, first, next);
            OtlpMetric metric = family.Type switch
            {
                "counter" => new OtlpMetric(family.Name, family.Help, OtlpDataKind.MonotonicSum, Numbers(family, samples, timeNanos, startTimes)),
                "histogram" => new OtlpMetric(family.Name, family.Help, OtlpDataKind.Histogram, Grouped(family, samples, timeNanos, startTimes, histogram: true)),
                "summary" => new OtlpMetric(family.Name, family.Help, OtlpDataKind.Summary, Grouped(family, samples, timeNanos, startTimes, histogram: false)),
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

    private static List<OtlpPoint> Numbers(ExpositionFamily family, FamilySamples samples, ulong timeNanos, SeriesStartTimes? startTimes)
    {
        var points = new List<OtlpPoint>(samples.End - samples.First);
        for (int i = samples.First; i < samples.End; i++)
        {
            ExpositionSample sample = samples.All[i];
            if (sample.Name != family.Name)
            {
                continue; // a counter's _created line, if a writer adds one
            }

            KeyValuePair<string, string>[] attributes = Attributes(sample.Labels, except: null);
            ulong start = startTimes?.StartOf(SeriesKey(family.Name, attributes), sample.Value) ?? 0;
            points.Add(new OtlpPoint(attributes, start, timeNanos)
            {
                Value = sample.Value,
                Exemplars = sample.Exemplar is null ? [] : [Exemplar(sample.Exemplar, timeNanos)],
            });
        }

        return points;
    }

    /// <summary>
    /// A histogram's or a summary's points: the samples of one series (its labels but <c>le</c> or <c>quantile</c>)
    /// gathered, then written as one point with its buckets or quantiles. The samples of one series come together, as
    /// the text formats require (OpenMetrics: a MetricPoint's samples are contiguous), so a series ends where the key
    /// changes and no table of series is needed.
    /// </summary>
    private static List<OtlpPoint> Grouped(ExpositionFamily family, FamilySamples samples, ulong timeNanos, SeriesStartTimes startTimes, bool histogram)
    {
        string split = histogram ? "le" : "quantile";
        var points = new List<OtlpPoint>();
        GroupedSeries? one = null;
        for (int i = samples.First; i < samples.End; i++)
        {
            ExpositionSample sample = samples.All[i];
            KeyValuePair<string, string>[] attributes = Attributes(sample.Labels, except: split);
            string key = SeriesKey(family.Name, attributes);
            if (one is null || one.Key != key)
            {
                if (one is not null)
                {
                    points.Add(Point(one, timeNanos, startTimes, histogram));
                }

                one = new GroupedSeries(key, attributes);
            }

            string suffix = sample.Name.Length > family.Name.Length ? sample.Name[family.Name.Length..] : "";
            switch (suffix)
            {
                case "_bucket" when histogram:
                case "" when !histogram:
                    one.Add(new Part(Bound(sample, split), sample.Value, sample.Exemplar));
                    break;
                case "_sum":
                    one.Sum = sample.Value;
                    break;
                case "_count":
                    one.Count = sample.Value;
                    break;
            }
        }

        if (one is not null)
        {
            points.Add(Point(one, timeNanos, startTimes, histogram));
        }

        return points;
    }

    private static OtlpPoint Point(GroupedSeries one, ulong timeNanos, SeriesStartTimes startTimes, bool histogram)
    {
        var point = new OtlpPoint(one.Attributes, startTimes.StartOf(one.Key, one.Count), timeNanos) { Count = ToCount(one.Count), Sum = one.Sum };
        return histogram ? WithBuckets(point, one, timeNanos) : WithQuantiles(point, one);
    }

    private static OtlpPoint WithBuckets(OtlpPoint point, GroupedSeries one, ulong timeNanos)
    {
        List<Part> buckets = one.Parts;
        int finite = buckets.Count > 0 && double.IsPositiveInfinity(buckets[^1].Bound) ? buckets.Count - 1 : buckets.Count;
        double[] bounds = new double[finite];
        ulong[] counts = new ulong[finite + 1];
        double below = 0;
        int exemplars = 0;
        for (int i = 0; i < finite; i++)
        {
            bounds[i] = buckets[i].Bound;
            counts[i] = ToCount(buckets[i].Value - below);
            below = buckets[i].Value;
        }

        counts[finite] = ToCount(one.Count - below);
        foreach (Part bucket in buckets)
        {
            exemplars += bucket.Exemplar is null ? 0 : 1;
        }

        var withExemplars = new OtlpExemplar[exemplars];
        exemplars = 0;
        foreach (Part bucket in buckets)
        {
            if (bucket.Exemplar is not null)
            {
                withExemplars[exemplars++] = Exemplar(bucket.Exemplar, timeNanos);
            }
        }

        return new OtlpPoint(point.Attributes, point.StartTimeNanos, point.TimeNanos)
        {
            Count = point.Count,
            Sum = point.Sum,
            ExplicitBounds = bounds,
            BucketCounts = counts,
            Exemplars = withExemplars,
        };
    }

    private static OtlpPoint WithQuantiles(OtlpPoint point, GroupedSeries one)
    {
        double[] quantiles = new double[one.Parts.Count];
        double[] values = new double[one.Parts.Count];
        for (int i = 0; i < quantiles.Length; i++)
        {
            quantiles[i] = one.Parts[i].Bound;
            values[i] = one.Parts[i].Value;
        }

        return new OtlpPoint(point.Attributes, point.StartTimeNanos, point.TimeNanos)
        {
            Count = point.Count,
            Sum = point.Sum,
            Quantiles = quantiles,
            QuantileValues = values,
        };
    }

    private static OtlpExemplar Exemplar(ExpositionExemplar exemplar, ulong timeNanos)
    {
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
        return new OtlpExemplar(traceId, spanId, [.. filtered], exemplar.Value, time);
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

    /// <summary>The bucket's upper bound (<c>le</c>) or the quantile of a sample.</summary>
    private static double Bound(ExpositionSample sample, string label) => Label(sample.Labels, label) switch
    {
        null => throw new FormatException($"{sample.Name} has no {label} label"),
        "+Inf" => double.PositiveInfinity,
        string text => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            ? value
            : throw new FormatException($"not a number '{text}' in the {label} label of {sample.Name}"),
    };

    // Counts are whole in the exposition; a negative difference (a bucket written while another was being counted)
    // is sent as 0 rather than wrapping round.
    private static ulong ToCount(double value) => value <= 0 || double.IsNaN(value) ? 0 : (ulong)Math.Round(value);

    // Plain classes, not tuples or records: under NativeAOT every value-type instantiation of List or Dictionary is
    // compiled again, and a record brings its printing and equality members, which the .so's size budget feels.
    private sealed class GroupedSeries(string key, KeyValuePair<string, string>[] attributes)
    {
        public string Key { get; } = key;

        public KeyValuePair<string, string>[] Attributes { get; } = attributes;

        /// <summary>The buckets (by upper bound) or the quantiles, ascending.</summary>
        public List<Part> Parts { get; } = [];

        /// <summary>
        /// Inserts in order. The formats write buckets and quantiles ascending, so this appends; an insertion rather
        /// than List.Sort, whose comparer machinery for a class costs the .so tens of kilobytes under NativeAOT.
        /// </summary>
        public void Add(Part part)
        {
            int at = Parts.Count;
            while (at > 0 && Parts[at - 1].Bound > part.Bound)
            {
                at--;
            }

            Parts.Insert(at, part);
        }

        public double Sum { get; set; }

        public double Count { get; set; }
    }

    /// <summary>The samples of one family: <see cref="All"/> from <see cref="First"/> to before <see cref="End"/>.</summary>
    private sealed class FamilySamples(List<ExpositionSample> all, int first, int end)
    {
        public List<ExpositionSample> All { get; } = all;

        public int First { get; } = first;

        public int End { get; } = end;
    }

    /// <summary>A bucket (its upper bound, its cumulative count, its exemplar) or a quantile (the quantile, its value).</summary>
    private sealed class Part(double bound, double value, ExpositionExemplar? exemplar)
    {
        public double Bound { get; } = bound;

        public double Value { get; } = value;

        public ExpositionExemplar? Exemplar { get; } = exemplar;
    }
}

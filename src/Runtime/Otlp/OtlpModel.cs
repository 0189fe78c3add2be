using System.Collections.Generic;

// Plain classes rather than records: a record brings printing and equality members NativeAOT compiles into every .so.

namespace FluentBit.Plugins.Otlp;

/// <summary>The OTLP data a metric family becomes (opentelemetry/proto/metrics/v1/metrics.proto's <c>Metric.data</c>).</summary>
internal enum OtlpDataKind
{
    /// <summary>A Prometheus gauge (or an untyped family): the value as it is now.</summary>
    Gauge,

    /// <summary>A Prometheus counter: a cumulative, monotonic Sum.</summary>
    MonotonicSum,

    /// <summary>A classic Prometheus histogram: a cumulative Histogram with explicit bounds.</summary>
    Histogram,

    /// <summary>A Prometheus summary: a Summary with its quantiles.</summary>
    Summary,
}

/// <summary>One metric of a push: a family of the exposition and its points, one per series.</summary>
internal sealed class OtlpMetric(string name, string description, OtlpDataKind kind, List<OtlpPoint> points)
{
    public string Name { get; } = name;

    public string Description { get; } = description;

    public OtlpDataKind Kind { get; } = kind;

    public List<OtlpPoint> Points { get; } = points;
}

/// <summary>
/// One data point: a series' labels as attributes, its start (0 for a gauge) and the snapshot's time in Unix
/// nanoseconds, and what its kind carries: <see cref="Value"/> (gauge, sum), <see cref="Count"/> and
/// <see cref="Sum"/> (histogram, summary), the bounds and per-bucket counts (histogram), the quantiles (summary).
/// </summary>
internal sealed class OtlpPoint(KeyValuePair<string, string>[] attributes, ulong startTimeNanos, ulong timeNanos)
{
    public KeyValuePair<string, string>[] Attributes { get; } = attributes;

    public ulong StartTimeNanos { get; } = startTimeNanos;

    public ulong TimeNanos { get; } = timeNanos;

    public double Value { get; init; }

    public ulong Count { get; init; }

    public double Sum { get; init; }

    /// <summary>The finite upper bounds, ascending; the last bucket (to +Inf) has none.</summary>
    public double[] ExplicitBounds { get; init; } = [];

    /// <summary>The count of each bucket alone (not cumulative), one more than <see cref="ExplicitBounds"/>.</summary>
    public ulong[] BucketCounts { get; init; } = [];

    /// <summary>The quantiles, each with its value in <see cref="QuantileValues"/> at the same index.</summary>
    public double[] Quantiles { get; init; } = [];

    public double[] QuantileValues { get; init; } = [];

    public OtlpExemplar[] Exemplars { get; init; } = [];
}

/// <summary>
/// An exemplar: the trace and span ids as bytes (16 and 8), the exemplar's other labels as filtered attributes, its
/// value and time.
/// </summary>
internal sealed class OtlpExemplar(byte[] traceId, byte[] spanId, KeyValuePair<string, string>[] filteredAttributes, double value, ulong timeNanos)
{
    public byte[] TraceId { get; } = traceId;

    public byte[] SpanId { get; } = spanId;

    public KeyValuePair<string, string>[] FilteredAttributes { get; } = filteredAttributes;

    public double Value { get; } = value;

    public ulong TimeNanos { get; } = timeNanos;
}

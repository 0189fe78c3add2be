using System.Collections.Generic;

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
internal sealed record OtlpMetric(string Name, string Description, OtlpDataKind Kind, List<OtlpPoint> Points);

/// <summary>
/// One data point: a series' labels as attributes, its start (0 for a gauge) and the snapshot's time in Unix
/// nanoseconds, and what its kind carries: <see cref="Value"/> (gauge, sum), <see cref="Count"/> and
/// <see cref="Sum"/> (histogram, summary), the bounds and per-bucket counts (histogram), the quantiles (summary).
/// </summary>
internal sealed record OtlpPoint(KeyValuePair<string, string>[] Attributes, ulong StartTimeNanos, ulong TimeNanos)
{
    public double Value { get; init; }

    public ulong Count { get; init; }

    public double Sum { get; init; }

    /// <summary>The finite upper bounds, ascending; the last bucket (to +Inf) has none.</summary>
    public double[] ExplicitBounds { get; init; } = [];

    /// <summary>The count of each bucket alone (not cumulative), one more than <see cref="ExplicitBounds"/>.</summary>
    public ulong[] BucketCounts { get; init; } = [];

    public (double Quantile, double Value)[] Quantiles { get; init; } = [];

    public List<OtlpExemplar> Exemplars { get; init; } = [];
}

/// <summary>
/// An exemplar: the trace and span ids as bytes (16 and 8), the exemplar's other labels as filtered attributes, its
/// value and time.
/// </summary>
internal sealed record OtlpExemplar(byte[] TraceId, byte[] SpanId, KeyValuePair<string, string>[] FilteredAttributes, double Value, ulong TimeNanos);

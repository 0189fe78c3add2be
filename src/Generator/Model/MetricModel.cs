using System;

namespace FluentBit.Plugins.Generator.Model;

/// <summary>A metric of the plugin, declared once however many properties or patterns feed it.</summary>
/// <param name="LabelNames">Every label of its series, in exposition order (class-wide constant labels aside).</param>
/// <param name="Dynamic">Whether its series are found at run time from label values (<c>LabeledMetric</c>) rather than resolved once.</param>
internal sealed record MetricModel(
    string Name,
    string Help,
    MetricKind Kind,
    EquatableArray<string> LabelNames,
    EquatableArray<double> Buckets,
    EquatableArray<double> Quantiles,
    double MaxAgeSeconds,
    int MaxSeries,
    SeriesOverflow Overflow,
    double ExpireAfterSeconds,
    bool Dynamic);

/// <summary>One way a record changes a metric: a property's value (or +1 when null) into the series its labels name.</summary>
/// <param name="Labels">One source per label of the metric, in the metric's label order.</param>
internal sealed record UpdateModel(string MetricName, string? ValueProperty, GaugeAction Action, EquatableArray<LabelSource> Labels);

/// <summary>A label value: a constant, or the value of a record property.</summary>
internal sealed record LabelSource(string? Constant, string? Property);

/// <summary>An exemplar label of every counter and histogram the record feeds: its name, the property read, the part of a traceparent taken.</summary>
internal sealed record ExemplarModel(string Name, string Property, TraceParentPart Part);

/// <summary>A constant label on every metric of the plugin.</summary>
internal sealed record ConstantLabel(string Name, string Value);

/// <summary>A metric whose series come from keys matching a pattern.</summary>
internal sealed record PatternModel(string MetricName, string Pattern, GaugeAction Action);

internal enum MetricKind
{
    Gauge,
    Counter,
    Histogram,
    Summary,
}

internal static class MetricKindExtensions
{
    /// <summary>
    /// Whether a metric of the kind carries exemplars: OpenMetrics allows them on counters and histogram buckets only
    /// (a gauge's or a summary's would be dropped by Prometheus).
    /// </summary>
    public static bool TakesExemplars(this MetricKind kind) => kind switch
    {
        MetricKind.Counter or MetricKind.Histogram => true,
        MetricKind.Gauge or MetricKind.Summary => false,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The kind as Prometheus names it (<c># TYPE demo gauge</c>), for messages and comments.</summary>
    public static string Name(this MetricKind kind) => kind.CollectorType().ToLowerInvariant();

    /// <summary>The prometheus-net collector type of the kind (<c>Prometheus.Gauge</c>, ...), unqualified.</summary>
    public static string CollectorType(this MetricKind kind) => kind switch
    {
        MetricKind.Gauge => "Gauge",
        MetricKind.Counter => "Counter",
        MetricKind.Histogram => "Histogram",
        MetricKind.Summary => "Summary",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}

using System;
using FluentBit.Plugins;

namespace SpanMetrics;

/// <summary>
/// One span, as the OpenTelemetry Collector's spanmetrics connector reads it: the service that made it, its name, kind
/// and status, its duration, and its ids for the exemplars. Series are capped at 5,000 per metric (a runaway span name,
/// such as one with an id in it, folds into one <c>other</c> series instead of growing without end) and a series idle
/// for 10 minutes expires (an operation no longer called stops being exported).
/// </summary>
[RecordCounter("calls_total", "Spans ended, by service, span name, kind and status code",
    Labels = ["service_name", "span_name", "span_kind", "status_code"], MaxSeries = 5000, Overflow = SeriesOverflow.FoldIntoOther, ExpireAfterSeconds = 600)]
public sealed class SpanRecord
{
    [ResourceAttribute("service.name"), Label("service_name")]
    public string? ServiceName { get; set; }

    [SpanField(SpanField.Name), Label("span_name")]
    public string? SpanName { get; set; }

    [SpanField(SpanField.Kind), Label("span_kind")]
    public string? SpanKind { get; set; }

    [SpanField(SpanField.StatusCode), Label("status_code")]
    public string? StatusCode { get; set; }

    /// <summary>
    /// End minus start. The buckets are OpenTelemetry's default explicit bounds (0, 5, 10, 25 ... 10,000 ms), in
    /// seconds, so percentiles compare with what an OpenTelemetry SDK or Collector reports.
    /// </summary>
    [SpanField(SpanField.DurationSeconds)]
    [Histogram("duration_seconds", "Span durations in seconds, by service, span name, kind and status code",
        Labels = ["service_name", "span_name", "span_kind", "status_code"],
        Buckets = [0, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10],
        MaxSeries = 5000, Overflow = SeriesOverflow.FoldIntoOther, ExpireAfterSeconds = 600)]
    public double Duration { get; set; }

    /// <summary>The span's trace: the exemplar that links a bucket or a rate on a dashboard to the trace itself.</summary>
    [SpanField(SpanField.TraceId), Exemplar("trace_id")]
    public ReadOnlyMemory<byte> TraceId { get; set; }

    [SpanField(SpanField.SpanId), Exemplar("span_id")]
    public ReadOnlyMemory<byte> SpanId { get; set; }
}

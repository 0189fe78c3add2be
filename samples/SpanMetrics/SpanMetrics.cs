using FluentBit.Plugins;

namespace SpanMetrics;

/// <summary>
/// Turns the OpenTelemetry traces Fluent Bit receives (its <c>opentelemetry</c> input) into request rate, errors and
/// duration per service and operation, as the OpenTelemetry Collector's spanmetrics connector does, inside Fluent Bit:
/// <c>calls_total</c> and <c>duration_seconds</c> by <c>service_name</c>, <c>span_name</c>, <c>span_kind</c> and
/// <c>status_code</c>, each with the trace of a recent span as its exemplar. Needs Fluent Bit 4.2 or later.
/// </summary>
[FluentBitPlugin("span_metrics", "Turns OpenTelemetry spans into request, error and duration metrics", DefaultHttpPort = 8992)]
public sealed partial class SpanMetrics : PrometheusExporter<SpanRecord>
{
}

using System;
using FluentBit.Plugins;

namespace SpanProbe;

/// <summary>A generated span plugin that reads every part of a span, so the trace decoding can be checked span by span.</summary>
[FluentBitPlugin("span_probe", "Span decoding probe")]
public sealed partial class SpanProbe : PrometheusExporter<SpanProbeRecord>
{
    /// <summary>Test-only: a span named <c>throw</c> makes the hook throw, as a plugin's bug would.</summary>
    private static bool OnRecord(SpanProbeRecord record, in EventContext context) =>
        record.Name != "throw" ? context.IsSpan : throw new InvalidOperationException("the probe was told to throw");
}

[RecordCounter("spans_total", "Spans", Labels = ["service", "name", "kind", "status", "scope", "route", "env"])]
public sealed class SpanProbeRecord
{
    [ResourceAttribute("service.name"), Label("service")]
    public string? Service { get; set; }

    [ResourceAttribute("deployment.environment.name"), Label("env")]
    public string? Environment { get; set; }

    [SpanField(SpanField.Name), Label("name")]
    public string? Name { get; set; }

    [SpanField(SpanField.Kind), Label("kind")]
    public string? Kind { get; set; }

    [SpanField(SpanField.StatusCode), Label("status")]
    public string? Status { get; set; }

    [SpanField(SpanField.ScopeName), Label("scope")]
    public string? Scope { get; set; }

    [SpanAttribute("http.route"), Label("route")]
    public string? Route { get; set; }

    [SpanAttribute("http.response.status_code"), Gauge("last_status_code", "The last span's HTTP status code")]
    public int HttpStatus { get; set; }

    [SpanField(SpanField.DurationSeconds), Histogram("span_seconds", "Durations", Buckets = [0.01, 0.1, 1])]
    public double Duration { get; set; }

    [SpanField(SpanField.StatusMessage)]
    public string? StatusMessage { get; set; }

    [SpanField(SpanField.TraceId), Exemplar("trace_id")]
    public ReadOnlyMemory<byte> TraceId { get; set; }

    [SpanField(SpanField.ParentSpanId)]
    public ReadOnlyMemory<byte> Parent { get; set; }
}

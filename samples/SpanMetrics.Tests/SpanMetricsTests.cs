using System;
using System.Collections.Generic;
using System.Linq;
using FluentBit.Plugins.TestKit;
using Xunit;

namespace SpanMetrics.Tests;

/// <summary>The span sample, run in-process by the test kit: spans fed as ctraces chunks, as Fluent Bit 4.2+ flushes them.</summary>
public class SpanMetricsTests
{
    private static readonly (string, string)[] Checkout =
        [("service_name", "checkout"), ("span_name", "GET /api/items"), ("span_kind", "SPAN_KIND_SERVER"), ("status_code", "STATUS_CODE_UNSET")];

    [Fact]
    public void EachSpanIsOneCallAndOneDurationInItsBucket()
    {
        var plugin = new PluginHarness<SpanMetrics>();
        Assert.Equal("span_metrics", plugin.PluginName);

        Assert.Equal(3, plugin.SendSpans(
            new TestSpan("GET /api/items") { ServiceName = "checkout", Duration = TimeSpan.FromMilliseconds(3) },
            new TestSpan("GET /api/items") { ServiceName = "checkout", Duration = TimeSpan.FromMilliseconds(30) },
            new TestSpan("GET /api/items") { ServiceName = "checkout", Duration = TimeSpan.FromMilliseconds(30), Status = TestSpanStatus.Error }));

        Assert.Equal(2, plugin.Value("calls_total", Checkout));
        Assert.Equal(1, plugin.Value("calls_total", With(Checkout, "status_code", "STATUS_CODE_ERROR")));
        Assert.Equal(2, plugin.Value("duration_seconds_count", Checkout));
        Assert.Equal(0.033, plugin.Value("duration_seconds_sum", Checkout)!.Value, 9);
        Assert.Equal(1, plugin.Value("duration_seconds_bucket", [.. Checkout, ("le", "0.005")]));
        Assert.Equal(1, plugin.Value("duration_seconds_bucket", [.. Checkout, ("le", "0.025")]));
        Assert.Equal(2, plugin.Value("duration_seconds_bucket", [.. Checkout, ("le", "0.05")]));
        Assert.Equal(2, plugin.Value("duration_seconds_bucket", [.. Checkout, ("le", "+Inf")]));
    }

    [Fact]
    public void KindStatusAndServiceComeFromTheSpanAndItsResource()
    {
        var plugin = new PluginHarness<SpanMetrics>();

        plugin.SendSpans(
            new TestSpan("SELECT items") { ServiceName = "inventory", Kind = TestSpanKind.Client, Status = TestSpanStatus.Ok },
            new TestSpan("publish order") { ServiceName = null, Kind = TestSpanKind.Producer });

        Assert.Equal(1, plugin.Value("calls_total", ("service_name", "inventory"), ("span_name", "SELECT items"), ("span_kind", "SPAN_KIND_CLIENT"), ("status_code", "STATUS_CODE_OK")));

        // A resource without service.name (OpenTelemetry SDKs always set one): the span has no value for a label, so
        // its updates are skipped and counted, as a log record without a label's key is.
        Assert.Equal(1, plugin.Skips("calls_total").MissingLabel);
        Assert.Equal(1, plugin.Skips("duration_seconds").MissingLabel);
    }

    [Fact]
    public void TheTraceIdIsTheExemplarOfTheBucketAndTheCall()
    {
        var plugin = new PluginHarness<SpanMetrics>();

        plugin.SendSpans(new TestSpan("GET /api/items")
        {
            ServiceName = "checkout", Duration = TimeSpan.FromMilliseconds(80),
            TraceId = "0af7651916cd43dd8448eb211c80319c", SpanId = "b7ad6b7169203331",
        });

        MetricExemplar? bucket = plugin.Exemplar("duration_seconds_bucket", [.. Checkout, ("le", "0.1")]);
        Assert.NotNull(bucket);
        Assert.Equal("0af7651916cd43dd8448eb211c80319c", bucket.Label("trace_id"));
        Assert.Equal("b7ad6b7169203331", bucket.Label("span_id"));
        Assert.Equal(0.08, bucket.Value, 9);
        Assert.Equal("0af7651916cd43dd8448eb211c80319c", plugin.Exemplar("calls_total", Checkout)?.Label("trace_id"));
    }

    [Fact]
    public void ADamagedTraceChunkIsRefusedWholeAndNothingOfItCounts()
    {
        var plugin = new PluginHarness<SpanMetrics>();
        byte[] good = new TraceChunkBuilder().Add(new TestSpan("GET /") { ServiceName = "checkout" }).ToArray();

        // The good document, then one cut short: Fluent Bit's flush gets an error, no span of the chunk is applied.
        Assert.Equal(0, plugin.SendChunk(new TraceChunkBuilder().AddBytes(good).AddBytes(good.AsSpan(0, good.Length - 3)).ToArray()));

        Assert.Null(plugin.Value("calls_total", ("service_name", "checkout"), ("span_name", "GET /"), ("span_kind", "SPAN_KIND_SERVER"), ("status_code", "STATUS_CODE_UNSET")));
        Assert.Contains(plugin.LogLines, l => l.Contains("dropped a damaged", StringComparison.Ordinal));
    }

    [Fact]
    public void ASpanThatEndsBeforeItStartsCountsAsACallWithoutADuration()
    {
        var plugin = new PluginHarness<SpanMetrics>();

        plugin.SendSpans(new TestSpan("GET /api/items") { ServiceName = "checkout", Duration = TimeSpan.FromMilliseconds(-5) });

        Assert.Equal(1, plugin.Value("calls_total", Checkout));
        Assert.Null(plugin.Value("duration_seconds_count", Checkout));
    }

    [Fact]
    public void ARunawaySpanNameFoldsIntoOneOtherSeriesAtTheCap()
    {
        var plugin = new PluginHarness<SpanMetrics>();

        // A span name with an id in it: 5,000 series, then every new one counts in "other".
        plugin.SendSpans([.. Enumerable.Range(0, 5_010).Select(i => new TestSpan($"GET /api/items/{i}") { ServiceName = "checkout" })]);

        Assert.Equal(5_001, plugin.Samples("calls_total").Count);
        Assert.Equal(10, plugin.Value("calls_total", ("service_name", "other"), ("span_name", "other"), ("span_kind", "other"), ("status_code", "other")));
        Assert.Equal(10, plugin.Skips("calls_total").FoldedSeries);
    }

    private static (string, string)[] With((string Label, string Value)[] labels, string label, string value) =>
        [.. labels.Select(l => l.Label == label ? (l.Label, value) : (l.Label, l.Value))];
}

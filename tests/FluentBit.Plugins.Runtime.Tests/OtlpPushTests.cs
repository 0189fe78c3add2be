using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using FluentBit.Plugins.Configuration;
using FluentBit.Plugins.Logging;
using FluentBit.Plugins.Otlp;
using FluentBit.Plugins.Push;
using FluentBit.Plugins.SelfMetrics;
using FluentBit.Plugins.Testing;
using OpenTelemetry.Proto.Metrics.V1;
using Prometheus;
using Exemplar = Prometheus.Exemplar;
using Metric = OpenTelemetry.Proto.Metrics.V1.Metric;
using Xunit;

namespace FluentBit.Plugins.Runtime.Tests;

/// <summary>
/// The OTLP push against a fault-injecting receiver that reads each push with classes generated from the
/// specification's schema: what a push carries (the series a scrape shows as Sum, Gauge, Histogram and Summary, start
/// times, exemplars, resource, headers, auth, gzip), and OTLP's delivery table case by case: which statuses are
/// retried, <c>Retry-After</c>, drops, partial success. Times are asserted only as lower bounds, or as bounds a hang
/// would cross.
/// </summary>
public sealed class OtlpPushTests : IDisposable
{
    private const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    private const string SpanId = "00f067aa0ba902b7";
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);

    private readonly OtlpReceiver _receiver = new();
    private readonly CollectorRegistry _registry = Metrics.NewCustomRegistry();
    private readonly PluginSelfMetrics _self = new(served: true);
    private readonly ConcurrentQueue<string> _log = new();
    private readonly Counter _requests;
    private readonly Prometheus.Histogram _latency;
    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;
    private Pusher? _pusher;

    public OtlpPushTests()
    {
        MetricFactory factory = Metrics.WithCustomRegistry(_registry);
        _requests = factory.WithLabels(new Dictionary<string, string> { ["env"] = "prod" })
            .CreateCounter("http_requests_total", "Requests, by \"path\"\\status", ["path", "status"]);
        _latency = factory.CreateHistogram("http_latency_seconds", "Latency", new HistogramConfiguration { Buckets = [0.1, 1] });
        factory.CreateGauge("queue_depth", "Depth").Set(-2.5);
        factory.CreateSummary("size_bytes", "Sizes", new SummaryConfiguration { Objectives = [new QuantileEpsilonPair(0.5, 0.05)] }).Observe(10);
        _requests.WithLabels("/a\"b\\c", "200").Inc(3, Exemplar.From(Exemplar.Pair("trace_id", TraceId), Exemplar.Pair("span_id", SpanId)));
        _requests.WithLabels("/", "500").Inc();
        _latency.Observe(0.5, Exemplar.From(Exemplar.Pair("trace_id", TraceId), Exemplar.Pair("user", "u-1")));
        _latency.Observe(0.05);
    }

    public void Dispose()
    {
        _pusher?.Dispose();
        _receiver.Dispose();
    }

    [Fact]
    public void APushCarriesTheSeriesAScrapeShowsAsOtlpMetricsWithTheProtocolsHeaders()
    {
        Start(("otlp_interval", "1s"), ("otlp_user", "tenant"), ("otlp_passwd", "s3cret"), ("otlp_headers", "X-Scope-OrgID=tenant-1"),
            ("otlp_resource_attributes", "deployment.environment.name=prod"));
        ulong before = Nanos(DateTimeOffset.UtcNow);

        ReceivedOtlpPush push = _receiver.WaitForPushes(1)[0];

        Assert.Equal("gzip", push.Headers["Content-Encoding"]);
        Assert.Equal("application/x-protobuf", push.Headers["Content-Type"]);
        Assert.Equal("Basic " + Convert.ToBase64String("tenant:s3cret"u8.ToArray()), push.Headers["Authorization"]);
        Assert.Equal("tenant-1", push.Headers["X-Scope-OrgID"]);
        Assert.StartsWith("FluentBit.Plugins/", push.Headers["User-Agent"]);
        Assert.Equal(
            new Dictionary<string, string> { ["service.name"] = "test_exporter", ["host.name"] = "node-7", ["deployment.environment.name"] = "prod" },
            push.ResourceAttributes);
        Assert.Equal("FluentBit.Plugins", push.Request.ResourceMetrics[0].ScopeMetrics[0].Scope.Name);

        // Exactly the series of a text scrape, read back from the OTLP data (self-metrics included, OTLP's own among them).
        Dictionary<string, double> scraped = PrometheusText.Parse(RegistryText.Of(_registry) + RegistryText.Of(_self.Registry));
        Dictionary<string, double> pushed = push.Values();
        Assert.Equal(Plugin(scraped.Keys), Plugin(pushed.Keys));
        foreach (string key in Plugin(scraped.Keys))
        {
            Assert.True(scraped[key] == pushed[key], $"{key}: scraped {scraped[key]}, pushed {pushed[key]}");
        }

        Assert.Contains("fluentbit_plugin_otlp_pushes_in_flight", pushed.Keys);

        // The kinds, as the mapping table says; descriptions from HELP; times and start times.
        Metric requests = push.Metric("http_requests_total");
        Assert.Equal(Metric.DataOneofCase.Sum, requests.DataCase);
        Assert.True(requests.Sum.IsMonotonic);
        Assert.Equal(AggregationTemporality.Cumulative, requests.Sum.AggregationTemporality);
        Assert.Equal("Requests, by \"path\"\\status", requests.Description);
        Metric latency = push.Metric("http_latency_seconds");
        Assert.Equal(AggregationTemporality.Cumulative, latency.Histogram.AggregationTemporality);
        HistogramDataPoint histogram = latency.Histogram.DataPoints.Single();
        Assert.Equal([0.1, 1], histogram.ExplicitBounds);
        Assert.Equal([1UL, 1UL, 0UL], histogram.BucketCounts);
        Assert.Equal(2UL, histogram.Count);
        Assert.Equal(0.55, histogram.Sum, 9);
        Assert.Equal(Metric.DataOneofCase.Gauge, push.Metric("queue_depth").DataCase);
        Assert.Equal(0UL, push.Metric("queue_depth").Gauge.DataPoints[0].StartTimeUnixNano);
        Assert.Equal(Metric.DataOneofCase.Summary, push.Metric("size_bytes").DataCase);
        Assert.All(requests.Sum.DataPoints.Concat(push.Metric("queue_depth").Gauge.DataPoints), p => Assert.InRange(p.TimeUnixNano, before, Nanos(DateTimeOffset.UtcNow)));
        Assert.All(requests.Sum.DataPoints, p => Assert.Equal(Nanos(_started), p.StartTimeUnixNano));
        Assert.Equal(Nanos(_started), histogram.StartTimeUnixNano);
    }

    [Fact]
    public void ExemplarsCarryTheirTraceAndSpanIdsAsBytesAndOtherLabelsAsFilteredAttributes()
    {
        Start(("otlp_interval", "1s"), ("otlp_compression", "none"));

        ReceivedOtlpPush push = _receiver.WaitForPushes(1)[0];

        Assert.False(push.Headers.ContainsKey("Content-Encoding"));
        var exemplars = push.Exemplars();
        var counter = exemplars.Single(e => e.Metric == "http_requests_total");
        Assert.Equal((TraceId, SpanId, 3.0), (counter.TraceId, counter.SpanId, counter.Value));
        Assert.Equal(16, counter.Exemplar.TraceId.Length);
        Assert.Empty(counter.Exemplar.FilteredAttributes);
        Assert.InRange(counter.Exemplar.TimeUnixNano, Nanos(_started) - 1_000_000_000, Nanos(DateTimeOffset.UtcNow));
        var bucket = exemplars.Single(e => e.Metric == "http_latency_seconds");
        Assert.Equal((TraceId, "", 0.5), (bucket.TraceId, bucket.SpanId, bucket.Value));
        Assert.Equal("user=u-1", string.Join(",", bucket.Exemplar.FilteredAttributes.Select(a => $"{a.Key}={a.Value.StringValue}")));
    }

    [Fact]
    public void ASeriesKeepsItsStartTimeAcrossPushesAndGetsANewOneWhenItRestarts()
    {
        Start(("otlp_interval", "1s"));
        ReceivedOtlpPush first = _receiver.WaitForPushes(1)[0];
        _requests.WithLabels("/", "500").Inc(41);
        _requests.RemoveLabelled("/a\"b\\c", "200");

        ReceivedOtlpPush later = SpinUntilPush(p => p.Values().GetValueOrDefault(PrometheusText.Key("http_requests_total", ("env", "prod"), ("path", "/"), ("status", "500"))) == 42);
        _requests.WithLabels("/a\"b\\c", "200").Inc();
        int seen = _receiver.Pushes.Count;
        ReceivedOtlpPush restarted = SpinUntilPush(p => _receiver.Pushes.ToList().IndexOf(p) >= seen
            && p.Metric("http_requests_total").Sum.DataPoints.Any(d => d.Attributes.Any(a => a.Value.StringValue == "/a\"b\\c")));

        NumberDataPoint Point(ReceivedOtlpPush push, string path) =>
            push.Metric("http_requests_total").Sum.DataPoints.Single(d => d.Attributes.Any(a => a.Key == "path" && a.Value.StringValue == path));
        Assert.Equal(Nanos(_started), Point(later, "/").StartTimeUnixNano);
        Assert.Equal(Nanos(_started), Point(restarted, "/").StartTimeUnixNano);

        // Removed in one snapshot and back in a later one: it started after the push before the one that found it again.
        NumberDataPoint again = Point(restarted, "/a\"b\\c");
        Assert.Equal(1, again.AsDouble);
        Assert.True(again.StartTimeUnixNano > Nanos(_started), "a restarted series keeps the old start time");
        Assert.True(again.StartTimeUnixNano < again.TimeUnixNano);
        Assert.Contains(_receiver.Pushes, p => p.Metric("queue_depth").Gauge.DataPoints[0].TimeUnixNano == again.StartTimeUnixNano);
    }

    [Theory]
    [InlineData(400, "rejected")]
    [InlineData(401, "rejected")]
    [InlineData(403, "rejected")]
    [InlineData(413, "rejected")]
    [InlineData(500, "server_error")]
    [InlineData(501, "server_error")]
    public void WhatOtlpSaysNotToRetryIsDroppedWithOneLineNamingTheStatusAndMessage(int status, string result)
    {
        _receiver.Respond = _ => new ReceiverReply(status, "bad metric name");
        Start(("otlp_interval", "1s"));

        _receiver.WaitForPushes(3);

        Assert.True(SpinWait.SpinUntil(() => Self(PrometheusText.Key("fluentbit_plugin_otlp_pushes_total", ("result", result))) >= 3, Hang));
        Assert.DoesNotContain(_log, l => l.Contains("retrying", StringComparison.Ordinal));
        string line = Assert.Single(_log, l => l.Contains("refused a push", StringComparison.Ordinal));
        Assert.Contains($"127.0.0.1:{_receiver.Port}/v1/metrics refused a push of", line);
        Assert.Contains($"data points: HTTP {status} ", line);
        Assert.EndsWith(": bad metric name; the push is dropped, not retried", line);
        Assert.True(Self(PrometheusText.Key("fluentbit_plugin_otlp_data_points_failed_total", ("result", result))) > 0);
    }

    [Theory]
    [InlineData(429, "throttled")]
    [InlineData(502, "server_error")]
    [InlineData(503, "server_error")]
    [InlineData(504, "server_error")]
    public void WhatOtlpSaysToRetryIsRetriedWithANewerSnapshotThenRecovers(int status, string result)
    {
        _receiver.Respond = n => n < 2 ? new ReceiverReply(status, "busy") : new ReceiverReply(200);
        Start(("otlp_interval", "1s"));

        _receiver.WaitForPushes(3);

        Assert.True(SpinWait.SpinUntil(() => Self(PrometheusText.Key("fluentbit_plugin_otlp_pushes_total", ("result", "ok"))) >= 1, Hang));
        Assert.Equal(2, Self(PrometheusText.Key("fluentbit_plugin_otlp_pushes_total", ("result", result))));
        Assert.Contains(_log, l => l.Contains($"failed ({result}): HTTP {status} ", StringComparison.Ordinal) && l.Contains("retrying with a newer snapshot in 1 s", StringComparison.Ordinal));
        Assert.Contains(_log, l => l.Contains("OTLP pushes to", StringComparison.Ordinal) && l.Contains("succeed again, after 2 failed", StringComparison.Ordinal));
    }

    [Fact]
    public void A503sRetryAfterIsHonouredNoSoonerThanAsked()
    {
        _receiver.Respond = n => n == 0 ? new ReceiverReply(503, "maintenance") { Headers = [("Retry-After", "3")] } : new ReceiverReply(200);
        Start(("otlp_interval", "1s"));

        IReadOnlyList<ReceivedOtlpPush> pushes = _receiver.WaitForPushes(2);

        Assert.True(pushes[1].At - pushes[0].At >= TimeSpan.FromSeconds(2.9), $"retried after {(pushes[1].At - pushes[0].At).TotalSeconds} s");
        Assert.Contains(_log, l => l.Contains("retrying with a newer snapshot in 3 s", StringComparison.Ordinal));
    }

    [Fact]
    public void APartialSuccessIsAcceptedWithItsRejectedPointsCountedAndLoggedOnce()
    {
        _receiver.Respond = _ => OtlpReceiver.PartialSuccess(2, "2 points had an invalid unit");
        Start(("otlp_interval", "1s"));

        IReadOnlyList<ReceivedOtlpPush> pushes = _receiver.WaitForPushes(3);

        Assert.True(SpinWait.SpinUntil(() => Self(PrometheusText.Key("fluentbit_plugin_otlp_pushes_total", ("result", "ok"))) >= 3, Hang));
        Assert.True(Self("fluentbit_plugin_otlp_data_points_rejected_total") >= 6);
        string line = Assert.Single(_log, l => l.Contains("rejected 2 of them", StringComparison.Ordinal));
        Assert.StartsWith($"[warn] [test_exporter] http://127.0.0.1:{_receiver.Port}/v1/metrics accepted a push of", line);
        Assert.EndsWith("data points but rejected 2 of them: 2 points had an invalid unit", line);
        Assert.DoesNotContain(_log, l => l.Contains("retrying", StringComparison.Ordinal));
        Assert.True(Self("fluentbit_plugin_otlp_last_success_timestamp_seconds") > 0);
    }

    [Fact]
    public void ABearerTokenIsSentAndAWrongOneIsRefusedAsA401()
    {
        string token = System.IO.Path.GetTempFileName();
        try
        {
            System.IO.File.WriteAllText(token, "abc123\n");
            _receiver.RequiredAuthorization = "Bearer abc123";
            Start(("otlp_interval", "1s"), ("otlp_bearer_token_file", token));
            _receiver.WaitForPushes(1);
            Assert.True(SpinWait.SpinUntil(() => Self(PrometheusText.Key("fluentbit_plugin_otlp_pushes_total", ("result", "ok"))) >= 1, Hang));

            System.IO.File.WriteAllText(token, "rotated");
            Assert.True(SpinWait.SpinUntil(() => Self(PrometheusText.Key("fluentbit_plugin_otlp_pushes_total", ("result", "rejected"))) >= 1, Hang));
            Assert.Contains(_log, l => l.Contains("HTTP 401 Unauthorized: wrong credentials", StringComparison.Ordinal));
        }
        finally
        {
            System.IO.File.Delete(token);
        }
    }

    [Fact]
    public void ExitPushesOnceMoreAtOnceWithTheLastValues()
    {
        Start(("otlp_interval", "60s"));
        _requests.WithLabels("/", "500").Inc(99);

        _pusher!.Dispose();

        ReceivedOtlpPush last = Assert.Single(_receiver.Pushes);
        Assert.Equal(100, last.Values()[PrometheusText.Key("http_requests_total", ("env", "prod"), ("path", "/"), ("status", "500"))]);
    }

    private static IEnumerable<string> Plugin(IEnumerable<string> keys) =>
        keys.Where(k => !k.StartsWith("fluentbit_plugin_", StringComparison.Ordinal)).Order(StringComparer.Ordinal);

    private static ulong Nanos(DateTimeOffset time) => (ulong)((time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100);

    private void Start(params (string Key, string Value)[] properties)
    {
        (string, string)[] all = properties.Any(p => p.Key == "otlp_url") ? properties : [("otlp_url", _receiver.Url), .. properties];
        OtlpConfig config = OtlpConfig.Read(new TestProperties(all), "test_exporter", "node-7")!;
        var log = new PluginLog("test_exporter", (level, line) => _log.Enqueue($"[{level.ToString().ToLowerInvariant()}] {line}"));
        _pusher = new Pusher(new OtlpTarget(config, _started), _registry, _self, log, "test_exporter.0");
        _pusher.Start();
    }

    private ReceivedOtlpPush SpinUntilPush(Func<ReceivedOtlpPush, bool> condition)
    {
        ReceivedOtlpPush? found = null;
        Assert.True(SpinWait.SpinUntil(() => (found = _receiver.Pushes.FirstOrDefault(condition)) is not null, Hang), "no such push arrived");
        return found!;
    }

    private double Self(string key) => PrometheusText.Parse(RegistryText.Of(_self.Registry)).GetValueOrDefault(key);
}

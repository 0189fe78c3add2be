using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using FluentBit.Plugins.Configuration;
using FluentBit.Plugins.Endpoint;
using FluentBit.Plugins.Exposition;
using FluentBit.Plugins.Logging;
using FluentBit.Plugins.Push;
using FluentBit.Plugins.RemoteWrite;
using FluentBit.Plugins.SelfMetrics;
using FluentBit.Plugins.Testing;
using Prometheus;
using Xunit;

namespace FluentBit.Plugins.Runtime.Tests;

/// <summary>
/// The push against a fault-injecting receiver: what a push carries (the series a scrape shows, headers, auth), and
/// the delivery rules: retries with backoff and Retry-After, drops with one log line, the last push at Exit. Times
/// are asserted only as lower bounds (a retry must not come before it is due), or as bounds a hang would cross.
/// </summary>
public sealed class RemoteWritePushTests : IDisposable
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);

    private readonly RemoteWriteReceiver _receiver = new();
    private readonly CollectorRegistry _registry = Metrics.NewCustomRegistry();
    private readonly PluginSelfMetrics _self = new(served: true);
    private readonly ConcurrentQueue<string> _log = new();
    private readonly Counter _requests;
    private readonly Histogram _latency;
    private Pusher? _pusher;

    public RemoteWritePushTests()
    {
        MetricFactory factory = Metrics.WithCustomRegistry(_registry);
        _requests = factory.WithLabels(new Dictionary<string, string> { ["env"] = "prod" })
            .CreateCounter("http_requests_total", "Requests, by \"path\"\\status", ["path", "status"]);
        _latency = factory.CreateHistogram("http_latency_seconds", "Latency", new HistogramConfiguration { Buckets = [0.1, 1] });
        factory.CreateGauge("queue_depth", "Depth").Set(-2.5);
        factory.CreateSummary("size_bytes", "Sizes", new SummaryConfiguration { Objectives = [new QuantileEpsilonPair(0.5, 0.05)] }).Observe(10);
        _requests.WithLabels("/a\"b\\c", "200").Inc(3);
        _requests.WithLabels("/", "500").Inc();
        _latency.Observe(0.5);
    }

    public void Dispose()
    {
        _pusher?.Dispose();
        _receiver.Dispose();
    }

    [Fact]
    public void APushCarriesTheSeriesAScrapeShowsWithTheProtocolsHeaders()
    {
        Start(("remote_write_interval", "1s"), ("remote_write_user", "tenant"), ("remote_write_passwd", "s3cret"), ("remote_write_headers", "X-Scope-OrgID=tenant-1"));
        long before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        ReceivedPush push = _receiver.WaitForPushes(1)[0];

        Assert.Equal("snappy", push.Headers["Content-Encoding"]);
        Assert.Equal("application/x-protobuf", push.Headers["Content-Type"]);
        Assert.Equal("0.1.0", push.Headers["X-Prometheus-Remote-Write-Version"]);
        Assert.Equal("Basic " + Convert.ToBase64String("tenant:s3cret"u8.ToArray()), push.Headers["Authorization"]);
        Assert.Equal("tenant-1", push.Headers["X-Scope-OrgID"]);
        Assert.StartsWith("FluentBit.Plugins/", push.Headers["User-Agent"]);

        // Exactly the plugin's series of a text scrape, with the self-metrics after them.
        Dictionary<string, double> scraped = PrometheusText.Parse(RegistryText.Of(_registry) + RegistryText.Of(_self.Registry));
        Dictionary<string, double> pushed = push.Values();
        Assert.Equal(scraped.Keys.Where(k => !k.StartsWith("fluentbit_plugin_", StringComparison.Ordinal)).Order(), pushed.Keys.Where(k => !k.StartsWith("fluentbit_plugin_", StringComparison.Ordinal)).Order());
        Assert.Equal(3, pushed[PrometheusText.Key("http_requests_total", ("env", "prod"), ("path", "/a\"b\\c"), ("status", "200"))]);
        Assert.Equal(1, pushed[PrometheusText.Key("http_latency_seconds_bucket", ("le", "1"))]);
        Assert.Equal(0, pushed[PrometheusText.Key("http_latency_seconds_bucket", ("le", "0.1"))]);
        Assert.Equal(1, pushed[PrometheusText.Key("http_latency_seconds_bucket", ("le", "+Inf"))]);
        Assert.Equal(0.5, pushed["http_latency_seconds_sum"]);
        Assert.Equal(-2.5, pushed["queue_depth"]);
        Assert.Equal(10, pushed[PrometheusText.Key("size_bytes", ("quantile", "0.5"))]);
        Assert.Contains("fluentbit_plugin_remote_write_pushes_in_flight", pushed.Keys);

        // Labels sorted by name, __name__ among them; one sample each, stamped when the push was made.
        Assert.All(push.Series, s =>
        {
            Assert.Equal(s.Labels.Select(l => l.Key).Order(StringComparer.Ordinal), s.Labels.Select(l => l.Key));
            Assert.Equal(1, s.Samples);
            Assert.InRange(s.TimestampMs, before, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        });
        Assert.Contains((1, "http_requests_total", "Requests, by \"path\"\\status"), push.Metadata);
        Assert.Contains((3, "http_latency_seconds", "Latency"), push.Metadata);
        Assert.Contains((2, "queue_depth", "Depth"), push.Metadata);
        Assert.Contains((5, "size_bytes", "Sizes"), push.Metadata);
    }

    [Fact]
    public void EachPushIsANewSnapshot()
    {
        Start(("remote_write_interval", "1s"));
        _receiver.WaitForPushes(1);
        _requests.WithLabels("/", "500").Inc(41);

        ReceivedPush later = SpinUntilPush(p => p.Values().GetValueOrDefault(PrometheusText.Key("http_requests_total", ("env", "prod"), ("path", "/"), ("status", "500"))) == 42);

        Assert.True(later.Series[0].TimestampMs > _receiver.Pushes[0].Series[0].TimestampMs);
        Assert.Equal(1, Self("fluentbit_plugin_remote_write_last_success_timestamp_seconds") > 0 ? 1 : 0);
    }

    [Fact]
    public void A429IsRetriedNoSoonerThanItsRetryAfterAndCounted()
    {
        _receiver.Respond = n => n == 0 ? new ReceiverReply(429, "slow down") { Headers = [("Retry-After", "3")] } : new ReceiverReply(204);
        Start(("remote_write_interval", "1s"));

        IReadOnlyList<ReceivedPush> pushes = _receiver.WaitForPushes(2);

        Assert.True(pushes[1].At - pushes[0].At >= TimeSpan.FromSeconds(2.9), $"retried after {pushes[1].At - pushes[0].At}");
        Assert.Equal(pushes[0].Series.Count, Self(PrometheusText.Key("fluentbit_plugin_remote_write_samples_failed_total", ("result", "throttled"))));
        Assert.Equal(1, Self(PrometheusText.Key("fluentbit_plugin_remote_write_pushes_total", ("result", "throttled"))));
        Assert.Contains(_log, l => l.Contains("failed (throttled): HTTP 429 Too Many Requests: slow down; retrying with a newer snapshot in 3 s", StringComparison.Ordinal));
    }

    [Fact]
    public void ServerErrorsBackOffExponentiallyThenRecover()
    {
        _receiver.Respond = n => n < 3 ? new ReceiverReply(503, "ingester unavailable") : new ReceiverReply(204);
        Start(("remote_write_interval", "1s"));

        IReadOnlyList<ReceivedPush> pushes = _receiver.WaitForPushes(4);

        // 1 s, then 2 s, then 4 s after each failure: lower bounds (a loaded machine can only make them longer).
        Assert.True(pushes[1].At - pushes[0].At >= TimeSpan.FromSeconds(0.95), $"first retry after {pushes[1].At - pushes[0].At}");
        Assert.True(pushes[2].At - pushes[1].At >= TimeSpan.FromSeconds(1.95), $"second retry after {pushes[2].At - pushes[1].At}");
        Assert.True(pushes[3].At - pushes[2].At >= TimeSpan.FromSeconds(3.95), $"third retry after {pushes[3].At - pushes[2].At}");
        SpinWait.SpinUntil(() => Self("fluentbit_plugin_remote_write_samples_sent_total") > 0, Hang);
        Assert.Equal(pushes[3].Series.Count, Self("fluentbit_plugin_remote_write_samples_sent_total"));
        Assert.Equal(pushes.Take(3).Sum(p => p.Series.Count), Self(PrometheusText.Key("fluentbit_plugin_remote_write_samples_failed_total", ("result", "server_error"))));
        Assert.Contains(_log, l => l.Contains("HTTP 503 Service Unavailable: ingester unavailable", StringComparison.Ordinal));
        Assert.Contains(_log, l => l.Contains("succeed again, after 3 failed", StringComparison.Ordinal));
    }

    [Fact]
    public void A400IsDroppedWithOneRateLimitedLineNamingTheStatusAndMessage()
    {
        _receiver.Respond = _ => new ReceiverReply(400, "out of order sample");
        Start(("remote_write_interval", "1s"));

        IReadOnlyList<ReceivedPush> pushes = _receiver.WaitForPushes(3);

        // Not retried: the next push comes at the next interval, as if the dropped one had succeeded (no backoff, no
        // "retrying" line). Arrival times are not compared: an interval runs from one push's start to the next's.
        Assert.DoesNotContain(_log, l => l.Contains("retrying", StringComparison.Ordinal));
        string[] lines = _log.Where(l => l.Contains("refused a push", StringComparison.Ordinal)).ToArray();
        Assert.Single(lines);
        Assert.Contains($"[error] [test_exporter] 127.0.0.1:{_receiver.Port}/api/v1/write refused a push of", lines[0].Replace("http://", ""));
        Assert.EndsWith("samples: HTTP 400 Bad Request: out of order sample; the push is dropped, not retried", lines[0]);

        // The receiver records a push when it arrives, the pusher counts it when the answer does: wait for the count.
        Assert.True(SpinWait.SpinUntil(() => Self(PrometheusText.Key("fluentbit_plugin_remote_write_pushes_total", ("result", "rejected"))) >= 3, Hang));
    }

    [Fact]
    public void AnUnreachableReceiverIsRetriedAndCounted()
    {
        int closed = LoopbackPorts.Free();
        Start(("remote_write_url", $"http://127.0.0.1:{closed}/api/v1/write"), ("remote_write_interval", "1s"));

        Assert.True(SpinWait.SpinUntil(() => Self(PrometheusText.Key("fluentbit_plugin_remote_write_pushes_total", ("result", "unreachable"))) >= 2, Hang));
        Assert.Contains(_log, l => l.Contains("failed (unreachable): ", StringComparison.Ordinal) && l.Contains("Connection refused", StringComparison.Ordinal));
        Assert.Equal(0, Self("fluentbit_plugin_remote_write_last_success_timestamp_seconds"));
    }

    [Fact]
    public void ExitPushesOnceMoreAtOnceWithTheLastValues()
    {
        Start(("remote_write_interval", "1h"));
        _requests.WithLabels("/", "500").Inc(99);

        _pusher!.Dispose();

        ReceivedPush last = Assert.Single(_receiver.Pushes);
        Assert.Equal(100, last.Values()[PrometheusText.Key("http_requests_total", ("env", "prod"), ("path", "/"), ("status", "500"))]);
    }

    [Fact]
    public void ExitIsBoundedWhenTheReceiverNeverAnswers()
    {
        _receiver.Respond = _ => new ReceiverReply(204, Hang: true);
        Start(("remote_write_interval", "1s"), ("remote_write_timeout", "1m"));
        _receiver.WaitForPushes(1);

        var clock = Stopwatch.StartNew();
        _pusher!.Dispose();

        // The push in flight is cut short and the last one gets FinalPushLimit: far below what a hang would take.
        Assert.True(clock.Elapsed < Hang, $"Exit took {clock.Elapsed}");
        Assert.True(SpinWait.SpinUntil(() => _receiver.Pushes.Count == 2, Hang));
        Assert.Contains(_log, l => l.Contains("the last push to", StringComparison.Ordinal) && l.Contains("at exit failed: no answer within 2 s", StringComparison.Ordinal));
    }

    [Fact]
    public void FluentBitsShutdownGraceHoldsTheFinalPushAndTheEndpointsStop() =>
        Assert.True(Pusher.FinalPushLimit + EndpointLimits.StopLimit <= TimeSpan.FromSeconds(5), "Fluent Bit's shutdown grace is 5 s");

    /// <summary>
    /// The backoff doubles from 1 s per failure in a row up to 30 s; a positive Retry-After wins, up to 5 min; zero or a
    /// past date gets the backoff.
    /// </summary>
    [Theory]
    [InlineData(null, 1, 1.0)]
    [InlineData(null, 2, 2.0)]
    [InlineData(null, 3, 4.0)]
    [InlineData(null, 5, 16.0)]
    [InlineData(null, 6, 30.0)]
    [InlineData(null, 1_000, 30.0)]
    [InlineData(null, 0, 1.0)]
    [InlineData(3.0, 6, 3.0)]
    [InlineData(299.5, 1, 299.5)]
    [InlineData(300.0, 1, 300.0)]
    [InlineData(3_600.0, 1, 300.0)]
    [InlineData(-10.0, 1, 1.0)]
    [InlineData(0.0, 3, 4.0)]
    public void TheRetryDelayIsCappedAndRetryAfterIsHonouredUpToItsCeiling(double? retryAfterSeconds, int failuresInARow, double expectedSeconds) =>
        Assert.Equal(
            TimeSpan.FromSeconds(expectedSeconds),
            Pusher.RetryDelay(retryAfterSeconds is double s ? TimeSpan.FromSeconds(s) : null, failuresInARow));

    /// <summary>
    /// Through the receiver: a Retry-After of an hour is cut to 5 min, and one given as a date already past gets the first
    /// backoff; the warning names the delay the pusher will wait (it is not waited here).
    /// </summary>
    [Theory]
    [InlineData("3600", "retrying with a newer snapshot in 300 s")]
    [InlineData("Wed, 21 Oct 2015 07:28:00 GMT", "retrying with a newer snapshot in 1 s")]
    public void ARetryAfterBeyondItsCeilingOrInThePastIsCapped(string retryAfter, string logged)
    {
        _receiver.Respond = _ => new ReceiverReply(429, "slow down") { Headers = [("Retry-After", retryAfter)] };
        Start(("remote_write_interval", "1s"));

        _receiver.WaitForPushes(1);

        Assert.True(SpinWait.SpinUntil(() => _log.Any(l => l.Contains(logged, StringComparison.Ordinal)), Hang), string.Join('\n', _log));
    }

    private void Start(params (string Key, string Value)[] properties)
    {
        (string, string)[] all = properties.Any(p => p.Key == "remote_write_url") ? properties : [("remote_write_url", _receiver.Url), .. properties];
        PushTargetConfig config = PushTargetConfig.Read(new TestProperties(all), PushKeys.RemoteWrite)!;
        var log = new PluginLog("test_exporter", (level, line) => _log.Enqueue($"[{level.ToString().ToLowerInvariant()}] {line}"));
        _pusher = new Pusher(new RemoteWriteTarget(config), _registry, _self, log, "test_exporter.0");
        _pusher.Start();
    }

    private ReceivedPush SpinUntilPush(Func<ReceivedPush, bool> condition)
    {
        ReceivedPush? found = null;
        Assert.True(SpinWait.SpinUntil(() => (found = _receiver.Pushes.FirstOrDefault(condition)) is not null, Hang), "no such push arrived");
        return found!;
    }

    private double Self(string key) => PrometheusText.Parse(RegistryText.Of(_self.Registry)).GetValueOrDefault(key);
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using FluentBit.Plugins.TestKit;
using FluentBit.Plugins.Testing;
using Xunit;

namespace FluentBit.Plugins.EndToEnd.Tests;

/// <summary>
/// The shapes test plugin in the host, fed one chunk of Kubernetes-shaped events written here with metadata
/// and timestamps, tag <c>kube.node1.web</c>. Every family is compared with what these five events must give.
/// </summary>
public class ShapesTests
{
    private const long Epoch = TestEvents.Epoch;
    private static readonly string Source = "source=\"shapes\"";

    /// <summary>The events: r2 is a health check the hook skips; r3 lacks a metadata stream and a second port; r5 has no path and a bad level.</summary>
    private static readonly Event[] Events =
    [
        new(1, new() { ["stream"] = "stdout" }, new() { ["kubernetes"] = Kube("web", 80, 8080), ["level"] = "info", ["cached"] = true, ["user"] = "alice", ["session"] = "s1", ["path"] = "/api/items/1", ["latency"] = 0.15, ["queued"] = 5L, ["dequeued"] = 2L, ["io_in"] = 100L, ["io_out"] = 50L }),
        new(2, new() { ["stream"] = "stdout" }, new() { ["kubernetes"] = Kube("web", 80, 8080), ["level"] = "ERROR", ["cached"] = false, ["user"] = "bob", ["session"] = "s2", ["path"] = "/healthz", ["latency"] = 0.01, ["queued"] = 3L, ["io_in"] = 7L }),
        new(3, new(), new() { ["kubernetes"] = Kube("api", 9090), ["level"] = "warn", ["cached"] = "true", ["user"] = "carol", ["session"] = "s3", ["path"] = "/other", ["latency"] = "0.35", ["queued"] = 1L }),
        new(4, new() { ["stream"] = "stderr" }, new() { ["kubernetes"] = Kube("web", 80, 8080), ["level"] = "debug", ["cached"] = false, ["user"] = "dave", ["session"] = "s1", ["path"] = "/api/items/2", ["latency"] = 0.25, ["dequeued"] = 1L, ["io_out"] = 5L }),
        new(5, new() { ["stream"] = "stdout" }, new() { ["kubernetes"] = Kube("web", 80, 8081), ["level"] = "bogus", ["cached"] = false, ["user"] = "erin", ["session"] = "s4", ["latency"] = 0.05 }),
    ];

    [Fact]
    public void EveryKindAndSourceGivesTheExactFamilies()
    {
        using (var run = new ShapesHost("--stack-size", "24576"))
        {
            HostProcess host = run.Host;
            AssertEveryFamily(Scrape.Text(run.Port));
            Assert.Equal(0, host.Stop());
            Assert.Contains("flushes=1 ok=1 error=0 retry=0 records=5", host.Stderr);
        }
    }

    /// <summary>
    /// The instance's config adds a constant label to every metric (add_labels) and shortens one metric's idle
    /// expiry (series_expiry): its series are gone from a scrape once they have been idle that long.
    /// </summary>
    [Fact]
    public void AddLabelsAndSeriesExpiryComeFromTheOutputSection()
    {
        // The expiry is long enough that the first scrape comes before it on any machine that is not hung, and the
        // test then waits for the series to go (as long as a hang bound) instead of sleeping a fixed time.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using (var run = new ShapesHost("-p", "add_labels=env=test,dc=eu1", "-p", "series_expiry=pod_log_tags_total=30s"))
        {
            int port = run.Port;
            Dictionary<string, double> first = Scrape.Metrics(port);
            TimeSpan firstScrape = clock.Elapsed;
            Assert.True(firstScrape < TimeSpan.FromSeconds(30), $"first scrape only after {firstScrape}: the test cannot see the series before it expires");
            Assert.Equal(4, first[$"pod_log_tags_total{{dc=\"eu1\",env=\"test\",{Source},tag=\"kube.node1.web\"}}"]);
            Assert.All(first.Keys.Where(k => k.StartsWith("pod_", StringComparison.Ordinal)), k => Assert.Contains("env=\"test\"", k));

            Dictionary<string, double> second = first;
            Assert.True(SpinWait.SpinUntil(
                () => !(second = Scrape.Metrics(port)).Keys.Any(k => k.StartsWith("pod_log_tags_total", StringComparison.Ordinal)),
                TimeSpan.FromSeconds(120)), "the idle series never expired");
            Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(30), $"expired after {clock.Elapsed}, before its 30 s");
            Assert.Equal(2, second[$"pod_log_sessions_total{{dc=\"eu1\",env=\"test\",session=\"s1\",{Source}}}"]);
            Assert.Equal(0, run.Host.Stop());
        }
    }

    /// <summary>
    /// What <see cref="Events"/>, tagged kube.node1.web, must give in a scrape: every family exact, and the skips, drops
    /// and folds in the self-metrics. The real-Fluent-Bit tier asserts the same after sending them through forward.
    /// </summary>
    internal static void AssertEveryFamily(string text)
    {
        Family(text, "pod_log_records_total", "counter", "Log lines by namespace, app, node and stream",
            ($"pod_log_records_total{{app=\"web\",namespace=\"shop\",node=\"node1\",{Source},stream=\"stdout\"}}", 2),
            ($"pod_log_records_total{{app=\"web\",namespace=\"shop\",node=\"node1\",{Source},stream=\"stderr\"}}", 1));
        Family(text, "pod_log_levels_total", "counter", "Log lines by level and cache hit",
            ($"pod_log_levels_total{{cached=\"true\",level=\"Info\",{Source}}}", 1),
            ($"pod_log_levels_total{{cached=\"true\",level=\"Warn\",{Source}}}", 1),
            ($"pod_log_levels_total{{cached=\"false\",level=\"Debug\",{Source}}}", 1));
        Family(text, "pod_log_users_total", "counter", "Log lines by user, at most three users",
            ($"pod_log_users_total{{{Source},user=\"alice\"}}", 1),
            ($"pod_log_users_total{{{Source},user=\"carol\"}}", 1),
            ($"pod_log_users_total{{{Source},user=\"dave\"}}", 1),
            ($"pod_log_users_total{{{Source},user=\"other\"}}", 1));
        Family(text, "pod_log_sessions_total", "counter", "Log lines by session, dropped beyond two",
            ($"pod_log_sessions_total{{session=\"s1\",{Source}}}", 2),
            ($"pod_log_sessions_total{{session=\"s3\",{Source}}}", 1));
        Family(text, "pod_log_tags_total", "counter", "Log lines by tag",
            ($"pod_log_tags_total{{{Source},tag=\"kube.node1.web\"}}", 4));

        // The key pattern is applied while the body is read, before the hook skips the health check.
        Family(text, "pod_io_bytes_total", "counter", "Bytes by direction, from the io_<dir> keys",
            ($"pod_io_bytes_total{{dir=\"in\",{Source}}}", 107),
            ($"pod_io_bytes_total{{dir=\"out\",{Source}}}", 55));
        Family(text, "pod_queue_depth", "gauge", "Queue depth by app",
            ($"pod_queue_depth{{app=\"web\",{Source}}}", 5 - 2 - 1),
            ($"pod_queue_depth{{app=\"api\",{Source}}}", 1));
        Family(text, "pod_last_event_time_seconds", "gauge", "Time of the app's last event",
            ($"pod_last_event_time_seconds{{app=\"web\",{Source}}}", Epoch + 5.5),
            ($"pod_last_event_time_seconds{{app=\"api\",{Source}}}", Epoch + 3.5));
        Family(text, "pod_request_duration_seconds", "histogram", "Request latency by port",
            Histogram("pod_request_duration_seconds", "port=\"8080\"", [0.25, 0.5, 0.75], [0.15, 0.25]).Concat(
            Histogram("pod_request_duration_seconds", "port=\"8081\"", [0.25, 0.5, 0.75], [0.05])).ToArray());

        // Summary quantiles are estimates: the family's sums and counts are exact, each quantile one of the observations.
        SortedDictionary<string, double> summary = AccessLogTests.Family(text, "pod_request_latency_seconds").Samples;
        Assert.Equal(0.15 + 0.25, summary[$"pod_request_latency_seconds_sum{{route=\"/api/items/:id\",{Source}}}"]);
        Assert.Equal(2, summary[$"pod_request_latency_seconds_count{{route=\"/api/items/:id\",{Source}}}"]);
        Assert.Equal(0.35, summary[$"pod_request_latency_seconds_sum{{route=\"other\",{Source}}}"]);
        Assert.Equal(1, summary[$"pod_request_latency_seconds_count{{route=\"other\",{Source}}}"]);
        Assert.Contains(summary[$"pod_request_latency_seconds{{quantile=\"0.5\",route=\"/api/items/:id\",{Source}}}"], new[] { 0.15, 0.25 });
        Assert.Equal(0.35, summary[$"pod_request_latency_seconds{{quantile=\"0.9\",route=\"other\",{Source}}}"]);
        Assert.Equal(8, summary.Count);

        // Delays are years here, so every event is above the last bucket; the sum depends on the clock.
        SortedDictionary<string, double> delay = AccessLogTests.Family(text, "pod_log_delay_seconds").Samples;
        Assert.Equal(4, delay[$"pod_log_delay_seconds_count{{{Source}}}"]);
        Assert.Equal(4, delay[$"pod_log_delay_seconds_bucket{{le=\"+Inf\",{Source}}}"]);
        Assert.Equal(0, delay[$"pod_log_delay_seconds_bucket{{le=\"100\",{Source}}}"]);
        Assert.InRange(delay[$"pod_log_delay_seconds_sum{{{Source}}}"], 4 * (DateTimeOffset.UtcNow.ToUnixTimeSeconds() - Epoch - 3600), 4 * (DateTimeOffset.UtcNow.ToUnixTimeSeconds() - Epoch));

        // What was skipped, dropped and folded is counted per metric in the instance's self-metrics.
        Dictionary<string, double> self = PrometheusText.Parse(text);
        double Skipped(string metric, string reason) => self.GetValueOrDefault(PrometheusText.Key("fluentbit_plugin_values_skipped_total", ("metric", metric), ("reason", reason)));
        Assert.Equal(1, Skipped("pod_log_records_total", "missing_label"));
        Assert.Equal(1, Skipped("pod_log_levels_total", "invalid_label"));
        Assert.Equal(1, Skipped("pod_request_duration_seconds", "missing_label"));
        Assert.Equal(1, Skipped("pod_request_latency_seconds", "missing_label"));
        Assert.Equal(1, self[PrometheusText.Key("fluentbit_plugin_series_capped_total", ("metric", "pod_log_users_total"), ("policy", "fold"))]);
        Assert.Equal(1, self[PrometheusText.Key("fluentbit_plugin_series_capped_total", ("metric", "pod_log_sessions_total"), ("policy", "drop"))]);
    }

    /// <summary>The shapes plugin in the host, fed <see cref="Events"/> as one chunk tagged kube.node1.web, ready to be scraped.</summary>
    private sealed class ShapesHost : IDisposable
    {
        private readonly string _chunks = Directory.CreateTempSubdirectory("shapes-").FullName;

        public ShapesHost(params string[] arguments)
        {
            File.WriteAllBytes(Path.Combine(_chunks, "0000.msgpack"), Chunk(Events));
            Port = Scrape.FreePort();
            Host = HostProcess.Start(
            [
                "-e", Artifacts.ShapesExporter, "-o", "shapes_exporter", "-p", "http_listen=127.0.0.1", "-p", $"http_port={Port}",
                .. arguments, "--chunks", _chunks, "--tag", "kube.node1.web", "--wait",
            ]);
            Host.WaitFor("flb-host: ready");
        }

        public HostProcess Host { get; }

        public int Port { get; }

        public void Dispose()
        {
            Host.Dispose();
            Directory.Delete(_chunks, recursive: true);
        }
    }

    private static void Family(string exposition, string name, string type, string help, params (string Series, double Value)[] samples)
    {
        var expected = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach ((string series, double value) in samples)
        {
            expected[PrometheusText.Parse(series + " 0").Keys.Single()] = value;
        }

        AccessLogTests.AssertFamily(($"# HELP {name} {help}\n# TYPE {name} {type}", expected), exposition, name);
    }

    private static IEnumerable<(string, double)> Histogram(string name, string labels, double[] buckets, double[] observations)
    {
        yield return ($"{name}_sum{{{labels},{Source}}}", observations.Aggregate(0.0, (sum, o) => sum + o));
        yield return ($"{name}_count{{{labels},{Source}}}", observations.Length);
        foreach (double bound in buckets)
        {
            yield return ($"{name}_bucket{{{labels},le=\"{bound.ToString(CultureInfo.InvariantCulture)}\",{Source}}}", observations.Count(o => o <= bound));
        }

        yield return ($"{name}_bucket{{{labels},le=\"+Inf\",{Source}}}", observations.Length);
    }

    private static Dictionary<string, object?> Kube(string app, params long[] ports) => new()
    {
        ["namespace_name"] = "shop",
        ["labels"] = new Dictionary<string, object?> { ["app"] = app },
        ["container_ports"] = ports,
    };

    /// <summary><see cref="Events"/> as one chunk, as Fluent Bit 2.1+ writes them: <c>[[EventTime, {metadata}], {body}]</c>.</summary>
    internal static byte[] EventsChunk() => Chunk(Events);

    private static byte[] Chunk(Event[] events)
    {
        var chunk = new ChunkBuilder();
        foreach (Event e in events)
        {
            chunk.Event(e.Body, e.Metadata, e.Second);
        }

        return chunk.ToArray();
    }

    private sealed record Event(int Second, Dictionary<string, object?> Metadata, Dictionary<string, object?> Body);
}

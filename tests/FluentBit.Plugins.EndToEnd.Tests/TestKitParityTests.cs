using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using FluentBit.Plugins.TestKit;
using FluentBit.Plugins.Testing;
using Xunit;

namespace FluentBit.Plugins.EndToEnd.Tests;

/// <summary>
/// The test kit runs the code the <c>.so</c> runs: the same chunks (a damaged one, an event whose body is not a map,
/// one the hook filters, one on which the hook throws) sent through <see cref="PluginHarness{TPlugin}"/> in this
/// process and through the published shapes plugin in flb-host give the same metrics and the same self-metrics.
/// </summary>
public class TestKitParityTests
{
    private const string Tag = "kube.node1.cart";

    /// <summary>Self-metric families that count what a flush did (durations and timestamps are left out: they differ run to run).</summary>
    private static readonly string[] CountingFamilies =
    [
        "fluentbit_plugin_chunks_flushed_total", "fluentbit_plugin_records_decoded_total", "fluentbit_plugin_records_skipped_total",
        "fluentbit_plugin_values_skipped_total", "fluentbit_plugin_series_capped_total", "fluentbit_plugin_label_values_replaced_total",
    ];

    private static Dictionary<string, object?> Pod(string path) => new()
    {
        ["kubernetes"] = new Dictionary<string, object?>
        {
            ["namespace_name"] = "shop",
            ["labels"] = new Dictionary<string, object?> { ["app"] = "cart" },
            ["container_ports"] = new object?[] { 80L, 8080L },
        },
        ["level"] = "info",
        ["user"] = "ann",
        ["session"] = "s1",
        ["path"] = path,
        ["latency"] = 0.25,
        ["queued"] = 3L,
    };

    /// <summary>Two flushes: four events (applied, filtered by the hook, the hook throws, not a map), then a damaged chunk.</summary>
    private static byte[][] Chunks()
    {
        var stream = new Dictionary<string, object?> { ["stream"] = "stdout" };
        byte[] good = new ChunkBuilder()
            .Event(Pod("/api/items/7"), stream, second: 1)
            .Event(Pod("/healthz"), stream, second: 2)
            .Event(Pod("/throw"), stream, second: 3)
            .Event("not a map", stream, second: 4)
            .ToArray();
        byte[] event1 = new ChunkBuilder().Event(Pod("/api/items/8"), stream, second: 5).ToArray();
        byte[] damaged = new ChunkBuilder().AddBytes(event1).AddBytes(event1.AsSpan(0, event1.Length / 2)).ToArray();
        return [good, damaged];
    }

    [Fact]
    public void DamagedChunksNonMapEventsAndTheHookCountTheSameInTheTestKitAsInTheSo()
    {
        byte[][] chunks = Chunks();

        var plugin = new PluginHarness<ShapesExporter.ShapesExporter>();
        Assert.Equal(2, plugin.SendChunk(chunks[0], Tag));
        Assert.Equal(0, plugin.SendChunk(chunks[1], Tag));
        Dictionary<string, double> kitMetrics = PrometheusText.Parse(plugin.Exposition())
            .Where(m => !m.Key.StartsWith(Scrape.SelfMetricsPrefix, StringComparison.Ordinal)).ToDictionary();
        Dictionary<string, double> kitSelf = Counting(plugin.SelfSamples().Select(s => s.ToString()));

        string directory = ChunkFiles(chunks);
        try
        {
            int port = Scrape.FreePort();
            using HostProcess host = HostProcess.Start(
                "-e", Artifacts.ShapesExporter, "-o", "shapes_exporter", "-p", "http_listen=127.0.0.1", "-p", $"http_port={port}",
                "--chunks", directory, "--tag", Tag, "--wait");
            host.WaitFor("flb-host: ready");
            Dictionary<string, double> soMetrics = Scrape.Metrics(port);
            Dictionary<string, double> soSelf = Counting(Scrape.SelfMetrics(port).Select(s => $"{s.Key} {s.Value}"));
            Assert.Equal(1, host.Stop()); // the host's status for a run in which a flush returned FLB_ERROR
            Assert.Contains("flushes=2 ok=1 error=1 retry=0", host.Stderr);

            // The delay is measured from each flush's clock, which differs between the two runs by construction.
            string[] clockDependent = ["pod_log_delay_seconds_sum"];
            Assert.Equal(Without(kitMetrics, clockDependent), Without(soMetrics, clockDependent));
            Assert.Equal(kitSelf, soSelf);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }

        // And what both counted is what the chunks hold.
        Assert.Equal(1, kitSelf[PrometheusText.Key("fluentbit_plugin_chunks_flushed_total", ("result", "ok"))]);
        Assert.Equal(1, kitSelf[PrometheusText.Key("fluentbit_plugin_chunks_flushed_total", ("result", "error"))]);
        Assert.Equal(4, kitSelf["fluentbit_plugin_records_decoded_total"]);
        Assert.Equal(1, kitSelf[PrometheusText.Key("fluentbit_plugin_records_skipped_total", ("reason", "not_a_map"))]);
        Assert.Equal(1, kitSelf[PrometheusText.Key("fluentbit_plugin_records_skipped_total", ("reason", "failed"))]);
        Assert.Equal(1, kitSelf[PrometheusText.Key("fluentbit_plugin_values_skipped_total", ("metric", "pod_log_users_total"), ("reason", "filtered"))]);
        Assert.Equal(1, plugin.Skips("pod_log_users_total").Filtered);
        Assert.Equal(1, plugin.Value("pod_log_users_total", ("user", "ann"), ("source", "shapes")));
        Assert.Contains(plugin.LogLines, l => l.StartsWith("[error] [shapes_exporter.0] dropped a damaged ", StringComparison.Ordinal));
        Assert.Contains(plugin.LogLines, l => l.Contains("the plugin's code threw InvalidOperationException: the hook failed on /throw", StringComparison.Ordinal));
    }

    /// <summary>
    /// The access-log sample with exemplars, through the test kit and through the published .so in flb-host with
    /// <c>workers 2</c> (the two chunks flushed concurrently): the text of the plugin's own families is the
    /// same set of lines (their order within a family is the order the series were made in, which two workers may change),
    /// and each series' exemplar (one record per series carries a trace id, so which one is first does
    /// not depend on the flush order) is the same trace id and value in both.
    /// </summary>
    [Fact]
    public void TheExpositionAndTheExemplarsAreTheSameInTheTestKitAsInTheSoWithWorkers()
    {
        static Dictionary<string, object?> Line(string method, int status, long bytes, double time, string trace) => new()
        {
            ["remote"] = "10.0.0.7", ["method"] = method, ["path"] = "/api/items", ["status"] = (long)status,
            ["bytes"] = bytes, ["request_time"] = time, ["trace_id"] = trace,
        };

        byte[][] chunks =
        [
            new ChunkBuilder().Event(Line("GET", 200, 5120, 0.042, "4bf92f3577b34da6a3ce929d0e0e4736"), second: 1).Event(Line("GET", 200, 100, 0.3, ""), second: 2).ToArray(),
            new ChunkBuilder().Event(Line("POST", 500, 77, 2.5, "aabfe228f219e9cb0eb53f16947ccf25"), second: 3).Event(Line("PUT", 304, 1, 0.001, "6b3216fdaeeb975729fae923d5a4fd12"), second: 4).ToArray(),
        ];

        var plugin = new PluginHarness<AccessLogExporter.AccessLogExporter>();
        foreach (byte[] chunk in chunks)
        {
            Assert.Equal(2, plugin.SendChunk(chunk, "access"));
        }

        string directory = ChunkFiles(chunks);
        try
        {
            int port = Scrape.FreePort();
            using HostProcess host = HostProcess.Start(
                "-e", Artifacts.AccessLogExporter, "-o", "access_log_exporter", "-p", "http_listen=127.0.0.1", "-p", $"http_port={port}", "-p", "workers=2",
                "--chunks", directory, "--tag", "access", "--wait");
            host.WaitFor("flb-host: ready");

            // The same lines; their order within a family follows which series was made first, which with two
            // workers is the order the chunks happened to run in.
            Assert.Equal(OwnFamilies(plugin.Exposition()).Order(StringComparer.Ordinal), OwnFamilies(Scrape.Text(port)).Order(StringComparer.Ordinal));
            string openMetrics = Scrape.Text(port, "application/openmetrics-text; version=1.0.0");
            (string Name, (string, string)[] Labels)[] series =
            [
                ("http_requests_total", [("method", "GET"), ("status", "200")]),
                ("http_requests_total", [("method", "POST"), ("status", "500")]),
                ("http_requests_total", [("method", "PUT"), ("status", "304")]),
                ("http_response_bytes_total", [("method", "GET")]),
                ("http_request_duration_seconds_bucket", [("method", "GET"), ("le", "0.05")]),
                ("http_request_duration_seconds_bucket", [("method", "POST"), ("le", "2.5")]),
            ];
            foreach ((string name, (string, string)[] labels) in series)
            {
                MetricExemplar kit = plugin.Exemplar(name, labels) ?? throw new Xunit.Sdk.XunitException($"the test kit shows no exemplar on {name}");
                string line = openMetrics.Split('\n').Single(l => !l.StartsWith('#') && l.Length > 0 && MetricSample.Parse(l)[0].Is(name, labels));
                (KeyValuePair<string, string>[] Labels, double Value, double? Timestamp) so = FluentBit.Plugins.Exposition.ExpositionParser.ParseExemplar(line)
                    ?? throw new Xunit.Sdk.XunitException($"the .so shows no exemplar on {line}");
                Assert.Equal(kit.Label("trace_id"), so.Labels.Single(l => l.Key == "trace_id").Value);
                Assert.Equal(kit.Value, so.Value);
            }

            Assert.Equal(0, host.Stop());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }

        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", plugin.Exemplar("http_requests_total", ("method", "GET"), ("status", "200"))!.Label("trace_id"));
        Assert.Equal(1, plugin.Exemplar("http_requests_total", ("method", "GET"), ("status", "200"))!.Value);
        Assert.Equal(2.5, plugin.Exemplar("http_request_duration_seconds_bucket", ("method", "POST"), ("le", "2.5"))!.Value);
    }

    /// <summary>The lines of an exposition that belong to the plugin's own families (not the fluentbit_plugin_* self-metrics).</summary>
    private static string[] OwnFamilies(string exposition) =>
        exposition.Split('\n').Where(l => l.Length > 0 && !l.Contains(Scrape.SelfMetricsPrefix, StringComparison.Ordinal)).ToArray();

    /// <summary>A new folder holding the chunks as 0000.msgpack, 0001.msgpack, ..., as flb-host's --chunks replays them.</summary>
    private static string ChunkFiles(byte[][] chunks)
    {
        string directory = Directory.CreateTempSubdirectory("parity-").FullName;
        for (int i = 0; i < chunks.Length; i++)
        {
            File.WriteAllBytes(Path.Combine(directory, $"{i:D4}.msgpack"), chunks[i]);
        }

        return directory;
    }

    /// <summary>The counting self-metric samples, keyed as <see cref="PrometheusText"/> keys them.</summary>
    private static Dictionary<string, double> Counting(IEnumerable<string> sampleLines) =>
        PrometheusText.Parse(string.Join("\n", sampleLines))
            .Where(s => CountingFamilies.Any(f => s.Key == f || s.Key.StartsWith(f + "{", StringComparison.Ordinal)))
            .ToDictionary();

    private static Dictionary<string, double> Without(Dictionary<string, double> series, string[] families) =>
        series.Where(s => !families.Any(f => s.Key == f || s.Key.StartsWith(f + "{", StringComparison.Ordinal))).ToDictionary();
}

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
        Dictionary<string, double> kitMetrics = PrometheusText.Parse(plugin.Exposition());
        Dictionary<string, double> kitSelf = Counting(plugin.SelfSamples().Select(s => s.ToString()));

        string directory = Directory.CreateTempSubdirectory("parity-").FullName;
        try
        {
            for (int i = 0; i < chunks.Length; i++)
            {
                File.WriteAllBytes(Path.Combine(directory, $"{i:D4}.msgpack"), chunks[i]);
            }

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

    /// <summary>The counting self-metric samples, keyed as <see cref="PrometheusText"/> keys them.</summary>
    private static Dictionary<string, double> Counting(IEnumerable<string> sampleLines) =>
        PrometheusText.Parse(string.Join("\n", sampleLines))
            .Where(s => CountingFamilies.Any(f => s.Key == f || s.Key.StartsWith(f + "{", StringComparison.Ordinal)))
            .ToDictionary();

    private static Dictionary<string, double> Without(Dictionary<string, double> series, string[] families) =>
        series.Where(s => !families.Any(f => s.Key == f || s.Key.StartsWith(f + "{", StringComparison.Ordinal))).ToDictionary();
}

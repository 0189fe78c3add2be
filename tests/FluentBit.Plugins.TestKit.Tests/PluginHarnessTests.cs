using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using FluentBit.Plugins.Testing;
using ShapesExporter;
using Xunit;

namespace FluentBit.Plugins.TestKit.Tests;

/// <summary>What the test kit feeds besides a body (tag, metadata, times, nesting, the hook) and what it refuses, on the shapes plugin.</summary>
public class PluginHarnessTests
{
    private static readonly DateTimeOffset EventTime = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static object Pod(string app = "cart", string? path = "/api/items/42", string level = "info") => new
    {
        kubernetes = new { namespace_name = "shop", labels = new { app }, container_ports = new[] { 80, 8080 } },
        level,
        cached = true,
        user = "ann",
        session = "s1",
        path,
        latency = 0.3,
        queued = 5,
    };

    [Fact]
    public void TheTagItsPartsAndTheMetadataBecomeLabels()
    {
        var plugin = new PluginHarness<ShapesExporter.ShapesExporter>();
        plugin.Send(Pod(), tag: "kube.node1.cart", metadata: new Dictionary<string, object?> { ["stream"] = "stderr" });

        Assert.Equal(1, plugin.Value("pod_log_records_total", ("namespace", "shop"), ("app", "cart"), ("node", "node1"), ("stream", "stderr"), ("source", "shapes")));
        Assert.Equal(1, plugin.Value("pod_log_tags_total", ("tag", "kube.node1.cart"), ("source", "shapes")));
        Assert.Equal(1, plugin.Value("pod_request_duration_seconds_count", ("port", "8080"), ("source", "shapes")));
        Assert.Equal(5, plugin.Value("pod_queue_depth", ("app", "cart"), ("source", "shapes")));
    }

    /// <summary>Exposition() is the body /metrics serves: the plugin's families, then the self-metrics with the series counted.</summary>
    [Fact]
    public void TheExpositionIsWhatTheEndpointServesSelfMetricsIncluded()
    {
        var plugin = new PluginHarness<ShapesExporter.ShapesExporter>();
        plugin.Send(Pod(), tag: "kube.node1.cart");
        string exposition = plugin.Exposition();

        int own = exposition.IndexOf("# TYPE pod_log_tags_total counter", StringComparison.Ordinal);
        int self = exposition.IndexOf("# TYPE fluentbit_plugin_records_decoded_total counter", StringComparison.Ordinal);
        Assert.True(own >= 0 && self > own, exposition);
        Assert.Contains("fluentbit_plugin_series{metric=\"pod_log_tags_total\"} 1", exposition);
        Assert.DoesNotContain(plugin.Samples(), s => s.Name.StartsWith("fluentbit_plugin_", StringComparison.Ordinal));
    }

    [Fact]
    public void WithoutMetadataOrTagPartsTheirMetricsSkipAndCount()
    {
        var plugin = new PluginHarness<ShapesExporter.ShapesExporter> { DefaultTag = "kube" };
        plugin.Send(Pod());

        Assert.Empty(plugin.Samples("pod_log_records_total"));
        Assert.Equal(1, plugin.Skips("pod_log_records_total").MissingLabel);
        Assert.Equal(1, plugin.Value("pod_log_tags_total", ("tag", "kube"), ("source", "shapes")));
    }

    [Fact]
    public void EventTimesAndTheClockGiveTimeAndDelay()
    {
        var plugin = new PluginHarness<ShapesExporter.ShapesExporter> { Clock = () => EventTime.AddSeconds(5) };
        plugin.Send(Pod(), time: EventTime);
        plugin.Send(Pod(app: "search"));

        Assert.Equal(EventTime.ToUnixTimeSeconds(), plugin.Value("pod_last_event_time_seconds", ("app", "cart"), ("source", "shapes")));
        Assert.Equal(EventTime.AddSeconds(5).ToUnixTimeSeconds(), plugin.Value("pod_last_event_time_seconds", ("app", "search"), ("source", "shapes")));
        Assert.Equal(5, plugin.Value("pod_log_delay_seconds_sum", ("source", "shapes")));
        Assert.Equal(2, plugin.Value("pod_log_delay_seconds_count", ("source", "shapes")));
    }

    [Fact]
    public void TheHookRunsOnEveryRecord()
    {
        var plugin = new PluginHarness<ShapesExporter.ShapesExporter>();
        Assert.Equal(3, plugin.SendAll([Pod(path: "/healthz"), Pod(path: "/healthz"), Pod()], tag: "kube.node1.cart"));

        Assert.Equal(1, plugin.Value("pod_log_levels_total", ("level", "Info"), ("cached", "true"), ("source", "shapes")));
        Assert.Equal(1, plugin.Value("pod_request_latency_seconds_count", ("route", "/api/items/:id"), ("source", "shapes")));

        // The two health checks the hook skipped count as filtered, once per record, for every metric.
        Assert.All(plugin.SelfSamples("fluentbit_plugin_values_skipped_total").Where(s => s.Label("reason") == "filtered"), s => Assert.Equal(2, s.Value));
        Assert.Equal(11, plugin.SelfSamples("fluentbit_plugin_values_skipped_total").Count(s => s.Label("reason") == "filtered"));
        Assert.Equal(2, plugin.Skips("pod_log_users_total").Filtered);
        Assert.Equal(2, plugin.Skips("pod_io_bytes_total").Filtered);
    }

    [Fact]
    public void AddLabelsMayNotRepeatALabelOfTheRecordClass()
    {
        var error = Assert.Throws<ArgumentException>(() => new PluginHarness<ShapesExporter.ShapesExporter>(new Dictionary<string, string> { ["add_labels"] = "env=prod,source=x" }));

        Assert.StartsWith("invalid value 'env=prod,source=x' for add_labels: 'source' is already a label of shapes_exporter's metrics; choose another name", error.Message);
    }

    [Fact]
    public void ChunksCarryManyEventsWithTheirOwnTimesAndMetadata()
    {
        var plugin = new PluginHarness<ShapesExporter.ShapesExporter>();
        var chunk = new ChunkBuilder()
            .Add(Pod(), EventTime, metadata: new { stream = "stdout" })
            .AddJson("""{"kubernetes":{"namespace_name":"shop","labels":{"app":"cart"}},"level":"WARN","io_in":10,"io_out":"20"}""", EventTime.AddSeconds(1), new { stream = "stdout" })
            .AddJsonLines("""
                {"kubernetes":{"namespace_name":"shop","labels":{"app":"cart"}},"level":"error","io_in":5}
                """, EventTime.AddSeconds(2));
        Assert.Equal(3, chunk.Count);

        Assert.Equal(3, plugin.SendChunk(chunk, tag: "kube.node2.cart"));
        Assert.Equal(2, plugin.Value("pod_log_records_total", ("namespace", "shop"), ("app", "cart"), ("node", "node2"), ("stream", "stdout"), ("source", "shapes")));
        Assert.Equal(15, plugin.Value("pod_io_bytes_total", ("dir", "in"), ("source", "shapes")));
        Assert.Equal(20, plugin.Value("pod_io_bytes_total", ("dir", "out"), ("source", "shapes")));
        Assert.Equal(EventTime.AddSeconds(2).ToUnixTimeSeconds(), plugin.Value("pod_last_event_time_seconds", ("app", "cart"), ("source", "shapes")));
    }

    [Fact]
    public void ChunksInEveryFormFluentBitHasUsedAreRead()
    {
        var plugin = new PluginHarness<ShapesExporter.ShapesExporter>();
        // The pre-2.1 [timestamp, body] form, with EventTime, integer and float timestamps (tests/vectors/README.md).
        Assert.Equal(3, plugin.SendChunk(File.ReadAllBytes(Path.Combine(Vectors.Root, "legacy", "v1-timestamps.msgpack"))));
        Assert.Equal(1, plugin.SendChunk(File.ReadAllBytes(Path.Combine(Vectors.Root, "legacy", "v2-metadata.msgpack"))));
        Assert.Equal(4, plugin.Value("pod_log_tags_total", ("tag", "test"), ("source", "shapes")));
    }

    [Fact]
    public void ConfigurationIsCheckedAsInit()
    {
        var labelled = new PluginHarness<ShapesExporter.ShapesExporter>(new Dictionary<string, string> { ["ADD_LABELS"] = "env=prod", ["series_expiry"] = "10m" });
        labelled.Send(Pod(), tag: "kube");
        Assert.Equal(1, labelled.Value("pod_log_tags_total", ("tag", "kube"), ("source", "shapes"), ("env", "prod")));

        ArgumentException clash = Assert.Throws<ArgumentException>(() => new PluginHarness<ShapesExporter.ShapesExporter>(new Dictionary<string, string> { ["add_labels"] = "app=x" }));
        Assert.Contains("'app' is already a label of shapes_exporter's metrics", clash.Message);
        ArgumentException port = Assert.Throws<ArgumentException>(() => new PluginHarness<ShapesExporter.ShapesExporter>(new Dictionary<string, string> { ["http_port"] = "0" }));
        Assert.Contains("http_port", port.Message);
    }

    [Fact]
    public void OnlyAGeneratedPluginClassCanBeRun()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => new PluginHarness<PodLog>());
        Assert.Contains("ShapesExporter.PodLog is not a generated plugin class", e.Message);
    }

    [Fact]
    public void RecordsInFormsWithoutAMessagePackValueAreRefusedWithAReason()
    {
        var plugin = new PluginHarness<ShapesExporter.ShapesExporter>();
        NotSupportedException e = Assert.Throws<NotSupportedException>(() => plugin.Send(new { time = DateTime.UtcNow }));
        Assert.Contains("DateTime", e.Message);
        ArgumentException line = Assert.Throws<ArgumentException>(() => plugin.SendJsonLines("{\"level\":\"info\"}\n[1,2]"));
        Assert.StartsWith("line 2:", line.Message);
    }
}

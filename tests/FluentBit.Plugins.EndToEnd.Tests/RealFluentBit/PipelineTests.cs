using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using FluentBit.Plugins.Testing;
using Xunit;

namespace FluentBit.Plugins.EndToEnd.Tests.RealFluentBit;

/// <summary>
/// The published plugins in real Fluent Bit, fed by Fluent Bit's own inputs, with exact values: the cpu sample
/// against the records Fluent Bit's stdout output prints, the access-log sample through tail with the json and a
/// regex parser, the shapes plugin through forward, dummy's exact counts with workers and two instances, the three
/// ways to load a plugin, and two plugins in one process under ulimit -v.
/// </summary>
[Trait("Category", FluentBitProcess.Category)]
public class PipelineTests
{
    [Fact]
    public void CpuSampleServesTheValuesOfTheRecordsFluentBitsCpuInputProduced()
    {
        int port = Scrape.FreePort();
        using FluentBitRun run = FluentBitRun.Start(
            ["-e", Artifacts.CpuExporter, "-i", "cpu", "-p", "interval_sec=3", "-t", "cpu.local",
             .. FluentBitRun.OutputArguments("cpu_exporter", port), "-o", "stdout", "-m", "*", "-p", "format=json_lines"],
            ["cpu_exporter.0"]);

        // The gauges hold the last record applied: the k-th record Fluent Bit printed, where k is what the plugin
        // decoded. Read when the plugin's count is the same before and after the scrape (no flush in between).
        string failure = "";
        bool matched = SpinWait.SpinUntil(() =>
        {
            double before = Scrape.SelfMetrics(port).GetValueOrDefault("fluentbit_plugin_records_decoded_total");
            string text = Scrape.Text(port);
            Dictionary<string, double> series = PrometheusText.Parse(text);
            double after = series.GetValueOrDefault("fluentbit_plugin_records_decoded_total");
            List<JsonElement> printed = CpuRecords(run.Process.Lines);
            if (before < 2 || before != after || printed.Count < before)
            {
                return false;
            }

            JsonElement record = printed[(int)before - 1];
            foreach ((string cpu, string prefix) in new[] { ("all", "") }.Concat(Enumerable.Range(0, Environment.ProcessorCount).Select(i => ($"cpu{i}", $"cpu{i}."))))
            {
                foreach ((string mode, string key) in new[] { ("total", "p_cpu"), ("user", "p_user"), ("system", "p_system") })
                {
                    string field = prefix.Length == 0 ? key.Replace("p_", "", StringComparison.Ordinal) + "_p" : prefix + key;
                    // Fluent Bit prints doubles with 16 significant digits (%.16g): the served value, so rounded, is exact.
                    double expected = record.GetProperty(field).GetDouble();
                    double served = series[$"cpu_usage_percent{{cpu=\"{cpu}\",mode=\"{mode}\"}}"];
                    if (double.Parse(served.ToString("G16", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) != expected)
                    {
                        failure = $"record {before}: {field} = {expected}, served {served}";
                        return false;
                    }
                }
            }

            return true;
        }, TimeSpan.FromSeconds(60));
        Assert.True(matched, $"{failure}; log:\n{run.Process.Log}");

        // What the plugin decoded is what Fluent Bit counted as delivered to it: a record every 3 s leaves quiet
        // windows in which both agree (Fluent Bit's own figures are a snapshot it refreshes every second or so).
        double decoded = 0;
        double delivered = 0;
        Assert.True(SpinWait.SpinUntil(
            () => (decoded = Scrape.SelfMetrics(port)["fluentbit_plugin_records_decoded_total"]) == (delivered = run.Output("proc_records", "cpu_exporter.0"))
                  && decoded == Scrape.SelfMetrics(port)["fluentbit_plugin_records_decoded_total"],
            TimeSpan.FromSeconds(60)), $"decoded {decoded}, Fluent Bit delivered {delivered}");
        Assert.Equal(0, run.Output("dropped_records", "cpu_exporter.0"));
        run.StopCleanly();
    }

    /// <summary>The access-log sample through tail: JSON lines with the json parser (typed values) and text lines with a regex parser (every value a string).</summary>
    [Theory]
    [InlineData("json")]
    [InlineData("regex")]
    public void AccessLogSampleThroughTailMatchesTotalsComputedFromTheLog(string parser)
    {
        List<AccessLogTests.AccessLine> lines = AccessLogTests.Generate(3_000, seed: 11);
        string directory = FluentBitProcess.TempDirectory();
        string log = Path.Combine(directory, "access.log");
        File.WriteAllLines(log, parser == "json"
            ? lines.Select(l => l.ToJson(allStrings: false))
            : lines.Select(l => $"{l.Remote} {l.Method} {l.Path}{(l.Status is { } s ? " " + s.ToString(CultureInfo.InvariantCulture) : "")} bytes={l.Bytes} time={l.RequestTime.ToString("R", CultureInfo.InvariantCulture)}"));
        File.WriteAllText(Path.Combine(directory, "parsers.conf"), """
            [PARSER]
                Name   json
                Format json

            [PARSER]
                Name   access_text
                Format regex
                Regex  ^(?<remote>[^ ]+) (?<method>[A-Z]+) (?<path>[^ ]+)(?: (?<status>[0-9]+))? bytes=(?<bytes>[0-9]+) time=(?<request_time>[0-9.]+)$
            """);
        int port = Scrape.FreePort();
        using FluentBitRun run = FluentBitRun.Start(
            ["-e", Artifacts.AccessLogExporter, "-R", Path.Combine(directory, "parsers.conf"),
             "-i", "tail", "-p", $"path={log}", "-p", "read_from_head=on", "-p", $"parser={(parser == "json" ? "json" : "access_text")}", "-t", "access",
             .. FluentBitRun.OutputArguments("access_log_exporter", port)],
            ["access_log_exporter.0"], workingDirectory: directory);
        run.WaitForProcessed("access_log_exporter.0", lines.Count);

        string exposition = Scrape.Text(port);
        AccessLogTests.AssertFamily(AccessLogTests.Expected.Requests(lines), exposition, "http_requests_total");
        AccessLogTests.AssertFamily(AccessLogTests.Expected.Duration(lines), exposition, "http_request_duration_seconds");
        AccessLogTests.AssertFamily(AccessLogTests.Expected.Bytes(lines), exposition, "http_response_bytes_total");
        Dictionary<string, double> self = PrometheusText.Parse(exposition);
        Assert.Equal(lines.Count, self["fluentbit_plugin_records_decoded_total"]);
        Assert.Equal(lines.Count(l => l.Status is null),
            self[PrometheusText.Key("fluentbit_plugin_values_skipped_total", ("metric", "http_requests_total"), ("reason", "missing_label"))]);
        run.StopCleanly();
    }

    /// <summary>The shapes plugin fed the Kubernetes-shaped events through forward: nested paths, metadata, tag parts, the hook, caps; then expiry.</summary>
    [Fact]
    public void ShapesPluginThroughForwardGivesTheExactFamiliesThenExpires()
    {
        int port = Scrape.FreePort();
        int forward = Scrape.FreePort();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using FluentBitRun run = FluentBitRun.Start(
            ["-e", Artifacts.ShapesExporter, "-i", "forward", "-p", "listen=127.0.0.1", "-p", $"port={forward}",
             .. FluentBitRun.OutputArguments("shapes_exporter", port, "series_expiry=pod_log_tags_total=30s")],
            ["shapes_exporter.0"]);
        Assert.True(ForwardClient.Send(forward, "kube.node1.web", ShapesTests.EventsChunk()), run.Process.Log);
        run.WaitForProcessed("shapes_exporter.0", 5);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "the first scrape comes too late to see the series before they expire");
        ShapesTests.AssertEveryFamily(Scrape.Text(port));

        Assert.True(SpinWait.SpinUntil(() => !Scrape.Text(port).Contains("pod_log_tags_total{", StringComparison.Ordinal), TimeSpan.FromSeconds(120)),
            "the idle series never expired");
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(30));
        Assert.Contains("pod_log_sessions_total{", Scrape.Text(port));
        run.StopCleanly();
    }

    /// <summary>dummy's exact count (samples) into two instances of one plugin, each with workers 4.</summary>
    [Fact]
    public void TwoInstancesWithFourWorkersEachCountEveryDummyRecordExactly()
    {
        const int Samples = 2_000;
        int[] ports = [Scrape.FreePort(), Scrape.FreePort()];
        using FluentBitRun run = FluentBitRun.Start(
            ["-e", Artifacts.TestExporter,
             "-i", "dummy", "-p", """dummy={"status":200,"latency":0.5,"nested":{"value":7}}""", "-p", """metadata={"stream":"stdout"}""",
             "-p", $"samples={Samples}", "-p", "rate=1000",
             .. FluentBitRun.OutputArguments("test_exporter", ports[0], "workers=4"), .. FluentBitRun.OutputArguments("test_exporter", ports[1], "workers=4")],
            ["test_exporter.0", "test_exporter.1"]);
        run.WaitForProcessed("test_exporter.0", Samples);
        run.WaitForProcessed("test_exporter.1", Samples);

        foreach (int port in ports)
        {
            Dictionary<string, double> series = Scrape.Metrics(port);
            Assert.Equal(Samples, series["test_records_total"]);
            Assert.Equal(200.0 * Samples, series["test_status_sum_total"]);
            Assert.Equal(0.5 * Samples, series["test_latency_seconds_total"]);
            Assert.Equal(7, series["test_nested_value"]);
        }

        // Workers 0 to 3 of each, each started twice: the worker-pool defect of every tested Fluent Bit (docs/compatibility.md).
        Assert.Equal(8, run.Process.Count(@"\[output:test_exporter:test_exporter\.0\] worker #[0-3] started"));
        Assert.Equal(8, run.Process.Count(@"\[output:test_exporter:test_exporter\.1\] worker #[0-3] started"));
        run.StopCleanly();
    }

    /// <summary>The three ways Fluent Bit loads a plugin: -e, plugins_file from a classic config, and YAML's plugins list.</summary>
    [Theory]
    [InlineData("-e")]
    [InlineData("plugins_file")]
    [InlineData("yaml")]
    public void EachWayToLoadAPluginRunsItWithExactCounts(string how)
    {
        const int Samples = 50;
        string directory = FluentBitProcess.TempDirectory();
        int port = Scrape.FreePort();
        string[] arguments;
        switch (how)
        {
            case "-e":
                arguments = ["-e", Artifacts.TestExporter, "-i", "dummy", "-p", """dummy={"status":201}""", "-p", $"samples={Samples}", "-p", "rate=100",
                             .. FluentBitRun.OutputArguments("test_exporter", port)];
                break;
            case "plugins_file":
                File.WriteAllText(Path.Combine(directory, "plugins.conf"), $"[PLUGINS]\n    path {Artifacts.TestExporter}\n");
                File.WriteAllText(Path.Combine(directory, "fluent-bit.conf"), $$"""
                    [SERVICE]
                        flush        1
                        plugins_file plugins.conf

                    [INPUT]
                        name    dummy
                        dummy   {"status":201}
                        samples {{Samples}}
                        rate    100

                    [OUTPUT]
                        name        test_exporter
                        match       *
                        http_listen 127.0.0.1
                        http_port   {{port}}
                    """);
                arguments = ["-c", Path.Combine(directory, "fluent-bit.conf")];
                break;
            default:
                File.WriteAllText(Path.Combine(directory, "fluent-bit.yaml"), $$"""
                    service:
                      flush: 1
                    plugins:
                      - {{Artifacts.TestExporter}}
                    pipeline:
                      inputs:
                        - name: dummy
                          dummy: '{"status":201}'
                          samples: {{Samples}}
                          rate: 100
                      outputs:
                        - name: test_exporter
                          match: '*'
                          http_listen: 127.0.0.1
                          http_port: {{port}}
                    """);
                arguments = ["-c", Path.Combine(directory, "fluent-bit.yaml")];
                break;
        }

        using FluentBitRun run = FluentBitRun.Start(arguments, ["test_exporter.0"], workingDirectory: directory);
        run.WaitForProcessed("test_exporter.0", Samples);
        Assert.Equal(Samples, Scrape.Metrics(port)["test_records_total"]);
        Assert.Equal(201.0 * Samples, Scrape.Metrics(port)["test_status_sum_total"]);
        run.StopCleanly();
    }

    /// <summary>Two different plugins (two .NET runtimes) in one Fluent Bit under an 8 GiB address-space limit.</summary>
    [Fact]
    public void TwoDifferentPluginsRunInOneFluentBitUnderAnAddressSpaceLimit()
    {
        const int Samples = 100;
        int[] ports = [Scrape.FreePort(), Scrape.FreePort()];
        using FluentBitRun run = FluentBitRun.Start(
            ["-e", Artifacts.TestExporter, "-e", Artifacts.ShapesExporter,
             "-i", "dummy", "-p", """dummy={"status":200}""", "-p", $"samples={Samples}", "-p", "rate=200", "-t", "kube.node1.web",
             .. FluentBitRun.OutputArguments("test_exporter", ports[0]), .. FluentBitRun.OutputArguments("shapes_exporter", ports[1])],
            ["test_exporter.0", "shapes_exporter.0"], virtualKiB: 8_388_608);
        run.WaitForProcessed("test_exporter.0", Samples);
        // Fluent Bit numbers its outputs across plugins (shapes_exporter.1); the plugin numbers its own instances.
        run.WaitForProcessed("shapes_exporter.1", Samples);
        Assert.Equal(Samples, Scrape.Metrics(ports[0])["test_records_total"]);
        Assert.Equal(Samples, Scrape.SelfMetrics(ports[1])["fluentbit_plugin_records_decoded_total"]);
        run.StopCleanly();
    }

    /// <summary>The records Fluent Bit's stdout output printed for the cpu input, in order.</summary>
    private static List<JsonElement> CpuRecords(IEnumerable<string> log) =>
        log.Where(l => l.StartsWith("{\"date\":", StringComparison.Ordinal) && l.Contains("\"cpu_p\"", StringComparison.Ordinal))
            .Select(l => JsonDocument.Parse(l).RootElement).ToList();
}

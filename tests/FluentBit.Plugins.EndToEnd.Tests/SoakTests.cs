using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using FluentBit.Plugins.Testing;
using Xunit;
using Xunit.Abstractions;

namespace FluentBit.Plugins.EndToEnd.Tests;

/// <summary>
/// 50,000 records a second into two plugins in one host (one with workers, one with a hook on its own threads),
/// both scraped every 100 ms: after a warm-up the host's resident memory stays within ±10% and, at the end, every
/// count is exact. CI runs 30 seconds; <c>./soak.sh --minutes 10</c> runs the long one (SOAK_SECONDS).
/// </summary>
public class SoakTests(ITestOutputHelper output)
{
    private const int Rate = 50_000;
    private const int BurstRecords = 1493;
    private const double Tolerance = 0.10;
    private static readonly TimeSpan ScrapeInterval = TimeSpan.FromMilliseconds(100);

    [Fact]
    public void FiftyThousandRecordsASecondScrapedEvery100MsKeepMemoryFlatAndEveryCountExact()
    {
        int seconds = int.TryParse(Environment.GetEnvironmentVariable("SOAK_SECONDS"), out int s) ? s : 30;
        long repeat = (long)seconds * Rate / BurstRecords;
        long records = repeat * BurstRecords;
        int[] ports = [Scrape.FreePort(), Scrape.FreePort()];
        using HostProcess host = HostProcess.Start(
            "-e", Artifacts.TestExporter, "-e", Artifacts.ShapesExporter,
            "-o", "test_exporter", "-p", "http_listen=127.0.0.1", "-p", $"http_port={ports[0]}", "-p", "workers=2",
            "-o", "shapes_exporter", "-p", "http_listen=127.0.0.1", "-p", $"http_port={ports[1]}",
            "--chunks", Path.Combine(Vectors.Root, "burst"), "--repeat", repeat.ToString(CultureInfo.InvariantCulture),
            "--rate", Rate.ToString(CultureInfo.InvariantCulture), "--stack-size", "24576", "--wait");
        host.WaitFor("flb-host: started");

        var clock = Stopwatch.StartNew();
        var memory = new List<(double Second, long RssKiB)>();
        double last = 0;
        int scrapes = 0;
        while (!host.HasPrinted("flb-host: ready"))
        {
            Assert.False(host.HasExited, host.Stderr);
            double records0 = Scrape.Metrics(ports[0]).GetValueOrDefault("test_records_total");
            Assert.True(records0 >= last, $"test_records_total went down: {last} -> {records0}");
            last = records0;
            Scrape.Text(ports[1]);
            scrapes += 2;
            if (memory.Count == 0 || clock.Elapsed.TotalSeconds - memory[^1].Second >= 1)
            {
                memory.Add((clock.Elapsed.TotalSeconds, HardeningHostTests.ProcessStatus(host.Id, "VmRSS")));
            }

            Thread.Sleep(ScrapeInterval);
        }

        TimeSpan took = clock.Elapsed;
        Dictionary<string, double> test = Scrape.Metrics(ports[0]);
        Dictionary<string, double> shapes = Scrape.SelfMetrics(ports[1]);

        // Memory after the warm-up (the first third of the run, at least 10 s), against its median.
        double warmUp = Math.Max(10, took.TotalSeconds / 3);
        long[] settled = memory.Where(m => m.Second >= warmUp).Select(m => m.RssKiB).ToArray();
        long median = settled.Order().ElementAt(settled.Length / 2);
        string report =
            $"{records:N0} records in {took.TotalSeconds:N1} s ({records / took.TotalSeconds:N0}/s) into 2 plugins, {scrapes:N0} scrapes; " +
            $"RSS after {warmUp:N0} s warm-up: first {settled[0]:N0} KiB, last {settled[^1]:N0} KiB, min {settled.Min():N0}, max {settled.Max():N0}, median {median:N0} " +
            $"({settled.Length} samples, max deviation {settled.Max(m => Math.Abs(m - median)) * 100.0 / median:N1}%)";
        output.WriteLine(report);
        string results = Path.Combine(Vectors.RepoRoot(), "artifacts", "soak", $"soak-{seconds}s.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(results)!);
        File.WriteAllText(results, $"{DateTimeOffset.UtcNow:u} {report}\n{string.Join("\n", memory.Select(m => $"{m.Second:F1} s {m.RssKiB} KiB"))}\n");

        Assert.Equal(records, test["test_records_total"]);
        Assert.Equal(503.0 * records, test["test_status_sum_total"]);
        Assert.Equal(2.5 * records, test["test_latency_seconds_total"]);
        Assert.Equal(records, shapes["fluentbit_plugin_records_decoded_total"]);
        Assert.Equal(repeat * 4, shapes[PrometheusText.Key("fluentbit_plugin_chunks_flushed_total", ("result", "ok"))]);
        Assert.True(settled.Length >= 5, report);
        Assert.All(settled, m => Assert.InRange(m, (long)(median * (1 - Tolerance)), (long)(median * (1 + Tolerance))));
        Assert.True(scrapes >= took.TotalSeconds * 5, report);

        Assert.Equal(0, host.Stop());
        Assert.Contains($"flb-host: output test_exporter.0: flushes={repeat * 4} ok={repeat * 4} error=0 retry=0 records={records}", host.Stderr);
        Assert.Contains($"flb-host: output shapes_exporter.0: flushes={repeat * 4} ok={repeat * 4} error=0 retry=0 records={records}", host.Stderr);
    }
}

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
/// both scraped every 100 ms, until the host's resident memory settles; then the input ends and every count is exact.
/// </summary>
/// <remarks>
/// Why "until it settles" and not "flat after a fixed warm-up": RSS first rises for as long as the .NET GC lets the
/// scrapes' garbage pile up before its first collections, and that budget depends on the machine (cache size, the
/// GC's own tuning): a few seconds on one machine of this kind, ~45 s (to 61-63 MB) on another. A fixed 30 s run
/// judged a healthy ramp as a leak there. A leak never settles, so the check is: after a warm-up of
/// <see cref="WarmUpRecords"/> records, some window of <see cref="WindowRecords"/> records in which RSS moves by at most
/// <see cref="Settled"/>; the run fails when none is found within <see cref="MaxSeconds"/> (a hang bound) or RSS grows
/// past <see cref="Runaway"/>. Counted in records, not seconds, so that a slow machine, which feeds fewer a second,
/// runs longer rather than judging fewer records: any leak above Settled / WindowRecords (5.6 bytes a record) is
/// caught whatever the rate, which the report prints. <c>./soak.sh --minutes 10</c> runs at least that long
/// (SOAK_MIN_SECONDS) with a window of two thirds of it. <see cref="ALeakingPluginFailsTheMemoryCheck"/> shows the
/// check failing on a plugin that keeps 32 bytes per record.
/// </remarks>
public class SoakTests(ITestOutputHelper output)
{
    private const int Rate = 50_000;
    private const int WarmUpSeconds = 10;
    private static readonly int MinSeconds = int.TryParse(Environment.GetEnvironmentVariable("SOAK_MIN_SECONDS"), out int m) ? m : 0;
    private static readonly int Window = Math.Max(15, MinSeconds * 2 / 3);

    // The warm-up and the window are counted in records, not seconds: a slow machine feeds fewer records a second,
    // and the leak a window can see is Settled / WindowRecords bytes a record (5.6 at the default) whatever the rate.
    private static readonly long WarmUpRecords = (long)WarmUpSeconds * Rate;
    private static readonly long WindowRecords = (long)Window * Rate;
    private const long Settled = 4 * 1024;
    private const long Runaway = 128 * 1024;
    private static readonly int MaxSeconds = int.TryParse(Environment.GetEnvironmentVariable("SOAK_SECONDS"), out int s) ? s : MinSeconds + 150;
    private static readonly TimeSpan ScrapeInterval = TimeSpan.FromMilliseconds(100);

    [Fact]
    public void FiftyThousandRecordsASecondScrapedEvery100MsSettleInMemoryAndEveryCountIsExact()
    {
        using var soak = new Soak([]);
        SoakRun run = soak.RunUntilSettled(MaxSeconds);
        Report(run, "real plugins");
        Assert.True(run.Settled, run.Report);

        // The input ends between two chunks; once every flush has returned, the counts must be exact.
        soak.Host.EndInput();
        soak.Host.WaitFor("flb-host: ready");
        long records = soak.Host.RecordsSent();
        Dictionary<string, double> test = Scrape.Metrics(soak.Ports[0]);
        Dictionary<string, double> shapes = Scrape.SelfMetrics(soak.Ports[1]);
        Assert.Equal(records, test["test_records_total"]);
        Assert.Equal(503.0 * records, test["test_status_sum_total"]);
        Assert.Equal(2.5 * records, test["test_latency_seconds_total"]);
        Assert.Equal(records, shapes["fluentbit_plugin_records_decoded_total"]);
        double chunks = shapes[PrometheusText.Key("fluentbit_plugin_chunks_flushed_total", ("result", "ok"))];

        Assert.Equal(0, soak.Host.Stop());
        Assert.Contains($"flb-host: output test_exporter.0: flushes={chunks} ok={chunks} error=0 retry=0 records={records}", soak.Host.Stderr);
        Assert.Contains($"flb-host: output shapes_exporter.0: flushes={chunks} ok={chunks} error=0 retry=0 records={records}", soak.Host.Stderr);
    }

    /// <summary>
    /// 45 s at <see cref="Rate"/> records a second while test_exporter pushes every second to a receiver that is down,
    /// with remote write and with OTLP (the delivery is the same code, the encodings are not): the failed pushes are
    /// counted and retried with backoff, their log lines rate-limited, and memory stays within the bound a leak would
    /// cross (<see cref="Runaway"/> over the warm-up's RSS): the push queue holds one snapshot.
    /// </summary>
    [Theory]
    [InlineData("remote_write", "/api/v1/write", "samples")]
    [InlineData("otlp", "/v1/metrics", "data_points")]
    public void FortyFiveSecondsAtFiftyThousandRecordsASecondWithTheReceiverDownKeepMemoryBounded(string target, string path, string unit)
    {
        int down = Scrape.FreePort();
        using var soak = new Soak([], $"{target}_url=http://127.0.0.1:{down}{path}", $"{target}_interval=1s");
        var clock = Stopwatch.StartNew();
        var memory = new List<(double Second, long RssKiB)>();
        while (clock.Elapsed < TimeSpan.FromSeconds(45))
        {
            Assert.False(soak.Host.HasExited, soak.Host.Stderr);
            memory.Add((clock.Elapsed.TotalSeconds, HardeningHostTests.ProcessStatus(soak.Host.Id, "VmRSS")));
            Thread.Sleep(1000);
        }

        Dictionary<string, double> self = Scrape.SelfMetrics(soak.Ports[0]);
        soak.Host.EndInput();
        soak.Host.WaitFor("flb-host: ready");
        long records = soak.Host.RecordsSent();
        Assert.Equal(records, Scrape.Metrics(soak.Ports[0])["test_records_total"]);
        Assert.Equal(0, soak.Host.Stop());

        long warm = memory.First(m => m.Second >= WarmUpSeconds).RssKiB;
        long peak = memory.Max(m => m.RssKiB);
        double unreachable = self[PrometheusText.Key($"fluentbit_plugin_{target}_pushes_total", ("result", "unreachable"))];
        string report = $"{records:N0} records in {clock.Elapsed.TotalSeconds:N0} s, {unreachable} failed pushes; RSS first {memory[0].RssKiB:N0} KiB, at {WarmUpSeconds} s {warm:N0} KiB, peak {peak:N0} KiB, last {memory[^1].RssKiB:N0} KiB";
        Report(new SoakRun(true, [.. memory.Select(m => (m.Second, double.NaN, m.RssKiB))], report), $"test_exporter pushing ({target}) to a receiver that is down");
        Assert.True(peak - warm <= Runaway, report);

        // Backoff 1, 2, 4, 8, 16, then 30 s: 6 attempts in 45 s at most (a slow machine makes fewer, so at least one is
        // all that is certain); one line a 10 s at most.
        Assert.InRange(unreachable, 1, 6);
        Assert.Equal(0, self[$"fluentbit_plugin_{target}_{unit}_sent_total"]);
        Assert.Equal(0, self[$"fluentbit_plugin_{target}_last_success_timestamp_seconds"]);
        Assert.InRange(soak.Host.Stderr.Split('\n').Count(l => l.Contains("failed (unreachable)", StringComparison.Ordinal)), 1, 6);
    }

    /// <summary>
    /// The same check on test_exporter built to keep 32 bytes per record (a test-only switch): run to the warm-up and one
    /// window of records (however long that takes here), RSS grows by more than three times what "settled" allows.
    /// </summary>
    [Fact]
    public void ALeakingPluginFailsTheMemoryCheck()
    {
        using var soak = new Soak([("TEST_EXPORTER_LEAK_BYTES", "32")]);
        SoakRun run = soak.RunUntilSettled(MaxSeconds, stopAtRecords: WarmUpRecords + WindowRecords);
        Report(run, "test_exporter leaking 32 bytes a record");
        Assert.True(run.Samples[^1].Records >= WarmUpRecords + WindowRecords, run.Report);
        long atWarmUp = run.Samples.First(m => m.Records >= WarmUpRecords).RssKiB;
        Assert.True(run.Samples[^1].RssKiB - atWarmUp > 3 * Settled, run.Report);
        soak.Host.Terminate();
    }

    private void Report(SoakRun run, string what)
    {
        output.WriteLine($"{what}: {run.Report}");
        string results = Path.Combine(Vectors.RepoRoot(), "artifacts", "soak", $"soak-{MaxSeconds}s.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(results)!);
        File.AppendAllText(results, $"{DateTimeOffset.UtcNow:u} {what}: {run.Report}\n{string.Join("\n", run.Samples.Select(m => $"{m.Second:F1} s {m.Records:F0} records {m.RssKiB} KiB"))}\n");
    }

    private sealed record SoakRun(bool Settled, IReadOnlyList<(double Second, double Records, long RssKiB)> Samples, string Report);

    /// <summary>Both plugins in one host, fed the burst chunks at <see cref="Rate"/> records/s for far longer than any run.</summary>
    private sealed class Soak : IDisposable
    {
        public Soak((string, string)[] environment, params string[] testExporterProperties)
        {
            Ports = [Scrape.FreePort(), Scrape.FreePort()];
            Host = HostProcess.StartIn(null, environment,
            [
                "-e", Artifacts.TestExporter, "-e", Artifacts.ShapesExporter,
                "-o", "test_exporter", "-p", "http_listen=127.0.0.1", "-p", $"http_port={Ports[0]}", "-p", "workers=2",
                .. testExporterProperties.SelectMany(p => new[] { "-p", p }),
                "-o", "shapes_exporter", "-p", "http_listen=127.0.0.1", "-p", $"http_port={Ports[1]}",
                "--chunks", Path.Combine(Vectors.Root, "burst"), "--repeat", "1000000000",
                "--rate", Rate.ToString(CultureInfo.InvariantCulture), "--stack-size", "24576", "--wait",
            ]);
            Host.WaitFor("flb-host: started");
        }

        public HostProcess Host { get; }

        public int[] Ports { get; }

        /// <summary>
        /// Scrapes both endpoints every 100 ms and samples RSS and the records applied every second until RSS settles
        /// (see the class): a span of <see cref="WindowRecords"/> records after the first <see cref="WarmUpRecords"/>
        /// in which it moves by at most <see cref="Settled"/>. With <paramref name="stopAtRecords"/>, it runs until that
        /// many records were applied instead, settled or not. <paramref name="maxSeconds"/> bounds only a hang.
        /// </summary>
        public SoakRun RunUntilSettled(int maxSeconds, long? stopAtRecords = null)
        {
            var clock = Stopwatch.StartNew();
            var memory = new List<(double Second, double Records, long RssKiB)>();
            double last = 0;
            int scrapes = 0;
            bool settled = false;
            string verdict = $"no window of {WindowRecords:N0} records within {Settled:N0} KiB in {maxSeconds} s";
            while (clock.Elapsed.TotalSeconds < maxSeconds)
            {
                Assert.False(Host.HasExited, Host.Stderr);
                double records = Scrape.Metrics(Ports[0]).GetValueOrDefault("test_records_total");
                Assert.True(records >= last, $"test_records_total went down: {last} -> {records}");
                last = records;
                Scrape.Text(Ports[1]);
                scrapes += 2;
                if (memory.Count == 0 || clock.Elapsed.TotalSeconds - memory[^1].Second >= 1)
                {
                    memory.Add((clock.Elapsed.TotalSeconds, records, HardeningHostTests.ProcessStatus(Host.Id, "VmRSS")));
                    if (stopAtRecords is long stop)
                    {
                        if (records >= stop)
                        {
                            verdict = $"ran to {stop:N0} records";
                            break;
                        }

                        Thread.Sleep(ScrapeInterval);
                        continue;
                    }

                    (double Second, double Records, long RssKiB)[] after = memory.Where(m => m.Records >= WarmUpRecords).ToArray();
                    // From the last sample at least a window's records back, so the window spans no fewer records than that.
                    int from = Array.FindLastIndex(after, m => m.Records <= records - WindowRecords);
                    (double Second, double Records, long RssKiB)[] window = from < 0 ? after : after[from..];
                    if (after.Length > 0 && memory[^1].RssKiB - after[0].RssKiB > Runaway)
                    {
                        verdict = $"RSS grew {memory[^1].RssKiB - after[0].RssKiB:N0} KiB after the warm-up";
                        break;
                    }

                    if (from >= 0 && memory[^1].Second >= MinSeconds
                        && window.Max(m => m.RssKiB) - window.Min(m => m.RssKiB) <= Settled)
                    {
                        settled = true;
                        verdict = $"settled at {window.Min(m => m.RssKiB):N0}-{window.Max(m => m.RssKiB):N0} KiB over {window[^1].Records - window[0].Records:N0} records ({window[^1].Second - window[0].Second:N0} s)";
                        break;
                    }
                }

                Thread.Sleep(ScrapeInterval);
            }

            double seconds = clock.Elapsed.TotalSeconds;
            string report = $"{last:N0} records in {seconds:N1} s ({last / seconds:N0}/s, asked {Rate:N0}/s) into 2 plugins, {scrapes:N0} scrapes; {verdict}; "
                + $"RSS first {memory[0].RssKiB:N0} KiB, last {memory[^1].RssKiB:N0} KiB, max {memory.Max(m => m.RssKiB):N0} KiB";
            return new SoakRun(settled, memory, report);
        }

        public void Dispose() => Host.Dispose();
    }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using FluentBit.Plugins.Testing;
using Xunit;
using Xunit.Abstractions;

namespace FluentBit.Plugins.EndToEnd.Tests;

/// <summary>
/// The published plugins run by tools/flb-host, which loads them the way Fluent Bit's proxy loader
/// does: flushes on separately allocated coroutine stacks, from worker threads.
/// </summary>
public class HostTests(ITestOutputHelper output)
{
    private static readonly string CpuChunks = Path.Combine(Vectors.Root, "cpu");
    private static readonly string BurstChunks = Path.Combine(Vectors.Root, "burst");

    private const int BurstRecords = 1493;

    [Theory]
    [InlineData("65536")]
    [InlineData("24576")]
    public void CpuSampleServesTheExactSeriesOnCoroutineStacks(string stackSize)
    {
        int port = Scrape.FreePort();
        using HostProcess host = HostProcess.Start(
            "-e", Artifacts.CpuExporter, "-o", "cpu_exporter", "-p", "http_listen=127.0.0.1", "-p", $"http_port={port}",
            "--chunks", CpuChunks, "--stack-size", stackSize, "--wait");

        host.WaitFor("flb-host: ready");
        Assert.Equal(CpuSeries.After0003, Scrape.Metrics(port));

        Assert.Equal(0, host.Stop());
        Assert.Contains("flb-host: output cpu_exporter.0: flushes=4 ok=4 error=0 retry=0 records=4", host.Stderr);
        Assert.False(Scrape.IsListening(port));
    }

    /// <summary>
    /// Two instances with four workers each, scraped while their flushes run: the input keeps coming (paced) until
    /// both endpoints have served a count between the first record and the end, then ends (SIGUSR1); every record
    /// sent is then counted exactly once by each instance, and no scrape ever saw a counter go down.
    /// </summary>
    [Fact]
    public async Task TwoInstancesWithFourWorkersCountEveryBurstRecordWhileBeingScraped()
    {
        int portA = Scrape.FreePort();
        int portB = Scrape.FreePort();
        using HostProcess host = HostProcess.Start(
            "-e", Artifacts.TestExporter,
            "-o", "test_exporter", "-p", "http_listen=127.0.0.1", "-p", $"http_port={portA}", "-p", "workers=4",
            "-o", "test_exporter", "-p", "http_listen=127.0.0.1", "-p", $"http_port={portB}", "-p", "workers=4",
            "--chunks", BurstChunks, "--repeat", "1000000", "--rate", "20000", "--tag", "burst", "--wait");
        host.WaitFor("flb-host: started");

        // Scrape both endpoints for as long as the flushes run: counters only ever grow.
        var midRun = new Dictionary<int, int> { [portA] = 0, [portB] = 0 };
        Task scraper = Task.Run(() =>
        {
            var last = new Dictionary<int, double> { [portA] = 0, [portB] = 0 };
            do
            {
                foreach (int port in new[] { portA, portB })
                {
                    double records = Scrape.Metrics(port).GetValueOrDefault("test_records_total");
                    Assert.True(records >= last[port], $"test_records_total went down on {port}: {last[port]} -> {records}");
                    last[port] = records;
                    if (records > 0 && !host.HasPrinted("flb-host: ready"))
                    {
                        lock (midRun)
                        {
                            midRun[port]++;
                        }
                    }
                }
            }
            while (!host.HasPrinted("flb-host: ready"));
        });
        Assert.True(SpinWait.SpinUntil(() => { lock (midRun) { return midRun[portA] >= 2 && midRun[portB] >= 2; } }, TimeSpan.FromSeconds(60)) || scraper.IsCompleted, "no scrape during the flushes");
        host.EndInput();
        host.WaitFor("flb-host: ready");
        await scraper.WaitAsync(TimeSpan.FromSeconds(30));
        long records = host.RecordsSent();
        Assert.True(midRun[portA] >= 2 && midRun[portB] >= 2, $"scrapes during the flushes: {midRun[portA]}, {midRun[portB]}");

        foreach (int port in new[] { portA, portB })
        {
            Dictionary<string, double> series = Scrape.Metrics(port);
            Assert.Equal(records, series["test_records_total"]);
            Assert.Equal(503.0 * records, series["test_status_sum_total"]);
            Assert.Equal(2.5 * records, series["test_latency_seconds_total"]);
        }

        Assert.Equal(0, host.Stop());
        Assert.Matches($@"flb-host: output test_exporter\.0: flushes=(\d+) ok=\1 error=0 retry=0 records={records}\n", host.Stderr);
        Assert.Matches($@"flb-host: output test_exporter\.1: flushes=(\d+) ok=\1 error=0 retry=0 records={records}\n", host.Stderr);
    }

    /// <summary>
    /// 50 shutdowns in a row, each in the middle of flushes (on coroutine stacks and on a hook's own threads) and of
    /// scrapes: every one exits cleanly within the grace, every scrape answered is whole, and every endpoint is gone.
    /// </summary>
    [Fact]
    public void FiftyShutdownsWithFlushesAndScrapesInFlightAllExitCleanly()
    {
        int answered = 0;
        int refused = 0;
        TimeSpan slowest = TimeSpan.Zero;
        for (int cycle = 0; cycle < 50; cycle++)
        {
            int port = Scrape.FreePort();
            int hookPort = Scrape.FreePort();
            using HostProcess host = HostProcess.Start(
                "-e", Artifacts.TestExporter, "-e", Artifacts.StackExporter,
                "-o", "test_exporter", "-p", "http_listen=127.0.0.1", "-p", $"http_port={port}", "-p", "workers=2",
                "-o", "stack_exporter", "-p", "http_listen=127.0.0.1", "-p", $"http_port={hookPort}", "-p", "workers=2",
                "--chunks", BurstChunks, "--repeat", "100000", "--stack-size", "24576");
            host.WaitFor("flb-host: started");
            Assert.True(SpinWait.SpinUntil(() => Scrape.Metrics(port).GetValueOrDefault("test_records_total") > 0, TimeSpan.FromSeconds(30)), $"cycle {cycle}: no record counted");

            // Scrapes keep coming, on both endpoints, until the endpoints are gone.
            using var stop = new CancellationTokenSource();
            var scraped = new Scraped();
            var scraper = new Thread(() => ScrapeUntilGone([port, hookPort], scraped, stop.Token));
            scraper.Start();

            // Shut down once each endpoint has answered in this cycle, in the middle of the flushes and scrapes, at a
            // different point each cycle.
            Assert.True(SpinWait.SpinUntil(() => scraped.AnsweredBoth || scraped.Failure is not null, TimeSpan.FromSeconds(30)), $"cycle {cycle}: a port never answered");
            Thread.Sleep(cycle % 5 * 10);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            int status = host.Terminate();
            TimeSpan shutdown = clock.Elapsed;
            stop.Cancel();
            scraper.Join();
            Assert.Null(scraped.Failure);
            answered += scraped.Answered;
            refused += scraped.Refused;

            Assert.True(status == 0, $"cycle {cycle}: exit status {status}; stderr:\n{host.Stderr}");
            // A hang bound, not the grace: how long a stop takes is printed below and measured by ./bench.sh.
            Assert.True(shutdown < TimeSpan.FromSeconds(30), $"cycle {cycle}: shutdown took {shutdown}");
            slowest = shutdown > slowest ? shutdown : slowest;
            Assert.Matches(@"flb-host: output test_exporter\.0: flushes=([1-9]\d*) ok=\1 error=0 retry=0", host.Stderr);
            Assert.Matches(@"flb-host: output stack_exporter\.0: flushes=(\d+) ok=\1 error=0 retry=0", host.Stderr);
            Assert.DoesNotContain("[warn]", host.Stderr);
            Assert.False(Scrape.IsListening(port));
            Assert.False(Scrape.IsListening(hookPort));
        }

        output.WriteLine($"{answered} scrapes answered, {refused} refused or cut at shutdown; slowest stop {slowest.TotalMilliseconds:N0} ms");
    }

    /// <summary>What the scraper thread saw; a failed assertion is kept for the test's thread to report.</summary>
    private sealed class Scraped
    {
        private int _answeredFirst;
        private int _answeredSecond;

        public int Answered => _answeredFirst + _answeredSecond;

        public int Refused;

        public bool AnsweredBoth => Volatile.Read(ref _answeredFirst) > 0 && Volatile.Read(ref _answeredSecond) > 0;

        public volatile Exception? Failure;

        public void Count(int index)
        {
            if (index == 0)
            {
                Interlocked.Increment(ref _answeredFirst);
            }
            else
            {
                Interlocked.Increment(ref _answeredSecond);
            }
        }
    }

    /// <summary>Scrapes until the endpoints refuse connections; a 200 must always carry a whole exposition.</summary>
    private static void ScrapeUntilGone(int[] ports, Scraped scraped, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                for (int i = 0; i < ports.Length; i++)
                {
                    try
                    {
                        string text = Scrape.Text(ports[i]);
                        Assert.EndsWith("\n", text);
                        Assert.Contains("fluentbit_plugin_records_decoded_total", text);
                        scraped.Count(i);
                    }
                    catch (Exception e) when (e is System.Net.Http.HttpRequestException or TaskCanceledException or IOException or System.Net.Sockets.SocketException)
                    {
                        Interlocked.Increment(ref scraped.Refused);
                        if (stop.IsCancellationRequested)
                        {
                            return;
                        }
                    }
                }
            }
        }
        catch (Exception e)
        {
            scraped.Failure = e;
        }
    }

    /// <summary>
    /// A record whose user code (a validating setter) throws is skipped and counted, alone: the records before and after
    /// it, in the same chunk and in the next, are applied once, and the chunk is not reported as an error (Fluent Bit
    /// would count its applied records as dropped).
    /// </summary>
    [Theory]
    [InlineData("1")]
    [InlineData("3")]
    public void ARecordWhoseUserCodeThrowsIsSkippedAndCountedAndTheOthersApply(string batch)
    {
        string input = Path.Combine(Path.GetTempPath(), $"throwing-{Guid.NewGuid():N}.jsonl");
        File.WriteAllLines(input, ["{\"status\": 200, \"latency\": 1.5}", "{\"status\": 300, \"fail\": -1}", "{\"status\": 201}"]);
        int port = Scrape.FreePort();
        try
        {
            using HostProcess host = HostProcess.Start(
                "-e", Artifacts.TestExporter, "-o", "test_exporter", "-p", "http_listen=127.0.0.1", "-p", $"http_port={port}",
                "--jsonl", input, "--batch", batch, "--tag", "app.throwing", "--stack-size", "24576", "--wait");
            host.WaitFor("flb-host: ready");

            // The failing record threw before it was counted; the records around it are counted once.
            Dictionary<string, double> series = Scrape.Metrics(port);
            Assert.Equal(2, series["test_records_total"]);
            Assert.Equal(200 + 201, series["test_status_sum_total"]);
            Assert.Equal(1.5, series["test_latency_seconds_total"]);
            Dictionary<string, double> self = Scrape.SelfMetrics(port);
            Assert.Equal(1, self[PrometheusText.Key("fluentbit_plugin_records_skipped_total", ("reason", "failed"))]);
            Assert.Equal(3, self["fluentbit_plugin_records_decoded_total"]);

            int chunks = batch == "1" ? 3 : 1;
            Assert.Equal(0, host.Stop());
            Assert.Contains($"flb-host: output test_exporter.0: flushes={chunks} ok={chunks} error=0 retry=0 records=3", host.Stderr);
            Assert.Matches(@"\[error\] \[test_exporter\.0\] skipped event \d of a \d+-byte chunk \(tag 'app\.throwing'\): the plugin's code threw InvalidOperationException: fail must not be negative \(got -1\); the chunk's other events are applied", host.Stderr);
        }
        finally
        {
            File.Delete(input);
        }
    }

    [Fact]
    public void AnHttpPortInUseFailsInitAndTheLogNamesThePort()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        int port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;

        using HostProcess host = HostProcess.Start(
            "-e", Artifacts.CpuExporter, "-o", "cpu_exporter", "-p", "http_listen=127.0.0.1", "-p", $"http_port={port}", "--chunks", CpuChunks);

        Assert.Equal(3, host.WaitForExit());
        Assert.Contains($"[error] [cpu_exporter.0] init failed: http_port {port} on 127.0.0.1 is already in use", host.Stderr);
        Assert.Contains("init of output 'cpu_exporter' (instance 0) failed (returned 0)", host.Stderr);
    }

    [Fact]
    public void TwoDifferentPluginsInOneHostBothServe()
    {
        int cpuPort = Scrape.FreePort();
        int testPort = Scrape.FreePort();
        using HostProcess host = HostProcess.Start(
            "-e", Artifacts.CpuExporter, "-e", Artifacts.TestExporter,
            "-o", "cpu_exporter", "-p", "http_listen=127.0.0.1", "-p", $"http_port={cpuPort}",
            "-o", "test_exporter", "-p", "http_listen=127.0.0.1", "-p", $"http_port={testPort}", "-p", "workers=2",
            "--chunks", CpuChunks, "--wait");
        host.WaitFor("flb-host: ready");

        Assert.Equal(CpuSeries.After0003, Scrape.Metrics(cpuPort));
        Assert.Equal(new Dictionary<string, double> { ["test_records_total"] = 4 }, Scrape.Metrics(testPort));

        Assert.Equal(0, host.Stop());
        Assert.Contains("flb-host: output cpu_exporter.0: flushes=4 ok=4 error=0 retry=0 records=4", host.Stderr);
        Assert.Contains("flb-host: output test_exporter.0: flushes=4 ok=4 error=0 retry=0 records=4", host.Stderr);
    }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using FluentBit.Plugins.TestKit;
using FluentBit.Plugins.Testing;
using Xunit;

namespace FluentBit.Plugins.EndToEnd.Tests;

/// <summary>
/// The published plugins run by tools/flb-host, which loads them the way Fluent Bit's proxy loader
/// does: flushes on separately allocated coroutine stacks, from worker threads.
/// </summary>
public class HostTests
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

    /// <summary>
    /// The chunk ./run-sample.sh --access-log replays in the host when no Fluent Bit is found is the sample log
    /// (samples/AccessLogExporter/sample-access.jsonl) as Fluent Bit's JSON parser packs it, all at 2026-01-01.
    /// </summary>
    [Fact]
    public void TheAccessLogSamplesChunkIsItsLog()
    {
        string sample = Path.Combine(Vectors.RepoRoot(), "samples", "AccessLogExporter");
        byte[] packed = new ChunkBuilder()
            .AddJsonLines(File.ReadAllText(Path.Combine(sample, "sample-access.jsonl")), new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))
            .ToArray();
        Assert.Equal(packed, File.ReadAllBytes(Path.Combine(sample, "sample-access.msgpack")));
    }
}

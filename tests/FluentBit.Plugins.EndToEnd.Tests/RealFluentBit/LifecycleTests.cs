using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FluentBit.Plugins.Testing;
using Xunit;
using Xunit.Abstractions;

namespace FluentBit.Plugins.EndToEnd.Tests.RealFluentBit;

/// <summary>
/// What Fluent Bit itself does around a plugin: start and stop with scrapes in flight, hot reload, the workers
/// defect of 5.1.1, log levels per output, and how it counts what a flush returns.
/// </summary>
[Trait("Category", FluentBitProcess.Category)]
public class LifecycleTests(ITestOutputHelper output)
{
    /// <summary>
    /// 50 start/stop cycles of two plugins (one with workers 2, one with a hook on its own threads) on 24 KiB coroutine
    /// stacks (-s), with dummy records flowing and both endpoints scraped until they are gone. At every SIGTERM a request
    /// is in flight for certain (a connection that has sent half a request), and the endpoint must close it; every scrape
    /// answered is whole; a scrape may fail only after the SIGTERM (refused, reset), never before it and never by hanging.
    /// </summary>
    [Fact]
    public void FiftyStartStopCyclesWithScrapesInFlightAllExitCleanly()
    {
        int answered = 0;
        int answeredAcrossSigterm = 0;
        for (int cycle = 0; cycle < 50; cycle++)
        {
            int[] ports = [Scrape.FreePort(), Scrape.FreePort()];
            using FluentBitRun run = FluentBitRun.Start(
                ["-s", "24576", "-e", Artifacts.TestExporter, "-e", Artifacts.StackExporter,
                 "-i", "dummy", "-p", """dummy={"status":200,"depth":1}""", "-p", "rate=200", "-p", "copies=5",
                 .. FluentBitRun.OutputArguments("test_exporter", ports[0], "workers=2"), .. FluentBitRun.OutputArguments("stack_exporter", ports[1])],
                ["test_exporter.0", "stack_exporter.0"]);
            Assert.True(SpinWait.SpinUntil(() => Scrape.Metrics(ports[0]).GetValueOrDefault("test_records_total") > 0, TimeSpan.FromSeconds(30)), $"cycle {cycle}: nothing flushed");

            using var stop = new CancellationTokenSource();
            long sigterm = long.MaxValue;
            int cycleAnswered = 0;
            int cycleAcross = 0;
            Exception? failure = null;
            var scraper = new Thread(() =>
            {
                while (!stop.IsCancellationRequested && failure is null)
                {
                    foreach (int port in ports)
                    {
                        long started = Stopwatch.GetTimestamp();
                        try
                        {
                            string text = Scrape.Text(port);
                            Assert.EndsWith("\n", text);
                            Assert.Contains("fluentbit_plugin_records_decoded_total", text);
                            Interlocked.Increment(ref cycleAnswered);
                            if (started < Volatile.Read(ref sigterm))
                            {
                                if (Stopwatch.GetTimestamp() > Volatile.Read(ref sigterm))
                                {
                                    Interlocked.Increment(ref cycleAcross);
                                }
                            }
                        }
                        catch (Exception e) when (e is System.Net.Http.HttpRequestException or IOException or System.Net.Sockets.SocketException
                                                  && Stopwatch.GetTimestamp() > Volatile.Read(ref sigterm))
                        {
                            // Refused or cut once Fluent Bit is stopping: expected. HttpClient reports a connection reset
                            // between accept and its first read of the socket as a bare SocketException (107, not
                            // connected, from RemoteEndPoint), the rest wrapped. Before the SIGTERM, or a timeout (a
                            // hang), falls through to the failure below.
                        }
                        catch (Exception e)
                        {
                            failure = e;
                        }
                    }
                }
            });
            scraper.Start();
            Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref cycleAnswered) >= 2 || failure is not null, TimeSpan.FromSeconds(30)), $"cycle {cycle}: no scrape answered");
            Thread.Sleep(cycle % 5 * 10);

            // A request in flight at the signal for certain: its first line and a header sent, the blank line not yet.
            using var halfRequest = new System.Net.Sockets.TcpClient();
            halfRequest.Connect(System.Net.IPAddress.Loopback, ports[cycle % 2]);
            halfRequest.GetStream().Write("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n"u8);

            Volatile.Write(ref sigterm, Stopwatch.GetTimestamp());
            int status = run.Process.Terminate();
            stop.Cancel();
            scraper.Join();
            Assert.True(failure is null, $"cycle {cycle}: {failure}");
            Assert.True(status == 0, $"cycle {cycle}: exit status {status}; log:\n{run.Process.Log}");
            Assert.False(Scrape.IsListening(ports[0]));
            Assert.False(Scrape.IsListening(ports[1]));

            // The half request's connection was closed (end of stream or reset), not left open: nothing hangs on it.
            halfRequest.ReceiveTimeout = 10_000;
            Exception? closed = Record.Exception(() => Assert.Equal(0, halfRequest.GetStream().Read(new byte[1024])));
            Assert.True(closed is null or IOException, $"cycle {cycle}: the half request's connection was not closed: {closed}");
            answered += cycleAnswered;
            answeredAcrossSigterm += cycleAcross;
        }

        output.WriteLine($"{answered} scrapes answered over 50 cycles, {answeredAcrossSigterm} of them sent before a SIGTERM and answered after it");
    }

    /// <summary>
    /// Hot reload, by SIGHUP with -Y, without workers: each reload stops the old instance (its endpoint too) and starts
    /// a new one on the same port, counting from zero; records keep flowing to it.
    /// </summary>
    [Fact]
    public void HotReloadBySighupRecreatesTheInstanceOnTheSamePort()
    {
        const int Reloads = 3;
        int port = Scrape.FreePort();
        using FluentBitRun run = StartReloadable(port, workers: 0);
        for (int reload = 1; reload <= Reloads; reload++)
        {
            Assert.True(SpinWait.SpinUntil(() => Scrape.Metrics(port).GetValueOrDefault("test_records_total") > 0, TimeSpan.FromSeconds(30)));
            run.Process.Signal(FluentBitProcess.SigHup);
            Assert.True(SpinWait.SpinUntil(() => run.Process.Count(@"\[reload\] successful reload done") == reload || run.Process.HasExited, TimeSpan.FromSeconds(60)), run.Process.Log);
            Assert.True(SpinWait.SpinUntil(() => Scrape.IsListening(port), TimeSpan.FromSeconds(30)), $"port {port} after reload {reload}");

            // A new instance: its endpoint has served no scrape before this one, and its records count again from zero.
            Assert.Equal(0, Scrape.SelfMetrics(port)["fluentbit_plugin_scrape_duration_seconds_count"]);
            Assert.True(SpinWait.SpinUntil(() => Scrape.Metrics(port).GetValueOrDefault("test_records_total") > 0, TimeSpan.FromSeconds(30)), $"no record after reload {reload}");
        }

        Assert.Equal(Reloads + 1, run.Process.Count(@"\[ info\] \[test_exporter\.0\] serving metrics at"));
        run.StopCleanly();
    }

    /// <summary>
    /// Ten hot reloads while records flow and scrapes run, with two plugins (one with a hook, so with flush threads of
    /// its own) and two instances of one: after each reload every port serves again, counting from zero, and neither
    /// threads nor file descriptors pile up across reloads. Without workers, whose pool Fluent Bit 5.1.1 itself starts
    /// twice (<see cref="FluentBit511StartsAProxyOutputsWorkerPoolTwice"/>). (Moved from the host, which no longer reloads.)
    /// </summary>
    [Fact]
    public void EachHotReloadReleasesAndRecreatesInstancesEndpointsAndPorts()
    {
        const int Reloads = 10;
        int[] ports = [Scrape.FreePort(), Scrape.FreePort(), Scrape.FreePort()];
        using FluentBitRun run = StartReloadable($$"""
            [INPUT]
                name  dummy
                tag   test
                dummy {"status":200}
                rate  20
            [INPUT]
                name  dummy
                tag   stack
                dummy {"kib":3}
                rate  20
            [OUTPUT]
                name        test_exporter
                match       test
                http_listen 127.0.0.1
                http_port   {{ports[0]}}
            [OUTPUT]
                name        test_exporter
                match       test
                http_listen 127.0.0.1
                http_port   {{ports[1]}}
            [OUTPUT]
                name        stack_exporter
                match       stack
                http_listen 127.0.0.1
                http_port   {{ports[2]}}

            """, [Artifacts.TestExporter, Artifacts.StackExporter], ["test_exporter.0", "test_exporter.1", "stack_exporter.0"]);
        var threads = new List<long>();
        var descriptors = new List<long>();
        for (int reload = 1; reload <= Reloads; reload++)
        {
            Assert.True(SpinWait.SpinUntil(() => Scrape.Metrics(ports[0]).GetValueOrDefault("test_records_total") > 0, TimeSpan.FromSeconds(30)));
            run.Process.Signal(FluentBitProcess.SigHup);
            Assert.True(SpinWait.SpinUntil(() => run.Process.Count(@"\[reload\] successful reload done") == reload || run.Process.HasExited, TimeSpan.FromSeconds(60)), run.Process.Log);
            foreach (int port in ports)
            {
                Assert.True(SpinWait.SpinUntil(() => Scrape.IsListening(port), TimeSpan.FromSeconds(30)), $"port {port} after reload {reload}");

                // A new instance: its endpoint's first scrape finds it has served none before, whenever it lands.
                Assert.Equal(0, Scrape.SelfMetrics(port)["fluentbit_plugin_scrape_duration_seconds_count"]);
            }

            threads.Add(HardeningHostTests.ProcessStatus(run.Process.Id, "Threads"));
            descriptors.Add(Directory.GetFiles($"/proc/{run.Process.Id}/fd").Length);
        }

        output.WriteLine($"threads after each reload: {string.Join(" ", threads)}; file descriptors: {string.Join(" ", descriptors)}");
        // A leak keeps at least one thread (the endpoint's, the hook's) or descriptor (a listener) per reload: nine
        // reloads after the first reading. The .NET thread pool may add or retire a few threads; that stays below one
        // per reload.
        Assert.True(threads[^1] - threads[1] < Reloads - 1, $"threads grew across reloads: {string.Join(" ", threads)}");
        Assert.True(descriptors[^1] - descriptors[1] < Reloads - 1, $"descriptors grew across reloads: {string.Join(" ", descriptors)}");
        Assert.Equal(Reloads + 1, run.Process.Count(@"\[ info\] \[stack_exporter\.0\] serving metrics at"));
        run.StopCleanly();
    }

    /// <summary>
    /// Documents a defect of Fluent Bit 5.1.1 (every proxy plugin, Go ones too): an output with <c>workers N</c> gets its
    /// worker pool started twice (2N "started" lines) and stopped once (N "stopped" lines), at start and after each hot
    /// reload. When this test fails, Fluent Bit has changed: check the README's warning against the new behaviour.
    /// </summary>
    [Fact]
    public void FluentBit511StartsAProxyOutputsWorkerPoolTwice()
    {
        int port = Scrape.FreePort();
        using FluentBitRun run = StartReloadable(port, workers: 2);
        Assert.True(SpinWait.SpinUntil(() => Scrape.Metrics(port).GetValueOrDefault("test_records_total") > 0, TimeSpan.FromSeconds(30)));
        Assert.Equal(4, run.Process.Count(@"\[output:test_exporter:test_exporter\.0\] worker #[01] started"));
        run.Process.Signal(FluentBitProcess.SigHup);
        Assert.True(SpinWait.SpinUntil(() => run.Process.Count(@"\[reload\] successful reload done") == 1 || run.Process.HasExited, TimeSpan.FromSeconds(60)), run.Process.Log);
        Assert.Equal(2, run.Process.Count(@"\[output:test_exporter:test_exporter\.0\] thread worker #[01] stopped"));

        // Each worker logs its start from its own thread, which may come after "reload done": wait for the lines, then count.
        const string Started = @"\[output:test_exporter:test_exporter\.0\] worker #[01] started";
        SpinWait.SpinUntil(() => run.Process.Count(Started) >= 8, TimeSpan.FromSeconds(10));
        Thread.Sleep(500);
        Assert.Equal(8, run.Process.Count(Started));
        Assert.True(SpinWait.SpinUntil(() => Scrape.IsListening(port), TimeSpan.FromSeconds(30)));
        Assert.True(SpinWait.SpinUntil(() => Scrape.Metrics(port).GetValueOrDefault("test_records_total") > 0, TimeSpan.FromSeconds(30)));
        run.StopCleanly();
    }

    /// <summary>
    /// Fluent Bit with hot reload (-Y) from a classic config file (SIGHUP reloads a file): dummy records at 20/s into
    /// test_exporter on <paramref name="port"/>, with <paramref name="workers"/> workers (0: none).
    /// </summary>
    private static FluentBitRun StartReloadable(int port, int workers) =>
        StartReloadable($$"""
            [INPUT]
                name  dummy
                dummy {"status":200}
                rate  20
            [OUTPUT]
                name        test_exporter
                match       *
                http_listen 127.0.0.1
                http_port   {{port}}
            """ + (workers > 0 ? $"\n    workers     {workers}\n" : "\n"), [Artifacts.TestExporter], ["test_exporter.0"]);

    /// <summary>
    /// Fluent Bit with hot reload (-Y) from a classic config file of <paramref name="sections"/> after <c>flush 1</c>,
    /// loading <paramref name="plugins"/>, once the outputs named in <paramref name="serving"/> serve.
    /// </summary>
    private static FluentBitRun StartReloadable(string sections, string[] plugins, string[] serving)
    {
        string directory = FluentBitProcess.TempDirectory();
        string config = Path.Combine(directory, "fluent-bit.conf");
        File.WriteAllText(config, "[SERVICE]\n    flush 1\n" + sections);
        return FluentBitRun.Start(["-Y", .. plugins.SelectMany(p => new[] { "-e", p }), "-c", config], serving, workingDirectory: directory);
    }

    /// <summary><c>log_level</c> per output: Fluent Bit prints the plugin's debug lines for one instance and hides its info lines for the other.</summary>
    [Fact]
    public void LogLevelPerOutputIsHonouredAsFluentBitPrintsIt()
    {
        int[] ports = [Scrape.FreePort(), Scrape.FreePort()];
        using FluentBitRun run = FluentBitRun.Start(
            ["-e", Artifacts.TestExporter, "-i", "dummy", "-p", "rate=5",
             .. FluentBitRun.OutputArguments("test_exporter", ports[0], "log_level=debug"), .. FluentBitRun.OutputArguments("test_exporter", ports[1], "log_level=error")],
            ["test_exporter.0"]);
        Assert.True(SpinWait.SpinUntil(() => Scrape.IsListening(ports[1]), TimeSpan.FromSeconds(30)));
        Assert.Equal("healthy", Scrape.Get(ports[1], "-/healthy").Trim());
        run.StopCleanly();

        Assert.Equal(1, run.Process.Count(@"^\[[0-9/ :.]+\] \[ info\] \[test_exporter\.0\] serving metrics at http://127\.0\.0\.1:" + ports[0] + "/metrics$"));
        Assert.Equal(1, run.Process.Count(@"^\[[0-9/ :.]+\] \[debug\] \[test_exporter\.0\] stopped$"));
        Assert.Equal(0, run.Process.Count(@"\[test_exporter\.1\]"));

        Assert.Equal(1, run.Process.Count(@"^\[[0-9/ :.]+\] \[debug\] \[test_exporter\.0\] init done$"));
    }

    /// <summary>
    /// The return codes as Fluent Bit counts them, read from its own counters (-H): what our plugin returns for
    /// records it applies (FLB_OK, counted as processed, none dropped or retried), and, from the host's C test plugin
    /// told to return each code, that FLB_ERROR is counted as dropped and FLB_RETRY as retried, the basis of the
    /// policy in the README ("What a flush returns").
    /// </summary>
    [Fact]
    public void FluentBitCountsWhatAFlushReturns()
    {
        const int Samples = 20;
        string testPlugin = Path.Combine(Path.GetDirectoryName(Artifacts.Host)!, "testplugin.so");
        Assert.True(File.Exists(testPlugin), $"{testPlugin} is missing: make -C tools/flb-host builds it");
        int port = Scrape.FreePort();
        using FluentBitRun run = FluentBitRun.Start(
            ["-e", Artifacts.TestExporter, "-e", testPlugin,
             "-i", "dummy", "-p", """dummy={"status":200}""", "-p", $"samples={Samples}", "-p", "rate=50",
             .. FluentBitRun.OutputArguments("test_exporter", port),
             "-o", "testout", "-m", "*", "-p", "id=error", "-p", "flush_ret=0",
             "-o", "testout", "-m", "*", "-p", "id=retry", "-p", "flush_ret=2", "-p", "retry_limit=1"],
            ["test_exporter.0"]);
        run.WaitForProcessed("test_exporter.0", Samples);
        Assert.Equal(Samples, Scrape.SelfMetrics(port)["fluentbit_plugin_records_decoded_total"]);
        double okChunks = Scrape.SelfMetrics(port)[PrometheusText.Key("fluentbit_plugin_chunks_flushed_total", ("result", "ok"))];
        Assert.True(okChunks >= 1);
        Assert.Equal(0, run.Output("dropped_records", "test_exporter.0"));
        Assert.Equal(0, run.Output("retries", "test_exporter.0"));

        // FLB_ERROR: every record dropped, none processed, no retry.
        Assert.True(SpinWait.SpinUntil(() => run.Output("dropped_records", "testout.1") == Samples, TimeSpan.FromSeconds(60)), run.Process.Log);
        Assert.Equal(0, run.Output("proc_records", "testout.1"));
        Assert.Equal(0, run.Output("retries", "testout.1"));

        // FLB_RETRY: retried (once, retry_limit 1), then dropped when the retry fails too; never processed.
        Assert.True(SpinWait.SpinUntil(() => run.Output("dropped_records", "testout.2") == Samples, TimeSpan.FromSeconds(90)), run.Process.Log);
        Assert.True(run.Output("retries", "testout.2") >= 1);
        Assert.Equal(0, run.Output("proc_records", "testout.2"));
        run.StopCleanly();
    }
}

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Runtime;
using System.Text;
using System.Threading;
using FluentBit.Plugins.Testing;
using Xunit;
using Xunit.Abstractions;

namespace FluentBit.Plugins.EndToEnd.Tests;

/// <summary>
/// Connections that are not scrapes (a port scanner, a half-open client, a slowloris) must neither keep the metrics
/// from Prometheus nor keep Fluent Bit from stopping.
/// </summary>
public class EndpointRobustnessTests(ITestOutputHelper output)
{
    private const int SilentConnections = 300;
    private const int DrippingConnections = 100;
    // Bounds only a hang crosses: a scrape starved by the attack waits forever, a stop blocked by a connection never
    // ends. How fast scrapes are under attack is measured (and printed) here and benchmarked in ./bench.sh, not asserted.
    private static readonly TimeSpan ScrapeHang = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ShutdownHang = TimeSpan.FromSeconds(30);

    // The plugin closes a request whose headers are not complete after 10 s; the test outlasts that.
    private static readonly TimeSpan AttackDuration = TimeSpan.FromSeconds(12);

    [Fact]
    public void ScrapesAreAnsweredAmongSilentAndDrippingConnectionsAndShutdownIsNotHeldByThem()
    {
        int port = Scrape.FreePort();
        using HostProcess host = HostProcess.Start(
            "-e", Artifacts.CpuExporter, "-o", "cpu_exporter", "-p", "http_listen=127.0.0.1", "-p", $"http_port={port}",
            "--chunks", Path.Combine(Vectors.Root, "cpu"), "--wait");
        host.WaitFor("flb-host: ready");
        TimedScrape(port);

        var silent = Enumerable.Range(0, SilentConnections).Select(_ => Connect(port)).ToList();
        var dripping = Enumerable.Range(0, DrippingConnections).Select(_ => Connect(port)).ToList();
        var latencies = new List<TimeSpan>();
        try
        {
            using var stop = new CancellationTokenSource();
            var drip = new Thread(() => Drip(dripping, stop.Token)) { IsBackground = true };
            drip.Start();
            // The latencies are measured here, in the client: a garbage collection of the test runner must not count.
            bool noGc = GC.TryStartNoGCRegion(64 * 1024 * 1024);
            var attack = Stopwatch.StartNew();
            while (attack.Elapsed < AttackDuration)
            {
                latencies.Add(TimedScrape(port));
                Thread.Sleep(200);
            }

            if (noGc && GCSettings.LatencyMode == GCLatencyMode.NoGCRegion)
            {
                GC.EndNoGCRegion();
            }

            stop.Cancel();
            drip.Join();

            int answered408 = dripping.Count(c => ReadAvailable(c).StartsWith("HTTP/1.1 408 "));
            int silentOpen = silent.Count(c => !c.Poll(0, SelectMode.SelectRead));
            var clock = Stopwatch.StartNew();
            int status = host.Terminate();
            TimeSpan shutdown = clock.Elapsed;

            TimeSpan max = latencies.Max();
            TimeSpan median = latencies.OrderBy(l => l).ElementAt(latencies.Count / 2);
            output.WriteLine(
                $"scrapes: {latencies.Count}, median {median.TotalMilliseconds:F1} ms, max {max.TotalMilliseconds:F1} ms; "
                + $"dripping answered 408: {answered408}/{DrippingConnections}; silent still open: {silentOpen}/{SilentConnections}; "
                + $"shutdown after SIGTERM: {shutdown.TotalMilliseconds:F0} ms");

            // Every scrape was answered whole (TimedScrape asserts it, and fails one that hangs past ScrapeHang).
            Assert.Equal(latencies.Count, latencies.Count(l => l < ScrapeHang));
            Assert.Equal(DrippingConnections, answered408);
            Assert.Equal(SilentConnections, silentOpen);
            Assert.Equal(0, status);
            Assert.True(shutdown < ShutdownHang, $"shutdown took {shutdown.TotalMilliseconds:F0} ms");
            Assert.Contains("flb-host: output cpu_exporter.0: flushes=4 ok=4 error=0 retry=0 records=4", host.Stderr);
        }
        finally
        {
            silent.Concat(dripping).ToList().ForEach(c => c.Dispose());
        }
    }

    private static Socket Connect(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Connect(IPAddress.Loopback, port);
        return socket;
    }

    /// <summary>Starts a request on every connection, then sends one more header line each 2 s: never the end of the headers.</summary>
    private static void Drip(List<Socket> connections, CancellationToken stop)
    {
        connections.ForEach(c => c.Send("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n"u8));
        for (int line = 0; !stop.WaitHandle.WaitOne(TimeSpan.FromSeconds(2)); line++)
        {
            byte[] header = Encoding.ASCII.GetBytes($"X-Drip-{line}: x\r\n");
            foreach (Socket connection in connections)
            {
                try
                {
                    connection.Send(header);
                }
                catch (SocketException)
                {
                    // Closed by the header timeout: what the test expects.
                }
            }
        }
    }

    private static string ReadAvailable(Socket connection)
    {
        var buffer = new byte[256];
        connection.ReceiveTimeout = 1000;
        try
        {
            int read = connection.Receive(buffer);
            return Encoding.ASCII.GetString(buffer, 0, read);
        }
        catch (SocketException)
        {
            return "";
        }
    }

    /// <summary>One scrape on a new connection, as the worst case: it has to be accepted beside the others.</summary>
    private static TimeSpan TimedScrape(int port)
    {
        var clock = Stopwatch.StartNew();
        using Socket connection = Connect(port);
        connection.ReceiveTimeout = (int)ScrapeHang.TotalMilliseconds;
        connection.Send("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"u8);
        using var stream = new NetworkStream(connection);
        using var answer = new MemoryStream();
        stream.CopyTo(answer);
        TimeSpan took = clock.Elapsed;
        string text = Encoding.UTF8.GetString(answer.ToArray());
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", text);
        Assert.Contains("cpu_usage_percent{cpu=\"all\",mode=\"total\"} 0.5\n", text);
        return took;
    }
}

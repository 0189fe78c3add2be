using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using FluentBit.Plugins.CodeGen;
using FluentBit.Plugins.Hosting;
using FluentBit.Plugins.Native;
using FluentBit.Plugins.Testing;
using Xunit;
using Xunit.Abstractions;

namespace FluentBit.Plugins.Runtime.Tests;

/// <summary>Flushes on the instance's own threads, and Exit against flushes in flight.</summary>
public class FlushLifecycleTests(ITestOutputHelper output)
{
    private static PluginInstance<ProbeExporter.Instruments> Instance(RuntimeHarness harness) =>
        PluginRuntime<ProbeExporter, ProbeRecord, ProbeExporter.Instruments>.FindInstance(harness.Context)!;

    private static byte[] Records(int count)
    {
        var chunk = new ChunkWriter();
        for (int i = 0; i < count; i++)
        {
            chunk.Event(BadInputTests.Good());
        }

        return chunk.ToArray();
    }

    [Fact]
    public void AFlushOnTheOwnStackAppliesTheSameAsOnTheCallersStack()
    {
        byte[] chunk = Records(50);
        using var direct = new RuntimeHarness();
        using var own = new RuntimeHarness();

        Assert.Equal(FlbConstants.Ok, direct.Flush(chunk));
        Assert.Equal(FlbConstants.Ok, own.FlushOnOwnStack(chunk));

        Dictionary<string, double> expected = direct.Scrape();
        Dictionary<string, double> actual = own.Scrape();
        foreach (string series in new[] { "probe_records_total", "probe_bytes_sum_total", "probe_latency_sum_total", "fluentbit_plugin_records_decoded_total" })
        {
            Assert.Equal(expected[series], actual[series]);
        }

        Assert.Equal(1, Instance(own).FlushThreads!.Count);
    }

    /// <summary>Concurrent flushes get a thread each; Exit stops them all.</summary>
    [Fact]
    public void ConcurrentFlushesGetAThreadEachAndExitStopsThem()
    {
        byte[] chunk = Records(200);
        var instance = new RuntimeHarness();
        FlushThreads threads = Instance(instance).FlushThreads!;
        var flushers = new Thread[4];
        int failures = 0;
        using var start = new Barrier(flushers.Length);
        for (int t = 0; t < flushers.Length; t++)
        {
            flushers[t] = new Thread(() =>
            {
                start.SignalAndWait();
                for (int i = 0; i < 20; i++)
                {
                    failures += instance.FlushOnOwnStack(chunk) == FlbConstants.Ok ? 0 : 1;
                }
            });
            flushers[t].Start();
        }

        Array.ForEach(flushers, t => t.Join());
        Assert.Equal(0, failures);
        Assert.Equal(4 * 20 * 200, instance.Scrape()["probe_records_total"]);
        Assert.InRange(threads.Count, 1, 4);
        Assert.Equal(threads.Count, threads.Alive);

        instance.Dispose();

        Assert.Equal(0, threads.Alive);
    }

    /// <summary>
    /// Exit waits for a flush in flight (it is applied whole), and a flush that arrives once Exit has begun is
    /// dropped without touching the instance: when Exit returns, no flush of the instance runs.
    /// </summary>
    [Fact]
    public void ExitWaitsForTheFlushInFlightAndRefusesTheNext()
    {
        byte[] chunk = Records(20_000);
        var instance = new RuntimeHarness();
        PluginInstance<ProbeExporter.Instruments> state = Instance(instance);
        int result = -1;
        var flusher = new Thread(() => result = instance.Flush(chunk));
        flusher.Start();
        Assert.True(SpinWait.SpinUntil(() => state.FlushesInFlight == 1, TimeSpan.FromSeconds(10)));

        var clock = Stopwatch.StartNew();
        Assert.Equal(0, instance.Exit());
        TimeSpan exit = clock.Elapsed;

        Assert.Equal(0, state.FlushesInFlight);
        flusher.Join();
        Assert.Equal(FlbConstants.Ok, result);
        Assert.Equal(FlbConstants.Error, instance.Flush(chunk));
        output.WriteLine($"exit waited {exit.TotalMilliseconds:N0} ms for the flush in flight");
        instance.Dispose();
    }

    /// <summary>
    /// What handing a flush to the instance's own thread costs, against running it on the caller's stack: an empty
    /// chunk (only the flush's fixed work) and a one-record chunk, in 10 alternating blocks of 2,000 flushes each
    /// way after a warm-up, the fastest block of each; the difference is the hand-over.
    /// <c>dotnet test tests/FluentBit.Plugins.Runtime.Tests -c Release --filter OwnStackCost --logger "console;verbosity=detailed"</c>.
    /// </summary>
    [Fact]
    public void OwnStackCostPerFlush()
    {
        using var instance = new RuntimeHarness();
        foreach ((string name, byte[] chunk) in new[] { ("empty", Array.Empty<byte>()), ("one-record", Records(1)) })
        {
            // The fastest block of each: the machine is shared, and other work only ever adds time.
            double direct = double.MaxValue;
            double own = double.MaxValue;
            for (int block = 0; block < 10; block++)
            {
                direct = Math.Min(direct, NanosecondsPerFlush(() => instance.Flush(chunk), 2_000));
                own = Math.Min(own, NanosecondsPerFlush(() => instance.FlushOnOwnStack(chunk), 2_000));
            }

            output.WriteLine($"{name} chunk: {direct:N0} ns per flush on the caller's stack, {own:N0} ns on the instance's own thread: {own - direct:N0} ns for the hand-over (fastest of 10 blocks of 2,000)");
        }

        Assert.Equal(2 * 10 * 2 * 2_000, instance.Scrape()["probe_records_total"]);
    }

    private static double NanosecondsPerFlush(Func<int> flush, int count)
    {
        for (int i = 0; i < count; i++)
        {
            Assert.Equal(FlbConstants.Ok, flush());
        }

        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < count; i++)
        {
            flush();
        }

        return Stopwatch.GetElapsedTime(start).TotalNanoseconds / count;
    }
}

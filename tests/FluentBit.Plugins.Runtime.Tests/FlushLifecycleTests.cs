using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using FluentBit.Plugins.CodeGen;
using FluentBit.Plugins.Hosting;
using FluentBit.Plugins.Native;
using FluentBit.Plugins.TestKit;
using FluentBit.Plugins.Testing;
using Xunit;
using Xunit.Abstractions;

namespace FluentBit.Plugins.Runtime.Tests;

/// <summary>Flushes on the instance's own threads, and Exit against flushes in flight.</summary>
public class FlushLifecycleTests(ITestOutputHelper output)
{
    private static PluginInstance<ProbeExporter, ProbeRecord, ProbeExporter.Instruments> Instance(RuntimeHarness harness) =>
        PluginRuntime<ProbeExporter, ProbeRecord, ProbeExporter.Instruments>.FindInstance(harness.Context)!;

    private static byte[] Records(int count)
    {
        var chunk = new ChunkBuilder();
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

    /// <summary>
    /// Concurrent flushes get a thread each: four flushes whose first record waits at a four-party rendezvous can only
    /// all pass it if they run at the same time, so the instance must have run them on four threads. Exit stops them all.
    /// </summary>
    [Fact]
    public void ConcurrentFlushesGetAThreadEachAndExitStopsThem()
    {
        const int Flushers = 4;
        var rendezvousRecord = BadInputTests.Good();
        rendezvousRecord["path"] = "/rendezvous";
        var first = new ChunkBuilder().Event(rendezvousRecord);
        for (int i = 0; i < 199; i++)
        {
            first.Event(BadInputTests.Good());
        }

        byte[] meeting = first.ToArray();
        byte[] chunk = Records(200);
        var instance = new RuntimeHarness();
        FlushThreads threads = Instance(instance).FlushThreads!;
        var flushers = new Thread[Flushers];
        int failures = 0;
        using var rendezvous = new Barrier(Flushers);
        ProbeExporter.Rendezvous = rendezvous;
        try
        {
            for (int t = 0; t < flushers.Length; t++)
            {
                flushers[t] = new Thread(() =>
                {
                    Interlocked.Add(ref failures, instance.FlushOnOwnStack(meeting) == FlbConstants.Ok ? 0 : 1);
                    for (int i = 0; i < 19; i++)
                    {
                        Interlocked.Add(ref failures, instance.FlushOnOwnStack(chunk) == FlbConstants.Ok ? 0 : 1);
                    }
                });
                flushers[t].Start();
            }

            Array.ForEach(flushers, t => t.Join());
        }
        finally
        {
            ProbeExporter.Rendezvous = null;
        }

        Dictionary<string, double> metrics = instance.Scrape();
        Assert.Equal(0, failures);
        Assert.Equal(0, metrics.GetValueOrDefault(PrometheusText.Key("fluentbit_plugin_records_skipped_total", ("reason", "failed"))));
        Assert.Equal(Flushers * 20 * 200, metrics["probe_records_total"]);
        Assert.Equal(Flushers, threads.Count);
        Assert.Equal(threads.Count, threads.Alive);

        instance.Dispose();

        Assert.Equal(0, threads.Alive);
    }

    /// <summary>
    /// Exit waits for a flush in flight (it is applied whole), and a flush that arrives once Exit has begun is
    /// dropped without touching the instance: when Exit returns, no flush of the instance runs.
    /// </summary>
    [Fact]
    public async System.Threading.Tasks.Task ExitWaitsForTheFlushInFlightAndRefusesTheNext()
    {
        // The first record holds the flush (in the hook, on the flush's thread) until Exit has begun: the flush is in
        // flight when Exit starts, whatever the machine's speed, and ends while Exit waits for it.
        var hold = BadInputTests.Good();
        hold["path"] = "/hold";
        var builder = new ChunkBuilder().Event(hold);
        for (int i = 1; i < 20_000; i++)
        {
            builder.Event(BadInputTests.Good());
        }

        byte[] chunk = builder.ToArray();
        var instance = new RuntimeHarness();
        PluginInstance<ProbeExporter, ProbeRecord, ProbeExporter.Instruments> state = Instance(instance);
        using var holding = new ManualResetEventSlim();
        ProbeExporter.Holding = holding;
        ProbeExporter.HoldUntil = () =>
        {
            // Exit has begun once the instance refuses a flush (a probe that is let in is counted out again).
            if (state.TryBeginFlush())
            {
                state.EndFlush();
                return false;
            }

            return true;
        };
        int result = -1;
        var flusher = new Thread(() => result = instance.Flush(chunk));
        TimeSpan exit;
        try
        {
            flusher.Start();
            Assert.True(holding.Wait(TimeSpan.FromSeconds(30)), "the flush never reached its first record");
            Assert.Equal(1, state.FlushesInFlight);

            var clock = Stopwatch.StartNew();
            Assert.Equal(0, instance.Exit());
            exit = clock.Elapsed;
        }
        finally
        {
            ProbeExporter.HoldUntil = null;
            ProbeExporter.Holding = null;
        }

        Assert.Equal(0, state.FlushesInFlight);
        flusher.Join();
        Assert.Equal(FlbConstants.Ok, result);
        Assert.Equal(FlbConstants.Error, instance.Flush(chunk));

        // Applied whole: every one of its 20,000 records counted, the refused flush none (read from the registry, as
        // the endpoint has stopped with the instance).
        using var exposition = new System.IO.MemoryStream();
        await state.Registry.CollectAndExportAsTextAsync(exposition);
        Dictionary<string, double> metrics = PrometheusText.Parse(System.Text.Encoding.UTF8.GetString(exposition.ToArray()));
        Assert.Equal(20_000, metrics["probe_records_total"]);
        output.WriteLine($"exit waited {exit.TotalMilliseconds:N0} ms for the flush in flight");
        instance.Dispose();
    }
}

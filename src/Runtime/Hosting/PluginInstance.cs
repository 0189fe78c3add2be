using System;
using System.Threading;
using FluentBit.Plugins.Configuration;
using FluentBit.Plugins.Exposition;
using FluentBit.Plugins.SelfMetrics;
using Prometheus;

namespace FluentBit.Plugins.Hosting;

/// <summary>One [OUTPUT] instance: its own registry, collectors, self-metrics and endpoint.</summary>
internal sealed class PluginInstance<TInstruments> : IDisposable
    where TInstruments : class
{
    /// <summary>How long Exit waits for flushes in flight (Fluent Bit never exits an instance during one).</summary>
    public static readonly TimeSpan FlushWaitLimit = TimeSpan.FromSeconds(2);

    private int _flushesInFlight;
    private volatile bool _closing;

    public PluginInstance(PluginConfig config, CollectorRegistry registry, TInstruments instruments, PluginSelfMetrics selfMetrics, MetricsEndpoint endpoint, PluginLog log)
    {
        Config = config;
        Registry = registry;
        Instruments = instruments;
        SelfMetrics = selfMetrics;
        Endpoint = endpoint;
        Log = log;
    }

    public PluginConfig Config { get; }

    public CollectorRegistry Registry { get; }

    public TInstruments Instruments { get; }

    /// <summary>The <c>fluentbit_plugin_*</c> metrics of this instance.</summary>
    internal PluginSelfMetrics SelfMetrics { get; }

    public MetricsEndpoint Endpoint { get; }

    public PluginLog Log { get; }

    /// <summary>The threads that run flushes with user code on a stack of the plugin's own; set once, after Init.</summary>
    public FlushThreads? FlushThreads { get; set; }

    /// <summary>Lines about damaged chunks, at most one per interval.</summary>
    public LogRateLimiter DamagedChunkLines { get; } = new();

    /// <summary>Lines about records whose user code threw, at most one per interval.</summary>
    public LogRateLimiter FailedRecordLines { get; } = new();

    /// <summary>Lines about events whose body is not a map, at most one per interval.</summary>
    public LogRateLimiter NotAMapLines { get; } = new();

    /// <summary>Lines about flushes that could not run at all, at most one per interval.</summary>
    public LogRateLimiter FlushFailureLines { get; } = new();

    /// <summary>The flushes running now.</summary>
    public int FlushesInFlight => Volatile.Read(ref _flushesInFlight);

    /// <summary>Counts a flush in; false once Exit has begun (the flush must then not touch the instance).</summary>
    public bool TryBeginFlush()
    {
        Interlocked.Increment(ref _flushesInFlight);
        if (_closing)
        {
            Interlocked.Decrement(ref _flushesInFlight);
            return false;
        }

        return true;
    }

    public void EndFlush() => Interlocked.Decrement(ref _flushesInFlight);

    /// <summary>
    /// Refuses new flushes, waits up to <see cref="FlushWaitLimit"/> for those in flight, stops the flush threads,
    /// then the endpoint (which waits for the scrapes in flight, up to its own limit).
    /// </summary>
    public void Dispose()
    {
        _closing = true;
        Interlocked.MemoryBarrier();
        if (!SpinWait.SpinUntil(() => FlushesInFlight == 0, FlushWaitLimit))
        {
            Log.Warn($"exit went on after {FlushWaitLimit.TotalSeconds} s while {FlushesInFlight} flush(es) were still running");
        }

        FlushThreads?.Dispose();
        Endpoint.Dispose();
    }
}

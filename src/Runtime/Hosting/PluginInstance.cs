using System;
using FluentBit.Plugins.Configuration;
using FluentBit.Plugins.Exposition;
using FluentBit.Plugins.SelfMetrics;
using Prometheus;

namespace FluentBit.Plugins.Hosting;

/// <summary>One [OUTPUT] instance: its own registry, collectors, self-metrics and endpoint.</summary>
internal sealed class PluginInstance<TInstruments> : IDisposable
    where TInstruments : class
{
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

    public void Dispose() => Endpoint.Dispose();
}

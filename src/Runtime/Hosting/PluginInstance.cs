using System;
using FluentBit.Plugins.Configuration;
using FluentBit.Plugins.Exposition;
using Prometheus;

namespace FluentBit.Plugins.Hosting;

/// <summary>One [OUTPUT] instance: its own registry, collectors and endpoint.</summary>
internal sealed class PluginInstance<TInstruments> : IDisposable
    where TInstruments : class
{
    public PluginInstance(PluginConfig config, CollectorRegistry registry, TInstruments instruments, MetricsEndpoint endpoint, PluginLog log)
    {
        Config = config;
        Registry = registry;
        Instruments = instruments;
        Endpoint = endpoint;
        Log = log;
    }

    public PluginConfig Config { get; }

    public CollectorRegistry Registry { get; }

    public TInstruments Instruments { get; }

    public MetricsEndpoint Endpoint { get; }

    public PluginLog Log { get; }

    public void Dispose() => Endpoint.Dispose();
}

using System;
using System.Linq;
using FluentBit.Plugins.CodeGen;
using FluentBit.Plugins.Decoding;
using MessagePack;
using Prometheus;

namespace FluentBit.Plugins.TestKit;

/// <summary>A generated plugin class seen through its static members, without naming its record and instruments types.</summary>
internal abstract class PluginDriver
{
    public abstract string PluginName { get; }

    public abstract int DefaultHttpPort { get; }

    /// <summary>The driver of <paramref name="plugin"/>, the class the generator implements <see cref="IPluginSchema{TRecord, TInstruments}"/> on.</summary>
    public static PluginDriver For(Type plugin)
    {
        Type? schema = plugin.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IPluginSchema<,>));
        if (schema is null)
        {
            throw new ArgumentException(
                $"{plugin.FullName} is not a generated plugin class: pass the partial class with [FluentBitPlugin] that derives from PrometheusExporter<TRecord>, "
                + "in a project that references FluentBit.Plugins (whose generator implements the plugin)");
        }

        Type[] arguments = schema.GetGenericArguments();
        Type driver = typeof(PluginDriver<,,>).MakeGenericType(plugin, arguments[0], arguments[1]);
        return (PluginDriver)Activator.CreateInstance(driver)!;
    }

    /// <summary>Creates the instance's collectors, as FLBPluginInit does, applying <paramref name="options"/>' configuration.</summary>
    public abstract void CreateInstruments(CollectorRegistry registry, MetricOptions options);

    /// <summary>Decodes <paramref name="chunk"/> and applies every event, as FLBPluginFlushCtx does; returns the events applied.</summary>
    public abstract int Flush(ReadOnlyMemory<byte> chunk, ReadOnlySpan<byte> tag, EventTimestamp flushTime);
}

internal sealed class PluginDriver<TPlugin, TRecord, TInstruments> : PluginDriver
    where TPlugin : IPluginSchema<TRecord, TInstruments>
    where TRecord : class, new()
    where TInstruments : class
{
    // One record reused by every event, as a flush thread reuses its own.
    private readonly TRecord _record = new();
    private TInstruments? _instruments;

    public override string PluginName => TPlugin.PluginName;

    public override int DefaultHttpPort => TPlugin.DefaultHttpPort;

    public override void CreateInstruments(CollectorRegistry registry, MetricOptions options) =>
        _instruments = options.CreateInstruments(registry, TPlugin.PluginName, TPlugin.LabelNames, TPlugin.CreateInstruments);

    public override int Flush(ReadOnlyMemory<byte> chunk, ReadOnlySpan<byte> tag, EventTimestamp flushTime)
    {
        TInstruments instruments = _instruments ?? throw new InvalidOperationException("CreateInstruments has not run");
        var reader = new MessagePackReader(chunk);
        int events = 0;
        while (!reader.End)
        {
            EventTimestamp timestamp = EventReader.ReadEventHeader(ref reader, out ReadOnlyMemory<byte> metadata);
            TPlugin.ApplyRecord(ref reader, _record, instruments, new EventContext(timestamp, tag, metadata, flushTime));
            events++;
        }

        return events;
    }
}

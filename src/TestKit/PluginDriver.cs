using System;
using System.Collections.Generic;
using System.Linq;
using FluentBit.Plugins.CodeGen;
using FluentBit.Plugins.Configuration;
using FluentBit.Plugins.Hosting;
using FluentBit.Plugins.Logging;
using FluentBit.Plugins.SelfMetrics;
using Prometheus;

namespace FluentBit.Plugins.TestKit;

/// <summary>
/// One instance of a generated plugin class, created and flushed through the runtime's own
/// <c>PluginInstance</c> (what FLBPluginInit and FLBPluginFlushCtx run), without naming its record and
/// instruments types. Only the endpoint is not started.
/// </summary>
internal abstract class PluginDriver
{
    private readonly List<string> _logLines = new();

    public abstract string PluginName { get; }

    public abstract int DefaultHttpPort { get; }

    public abstract CollectorRegistry Registry { get; }

    public abstract PluginSelfMetrics SelfMetrics { get; }

    public abstract IReadOnlyList<MetricHealth> Healths { get; }

    /// <summary>What the instance logged, as Fluent Bit prints it (<c>[error] [name.0] ...</c>).</summary>
    public IReadOnlyList<string> LogLines
    {
        get
        {
            lock (_logLines)
            {
                return _logLines.ToArray();
            }
        }
    }

    /// <summary>
    /// The driver of <paramref name="plugin"/>, the class the generator implements <see cref="IPluginSchema{TRecord, TInstruments}"/> on,
    /// with an instance configured from <paramref name="properties"/>.
    /// </summary>
    /// <exception cref="PluginConfigException">Init would fail with this configuration.</exception>
    public static PluginDriver For(Type plugin, IPropertySource properties)
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
        var created = (PluginDriver)Activator.CreateInstance(driver)!;
        created.Init(properties);
        return created;
    }

    /// <summary>Flushes <paramref name="chunk"/> through the runtime's flush path; returns its FLB result and what it did with the events.</summary>
    public abstract int Flush(ReadOnlyMemory<byte> chunk, ReadOnlyMemory<byte> tag, EventTimestamp flushTime, out FlushTally tally);

    protected abstract void Init(IPropertySource properties);

    protected PluginLog CreateLog(string instanceName) => new(instanceName, (level, line) =>
    {
        lock (_logLines)
        {
            _logLines.Add($"[{level.ToString().ToLowerInvariant()}] {line}");
        }
    });
}

internal sealed class PluginDriver<TPlugin, TRecord, TInstruments> : PluginDriver
    where TPlugin : IPluginSchema<TRecord, TInstruments>
    where TRecord : class, new()
    where TInstruments : class
{
    private PluginInstance<TPlugin, TRecord, TInstruments>? _instance;

    public override string PluginName => TPlugin.PluginName;

    public override int DefaultHttpPort => TPlugin.DefaultHttpPort;

    public override CollectorRegistry Registry => Instance.Registry;

    public override PluginSelfMetrics SelfMetrics => Instance.SelfMetrics;

    public override IReadOnlyList<MetricHealth> Healths => Instance.Options.Healths;

    private PluginInstance<TPlugin, TRecord, TInstruments> Instance => _instance ?? throw new InvalidOperationException("Init has not run");

    protected override void Init(IPropertySource properties) =>
        _instance = PluginInstance<TPlugin, TRecord, TInstruments>.Create(properties, CreateLog($"{TPlugin.PluginName}.0"));

    public override int Flush(ReadOnlyMemory<byte> chunk, ReadOnlyMemory<byte> tag, EventTimestamp flushTime, out FlushTally tally) =>
        Instance.FlushChunk(chunk, tag, flushTime, out tally);
}

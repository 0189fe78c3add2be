using System.ComponentModel;
using FluentBit.Plugins.Decoding;
using Prometheus;

namespace FluentBit.Plugins.CodeGen;

/// <summary>
/// What the source generator implements on a plugin class; the runtime (the native exports)
/// drives it from the native entry points.
/// </summary>
/// <typeparam name="TRecord">The record type the plugin decodes into.</typeparam>
/// <typeparam name="TInstruments">The generated collectors of one instance.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IPluginSchema<TRecord, TInstruments>
    where TRecord : class, new()
    where TInstruments : class
{
    /// <summary>The name in <c>[FluentBitPlugin]</c>, registered with Fluent Bit.</summary>
    static abstract string PluginName { get; }

    /// <summary>The description in <c>[FluentBitPlugin]</c>.</summary>
    static abstract string PluginDescription { get; }

    /// <summary>The <c>http_port</c> used when the config sets none.</summary>
    static abstract int DefaultHttpPort { get; }

    /// <summary>
    /// Every label name the plugin's metrics have (constant labels of the record class included): an
    /// <c>add_labels</c> entry must not repeat one.
    /// </summary>
    static abstract System.Collections.Generic.IReadOnlyList<string> LabelNames { get; }

    /// <summary>
    /// Creates one instance's collectors in its own registry (whose static labels, from <c>add_labels</c>, are
    /// already set), taking each dynamic metric's idle expiry and health from <paramref name="options"/>.
    /// </summary>
    static abstract TInstruments CreateInstruments(CollectorRegistry registry, MetricOptions options);

    /// <summary>Which events the plugin reads: a record with span fields reads spans, any other log events.</summary>
    static virtual PluginEvents Events => PluginEvents.Logs;

    /// <summary>
    /// Decodes one event body (the reader is on it; for a span, the span's map) into <paramref name="record"/> and
    /// applies it.
    /// </summary>
    static abstract void ApplyRecord(ref ChunkReader reader, TRecord record, TInstruments instruments, in EventContext context);
}

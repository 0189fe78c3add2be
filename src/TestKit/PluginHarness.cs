using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using FluentBit.Plugins.CodeGen;
using FluentBit.Plugins.Configuration;
using FluentBit.Plugins.Exposition;
using FluentBit.Plugins.SelfMetrics;
using Prometheus;

namespace FluentBit.Plugins.TestKit;

/// <summary>
/// One <c>[OUTPUT]</c> instance of the plugin <typeparamref name="TPlugin"/>, run in this process: no Fluent Bit,
/// no published <c>.so</c>, no endpoint. It is created and flushed by the same runtime code the <c>.so</c> runs in
/// FLBPluginInit and FLBPluginFlushCtx (the configuration checks, the chunk validation, the per-event skips), so
/// each <c>Send</c> is one flush that counts and logs exactly as inside Fluent Bit; the metrics are then read back
/// from the instance's registry, the self-metrics from <see cref="SelfSamples"/>, the log from <see cref="LogLines"/>.
/// </summary>
/// <typeparam name="TPlugin">The plugin class: the partial class with <c>[FluentBitPlugin]</c>.</typeparam>
/// <example>
/// <code>
/// var plugin = new PluginHarness&lt;AccessLogExporter&gt;();
/// plugin.Send(new { method = "GET", status = 200, request_time = 0.042, bytes = 5120 });
/// Assert.Equal(1, plugin.Value("http_requests_total", ("method", "GET"), ("status", "200")));
/// </code>
/// </example>
public sealed class PluginHarness<TPlugin>
    where TPlugin : class
{
    private readonly PluginDriver _driver;
    private MetricsExposition? _exposition;

    /// <summary>An instance configured as an <c>[OUTPUT]</c> section without keys.</summary>
    public PluginHarness()
        : this(null)
    {
    }

    /// <summary>An instance configured with <paramref name="properties"/>, as the keys of its <c>[OUTPUT]</c> section.</summary>
    /// <param name="properties">Such as <c>add_labels</c> and <c>series_expiry</c>; keys are case-insensitive, as in Fluent Bit.</param>
    /// <exception cref="ArgumentException">The plugin's Init would fail with this configuration; the message is the one it logs.</exception>
    public PluginHarness(IReadOnlyDictionary<string, string>? properties)
    {
        try
        {
            _driver = PluginDriver.For(typeof(TPlugin), new PropertySource(properties));
        }
        catch (PluginConfigException e)
        {
            throw new ArgumentException(e.Message, nameof(properties), e);
        }
    }

    /// <summary>The plugin's name, as <c>[FluentBitPlugin]</c> declares it and <c>-o</c> selects it.</summary>
    public string PluginName => _driver.PluginName;

    /// <summary>The <c>http_port</c> an instance serves on when its configuration sets none.</summary>
    public int DefaultHttpPort => _driver.DefaultHttpPort;

    /// <summary>The tag of a flush that names none; <c>test</c> unless set.</summary>
    public string DefaultTag { get; set; } = "test";

    /// <summary>
    /// The clock: the time of an event sent without one, and each flush's start (<c>EventContext.FlushTime</c>, from
    /// which <c>[EventDelay]</c> is measured). The wall clock unless set, e.g. <c>() =&gt; fixedTime</c>.
    /// </summary>
    public Func<DateTimeOffset> Clock { get; set; } = () => DateTimeOffset.UtcNow;

    /// <summary>The instance's registry, holding its collectors.</summary>
    public CollectorRegistry Registry => _driver.Registry;

    /// <summary>
    /// What the instance logged, each line as Fluent Bit prints it (<c>[warn] [my_exporter.0] skipped event 3 ...</c>),
    /// up to <c>info</c>; lines that repeat (a damaged chunk, a skipped event) are rate-limited as in Fluent Bit.
    /// </summary>
    public IReadOnlyList<string> LogLines => _driver.LogLines;

    /// <summary>Sends one event in a flush of its own; see <see cref="ChunkBuilder.Add"/> for the forms <paramref name="record"/> takes.</summary>
    /// <param name="record">The event's body: an anonymous object, a dictionary, a <see cref="System.Text.Json.JsonElement"/>, ...</param>
    /// <param name="tag">The flush's tag; <see cref="DefaultTag"/> when null.</param>
    /// <param name="time">The event's time; <see cref="Clock"/> when null.</param>
    /// <param name="metadata">The event's metadata map; empty when null.</param>
    /// <returns>The events applied: 1.</returns>
    public int Send(object record, string? tag = null, DateTimeOffset? time = null, object? metadata = null) =>
        SendChunk(new ChunkBuilder().Add(record, time ?? Clock(), metadata), tag);

    /// <summary>Sends each record as one event, all in one flush.</summary>
    /// <returns>The events applied.</returns>
    public int SendAll(IEnumerable<object> records, string? tag = null, DateTimeOffset? time = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        var chunk = new ChunkBuilder();
        DateTimeOffset at = time ?? Clock();
        foreach (object record in records)
        {
            chunk.Add(record, at);
        }

        return SendChunk(chunk, tag);
    }

    /// <summary>Sends one event per non-blank line, each a JSON object, in one flush: a log read by the tail input with the json parser.</summary>
    /// <returns>The events applied.</returns>
    /// <exception cref="ArgumentException">A line is not a JSON object.</exception>
    public int SendJsonLines(string jsonLines, string? tag = null, DateTimeOffset? time = null) =>
        SendChunk(new ChunkBuilder().AddJsonLines(jsonLines, time ?? Clock()), tag);

    /// <summary>Sends the chunk <paramref name="chunk"/> built, in one flush.</summary>
    /// <returns>The events applied.</returns>
    public int SendChunk(ChunkBuilder chunk, string? tag = null)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        return SendChunk(chunk.ToArray(), tag);
    }

    /// <summary>
    /// Sends spans to a span plugin (a record with <c>[SpanField]</c>s) in one trace chunk, as Fluent Bit 4.2+ flushes
    /// what its <c>opentelemetry</c> input received; returns the flush's result.
    /// </summary>
    public int SendSpans(params TestSpan[] spans) => SendChunk(new TraceChunkBuilder().Add(spans).ToArray());

    /// <summary>
    /// Sends a chunk as Fluent Bit passes one to FLBPluginFlushCtx: MessagePack events one after another, in any of
    /// the forms Fluent Bit has used (such as a chunk a real Fluent Bit flushed, saved to a file). As in Fluent Bit,
    /// a damaged chunk is refused whole (nothing of it applied, a line logged, <c>fluentbit_plugin_chunks_flushed_total{result="error"}</c>
    /// counted), and an event whose body is not a map, or on which the plugin's code (its hook, a property) throws,
    /// is skipped alone and counted in <c>fluentbit_plugin_records_skipped_total{reason="not_a_map"|"failed"}</c>.
    /// </summary>
    /// <returns>The events applied: those of the chunk that were not skipped whole; 0 for a damaged chunk.</returns>
    public int SendChunk(ReadOnlyMemory<byte> chunk, string? tag = null)
    {
        _driver.Flush(chunk, Encoding.UTF8.GetBytes(tag ?? DefaultTag), EventTimestamp.FromDateTimeOffset(Clock()), out FlushTally tally);
        return tally.Records - tally.NotAMap - tally.Failed;
    }

    /// <summary>
    /// The exposition text <c>/metrics</c> would serve now, in the Prometheus text format: the plugin's families,
    /// then the self-metrics (<c>fluentbit_plugin_*</c>, unless <c>self_metrics</c> is off), written by the same code
    /// the endpoint runs.
    /// </summary>
    public string Exposition()
    {
        MetricsExposition exposition = _exposition ??= new MetricsExposition(Registry, _driver.SelfMetrics);
        MemoryStream body = exposition.SerializeAsync(ExpositionFormat.PrometheusText, CancellationToken.None).GetAwaiter().GetResult();
        try
        {
            return Encoding.UTF8.GetString(body.GetBuffer(), 0, (int)body.Length);
        }
        finally
        {
            exposition.Buffers.Return(body);
        }
    }

    /// <summary>Every sample of the plugin's own families (<see cref="SelfSamples"/> has the self-metrics), or those named <paramref name="name"/>.</summary>
    public IReadOnlyList<MetricSample> Samples(string? name = null)
    {
        using var stream = new MemoryStream();
        Registry.CollectAndExportAsTextAsync(stream).GetAwaiter().GetResult();
        IReadOnlyList<MetricSample> samples = MetricSample.Parse(Encoding.UTF8.GetString(stream.ToArray()));
        return name is null ? samples : samples.Where(s => s.Name == name).ToList();
    }

    /// <summary>
    /// Every sample of the instance's self-metrics (the <c>fluentbit_plugin_*</c> families <c>/metrics</c> serves after
    /// the plugin's own), or those named <paramref name="name"/>: chunks flushed by result, records decoded and
    /// skipped whole, values skipped per metric and reason, series capped.
    /// </summary>
    public IReadOnlyList<MetricSample> SelfSamples(string? name = null)
    {
        using var stream = new MemoryStream();
        _driver.SelfMetrics.Registry.CollectAndExportAsTextAsync(stream).GetAwaiter().GetResult();
        IReadOnlyList<MetricSample> samples = MetricSample.Parse(Encoding.UTF8.GetString(stream.ToArray()));
        return name is null ? samples : samples.Where(s => s.Name == name).ToList();
    }

    /// <summary>
    /// The value of the series named <paramref name="name"/> with exactly <paramref name="labels"/> (in any order), or
    /// null when there is no such series. Histograms and summaries have <c>name_count</c>, <c>name_sum</c> and
    /// <c>name_bucket</c> (with its <c>le</c> label) series.
    /// </summary>
    public double? Value(string name, params (string Label, string Value)[] labels) =>
        Samples(name).FirstOrDefault(s => s.Is(name, labels))?.Value;

    /// <summary>
    /// The exemplar an OpenMetrics scrape shows on the series named <paramref name="name"/> with exactly
    /// <paramref name="labels"/> (a counter's <c>name_total</c>, a histogram's <c>name_bucket</c> with its <c>le</c>),
    /// or null when it has none. A series takes a new exemplar at most every 5 seconds, so in a test it is the first
    /// record's with an exemplar value.
    /// </summary>
    public MetricExemplar? Exemplar(string name, params (string Label, string Value)[] labels)
    {
        using var stream = new MemoryStream();
        Registry.CollectAndExportAsTextAsync(stream, ExpositionFormat.OpenMetricsText).GetAwaiter().GetResult();
        foreach (string line in Encoding.UTF8.GetString(stream.ToArray()).Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#' || !MetricSample.Parse(line)[0].Is(name, labels))
            {
                continue;
            }

            return ExpositionParser.ParseExemplar(line) is { } exemplar
                ? new MetricExemplar(exemplar.Labels, exemplar.Value, exemplar.Timestamp)
                : null;
        }

        return null;
    }

    /// <summary>What the instance counted against metric <paramref name="metricName"/>: skipped updates by reason, capped series.</summary>
    /// <exception cref="ArgumentException">The plugin has no such metric.</exception>
    public MetricSkips Skips(string metricName)
    {
        MetricHealth health = _driver.Healths.FirstOrDefault(h => h.MetricName == metricName)
            ?? throw new ArgumentException(
                $"{PluginName} has no metric '{metricName}'; its metrics are: {string.Join(", ", _driver.Healths.Select(h => h.MetricName))}", nameof(metricName));
        return new MetricSkips
        {
            Metric = metricName,
            MissingValue = health.Skipped(SkipReason.MissingValue),
            InvalidValue = health.Skipped(SkipReason.InvalidValue),
            MissingLabel = health.Skipped(SkipReason.MissingLabel),
            InvalidLabel = health.Skipped(SkipReason.InvalidLabel),
            Filtered = health.Skipped(SkipReason.Filtered),
            InvalidExemplar = health.Skipped(SkipReason.InvalidExemplar),
            DroppedSeries = health.DroppedSeries,
            FoldedSeries = health.FoldedSeries,
            ReplacedLabelValues = health.ReplacedLabelValues,
            SeriesCount = health.SeriesCount,
        };
    }

    private sealed class PropertySource : IPropertySource
    {
        private readonly Dictionary<string, string> _properties;

        public PropertySource(IReadOnlyDictionary<string, string>? properties) =>
            _properties = properties is null ? new(StringComparer.OrdinalIgnoreCase) : new(properties, StringComparer.OrdinalIgnoreCase);

        // Fluent Bit hands a plugin no value for a key set empty.
        public string? Get(string key) => _properties.TryGetValue(key, out string? value) && value.Length > 0 ? value : null;
    }
}

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Text;
using System.Threading;
using FluentBit.Plugins.CodeGen;
using FluentBit.Plugins.Configuration;
using FluentBit.Plugins.Decoding;
using FluentBit.Plugins.Endpoint;
using FluentBit.Plugins.Exposition;
using FluentBit.Plugins.Logging;
using FluentBit.Plugins.Native;
using FluentBit.Plugins.Otlp;
using FluentBit.Plugins.Push;
using FluentBit.Plugins.RemoteWrite;
using FluentBit.Plugins.SelfMetrics;
using MessagePack;
using Prometheus;

namespace FluentBit.Plugins.Hosting;

/// <summary>
/// One [OUTPUT] instance: its configuration, registry, collectors, self-metrics and (inside Fluent Bit) endpoint,
/// and the one flush path. <see cref="PluginRuntime{TPlugin, TRecord, TInstruments}"/> creates it in FLBPluginInit
/// and flushes through it; the test kit creates it from a dictionary of keys, without an endpoint, and flushes
/// through the same <see cref="FlushChunk"/>, so a plugin's tests run the code its <c>.so</c> runs.
/// </summary>
internal sealed class PluginInstance<TPlugin, TRecord, TInstruments> : IDisposable
    where TPlugin : IPluginSchema<TRecord, TInstruments>
    where TRecord : class, new()
    where TInstruments : class
{
    /// <summary>How long Exit waits for flushes in flight (Fluent Bit never exits an instance during one).</summary>
    public static readonly TimeSpan FlushWaitLimit = TimeSpan.FromSeconds(2);

    // One record per thread, reused by every event it applies.
    [ThreadStatic]
    private static TRecord? t_record;

    [ThreadStatic]
    private static SpanApplier? t_spanApplier;

    private int _flushesInFlight;
    private volatile bool _closing;

    /// <summary>When Init created the instance: the start time of the cumulative series a first OTLP push finds.</summary>
    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;

    private PluginInstance(PluginConfig config, MetricOptions options, CollectorRegistry registry, TInstruments instruments, PluginSelfMetrics selfMetrics, PluginLog log)
    {
        Config = config;
        Options = options;
        Registry = registry;
        Instruments = instruments;
        SelfMetrics = selfMetrics;
        Log = log;
    }

    public PluginConfig Config { get; }

    /// <summary>What the configuration changes in the metrics, and each metric's health.</summary>
    public MetricOptions Options { get; }

    public CollectorRegistry Registry { get; }

    public TInstruments Instruments { get; }

    /// <summary>The <c>fluentbit_plugin_*</c> metrics of this instance.</summary>
    public PluginSelfMetrics SelfMetrics { get; }

    /// <summary>The <c>/metrics</c> endpoint; null until started (never, in the test kit).</summary>
    public MetricsEndpoint? Endpoint { get; private set; }

    /// <summary>The pushes (to <c>remote_write_url</c>, to <c>otlp_url</c>); empty until started, or when the instance does not push.</summary>
    public IReadOnlyList<Pusher> Pushers { get; private set; } = [];

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

    /// <summary>
    /// Reads the instance's keys and creates its collectors and self-metrics, as FLBPluginInit does before it
    /// starts the endpoint.
    /// </summary>
    /// <exception cref="PluginConfigException">A key is unknown or a value invalid; the message names it.</exception>
    public static PluginInstance<TPlugin, TRecord, TInstruments> Create(IPropertySource properties, PluginLog log)
    {
        ConfigKeys.RejectMistakenKeys(properties, TPlugin.PluginName);
        PluginConfig config = PluginConfig.Read(properties, TPlugin.PluginName, TPlugin.DefaultHttpPort);
        var options = new MetricOptions(MetricsConfig.Read(properties, TPlugin.PluginName));
        CollectorRegistry registry = Metrics.NewCustomRegistry();
        var selfMetrics = new PluginSelfMetrics(config.SelfMetrics);
        TInstruments instruments = options.CreateInstruments(registry, TPlugin.PluginName, TPlugin.LabelNames, TPlugin.CreateInstruments);
        selfMetrics.Track(options.Healths);
        return new PluginInstance<TPlugin, TRecord, TInstruments>(config, options, registry, instruments, selfMetrics, log);
    }

    /// <summary>Starts the <c>/metrics</c> endpoint (not yet ready: <see cref="MetricsEndpoint.MarkReady"/>).</summary>
    /// <exception cref="EndpointStartException">The address cannot be bound.</exception>
    public void StartEndpoint() =>
        Endpoint = MetricsEndpoint.Start(
            Config, Registry, SelfMetrics, TPlugin.PluginName, TPlugin.PluginDescription, Log, () => StartupMoments.AfterFirstScrape(Log));

    /// <summary>
    /// Starts pushing to each target set (<c>remote_write_url</c>, <c>otlp_url</c>), each on its own thread and
    /// schedule; the first push of each comes one interval from now.
    /// </summary>
    /// <param name="instanceName">Names the push threads.</param>
    public void StartPushers(string instanceName)
    {
        var targets = new List<IPushTarget>();
        if (Config.RemoteWrite is PushTargetConfig remoteWrite)
        {
            targets.Add(new RemoteWriteTarget(remoteWrite));
        }

        if (Config.Otlp is OtlpConfig otlp)
        {
            targets.Add(new OtlpTarget(otlp, _started));
        }

        var pushers = new List<Pusher>(targets.Count);
        foreach (IPushTarget target in targets)
        {
            var pusher = new Pusher(target, Registry, SelfMetrics, Log, instanceName);
            pusher.Start();
            pushers.Add(pusher);
        }

        Pushers = pushers;
    }

    /// <summary>
    /// One flush: validates the chunk, then applies each event; never throws. FLB_OK once every event was read:
    /// each was applied, or counted as skipped (per metric and reason, or whole: not a map, or user code threw on
    /// it). FLB_ERROR when the chunk is damaged (it is then refused whole, before anything of it is applied).
    /// Never FLB_RETRY once anything was applied: Fluent Bit would send the whole chunk again and it would be
    /// counted twice.
    /// </summary>
    /// <param name="chunk">The chunk, as Fluent Bit passed it (or a test kit's bytes).</param>
    /// <param name="tag">The tag's bytes (no NUL), empty when there is none.</param>
    /// <param name="flushTime">The flush's start, from which <c>[EventDelay]</c> is measured.</param>
    /// <param name="tally">What the flush did with the chunk's events.</param>
    public int FlushChunk(ReadOnlyMemory<byte> chunk, ReadOnlyMemory<byte> tag, EventTimestamp flushTime, out FlushTally tally)
    {
        long start = Stopwatch.GetTimestamp();
        tally = default;
        int result;
        try
        {
            bool spans = TPlugin.Events == PluginEvents.Spans;
            if (!(spans ? IsWellFormedTraces(chunk, tag) : IsWellFormed(chunk, tag)))
            {
                result = FlbConstants.Error;
            }
            else
            {
                if (spans)
                {
                    ApplySpans(chunk, tag, flushTime, ref tally);
                }
                else
                {
                    ApplyEvents(chunk, tag, flushTime, ref tally);
                }

                result = FlbConstants.Ok;
            }
        }
        catch (Exception e)
        {
            // Not expected once the chunk is validated (a bug or out of memory): what was applied stays, and the
            // chunk is dropped rather than retried, which would count the applied events twice.
            Log.WriteLimited(
                FlbLogLevel.Error, FlushFailureLines, (Events: tally.Records, Size: chunk.Length, Tag: tag, Error: e),
                static s => $"flush failed at event {s.Events} of a {s.Size}-byte chunk (tag '{TagText(s.Tag)}'): {s.Error.GetType().Name}: {s.Error.Message}; the events before it were applied, the rest of the chunk is dropped");
            result = FlbConstants.Error;
        }

        SelfMetrics.ChunkFlushed(result, in tally, start);
        return result;
    }

    /// <summary>A chunk that cannot be read at all (<paramref name="problem"/> says why): refused whole and counted, as a damaged one.</summary>
    public int RefuseChunk(ulong size, ReadOnlyMemory<byte> tag, string problem)
    {
        long start = Stopwatch.GetTimestamp();
        LogDamage(new ChunkDamage(0, problem), 0, size, tag);
        SelfMetrics.ChunkFlushed(FlbConstants.Error, records: 0, start);
        return FlbConstants.Error;
    }

    /// <summary>Whether the chunk is a well-formed sequence of events; logs (rate-limited) what is wrong if not.</summary>
    private bool IsWellFormed(ReadOnlyMemory<byte> chunk, ReadOnlyMemory<byte> tag)
    {
        if (ChunkStructure.TryValidate(chunk.Span, out int events, out ChunkDamage damage))
        {
            return true;
        }

        LogDamage(damage, events, (ulong)chunk.Length, tag);
        return false;
    }

    /// <summary>Whether the chunk is a well-formed sequence of trace documents; logs (rate-limited) what is wrong if not.</summary>
    private bool IsWellFormedTraces(ReadOnlyMemory<byte> chunk, ReadOnlyMemory<byte> tag)
    {
        if (TraceChunk.TryValidate(chunk, out int spans, out ChunkDamage damage))
        {
            return true;
        }

        LogDamage(damage, spans, (ulong)chunk.Length, tag);
        return false;
    }

    /// <summary>Applies every span of a validated trace chunk; a span whose user code throws is skipped and counted.</summary>
    private void ApplySpans(ReadOnlyMemory<byte> chunk, ReadOnlyMemory<byte> tag, EventTimestamp flushTime, ref FlushTally tally)
    {
        // One applier per flush thread, reused: a flush allocates nothing.
        SpanApplier applier = t_spanApplier ??= new SpanApplier();
        applier.Begin(this, t_record ??= new TRecord(), tag, flushTime, chunk.Length);
        try
        {
            TraceChunk.Walk(chunk, applier);
        }
        finally
        {
            tally = applier.Tally;
            applier.End();
        }
    }

    private void LogDamage(ChunkDamage damage, int events, ulong size, ReadOnlyMemory<byte> tag) =>
        Log.WriteLimited(
            FlbLogLevel.Error, DamagedChunkLines, (Damage: damage, Events: events, Size: size, Tag: tag),
            static s => $"dropped a damaged {s.Size}-byte chunk (tag '{TagText(s.Tag)}'): {s.Damage.Problem}, at byte {s.Damage.Offset} after {s.Events} complete event(s); nothing of the chunk was applied");

    /// <summary>Applies every event of a validated chunk; an event whose user code throws is skipped and counted.</summary>
    private void ApplyEvents(ReadOnlyMemory<byte> chunk, ReadOnlyMemory<byte> tag, EventTimestamp flushTime, ref FlushTally tally)
    {
        var reader = new ChunkReader(chunk);
        TRecord record = t_record ??= new TRecord();
        while (!reader.End)
        {
            EventTimestamp timestamp = EventReader.ReadEventHeader(ref reader, out ReadOnlyMemory<byte> metadata);
            tally.Records++;
            if (reader.NextMessagePackType != MessagePackType.Map)
            {
                tally.NotAMap++;
                Log.WriteLimited(
                    FlbLogLevel.Warn, NotAMapLines, (Event: tally.Records - 1, Type: reader.NextMessagePackType, Tag: tag),
                    static s => $"skipped event {s.Event} of a chunk (tag '{TagText(s.Tag)}'): its body is {s.Type}, not a map");
                reader.Skip();
                continue;
            }

            // Where the body starts, to step over it if the plugin's code throws halfway through it.
            ChunkReader body = reader;
            try
            {
                TPlugin.ApplyRecord(ref reader, record, Instruments, new EventContext(timestamp, tag.Span, metadata, flushTime));
            }
            catch (Exception e)
            {
                tally.Failed++;
                Log.WriteLimited(
                    FlbLogLevel.Error, FailedRecordLines, (Event: tally.Records - 1, Size: chunk.Length, Tag: tag, Error: e),
                    static s => $"skipped event {s.Event} of a {s.Size}-byte chunk (tag '{TagText(s.Tag)}'): the plugin's code threw {s.Error.GetType().Name}: {s.Error.Message}; the chunk's other events are applied");
                reader = body;
                reader.Skip();
            }
        }
    }

    private static string TagText(ReadOnlyMemory<byte> tag) => Encoding.UTF8.GetString(tag.Span);

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
    /// then, at the same time, pushes once more to each target (up to <see cref="Pusher.FinalPushLimit"/>) and stops the
    /// endpoint (which waits for the scrapes in flight, up to its own limit).
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
        foreach (Pusher pusher in Pushers)
        {
            pusher.BeginStop();
        }

        Endpoint?.Dispose();

        // Each waits for its own last push; they run at once, so the longest bounds the whole.
        foreach (Pusher pusher in Pushers)
        {
            pusher.Dispose();
        }
    }

    /// <summary>Applies each span a walk visits, as <see cref="ApplyEvents"/> applies each log event.</summary>
    private sealed class SpanApplier : SpanVisitor
    {
        private PluginInstance<TPlugin, TRecord, TInstruments>? _instance;
        private TRecord? _record;
        private ReadOnlyMemory<byte> _tag;
        private EventTimestamp _flushTime;
        private int _chunkLength;

        public FlushTally Tally;

        public void Begin(PluginInstance<TPlugin, TRecord, TInstruments> instance, TRecord record, ReadOnlyMemory<byte> tag, EventTimestamp flushTime, int chunkLength)
        {
            (_instance, _record, _tag, _flushTime, _chunkLength, Tally) = (instance, record, tag, flushTime, chunkLength, default);
        }

        /// <summary>Lets go of the instance and the chunk, which the thread's applier must not keep alive.</summary>
        public void End() => (_instance, _record, _tag) = (null, null, default);

        public override void Visit(ref ChunkReader span, in SpanFacts facts)
        {
            Tally.Records++;
            var start = new EventTimestamp((long)(facts.StartNanos / 1_000_000_000), (uint)(facts.StartNanos % 1_000_000_000));
            try
            {
                TPlugin.ApplyRecord(
                    ref span, _record!, _instance!.Instruments,
                    new EventContext(start, _tag.Span, facts.ResourceAttributes, _flushTime, facts.Kind, facts.StatusCode, facts.ScopeName, facts.DurationSeconds));
            }
            catch (Exception e)
            {
                Tally.Failed++;
                _instance!.Log.WriteLimited(
                    FlbLogLevel.Error, _instance.FailedRecordLines, (Event: Tally.Records - 1, Size: _chunkLength, Tag: _tag, Error: e),
                    static s => $"skipped span {s.Event} of a {s.Size}-byte chunk (tag '{TagText(s.Tag)}'): the plugin's code threw {s.Error.GetType().Name}: {s.Error.Message}; the chunk's other spans are applied");
            }
        }
    }
}

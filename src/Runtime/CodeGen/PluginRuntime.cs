using System;
using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using System.Threading;
using FluentBit.Plugins.Configuration;
using FluentBit.Plugins.Decoding;
using FluentBit.Plugins.Exposition;
using FluentBit.Plugins.Hosting;
using FluentBit.Plugins.Native;
using FluentBit.Plugins.SelfMetrics;
using MessagePack;
using Prometheus;

namespace FluentBit.Plugins.CodeGen;

/// <summary>
/// The behaviour behind each native entry point, for one plugin. Every method is a guard: no exception
/// ever crosses into Fluent Bit; a failure is logged and turned into the return code Fluent Bit expects.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static unsafe class PluginRuntime<TPlugin, TRecord, TInstruments>
    where TPlugin : IPluginSchema<TRecord, TInstruments>
    where TRecord : class, new()
    where TInstruments : class
{
    // remote_context holds a small integer id rather than a pointer: a stale or foreign context
    // then fails a lookup instead of dereferencing freed memory.
    private static readonly ConcurrentDictionary<nint, PluginInstance<TInstruments>> Instances = new();
    private static long s_lastId;

    // Numbers instances in log lines (cpu_exporter.0, .1, ...). Fluent Bit keeps the .so loaded across a
    // hot reload, so the count restarts once every instance has exited, as Fluent Bit's own names do.
    private static int s_instanceCount;

    // One line per interval about flushes for a context that is not (or no longer) an instance.
    private static readonly LogRateLimiter UnknownContextLines = new();

    [ThreadStatic]
    private static TRecord? t_record;

    /// <summary>The instance of a context, for tests; null if there is none (any more).</summary>
    internal static PluginInstance<TInstruments>? FindInstance(nint remoteContext) =>
        Instances.TryGetValue(remoteContext, out PluginInstance<TInstruments>? instance) ? instance : null;

    /// <summary>FLBPluginRegister: fills Fluent Bit's zeroed definition.</summary>
    public static int Register(nint definition)
    {
        FlbPluginProxyDef* def = (FlbPluginProxyDef*)definition;
        try
        {
            if (def == null)
            {
                return -1;
            }

            def->Type = FlbConstants.PluginTypeOutput;
            def->Proxy = FlbConstants.ProxyGolang;
            def->Flags = 0;
            def->Name = (byte*)Marshal.StringToCoTaskMemUTF8(TPlugin.PluginName);
            def->Description = (byte*)Marshal.StringToCoTaskMemUTF8(TPlugin.PluginDescription);
            def->EventType = FlbConstants.EventTypeLogs;
            def->ConfigMap = null;
            return 0;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"[error] [{TPlugin.PluginName}] register failed: {e}");
            return -1;
        }
    }

    /// <summary>FLBPluginUnregister: frees what Register allocated.</summary>
    public static void Unregister(nint definition)
    {
        FlbPluginProxyDef* def = (FlbPluginProxyDef*)definition;
        if (def == null)
        {
            return;
        }

        Marshal.FreeCoTaskMem((nint)def->Name);
        Marshal.FreeCoTaskMem((nint)def->Description);
        def->Name = null;
        def->Description = null;
    }

    /// <summary>FLBPluginInit: reads the config, starts the endpoint and stores the instance's context.</summary>
    public static int Init(nint outputPlugin)
    {
        FlbOutputPlugin* plugin = (FlbOutputPlugin*)outputPlugin;
        if (plugin == null)
        {
            return FlbConstants.InitFailed;
        }

        string instanceName = $"{TPlugin.PluginName}.{Interlocked.Increment(ref s_instanceCount) - 1}";
        var log = new PluginLog(plugin->Api, plugin->OutputInstance, instanceName);
        try
        {
            if (plugin->Context == null)
            {
                log.Error("init failed: Fluent Bit passed no context to store the instance in");
                return FlbConstants.InitFailed;
            }

            var properties = new FlbPropertySource(plugin->Api, plugin->OutputInstance);
            PluginConfig config = PluginConfig.Read(properties, TPlugin.PluginName, TPlugin.DefaultHttpPort);
            var options = new MetricOptions(MetricsConfig.Read(properties, TPlugin.PluginName));
            CollectorRegistry registry = Prometheus.Metrics.NewCustomRegistry();
            var selfMetrics = new PluginSelfMetrics(config.SelfMetrics);
            TInstruments instruments = options.CreateInstruments(registry, TPlugin.PluginName, TPlugin.LabelNames, TPlugin.CreateInstruments);
            selfMetrics.Track(options.Healths);
            MetricsEndpoint endpoint = MetricsEndpoint.Start(config, registry, selfMetrics, TPlugin.PluginName, TPlugin.PluginDescription, log);
            var instance = new PluginInstance<TInstruments>(config, registry, instruments, selfMetrics, endpoint, log);
            instance.FlushThreads = new FlushThreads((data, size, tag) => FlushChunk(instance, data, size, tag), instanceName);
            nint id = (nint)Interlocked.Increment(ref s_lastId);
            Instances[id] = instance;
            plugin->Context->RemoteContext = (void*)id;
            endpoint.MarkReady();
            log.Info($"serving metrics at {config.MetricsUrl}{(config.Credentials is null ? "" : $" ({config.Credentials})")}");
            return FlbConstants.InitOk;
        }
        catch (Exception e) when (e is PluginConfigException or EndpointStartException)
        {
            // Their messages are written for the user: they name the key or the port.
            log.Error($"init failed: {e.Message}");
        }
        catch (Exception e)
        {
            log.Error($"init failed: {e.GetType().Name}: {e.Message}");
        }

        return FlbConstants.InitFailed;
    }

    /// <summary>
    /// FLBPluginFlushCtx of a plugin without user code in its flush: validates the chunk, then decodes it in place
    /// and applies every event to the instance's collectors, on Fluent Bit's coroutine stack. The generated code
    /// and the runtime need little stack there, whatever the chunk holds: no recursion, 256-byte buffers.
    /// </summary>
    /// <returns>
    /// FLB_OK once every event was read: each was applied, or counted as skipped (per metric and reason, or whole:
    /// not a map, or user code threw on it). FLB_ERROR when the chunk is damaged (it is then refused whole, before
    /// anything of it is applied) or the context is unknown. Never FLB_RETRY once anything was applied: Fluent
    /// Bit would send the whole chunk again and it would be counted twice.
    /// </returns>
    public static int Flush(nint remoteContext, nint chunk, nuint size, nint tagPointer)
    {
        if (!TryBeginFlush(remoteContext, out PluginInstance<TInstruments>? instance))
        {
            return FlbConstants.Error;
        }

        try
        {
            return FlushChunk(instance, chunk, size, tagPointer);
        }
        finally
        {
            instance.EndFlush();
        }
    }

    /// <summary>
    /// FLBPluginFlushCtx of a plugin with an <c>OnRecord</c> hook: as <see cref="Flush"/>, but the chunk is applied on
    /// one of the instance's own threads, whose 8 MiB stack has a guard page, while Fluent Bit's thread waits.
    /// FLB_RETRY only when no such thread could be had, before anything of the chunk was applied.
    /// </summary>
    public static int FlushOnOwnStack(nint remoteContext, nint chunk, nuint size, nint tagPointer)
    {
        if (!TryBeginFlush(remoteContext, out PluginInstance<TInstruments>? instance))
        {
            return FlbConstants.Error;
        }

        try
        {
            if (instance.FlushThreads!.TryRun(chunk, size, tagPointer, out int result))
            {
                return result;
            }

            instance.Log.WriteLimited(
                FlbLogLevel.Error, instance.FlushFailureLines, instance.FlushThreads.Count,
                static threads => $"no thread could be started to run a flush with the plugin's hook ({threads} running); the chunk will be retried, nothing of it was applied");
            instance.SelfMetrics.ChunkFlushed(FlbConstants.Retry, 0, Stopwatch.GetTimestamp());
            return FlbConstants.Retry;
        }
        finally
        {
            instance.EndFlush();
        }
    }

    private static bool TryBeginFlush(nint remoteContext, [NotNullWhen(true)] out PluginInstance<TInstruments>? instance)
    {
        if (Instances.TryGetValue(remoteContext, out instance) && instance.TryBeginFlush())
        {
            return true;
        }

        if (UnknownContextLines.TryAcquire(out long suppressed))
        {
            Console.Error.WriteLine(UnknownContextLines.Annotate($"[error] [{TPlugin.PluginName}] flush for an unknown or exited instance context {remoteContext}; the chunk is dropped", suppressed));
        }

        instance = null;
        return false;
    }

    /// <summary>Validates the chunk, then applies each event; never throws.</summary>
    private static int FlushChunk(PluginInstance<TInstruments> instance, nint chunk, nuint size, nint tagPointer)
    {
        long start = Stopwatch.GetTimestamp();
        byte* data = (byte*)chunk;
        byte* tag = (byte*)tagPointer;
        var tally = default(FlushTally);
        int result;
        try
        {
            if (!IsWellFormed(instance, data, size, tag))
            {
                result = FlbConstants.Error;
            }
            else
            {
                ApplyEvents(instance, data, size, tag, ref tally);
                result = FlbConstants.Ok;
            }
        }
        catch (Exception e)
        {
            // Not expected once the chunk is validated (a bug or out of memory): what was applied stays, and the
            // chunk is dropped rather than retried, which would count the applied events twice.
            instance.Log.WriteLimited(
                FlbLogLevel.Error, instance.FlushFailureLines, (Events: tally.Records, Size: size, Tag: (nint)tag, Error: e),
                static s => $"flush failed at event {s.Events} of a {s.Size}-byte chunk (tag '{TagText((byte*)s.Tag)}'): {s.Error.GetType().Name}: {s.Error.Message}; the events before it were applied, the rest of the chunk is dropped");
            result = FlbConstants.Error;
        }

        instance.SelfMetrics.ChunkFlushed(result, in tally, start);
        return result;
    }

    /// <summary>Whether the chunk is a well-formed sequence of events; logs (rate-limited) what is wrong if not.</summary>
    private static bool IsWellFormed(PluginInstance<TInstruments> instance, byte* data, nuint size, byte* tag)
    {
        int events = 0;
        ChunkDamage damage;
        if (size > int.MaxValue)
        {
            damage = new ChunkDamage(0, "a chunk larger than 2 GiB cannot be decoded");
        }
        else if (data == null && size > 0)
        {
            damage = new ChunkDamage(0, "Fluent Bit passed no data");
        }
        else if (ChunkStructure.TryValidate(new ReadOnlySpan<byte>(data, (int)size), out events, out damage))
        {
            return true;
        }

        instance.Log.WriteLimited(
            FlbLogLevel.Error, instance.DamagedChunkLines, (Damage: damage, Events: events, Size: size, Tag: (nint)tag),
            static s => $"dropped a damaged {s.Size}-byte chunk (tag '{TagText((byte*)s.Tag)}'): {s.Damage.Problem}, at byte {s.Damage.Offset} after {s.Events} complete event(s); nothing of the chunk was applied");
        return false;
    }

    /// <summary>Applies every event of a validated chunk; an event whose user code throws is skipped and counted.</summary>
    private static void ApplyEvents(PluginInstance<TInstruments> instance, byte* data, nuint size, byte* tag, ref FlushTally tally)
    {
        ReadOnlySpan<byte> tagBytes = tag == null ? default : MemoryMarshal.CreateReadOnlySpanFromNullTerminated(tag);
        var reader = new MessagePackReader(UnmanagedChunk.Wrap(data, size));
        TRecord record = t_record ??= new TRecord();
        EventTimestamp flushTime = EventTimestamp.Now();
        while (!reader.End)
        {
            EventTimestamp timestamp = EventReader.ReadEventHeader(ref reader, out ReadOnlyMemory<byte> metadata);
            tally.Records++;
            if (reader.NextMessagePackType != MessagePackType.Map)
            {
                tally.NotAMap++;
                instance.Log.WriteLimited(
                    FlbLogLevel.Warn, instance.NotAMapLines, (Event: tally.Records - 1, Type: reader.NextMessagePackType, Tag: (nint)tag),
                    static s => $"skipped event {s.Event} of a chunk (tag '{TagText((byte*)s.Tag)}'): its body is {s.Type}, not a map");
                reader.Skip();
                continue;
            }

            // Where the body starts, to step over it if the plugin's code throws halfway through it.
            MessagePackReader body = reader;
            try
            {
                TPlugin.ApplyRecord(ref reader, record, instance.Instruments, new EventContext(timestamp, tagBytes, metadata, flushTime));
            }
            catch (Exception e)
            {
                tally.Failed++;
                instance.Log.WriteLimited(
                    FlbLogLevel.Error, instance.FailedRecordLines, (Event: tally.Records - 1, Size: size, Tag: (nint)tag, Error: e),
                    static s => $"skipped event {s.Event} of a {s.Size}-byte chunk (tag '{TagText((byte*)s.Tag)}'): the plugin's code threw {s.Error.GetType().Name}: {s.Error.Message}; the chunk's other events are applied");
                reader = body;
                reader.Skip();
            }
        }
    }

    private static string TagText(byte* tag) => tag == null ? "" : Marshal.PtrToStringUTF8((nint)tag) ?? "";

    /// <summary>
    /// FLBPluginExitCtx: refuses the instance's flushes from now on, waits for those in flight, stops its flush
    /// threads, then its endpoint (in-flight scrapes get a grace, then are aborted): when it returns, no code of
    /// the instance runs any more (unless a flush or a scrape outlived its bound, which is logged).
    /// </summary>
    public static int ExitInstance(nint remoteContext)
    {
        if (!Instances.TryRemove(remoteContext, out PluginInstance<TInstruments>? instance))
        {
            return -1;
        }

        if (Instances.IsEmpty)
        {
            Interlocked.Exchange(ref s_instanceCount, 0);
        }

        try
        {
            instance.Dispose();
            instance.Log.Debug("stopped");
            return 0;
        }
        catch (Exception e)
        {
            instance.Log.Error($"exit failed: {e.GetType().Name}: {e.Message}");
            return -1;
        }
    }

    /// <summary>FLBPluginExit: stops every instance still running.</summary>
    public static int ExitAll()
    {
        int result = 0;
        foreach (nint id in Instances.Keys)
        {
            result = Math.Min(result, ExitInstance(id));
        }

        return result;
    }
}

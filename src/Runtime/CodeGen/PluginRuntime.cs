using System;
using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
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

    [ThreadStatic]
    private static TRecord? t_record;

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
            TInstruments instruments = options.CreateInstruments(registry, TPlugin.PluginName, TPlugin.CreateInstruments);
            selfMetrics.Track(options.Healths);
            MetricsEndpoint endpoint = MetricsEndpoint.Start(config, registry, selfMetrics, TPlugin.PluginName, TPlugin.PluginDescription, log);
            var instance = new PluginInstance<TInstruments>(config, registry, instruments, selfMetrics, endpoint, log);
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

    /// <summary>FLBPluginFlushCtx: decodes the chunk in place and applies every event to the instance's collectors.</summary>
    public static int Flush(nint remoteContext, nint chunk, nuint size, nint tagPointer)
    {
        byte* data = (byte*)chunk;
        byte* tag = (byte*)tagPointer;
        if (!Instances.TryGetValue(remoteContext, out PluginInstance<TInstruments>? instance))
        {
            Console.Error.WriteLine($"[error] [{TPlugin.PluginName}] flush for an unknown instance context {remoteContext}");
            return FlbConstants.Error;
        }

        long start = Stopwatch.GetTimestamp();
        int events = 0;
        int result = FlbConstants.Error;
        try
        {
            ReadOnlySpan<byte> tagBytes = tag == null ? default : MemoryMarshal.CreateReadOnlySpanFromNullTerminated(tag);
            var reader = new MessagePackReader(UnmanagedChunk.Wrap(data, size));
            TRecord record = t_record ??= new TRecord();
            EventTimestamp flushTime = EventTimestamp.Now();
            while (!reader.End)
            {
                EventTimestamp timestamp = EventReader.ReadEventHeader(ref reader, out ReadOnlyMemory<byte> metadata);
                TPlugin.ApplyRecord(ref reader, record, instance.Instruments, new EventContext(timestamp, tagBytes, metadata, flushTime));
                events++;
            }

            result = FlbConstants.Ok;
        }
        catch (Exception e)
        {
            // The chunk is dropped, not retried: the events before the failing one are already counted.
            string tagText = tag == null ? "" : Marshal.PtrToStringUTF8((nint)tag) ?? "";
            instance.Log.Error($"flush failed at event {events} of a {size}-byte chunk (tag '{tagText}'): {e.GetType().Name}: {e.Message}");
        }

        instance.SelfMetrics.ChunkFlushed(result, events, start);
        return result;
    }

    /// <summary>FLBPluginExitCtx: stops one instance's endpoint.</summary>
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

using System;
using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using System.Threading;
using FluentBit.Plugins.CodeGen;
using FluentBit.Plugins.Configuration;
using FluentBit.Plugins.Endpoint;
using FluentBit.Plugins.Exposition;
using FluentBit.Plugins.Logging;
using FluentBit.Plugins.Native;
using FluentBit.Plugins.Push;

namespace FluentBit.Plugins.Hosting;

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
    private static readonly ConcurrentDictionary<nint, PluginInstance<TPlugin, TRecord, TInstruments>> Instances = new();
    private static long s_lastId;

    // Numbers instances in log lines (cpu_exporter.0, .1, ...). Fluent Bit keeps the .so loaded across a
    // hot reload, so the count restarts once every instance has exited, as Fluent Bit's own names do.
    private static int s_instanceCount;

    // The plugin's config map: made once, never freed (Fluent Bit keeps pointers into it across hot reloads).
    private static readonly object ConfigMapLock = new();
    private static nint s_configMap;
    private static bool s_registeredConfigMap;
    private static int s_releaseLogged;

    // One line per interval about flushes for a context that is not (or no longer) an instance.
    private static readonly LogRateLimiter UnknownContextLines = new();

    /// <summary>The instance of a context, for tests; null if there is none (any more).</summary>
    internal static PluginInstance<TPlugin, TRecord, TInstruments>? FindInstance(nint remoteContext) =>
        Instances.TryGetValue(remoteContext, out PluginInstance<TPlugin, TRecord, TInstruments>? instance) ? instance : null;

    /// <summary>
    /// FLBPluginRegister: fills Fluent Bit's zeroed definition, only the fields every version has (its first 32 bytes:
    /// type, proxy, flags, name, description). <c>event_type</c> stays zero, which every version that has the field
    /// (4.2 and later) reads as logs; a span plugin sets it to traces there, and refuses to register in an older or
    /// unknown Fluent Bit, writing nothing.
    /// </summary>
    public static int Register(nint definition) => Register(definition, withConfigMap: false);

    /// <summary>
    /// FLBPluginRegister of a plugin built with <c>FluentBitConfigMap</c>: as <see cref="Register(nint)"/>, and, where the
    /// definition has a <c>config_map</c> that Fluent Bit reads (5.1.1 and later, <see cref="FluentBitRelease"/>),
    /// registers the plugin's keys (<see cref="ConfigMapTable"/>), so that Fluent Bit refuses an unknown or repeated key
    /// itself and <c>-h</c> lists the keys. In an older or unknown Fluent Bit the field is not there: nothing is written.
    /// </summary>
    public static int RegisterWithConfigMap(nint definition) => Register(definition, withConfigMap: true);

    private static int Register(nint definition, bool withConfigMap)
    {
        FlbPluginProxyDef* def = (FlbPluginProxyDef*)definition;
        try
        {
            if (def == null)
            {
                return -1;
            }

            if (TPlugin.Events == PluginEvents.Spans && !FluentBitRelease.Current.HasEventType)
            {
                // Without event_type in the definition Fluent Bit would route log chunks here; writing the field in a
                // definition that lacks it would write past Fluent Bit's allocation. Nothing is written at all.
                Console.Error.WriteLine(SpanRefusalLine(FluentBitRelease.Current));
                return -1;
            }

            def->Type = FlbConstants.PluginTypeOutput;
            def->Proxy = FlbConstants.ProxyGolang;
            def->Flags = 0;
            def->Name = (byte*)Marshal.StringToCoTaskMemUTF8(TPlugin.PluginName);
            def->Description = (byte*)Marshal.StringToCoTaskMemUTF8(TPlugin.PluginDescription);
            if (TPlugin.Events == PluginEvents.Spans)
            {
                def->EventType = FlbConstants.OutputTraces;
            }

            if (withConfigMap && FluentBitRelease.Current.ReadsConfigMap)
            {
                lock (ConfigMapLock)
                {
                    if (s_configMap == 0)
                    {
                        s_configMap = ConfigMapTable.Create(TPlugin.DefaultHttpPort);
                    }
                }

                def->ConfigMap = (FlbConfigMap*)s_configMap;
            }

            s_registeredConfigMap = withConfigMap;
            return 0;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"[error] [{TPlugin.PluginName}] register failed: {e}");
            return -1;
        }
    }

    /// <summary>Why a span plugin refuses to register in <paramref name="release"/>: it names the version that has traces for plugins.</summary>
    internal static string SpanRefusalLine(FluentBitRelease release) =>
        $"[error] [{TPlugin.PluginName}] not registered: {TPlugin.PluginName} reads traces, which Fluent Bit hands to a plugin from {FluentBitRelease.EventTypeSince.ToString(2)} on; "
        + $"this is {release.Name}{(release.Version is null ? $" ({release.Source})" : "")}. Run it in Fluent Bit {FluentBitRelease.EventTypeSince.ToString(2)} or later";

    /// <summary>The line the first Init logs about the Fluent Bit that loaded the plugin and what Register did for it.</summary>
    internal static string ReleaseLine(FluentBitRelease release, bool withConfigMap) => (withConfigMap, release.ReadsConfigMap) switch
    {
        (true, true) => $"{release.Name}: keys registered as its config map; Fluent Bit checks every key name",
        (true, false) => $"{release.Name}{(release.Version is null ? $" ({release.Source})" : "")}: no config map registered (Fluent Bit reads one from {FluentBitRelease.ConfigMapSince} on); a misspelt key name is not refused",
        (false, _) => $"{release.Name}: built without FluentBitConfigMap; a misspelt key name is not refused",
    };

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
        var output = new FlbOutputInstance(plugin->Api, plugin->OutputInstance);
        var log = new PluginLog(output, instanceName);
        try
        {
            if (Interlocked.Exchange(ref s_releaseLogged, 1) == 0)
            {
                LogRelease(log);
            }

            if (plugin->Context == null)
            {
                log.Error("init failed: Fluent Bit passed no context to store the instance in");
                return FlbConstants.InitFailed;
            }

            var instance = PluginInstance<TPlugin, TRecord, TInstruments>.Create(new FlbPropertySource(output), log);
            if (instance.Config.HttpServer)
            {
                instance.StartEndpoint();
            }

            instance.FlushThreads = new FlushThreads((data, size, tag) => FlushChunk(instance, data, size, tag), instanceName);
            instance.StartPushers(instanceName);
            nint id = (nint)Interlocked.Increment(ref s_lastId);
            Instances[id] = instance;
            plugin->Context->RemoteContext = (void*)id;
            if (instance.Endpoint is { } endpoint)
            {
                endpoint.MarkReady();
                log.Info($"serving metrics at {instance.Config.MetricsUrl}{(instance.Config.Credentials is null ? "" : $" ({instance.Config.Credentials})")}");
            }

            foreach (Pusher pusher in instance.Pushers)
            {
                log.Info($"pushing metrics to {pusher.Target}");
            }

            log.Debug("init done");
            StartupMoments.AfterInit(log);
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

    private static void LogRelease(PluginLog log)
    {
        FluentBitRelease release = FluentBitRelease.Current;
        log.Info(ReleaseLine(release, s_registeredConfigMap));
        if (release.IsOlderThanTested)
        {
            log.Warn($"{release.Name} is older than {FluentBitRelease.OldestTested.ToString(2)}, the oldest line this plugin is tested in; upgrade Fluent Bit");
        }
    }

    /// <summary>
    /// FLBPluginFlushCtx of a plugin without user code in its flush: validates the chunk, then decodes it in place
    /// and applies every event to the instance's collectors, on Fluent Bit's coroutine stack. The generated code
    /// and the runtime need little stack there, whatever the chunk holds: no recursion, 256-byte buffers.
    /// </summary>
    /// <returns>What <see cref="PluginInstance{TPlugin, TRecord, TInstruments}.FlushChunk"/> returns; FLB_ERROR for an unknown context.</returns>
    public static int Flush(nint remoteContext, nint chunk, nuint size, nint tagPointer)
    {
        if (!TryBeginFlush(remoteContext, out PluginInstance<TPlugin, TRecord, TInstruments>? instance))
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
        if (!TryBeginFlush(remoteContext, out PluginInstance<TPlugin, TRecord, TInstruments>? instance))
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

    private static bool TryBeginFlush(nint remoteContext, [NotNullWhen(true)] out PluginInstance<TPlugin, TRecord, TInstruments>? instance)
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

    private static int FlushChunk(PluginInstance<TPlugin, TRecord, TInstruments> instance, nint chunk, nuint size, nint tag)
    {
        ReadOnlyMemory<byte> tagBytes = UnmanagedMemory.WrapTag((byte*)tag);
        int result = UnmanagedMemory.TryWrapChunk((byte*)chunk, size, out ReadOnlyMemory<byte> data, out string problem)
            ? instance.FlushChunk(data, tagBytes, EventTimestamp.Now(), out _)
            : instance.RefuseChunk(size, tagBytes, problem);
        StartupMoments.AfterFlush(instance.Log);
        return result;
    }

    /// <summary>
    /// FLBPluginExitCtx: refuses the instance's flushes from now on, waits for those in flight, stops its flush
    /// threads, then its endpoint (in-flight scrapes get a grace, then are aborted): when it returns, no code of
    /// the instance runs any more (unless a flush or a scrape outlived its bound, which is logged).
    /// </summary>
    public static int ExitInstance(nint remoteContext)
    {
        if (!Instances.TryRemove(remoteContext, out PluginInstance<TPlugin, TRecord, TInstruments>? instance))
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

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Threading;
using FluentBit.Plugins.Native;

namespace FluentBit.Plugins.EndToEnd.Tests;

/// <summary>
/// Loads a published plugin .so into the test process and drives it through its C exports the way
/// Fluent Bit's proxy loader does: Register with a zeroed definition, Init with the four-field plugin
/// struct and an api table, FlushCtx with the raw chunk, ExitCtx, Unregister.
/// </summary>
internal sealed unsafe class InProcessPlugin
{
    /// <summary>Fluent Bit's log levels by number, as log_level names them (0 is off).</summary>
    public static readonly string[] LogLevelNames = ["off", "error", "warn", "info", "debug", "trace"];

    // Keys Fluent Bit consumes itself: a proxy plugin never sees them.
    private static readonly string[] Withheld = ["match", "match_regex", "alias", "log_level", "log_suppress_interval", "host", "port", "retry_limit", "workers", "storage.total_limit_size"];

    private static readonly ConcurrentDictionary<nint, InProcessInstance> Instances = new();
    private static readonly FlbApi* Api = CreateApi();
    private static long s_nextInstance;

    private readonly delegate* unmanaged<FlbPluginProxyDef*, int> _register;
    private readonly delegate* unmanaged<FlbOutputPlugin*, int> _init;
    private readonly delegate* unmanaged<void*, byte*, nuint, byte*, int> _flushCtx;
    private readonly delegate* unmanaged<void*, int> _exitCtx;
    private readonly delegate* unmanaged<FlbPluginProxyDef*, void> _unregister;

    private InProcessPlugin(nint library)
    {
        _register = (delegate* unmanaged<FlbPluginProxyDef*, int>)NativeLibrary.GetExport(library, "FLBPluginRegister");
        _init = (delegate* unmanaged<FlbOutputPlugin*, int>)NativeLibrary.GetExport(library, "FLBPluginInit");
        _flushCtx = (delegate* unmanaged<void*, byte*, nuint, byte*, int>)NativeLibrary.GetExport(library, "FLBPluginFlushCtx");
        _exitCtx = (delegate* unmanaged<void*, int>)NativeLibrary.GetExport(library, "FLBPluginExitCtx");
        _unregister = (delegate* unmanaged<FlbPluginProxyDef*, void>)NativeLibrary.GetExport(library, "FLBPluginUnregister");
        Definition = (FlbPluginProxyDef*)NativeMemory.AllocZeroed((nuint)sizeof(FlbPluginProxyDef));
    }

    /// <summary>Every line the plugin wrote through log_print, as "[level] message".</summary>
    public static ConcurrentQueue<string> Log { get; } = new();

    public FlbPluginProxyDef* Definition { get; }

    public static InProcessPlugin Load(string path) => new(NativeLibrary.Load(path));

    public int Register() => _register(Definition);

    public void Unregister() => _unregister(Definition);

    /// <summary>Calls FLBPluginInit for a new instance configured with <paramref name="properties"/>.</summary>
    public InProcessInstance Init(params (string Key, string Value)[] properties)
    {
        nint id = (nint)Interlocked.Increment(ref s_nextInstance);
        var instance = new InProcessInstance(this, id, properties);
        Instances[id] = instance;
        var plugin = (FlbOutputPlugin*)NativeMemory.AllocZeroed((nuint)sizeof(FlbOutputPlugin));
        plugin->Name = Definition->Name;
        plugin->Api = Api;
        plugin->OutputInstance = (void*)id;
        plugin->Context = (FlbPluginContext*)NativeMemory.AllocZeroed((nuint)sizeof(FlbPluginContext));
        instance.InitResult = _init(plugin);
        instance.RemoteContext = (nint)plugin->Context->RemoteContext;
        return instance;
    }

    internal int Flush(nint remoteContext, byte[] chunk, string tag)
    {
        nint tagText = Marshal.StringToCoTaskMemUTF8(tag);
        try
        {
            fixed (byte* data = chunk)
            {
                return _flushCtx((void*)remoteContext, data, (nuint)chunk.Length, (byte*)tagText);
            }
        }
        finally
        {
            Marshal.FreeCoTaskMem(tagText);
        }
    }

    /// <summary>Flushes <paramref name="size"/> bytes at <paramref name="data"/> as they are, with a tag Fluent Bit would have freed after the call.</summary>
    internal int Flush(nint remoteContext, nint data, nuint size, nint tag) => _flushCtx((void*)remoteContext, (byte*)data, size, (byte*)tag);

    internal int Exit(nint remoteContext) => _exitCtx((void*)remoteContext);

    private static FlbApi* CreateApi()
    {
        var api = (FlbApi*)NativeMemory.AllocZeroed((nuint)sizeof(FlbApi));
        api->OutputGetProperty = &GetProperty;
        api->LogPrint = &LogPrint;
        api->OutputLogCheck = &LogCheck;
        return api;
    }

    [UnmanagedCallersOnly]
    private static byte* GetProperty(byte* key, void* outputInstance)
    {
        string name = Marshal.PtrToStringUTF8((nint)key)!;
        InProcessInstance instance = Instances[(nint)outputInstance];
        instance.Asked.Add(name);
        if (Array.Exists(Withheld, w => w.Equals(name, StringComparison.OrdinalIgnoreCase)) || name.StartsWith("tls", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return (byte*)instance.Property(name);
    }

    // log_print is variadic in C; the runtime always passes ("%s", message), which arrive in registers as here.
    [UnmanagedCallersOnly]
    private static void LogPrint(int level, byte* file, int line, byte* format, byte* message) =>
        Log.Enqueue($"[{LogLevelNames[Math.Clamp(level, 0, LogLevelNames.Length - 1)]}] {Marshal.PtrToStringUTF8((nint)message)}");

    [UnmanagedCallersOnly]
    private static int LogCheck(void* outputInstance, int level) =>
        Instances.TryGetValue((nint)outputInstance, out InProcessInstance? instance) && level <= instance.LogLevel ? 1 : 0;
}

/// <summary>One initialised [OUTPUT] instance of an <see cref="InProcessPlugin"/>.</summary>
internal sealed class InProcessInstance
{
    private readonly InProcessPlugin _plugin;
    private readonly Dictionary<string, nint> _values = new(StringComparer.OrdinalIgnoreCase);

    internal InProcessInstance(InProcessPlugin plugin, nint id, (string Key, string Value)[] properties)
    {
        _plugin = plugin;
        Id = id;
        foreach ((string key, string value) in properties)
        {
            if (key.Equals("log_level", StringComparison.OrdinalIgnoreCase))
            {
                LogLevel = Array.IndexOf(InProcessPlugin.LogLevelNames, value);
            }

            _values[key] = value.Length == 0 ? 0 : Marshal.StringToCoTaskMemUTF8(value);
        }
    }

    public nint Id { get; }

    public int InitResult { get; internal set; }

    public nint RemoteContext { get; internal set; }

    public int LogLevel { get; } = 3;

    /// <summary>The keys the plugin asked for, in order.</summary>
    public ConcurrentBag<string> Asked { get; } = new();

    public int Flush(byte[] chunk, string tag = "cpu.0") => _plugin.Flush(RemoteContext, chunk, tag);

    /// <summary>Flushes raw memory, with a tag allocated by the caller.</summary>
    public int Flush(nint data, nuint size, nint tag) => _plugin.Flush(RemoteContext, data, size, tag);

    public int Exit() => _plugin.Exit(RemoteContext);

    internal nint Property(string key) => _values.TryGetValue(key, out nint value) ? value : 0;
}

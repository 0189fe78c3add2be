using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Runtime.InteropServices;
using System.Threading;
using FluentBit.Plugins.CodeGen;
using FluentBit.Plugins.Hosting;
using FluentBit.Plugins.Native;
using FluentBit.Plugins.Testing;

namespace FluentBit.Plugins.Runtime.Tests;

/// <summary>
/// One instance of the generated probe plugin driven through <see cref="PluginRuntime{TPlugin, TRecord, TInstruments}"/>
/// as Fluent Bit drives it: Init with an api table whose <c>output_get_property</c> answers from the given
/// properties and whose <c>log_print</c> keeps the instance's lines, FlushCtx with raw chunk memory, ExitCtx.
/// </summary>
internal sealed unsafe class RuntimeHarness : IDisposable
{
    private static readonly ConcurrentDictionary<nint, Dictionary<string, nint>> PropertiesByInstance = new();
    private static readonly ConcurrentQueue<(string Instance, string Line)> AllLines = new();
    private static readonly FlbApi* Api = CreateApi();
    private static readonly HttpClient Client = new() { Timeout = TimeSpan.FromSeconds(10) };
    private static long s_nextInstance;

    private readonly nint _instance;
    private readonly FlbOutputPlugin* _plugin;
    private readonly nint _tag = Marshal.StringToCoTaskMemUTF8("tag");
    private readonly int _logStart = AllLines.Count;
    private bool _exited;

    /// <summary>Starts an instance on a free loopback port, with <paramref name="properties"/> besides.</summary>
    public RuntimeHarness(params (string Key, string Value)[] properties)
    {
        _instance = (nint)Interlocked.Increment(ref s_nextInstance);
        var values = new Dictionary<string, nint>(StringComparer.OrdinalIgnoreCase);
        Port = LoopbackPorts.Free();
        (string Key, string Value)[] all = [("http_listen", "127.0.0.1"), ("http_port", Port.ToString()), .. properties];
        foreach ((string key, string value) in all)
        {
            values[key] = Marshal.StringToCoTaskMemUTF8(value);
        }

        PropertiesByInstance[_instance] = values;
        _plugin = (FlbOutputPlugin*)NativeMemory.AllocZeroed((nuint)sizeof(FlbOutputPlugin));
        _plugin->Api = Api;
        _plugin->OutputInstance = (void*)_instance;
        _plugin->Context = (FlbPluginContext*)NativeMemory.AllocZeroed((nuint)sizeof(FlbPluginContext));
        InitResult = PluginRuntime<ProbeExporter, ProbeRecord, ProbeExporter.Instruments>.Init((nint)_plugin);
    }

    public int InitResult { get; }

    public int Port { get; }

    public nint Context => (nint)_plugin->Context->RemoteContext;

    /// <summary>
    /// The lines the instance logged, each <c>[level] [probe_exporter.N] message</c>. Fluent Bit's log_print is not
    /// told the instance, and names are reused once every instance has exited: a line is this instance's when it
    /// comes after this instance's Init line (which names its port) and carries the name that line carried.
    /// </summary>
    public string[] Log
    {
        get
        {
            (string Instance, string Line)[] lines = AllLines.Skip(_logStart).ToArray();
            string serving = $"serving metrics at http://127.0.0.1:{Port}/metrics";
            int init = Array.FindIndex(lines, l => l.Line.EndsWith(serving, StringComparison.Ordinal));
            string name = init < 0 ? "" : lines[init].Instance;
            return lines.Skip(Math.Max(init, 0))
                .Where(l => l.Instance == name)
                .TakeWhile((l, i) => i == 0 || !l.Line.Contains("serving metrics at ", StringComparison.Ordinal))
                .Select(l => l.Line)
                .ToArray();
        }
    }

    public int Flush(byte[] chunk) => Flush(chunk, "tag");

    /// <summary>Flushes on this thread (the path of a plugin without a hook), with <paramref name="tag"/> (null: no tag at all).</summary>
    public int Flush(byte[] chunk, string? tag)
    {
        fixed (byte* data = chunk)
        {
            return Flush((nint)data, (nuint)chunk.Length, tag);
        }
    }

    public int Flush(nint data, nuint size, string? tag = "tag")
    {
        // The harness's own tag is allocated once, so that flushes with it allocate nothing.
        nint text = tag == "tag" ? _tag : tag is null ? 0 : Marshal.StringToCoTaskMemUTF8(tag);
        try
        {
            return PluginRuntime<ProbeExporter, ProbeRecord, ProbeExporter.Instruments>.Flush(Context, data, size, text);
        }
        finally
        {
            if (text != _tag)
            {
                Marshal.FreeCoTaskMem(text);
            }
        }
    }

    /// <summary>Flushes through the instance's own threads, as the probe's generated export does (it has a hook).</summary>
    public int FlushOnOwnStack(byte[] chunk)
    {
        fixed (byte* data = chunk)
        {
            return PluginRuntime<ProbeExporter, ProbeRecord, ProbeExporter.Instruments>.FlushOnOwnStack(Context, (nint)data, (nuint)chunk.Length, _tag);
        }
    }

    /// <summary>Every series of the instance's /metrics, self-metrics included.</summary>
    public Dictionary<string, double> Scrape() =>
        PrometheusText.Parse(Client.GetStringAsync($"http://127.0.0.1:{Port}/metrics").GetAwaiter().GetResult());

    /// <summary>ExitCtx, once: the harness can still be read (its log) afterwards.</summary>
    public int Exit()
    {
        if (_exited)
        {
            return 0;
        }

        _exited = true;
        return PluginRuntime<ProbeExporter, ProbeRecord, ProbeExporter.Instruments>.ExitInstance(Context);
    }

    public void Dispose()
    {
        Exit();
        PropertiesByInstance.TryRemove(_instance, out Dictionary<string, nint>? values);
        foreach (nint value in values!.Values)
        {
            Marshal.FreeCoTaskMem(value);
        }

        Marshal.FreeCoTaskMem(_tag);
        NativeMemory.Free(_plugin->Context);
        NativeMemory.Free(_plugin);
    }

    private static FlbApi* CreateApi()
    {
        var api = (FlbApi*)NativeMemory.AllocZeroed((nuint)sizeof(FlbApi));
        api->OutputGetProperty = &GetProperty;
        api->LogPrint = &LogPrint;
        api->OutputLogCheck = &LogCheck;
        return api;
    }

    [UnmanagedCallersOnly]
    private static byte* GetProperty(byte* key, void* outputInstance) =>
        PropertiesByInstance.TryGetValue((nint)outputInstance, out Dictionary<string, nint>? values)
        && values.TryGetValue(Marshal.PtrToStringUTF8((nint)key)!, out nint value)
            ? (byte*)value
            : null;

    [UnmanagedCallersOnly]
    private static void LogPrint(int level, byte* file, int line, byte* format, byte* message) =>
        AllLines.Enqueue((Marshal.PtrToStringUTF8((nint)file)!, $"[{((FlbLogLevel)level).ToString().ToLowerInvariant()}] {Marshal.PtrToStringUTF8((nint)message)}"));

    [UnmanagedCallersOnly]
    private static int LogCheck(void* outputInstance, int level) => 1;
}

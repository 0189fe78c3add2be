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
/// as Fluent Bit drives it: Init with <see cref="FluentBitApiFake"/>'s api table (the given properties, Fluent Bit's
/// own keys withheld, its log levels), FlushCtx with raw chunk memory, ExitCtx.
/// </summary>
internal sealed unsafe class RuntimeHarness : IDisposable
{
    private static readonly HttpClient Client = new() { Timeout = TimeSpan.FromSeconds(10) };

    private readonly nint _instance;
    private readonly FlbOutputPlugin* _plugin;
    private readonly nint _tag = Marshal.StringToCoTaskMemUTF8("tag");
    private readonly int _logStart = FluentBitApiFake.Lines.Count;
    private bool _exited;

    /// <summary>Starts an instance on a free loopback port, with <paramref name="properties"/> besides.</summary>
    public RuntimeHarness(params (string Key, string Value)[] properties)
    {
        Port = LoopbackPorts.Free();
        _instance = FluentBitApiFake.Add([("http_listen", "127.0.0.1"), ("http_port", Port.ToString()), .. properties]);
        _plugin = (FlbOutputPlugin*)NativeMemory.AllocZeroed((nuint)sizeof(FlbOutputPlugin));
        _plugin->Api = FluentBitApiFake.Table;
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
            (string Instance, string Line)[] lines = FluentBitApiFake.Lines.Skip(_logStart).ToArray();
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
        FluentBitApiFake.Remove(_instance);
        Marshal.FreeCoTaskMem(_tag);
        NativeMemory.Free(_plugin->Context);
        NativeMemory.Free(_plugin);
    }
}

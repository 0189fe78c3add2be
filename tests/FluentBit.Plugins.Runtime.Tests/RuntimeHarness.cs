using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
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
/// properties, FlushCtx with raw chunk memory, ExitCtx.
/// </summary>
internal sealed unsafe class RuntimeHarness : IDisposable
{
    private static readonly ConcurrentDictionary<nint, Dictionary<string, nint>> PropertiesByInstance = new();
    private static readonly FlbApi* Api = CreateApi();
    private static long s_nextInstance;

    private readonly nint _instance;
    private readonly FlbOutputPlugin* _plugin;
    private readonly nint _tag = Marshal.StringToCoTaskMemUTF8("tag");

    /// <summary>Starts an instance on a free loopback port, with <paramref name="properties"/> besides.</summary>
    public RuntimeHarness(params (string Key, string Value)[] properties)
    {
        _instance = (nint)Interlocked.Increment(ref s_nextInstance);
        var values = new Dictionary<string, nint>(StringComparer.OrdinalIgnoreCase);
        (string Key, string Value)[] all = [("http_listen", "127.0.0.1"), ("http_port", LoopbackPorts.Free().ToString()), .. properties];
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

    public int Flush(byte[] chunk)
    {
        fixed (byte* data = chunk)
        {
            return PluginRuntime<ProbeExporter, ProbeRecord, ProbeExporter.Instruments>.Flush(
                (nint)_plugin->Context->RemoteContext, (nint)data, (nuint)chunk.Length, _tag);
        }
    }

    public void Dispose()
    {
        PluginRuntime<ProbeExporter, ProbeRecord, ProbeExporter.Instruments>.ExitInstance((nint)_plugin->Context->RemoteContext);
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
        return api;
    }

    [UnmanagedCallersOnly]
    private static byte* GetProperty(byte* key, void* outputInstance) =>
        PropertiesByInstance.TryGetValue((nint)outputInstance, out Dictionary<string, nint>? values)
        && values.TryGetValue(Marshal.PtrToStringUTF8((nint)key)!, out nint value)
            ? (byte*)value
            : null;
}

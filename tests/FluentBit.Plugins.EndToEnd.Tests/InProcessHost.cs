using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using FluentBit.Plugins.Native;
using FluentBit.Plugins.Testing;

namespace FluentBit.Plugins.EndToEnd.Tests;

/// <summary>
/// Loads a published plugin .so into the test process and drives it through its C exports the way
/// Fluent Bit's proxy loader does: Register with a zeroed definition, Init with the four-field plugin
/// struct and an api table, FlushCtx with the raw chunk, ExitCtx, Unregister.
/// </summary>
internal sealed unsafe class InProcessPlugin
{
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

    /// <summary>Every line plugins wrote through log_print, as "[level] message" (<see cref="FluentBitApiFake"/> keeps them).</summary>
    public static IEnumerable<string> Log => FluentBitApiFake.Lines.Select(l => l.Line);

    public FlbPluginProxyDef* Definition { get; }

    public static InProcessPlugin Load(string path) => new(NativeLibrary.Load(path));

    public int Register() => _register(Definition);

    public void Unregister() => _unregister(Definition);

    /// <summary>Calls FLBPluginInit for a new instance configured with <paramref name="properties"/>.</summary>
    public InProcessInstance Init(params (string Key, string Value)[] properties)
    {
        nint id = FluentBitApiFake.Add(properties);
        var instance = new InProcessInstance(this, id);
        var plugin = (FlbOutputPlugin*)NativeMemory.AllocZeroed((nuint)sizeof(FlbOutputPlugin));
        plugin->Name = Definition->Name;
        plugin->Api = FluentBitApiFake.Table;
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
}

/// <summary>One initialised [OUTPUT] instance of an <see cref="InProcessPlugin"/>.</summary>
internal sealed class InProcessInstance
{
    private readonly InProcessPlugin _plugin;

    internal InProcessInstance(InProcessPlugin plugin, nint id)
    {
        _plugin = plugin;
        Id = id;
    }

    public nint Id { get; }

    public int InitResult { get; internal set; }

    public nint RemoteContext { get; internal set; }

    public int LogLevel => FluentBitApiFake.LogLevel(Id);

    /// <summary>The keys the plugin asked for, in order.</summary>
    public IReadOnlyCollection<string> Asked => FluentBitApiFake.Asked(Id);

    public int Flush(byte[] chunk, string tag = "cpu.0") => _plugin.Flush(RemoteContext, chunk, tag);

    /// <summary>Flushes raw memory, with a tag allocated by the caller.</summary>
    public int Flush(nint data, nuint size, nint tag) => _plugin.Flush(RemoteContext, data, size, tag);

    public int Exit() => _plugin.Exit(RemoteContext);
}

using System;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using FluentBit.Plugins.CodeGen;
using FluentBit.Plugins.Decoding;
using FluentBit.Plugins.Hosting;
using FluentBit.Plugins.Native;
using FluentBit.Plugins.Testing;
using PodLog = global::ShapesExporter.PodLog;
using ShapesPlugin = global::ShapesExporter.ShapesExporter;

namespace FluentBit.Plugins.Benchmarks;

/// <summary>
/// The structural check every flush runs before decoding (<see cref="ChunkStructure.TryValidate"/>), per event of
/// Fluent Bit's real burst chunks. Moved here from a unit test that only printed the figure.
/// </summary>
public class StructuralCheck
{
    private readonly Dataset _data = Datasets.Burst();

    [Benchmark(OperationsPerInvoke = Datasets.BurstEvents)]
    public int Validate()
    {
        int events = 0;
        foreach (byte[] chunk in _data.Chunks)
        {
            ChunkStructure.TryValidate(chunk, out int n, out _);
            events += n;
        }

        return events;
    }
}

/// <summary>
/// What handing a flush to the instance's own thread costs (the path of a plugin with a hook), against running it
/// on the caller's stack: the shapes plugin initialised through the runtime with the tests' fake of Fluent Bit's
/// api table, flushing an empty chunk (only the flush's fixed work) and a one-record one. Moved here from a unit
/// test that only printed the figure.
/// </summary>
public unsafe class OwnStackHandOver : IDisposable
{
    private readonly byte[] _empty = [];
    private readonly byte[] _one = Datasets.Shapes().Chunks[0][..FirstEventLength(Datasets.Shapes().Chunks[0])];
    private readonly nint _tag = Marshal.StringToCoTaskMemUTF8("kube.node1.web");
    private nint _instance;
    private FlbOutputPlugin* _plugin;

    [Params("empty", "one-record")]
    public string Chunk { get; set; } = "empty";

    [GlobalSetup]
    public void Setup()
    {
        _instance = FluentBitApiFake.Add(("http_listen", "127.0.0.1"), ("http_port", LoopbackPorts.Free().ToString()));
        _plugin = (FlbOutputPlugin*)NativeMemory.AllocZeroed((nuint)sizeof(FlbOutputPlugin));
        _plugin->Api = FluentBitApiFake.Table;
        _plugin->OutputInstance = (void*)_instance;
        _plugin->Context = (FlbPluginContext*)NativeMemory.AllocZeroed((nuint)sizeof(FlbPluginContext));
        if (PluginRuntime<ShapesPlugin, PodLog, ShapesPlugin.Instruments>.Init((nint)_plugin) != 1)
        {
            throw new InvalidOperationException("the shapes plugin's Init failed");
        }
    }

    [Benchmark(Baseline = true)]
    public int CallersStack() => Run(&PluginRuntime<ShapesPlugin, PodLog, ShapesPlugin.Instruments>.Flush);

    [Benchmark]
    public int OwnThread() => Run(&PluginRuntime<ShapesPlugin, PodLog, ShapesPlugin.Instruments>.FlushOnOwnStack);

    [GlobalCleanup]
    public void Dispose()
    {
        if (_plugin != null)
        {
            PluginRuntime<ShapesPlugin, PodLog, ShapesPlugin.Instruments>.ExitInstance((nint)_plugin->Context->RemoteContext);
            NativeMemory.Free(_plugin->Context);
            NativeMemory.Free(_plugin);
            _plugin = null;
            FluentBitApiFake.Remove(_instance);
        }

        GC.SuppressFinalize(this);
    }

    private int Run(delegate*<nint, nint, nuint, nint, int> flush)
    {
        byte[] chunk = Chunk == "empty" ? _empty : _one;
        fixed (byte* data = chunk)
        {
            return flush((nint)_plugin->Context->RemoteContext, (nint)data, (nuint)chunk.Length, _tag);
        }
    }

    private static int FirstEventLength(byte[] chunk)
    {
        var reader = new MessagePack.MessagePackReader(chunk);
        reader.Skip();
        return (int)reader.Consumed;
    }
}

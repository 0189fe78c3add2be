using System;
using FluentBit.Plugins.CodeGen;
using FluentBit.Plugins.Decoding;
using MessagePack;

namespace FluentBit.Plugins.Benchmarks;

/// <summary>
/// Walks a dataset's chunks the way <see cref="PluginRuntime{TPlugin, TRecord, TInstruments}"/>.Flush does: the
/// chunk wrapped in place (<c>Native.UnmanagedMemory</c>), one reader, one <see cref="EventReader.ReadEventHeader"/>
/// per event. Each walk differs only in what it does with the body.
/// </summary>
public static unsafe class Flush
{
    /// <summary>
    /// The floor the targets are set against: MessagePack-CSharp's <c>MessagePackReader</c> skipping every event whole,
    /// reading nothing (what merely walking the MessagePack costs with the well-kept library).
    /// </summary>
    public static void SkipEvents(Dataset data)
    {
        foreach (byte[] chunk in data.Chunks)
        {
            fixed (byte* bytes = chunk)
            {
                var reader = new MessagePackReader(Chunk(bytes, chunk.Length));
                while (!reader.End)
                {
                    reader.Skip();
                }
            }
        }
    }

    /// <summary>The runtime's own reader (<see cref="ChunkReader"/>) skipping every event whole: the floor of any decode built on it.</summary>
    public static void SpanSkipEvents(Dataset data)
    {
        foreach (byte[] chunk in data.Chunks)
        {
            fixed (byte* bytes = chunk)
            {
                var reader = new ChunkReader(Chunk(bytes, chunk.Length));
                while (!reader.End)
                {
                    reader.Skip();
                }
            }
        }
    }

    /// <summary>Every event's header read (timestamp, metadata slice) and its body skipped: what any plugin must do.</summary>
    public static void ReadHeaders(Dataset data)
    {
        foreach (byte[] chunk in data.Chunks)
        {
            fixed (byte* bytes = chunk)
            {
                var reader = new ChunkReader(Chunk(bytes, chunk.Length));
                while (!reader.End)
                {
                    EventReader.ReadEventHeader(ref reader, out _);
                    reader.Skip();
                }
            }
        }
    }

    /// <summary>The generated plugin's <c>ApplyRecord</c> on every event, called as PluginRuntime calls it.</summary>
    public static void Apply<TPlugin, TRecord, TInstruments>(Dataset data, TRecord record, TInstruments instruments)
        where TPlugin : IPluginSchema<TRecord, TInstruments>
        where TRecord : class, new()
        where TInstruments : class
    {
        foreach (byte[] chunk in data.Chunks)
        {
            fixed (byte* bytes = chunk)
            {
                var reader = new ChunkReader(Chunk(bytes, chunk.Length));
                EventTimestamp flushTime = EventTimestamp.Now();
                while (!reader.End)
                {
                    EventTimestamp timestamp = EventReader.ReadEventHeader(ref reader, out ReadOnlyMemory<byte> metadata);
                    TPlugin.ApplyRecord(ref reader, record, instruments, new EventContext(timestamp, data.Tag, metadata, flushTime));
                }
            }
        }
    }

    /// <summary>One instance of a generated plugin: its registry and collectors, and the record it decodes into.</summary>
    public sealed class Instance<TPlugin, TRecord, TInstruments>
        where TPlugin : IPluginSchema<TRecord, TInstruments>
        where TRecord : class, new()
        where TInstruments : class
    {
        public Prometheus.CollectorRegistry Registry { get; } = Prometheus.Metrics.NewCustomRegistry();

        public TInstruments Instruments { get; }

        public TRecord Record { get; } = new();

        public Instance() => Instruments = TPlugin.CreateInstruments(Registry, new MetricOptions());

        public void Flush(Dataset data) => Apply<TPlugin, TRecord, TInstruments>(data, Record, Instruments);
    }

    /// <summary>
    /// One instance as the <c>.so</c> runs it, without an endpoint: <c>Hosting.PluginInstance.FlushChunk</c>, the one
    /// flush path (the structural check of the whole chunk, then decode and apply, then the self-metrics).
    /// </summary>
    public sealed class RuntimeInstance<TPlugin, TRecord, TInstruments> : IDisposable
        where TPlugin : IPluginSchema<TRecord, TInstruments>
        where TRecord : class, new()
        where TInstruments : class
    {
        private readonly Hosting.PluginInstance<TPlugin, TRecord, TInstruments> _instance =
            Hosting.PluginInstance<TPlugin, TRecord, TInstruments>.Create(new NoProperties(), new Logging.PluginLog(TPlugin.PluginName, static (_, _) => { }));

        public void Flush(Dataset data)
        {
            foreach (byte[] chunk in data.Chunks)
            {
                _instance.FlushChunk(chunk, data.Tag, EventTimestamp.Now(), out _);
            }
        }

        public void Dispose() => _instance.Dispose();

        private sealed class NoProperties : Configuration.IPropertySource
        {
            public string? Get(string key) => null;
        }
    }

    /// <summary>Unmanaged bytes wrapped as the exports wrap a chunk Fluent Bit passed.</summary>
    internal static ReadOnlyMemory<byte> Chunk(byte* data, int length) =>
        FluentBit.Plugins.Native.UnmanagedMemory.TryWrapChunk(data, (nuint)length, out ReadOnlyMemory<byte> chunk, out string problem)
            ? chunk
            : throw new InvalidOperationException(problem);
}

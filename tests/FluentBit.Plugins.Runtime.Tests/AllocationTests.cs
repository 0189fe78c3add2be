using System;
using System.IO;
using FluentBit.Plugins.CodeGen;
using FluentBit.Plugins.Decoding;
using FluentBit.Plugins.Hosting;
using FluentBit.Plugins.Native;
using FluentBit.Plugins.Testing;
using MessagePack;
using Xunit;

namespace FluentBit.Plugins.Runtime.Tests;

/// <summary>
/// The decode-and-apply path of a flush, as PluginRuntime runs it, allocates nothing once every series
/// exists. This is a correctness property (a count of bytes), not a timing.
/// </summary>
public unsafe class AllocationTests
{
    private delegate void ApplyEvent(ref ChunkReader reader, in EventContext context);

    /// <summary>Decodes a chunk in place and applies each event, as PluginRuntime.Flush does.</summary>
    private static void Flush(byte[] chunk, byte[] tag, ApplyEvent apply)
    {
        fixed (byte* data = chunk)
        {
            var reader = new ChunkReader(Wrap(data, chunk.Length));
            EventTimestamp flushTime = EventTimestamp.Now();
            while (!reader.End)
            {
                EventTimestamp timestamp = EventReader.ReadEventHeader(ref reader, out ReadOnlyMemory<byte> metadata);
                apply(ref reader, new EventContext(timestamp, tag, metadata, flushTime));
            }
        }
    }

    /// <summary>
    /// With exemplars (the probe's path is one, and the burst vectors carry it): once each series has taken its exemplar,
    /// its gate is closed and a record costs nothing more. An exemplar recorded allocates its values' strings (88 bytes
    /// for a 32-digit trace id) and, until prometheus-net's pools are warm, its pooled objects: at most one per series
    /// every ExemplarGate.MinInterval, which this test lengthens for its own instance's metrics (an hour) so that a slow
    /// machine cannot reopen a gate mid-count.
    /// </summary>
    private const long ExemplarIntervalMilliseconds = 3_600_000;

    [Theory]
    [InlineData("burst")]
    [InlineData("cpu")]
    [InlineData("types")]
    public void SteadyStateFlushAllocatesNothing(string set)
    {
        var run = new ProbeRun();
        foreach (MetricHealth health in run.Options.Healths)
        {
            health.ExemplarIntervalMilliseconds = ExemplarIntervalMilliseconds;
        }

        var record = new ProbeRecord();
        byte[][] chunks = Array.ConvertAll(Vectors.Chunks(set), File.ReadAllBytes);
        byte[] tag = "tag"u8.ToArray();

        ApplyEvent apply = (ref ChunkReader reader, in EventContext context) => ProbeExporter.ApplyRecord(ref reader, record, run.Instruments, context);
        void FlushAll()
        {
            foreach (byte[] chunk in chunks)
            {
                Flush(chunk, tag, apply);
            }
        }

        Allocations.AssertNone(FlushAll);
    }

    /// <summary>
    /// The whole FlushCtx path, self-metrics included (records counted in a local and added once per chunk),
    /// allocates nothing once every series exists.
    /// </summary>
    [Theory]
    [InlineData("burst")]
    [InlineData("cpu")]
    [InlineData("types")]
    public void SteadyStateFlushThroughTheRuntimeAllocatesNothing(string set)
    {
        using var instance = new RuntimeHarness();
        Assert.Equal(1, instance.InitResult);
        foreach (MetricHealth health in PluginRuntime<ProbeExporter, ProbeRecord, ProbeExporter.Instruments>.FindInstance(instance.Context)!.Options.Healths)
        {
            health.ExemplarIntervalMilliseconds = ExemplarIntervalMilliseconds;
        }

        byte[][] chunks = Array.ConvertAll(Vectors.Chunks(set), File.ReadAllBytes);

        int failed = 0;
        void FlushAll()
        {
            foreach (byte[] chunk in chunks)
            {
                failed += instance.Flush(chunk) == FlbConstants.Ok ? 0 : 1;
            }
        }

        Allocations.AssertNone(FlushAll);
        Assert.Equal(0, failed);
    }

    /// <summary>Unmanaged bytes as the flush path sees them (<c>Native.UnmanagedMemory</c>, as a chunk Fluent Bit passed).</summary>
    private static unsafe ReadOnlyMemory<byte> Wrap(byte* data, int length) =>
        FluentBit.Plugins.Native.UnmanagedMemory.TryWrapChunk(data, (nuint)length, out ReadOnlyMemory<byte> chunk, out string problem)
            ? chunk
            : throw new InvalidOperationException(problem);
}

using System;
using System.IO;
using FluentBit.Plugins.Decoding;
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
    [Theory]
    [InlineData("burst")]
    [InlineData("cpu")]
    [InlineData("types")]
    public void SteadyStateFlushAllocatesNothing(string set)
    {
        var run = new ProbeRun();
        var record = new ProbeRecord();
        byte[][] chunks = Array.ConvertAll(Vectors.Chunks(set), File.ReadAllBytes);
        byte[] tag = "tag"u8.ToArray();

        void FlushAll()
        {
            foreach (byte[] chunk in chunks)
            {
                fixed (byte* data = chunk)
                {
                    var reader = new MessagePackReader(UnmanagedChunk.Wrap(data, (nuint)chunk.Length));
                    while (!reader.End)
                    {
                        EventTimestamp timestamp = ChunkReader.ReadEventHeader(ref reader);
                        ProbeExporter.ApplyRecord(ref reader, record, run.Instruments, new EventContext(timestamp, tag));
                    }
                }
            }
        }

        Assert.Equal(0, AllocatedInSteadyState(FlushAll));
    }

    /// <summary>Bytes this thread allocates over 100 calls of <paramref name="flushAll"/>, after a warm-up.</summary>
    private static long AllocatedInSteadyState(Action flushAll)
    {
        // Long enough a warm-up for tiered compilation to settle: swapping in optimised code allocates once.
        for (int i = 0; i < 50; i++)
        {
            flushAll();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            flushAll();
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
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
        byte[][] chunks = Array.ConvertAll(Vectors.Chunks(set), File.ReadAllBytes);

        int failed = 0;
        void FlushAll()
        {
            foreach (byte[] chunk in chunks)
            {
                failed += instance.Flush(chunk) == FlbConstants.Ok ? 0 : 1;
            }
        }

        Assert.Equal(0, AllocatedInSteadyState(FlushAll));
        Assert.Equal(0, failed);
    }
}

using System;
using System.IO;
using FluentBit.Plugins.CodeGen;
using FluentBit.Plugins.Decoding;
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
                        EventTimestamp timestamp = EventReader.ReadEventHeader(ref reader, out ReadOnlyMemory<byte> metadata);
                        ProbeExporter.ApplyRecord(ref reader, record, run.Instruments, new EventContext(timestamp, tag, metadata, EventTimestamp.Now()));
                    }
                }
            }
        }

        // Long enough a warm-up for tiered compilation to settle: swapping in optimised code allocates once.
        for (int i = 0; i < 50; i++)
        {
            FlushAll();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            FlushAll();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}

using System;
using System.IO;
using System.Linq;
using System.Threading;
using FluentBit.Plugins.Decoding;
using FluentBit.Plugins.TestKit;
using FluentBit.Plugins.Testing;
using MessagePack;
using Xunit;

namespace FluentBit.Plugins.Runtime.Tests;

/// <summary>The structural check a flush runs before applying anything, and the skip decoding relies on.</summary>
public class ChunkStructureTests
{
    [Theory]
    [InlineData("cpu")]
    [InlineData("mem")]
    [InlineData("types")]
    [InlineData("burst")]
    [InlineData("legacy")]
    public void EveryRealChunkIsWellFormedAndEveryValueIsMeasuredExactly(string set)
    {
        foreach (string file in Vectors.Chunks(set))
        {
            byte[] chunk = File.ReadAllBytes(file);
            Assert.True(ChunkStructure.TryValidate(chunk, out int events, out ChunkDamage damage), $"{file}: {damage}");
            Assert.True(events > 0);

            // The length of each top-level value is where MessagePack's own reader ends it, and where the runtime's does.
            var reader = new MessagePackReader(chunk);
            var ours = new ChunkReader(chunk);
            while (!reader.End)
            {
                long start = reader.Consumed;
                reader.Skip();
                ours.Skip();
                Assert.Equal(reader.Consumed - start, MessagePackFormat.ValueLength(chunk.AsSpan((int)start)));
                Assert.Equal(reader.Consumed, ours.Consumed);
            }

            Assert.True(ours.End);
        }
    }

    [Fact]
    public void EveryTruncationOfAChunkIsDamage()
    {
        byte[] chunk = new ChunkBuilder().Event(new System.Collections.Generic.Dictionary<string, object?> { ["a"] = "bc", ["d"] = new object?[] { 1.5, null } }).ToArray();
        for (int length = 1; length < chunk.Length; length++)
        {
            Assert.False(ChunkStructure.TryValidate(chunk.AsSpan(0, length), out int events, out _), $"{length} bytes");
            Assert.Equal(0, events);
        }

        Assert.True(ChunkStructure.TryValidate([], out int none, out _));
        Assert.Equal(0, none);
    }

    [Theory]
    [InlineData(new byte[] { 0xc1 })]
    [InlineData(new byte[] { 0xdd, 0xff, 0xff, 0xff, 0xff, 0x01 })]
    [InlineData(new byte[] { 0xdf, 0x80, 0x00, 0x00, 0x00, 0x01, 0x01 })]
    [InlineData(new byte[] { 0xc6, 0x00, 0x00, 0x00, 0x02, 0x01 })]
    [InlineData(new byte[] { 0xc9, 0x00, 0x00, 0x00, 0x01 })]
    [InlineData(new byte[] { 0xd8, 0x00 })]
    [InlineData(new byte[] { 0xcf, 0x00 })]
    public void InflatedLengthsAndCountsAndTheUnusedCodeAreNotValues(byte[] value) => Assert.Equal(-1, MessagePackFormat.ValueLength(value));

    /// <summary>
    /// The runtime's <c>ChunkReader.Skip</c> walks nested values in a loop, so decoding never recurses: a million levels
    /// on a 128 KiB stack, as the structural check does. A skip that recursed would take the test process down here.
    /// </summary>
    [Fact]
    public void SkippingAMillionLevelsNeedsNoStack()
    {
        const int Levels = 1_000_000;
        byte[] value = MessagePackValue.Nested(Levels).Bytes;
        long skipped = 0;
        long measured = 0;
        var thread = new Thread(
            () =>
            {
                var reader = new ChunkReader(value);
                reader.Skip();
                skipped = reader.Consumed;
                measured = MessagePackFormat.ValueLength(value);
            },
            128 * 1024);
        thread.Start();
        thread.Join();

        Assert.Equal(Levels + 1, skipped);
        Assert.Equal(Levels + 1, measured);
    }
}

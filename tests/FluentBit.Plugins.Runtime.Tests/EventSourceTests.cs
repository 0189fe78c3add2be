using System;
using System.Buffers;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using FluentBit.Plugins.CodeGen;
using FluentBit.Plugins.Decoding;
using FluentBit.Plugins.Testing;
using MessagePack;
using Xunit;

namespace FluentBit.Plugins.Runtime.Tests;

/// <summary>What an event offers besides its body: tag parts, metadata, timestamps; and nested values.</summary>
public unsafe class EventSourceTests
{
    private static readonly byte[] V2Metadata = File.ReadAllBytes(Path.Combine(Vectors.Root, "legacy", "v2-metadata.msgpack"));

    [Theory]
    [InlineData("kube.var.log.app", 0, "kube")]
    [InlineData("kube.var.log.app", 3, "app")]
    [InlineData("kube.var.log.app", -1, "app")]
    [InlineData("kube.var.log.app", -4, "kube")]
    [InlineData("single", 0, "single")]
    [InlineData("single", -1, "single")]
    [InlineData("a..b", 1, "")]
    [InlineData("a.", 1, "")]
    public void TagPartsAreBetweenDotsCountedFromEitherEnd(string tag, int index, string part)
    {
        Assert.True(TagParts.TryGet(Encoding.UTF8.GetBytes(tag), index, out ReadOnlySpan<byte> found));
        Assert.Equal(part, Encoding.UTF8.GetString(found));
    }

    [Theory]
    [InlineData("kube.var.log.app", 4)]
    [InlineData("kube.var.log.app", -5)]
    [InlineData("single", 1)]
    [InlineData("", 0)]
    [InlineData("", -1)]
    public void TagPartsBeyondTheTagAreAbsent(string tag, int index)
    {
        Assert.False(TagParts.TryGet(Encoding.UTF8.GetBytes(tag), index, out _));
    }

    [Fact]
    public void TheContextOffersTagPartsAndTheTagAsAString()
    {
        var context = new EventContext(default, "app.web.1"u8);

        Assert.True(context.TagPart(-2, out ReadOnlySpan<byte> part));
        Assert.Equal("web"u8.ToArray(), part.ToArray());
        Assert.Equal("app.web.1", context.TagToString());
        Assert.Equal(3, TagParts.Count(context.Tag));
    }

    [Fact]
    public void MetadataIsTheMapSlicedFromTheChunk()
    {
        var reader = new ChunkReader(V2Metadata.AsMemory());
        EventReader.ReadEventHeader(ref reader, out ReadOnlyMemory<byte> metadata);

        Assert.True(MemoryMarshal.TryGetArray(metadata, out ArraySegment<byte> slice));
        Assert.Same(V2Metadata, slice.Array);
        var map = new MessagePackReader(metadata);
        Assert.Equal(2, map.ReadMapHeader());
        map.Skip();
        map.Skip();
        map.Skip();
        map.Skip();
        Assert.True(map.End);

        // The body follows.
        Assert.True(reader.TryReadMapHeader(out int count));
        Assert.Equal(4, count);
    }

    [Fact]
    public void TheContextFindsAMetadataKey()
    {
        var reader = new ChunkReader(V2Metadata);
        EventTimestamp timestamp = EventReader.ReadEventHeader(ref reader, out ReadOnlyMemory<byte> metadata);
        var context = new EventContext(timestamp, "t"u8, metadata, default);

        Assert.True(context.TryGetMetadata("trace_id"u8, out MessagePackReader value));
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", value.ReadString());
        Assert.True(context.TryGetMetadata("source"u8, out value));
        Assert.Equal("unit", value.ReadString());
        Assert.False(context.TryGetMetadata("missing"u8, out _));
    }

    [Fact]
    public void EventsWithoutMetadataOrWithAnEmptyMapHaveEmptyMetadata()
    {
        foreach (string file in new[] { Vectors.Chunks("cpu")[0], Path.Combine(Vectors.Root, "legacy", "v1-timestamps.msgpack") })
        {
            var reader = new ChunkReader(File.ReadAllBytes(file));
            while (!reader.End)
            {
                EventReader.ReadEventHeader(ref reader, out ReadOnlyMemory<byte> metadata);
                Assert.True(metadata.IsEmpty);
                Assert.False(new EventContext(default, default, metadata, default).TryGetMetadata("a"u8, out _));
                reader.Skip();
            }
        }
    }

    [Fact]
    public void TimestampsGiveDelaysAndUnixSeconds()
    {
        var flush = new EventTimestamp(1700000010, 100_000_000);
        var eventTime = new EventTimestamp(1700000008, 600_000_000);

        Assert.Equal(1.5, flush.SecondsSince(eventTime), 9);
        Assert.Equal(-1.5, eventTime.SecondsSince(flush), 9);
        Assert.Equal(1700000008.6, eventTime.ToUnixSeconds(), 6);
        Assert.Equal(new EventTimestamp(1700000000, 123_456_700), EventTimestamp.FromDateTimeOffset(DateTimeOffset.FromUnixTimeSeconds(1700000000).AddTicks(1_234_567)));
        Assert.Equal(new EventTimestamp(-1, 900_000_000), EventTimestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch.AddMilliseconds(-100)));
        Assert.InRange(EventTimestamp.Now().SecondsSince(EventTimestamp.FromDateTimeOffset(DateTimeOffset.UtcNow)), -1, 1);
    }

    private static byte[] Nested()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var w = new MessagePackWriter(buffer);
        w.WriteMapHeader(3);
        w.Write("log");
        w.Write("hello");
        w.Write("kubernetes");
        w.WriteMapHeader(2);
        w.Write("pod_name");
        w.Write("web-1");
        w.Write("labels");
        w.WriteMapHeader(2);
        w.Write("app");
        w.Write("web");
        w.Write("app.kubernetes.io/name");
        w.Write("shop");
        w.Write("ports");
        w.WriteArrayHeader(2);
        w.Write(80);
        w.Write(443);
        w.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    [Fact]
    public void SeekingFollowsAPathInsideACopyOfTheReader()
    {
        var reader = new ChunkReader(Nested());
        Assert.True(reader.TryReadBodyMapHeader(out int count));
        string? app = null, name = null;
        long port = 0;
        bool missing = true;
        for (int i = 0; i < count; i++)
        {
            Assert.True(reader.TryReadKey(out ReadOnlySpan<byte> key));
            if (key.SequenceEqual("kubernetes"u8))
            {
                ChunkReader peek = reader;
                if (peek.TrySeekKey("labels"u8) && peek.TrySeekKey("app"u8))
                {
                    app = ReadString(ref peek);
                }

                peek = reader;
                if (peek.TrySeekKey("labels"u8) && peek.TrySeekKey("app.kubernetes.io/name"u8))
                {
                    name = ReadString(ref peek);
                }

                peek = reader;
                missing = !(peek.TrySeekKey("labels"u8) && peek.TrySeekKey("team"u8));
            }
            else if (key.SequenceEqual("ports"u8))
            {
                ChunkReader peek = reader;
                Assert.True(peek.TryReadArrayHeader(out int ports) && ports == 2);
                peek.Skip();
                port = peek.ReadInt64();
            }

            reader.Skip();
        }

        Assert.True(reader.End);
        Assert.Equal(("web", "shop", 443L, true), (app, name, port, missing));
    }

    [Fact]
    public void SeekingIntoAValueOfAnotherTypeConsumesIt()
    {
        var reader = new ChunkReader(Nested());
        Assert.True(reader.TryReadMapHeader(out _));
        reader.Skip();
        Assert.False(reader.TrySeekKey("x"u8));
        Assert.Equal("kubernetes", ReadString(ref reader));
        reader.Skip();
        Assert.Equal("ports", ReadString(ref reader));
    }

    private static string ReadString(ref ChunkReader reader)
    {
        Assert.True(reader.TryReadStringSpan(out ReadOnlySpan<byte> text));
        return System.Text.Encoding.UTF8.GetString(text);
    }

    [Fact]
    public void CapturingMetadataAndReadingTagPartsAllocatesNothing()
    {
        byte[] tag = "kube.var.log.containers.web"u8.ToArray();
        long found = 0;
        void ReadAll()
        {
            fixed (byte* data = V2Metadata)
            {
                var reader = new ChunkReader(Wrap(data, V2Metadata.Length));
                EventTimestamp timestamp = EventReader.ReadEventHeader(ref reader, out ReadOnlyMemory<byte> metadata);
                var context = new EventContext(timestamp, tag, metadata, EventTimestamp.Now());
                if (context.TryGetMetadata("trace_id"u8, out MessagePackReader value) && value.TryReadStringSpan(out ReadOnlySpan<byte> traceId))
                {
                    found += traceId.Length;
                }

                if (context.TagPart(-1, out ReadOnlySpan<byte> last) && context.TagPart(1, out ReadOnlySpan<byte> second))
                {
                    found += last.Length + second.Length;
                }

                found += (long)context.FlushTime.SecondsSince(context.Timestamp) > 0 ? 1 : 0;
                reader.Skip();
            }
        }

        Allocations.AssertNone(ReadAll);
        Assert.Equal((Allocations.Warmups + Allocations.Runs) * (32 + 3 + 3 + 1), found);
    }

    /// <summary>Unmanaged bytes as the flush path sees them (<c>Native.UnmanagedMemory</c>, as a chunk Fluent Bit passed).</summary>
    private static unsafe ReadOnlyMemory<byte> Wrap(byte* data, int length) =>
        FluentBit.Plugins.Native.UnmanagedMemory.TryWrapChunk(data, (nuint)length, out ReadOnlyMemory<byte> chunk, out string problem)
            ? chunk
            : throw new InvalidOperationException(problem);
}

using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using FluentBit.Plugins.CodeGen;
using FluentBit.Plugins.Decoding;
using FluentBit.Plugins.Testing;
using MessagePack;
using Xunit;

namespace FluentBit.Plugins.Runtime.Tests;

/// <summary>Every real chunk decoded by generated code, each record compared with Fluent Bit's own JSON dump.</summary>
public class DecodingTests
{
    private static readonly Dictionary<string, Func<ProbeRecord, object>> Properties = new()
    {
        ["cpu_p"] = r => r.CpuP,
        ["user_p"] = r => r.UserP,
        ["system_p"] = r => r.SystemP,
        ["Mem.total"] = r => r.MemTotal,
        ["Mem.used"] = r => r.MemUsed,
        ["Mem.free"] = r => r.MemFree,
        ["Swap.total"] = r => r.SwapTotal,
        ["status"] = r => r.Status,
        ["latency"] = r => r.Latency,
        ["bytes"] = r => r.Bytes,
        ["big"] = r => r.Big,
        ["ok"] = r => r.Ok,
        ["none"] = r => r.None,
        ["method"] = r => r.Method,
    };

    [Theory]
    [InlineData("cpu")]
    [InlineData("mem")]
    [InlineData("types")]
    [InlineData("burst")]
    public void EveryRecordMatchesTheJsonDump(string set)
    {
        using JsonDocument dump = JsonDocument.Parse(File.ReadAllText(Path.Combine(Vectors.Root, set + ".json")));
        var run = new ProbeRun();
        int checkedValues = 0;
        foreach (string file in Vectors.Chunks(set))
        {
            var decoded = run.Apply(File.ReadAllBytes(file));
            JsonElement[] expected = dump.RootElement.GetProperty(Path.GetFileName(file)).EnumerateArray().ToArray();
            Assert.Equal(expected.Length, decoded.Count);
            for (int i = 0; i < expected.Length; i++)
            {
                JsonElement eventTime = expected[i][0][0].GetProperty("$eventtime");
                Assert.Equal(new EventTimestamp(eventTime[0].GetInt64(), eventTime[1].GetUInt32()), decoded[i].Timestamp);
                JsonElement body = expected[i][1];
                foreach ((string key, Func<ProbeRecord, object> read) in Properties)
                {
                    object actual = read(decoded[i].Record);
                    object wanted = body.TryGetProperty(key, out JsonElement value) ? Expected(value, actual.GetType()) : Activator.CreateInstance(actual.GetType())!;
                    Assert.True(wanted.Equals(actual), $"{Path.GetFileName(file)} event {i} key {key}: expected {wanted}, decoded {actual}");
                    checkedValues++;
                }
            }
        }

        Assert.True(checkedValues > 0);
    }

    /// <summary>What the property should hold: the JSON number converted to its type, or the default for a non-number.</summary>
    private static object Expected(JsonElement value, Type type) => value.ValueKind switch
    {
        JsonValueKind.Number when type == typeof(double) => value.GetDouble(),
        JsonValueKind.Number when type == typeof(float) => (float)value.GetDouble(),
        JsonValueKind.Number when type == typeof(long) => value.GetInt64(),
        JsonValueKind.Number when type == typeof(ulong) => value.GetUInt64(),
        JsonValueKind.Number when type == typeof(int) => value.GetInt32(),
        JsonValueKind.True or JsonValueKind.False when type == typeof(bool) => value.GetBoolean(),
        _ => Activator.CreateInstance(type)!,
    };

    [Fact]
    public void CpuSetFeedsPropertyAndPatternSeries()
    {
        var run = new ProbeRun();
        run.ApplySet("cpu");
        Dictionary<string, double> series = run.Scrape();

        // The last chunk (0003): cpu_p 0.5, cpu0.p_* 0, cpu1.p_* 0.
        Assert.Equal(0.5, series["probe_cpu_percent"]);
        Assert.Equal(4, series["probe_records_total"]);
        foreach (string cpu in new[] { "cpu0", "cpu1" })
        {
            foreach (string mode in new[] { "total", "user", "system" })
            {
                Assert.Equal(0, series[PrometheusText.Key("probe_core_percent", ("cpu", cpu), ("mode", mode))]);
            }
        }

        Assert.Equal(6, series.Keys.Count(k => k.StartsWith("probe_core_percent", StringComparison.Ordinal)));
    }

    [Fact]
    public void TypesSetConvertsEveryNumberAndIgnoresTheRest()
    {
        var run = new ProbeRun();
        int events = run.ApplySet("types").Count;
        Dictionary<string, double> series = run.Scrape();

        Assert.Equal(events, series["probe_records_total"]);
        Assert.Equal(200, series["probe_status"]);
        Assert.Equal(200.0 * events, series["probe_status_sum_total"]);
        Assert.Equal(0.123, series["probe_latency"]);
        Assert.Equal(-1, series["probe_bytes"]);
        Assert.Equal(18446744073709551615.0, series["probe_big"]);
        Assert.Equal(1, series["probe_ok"]);

        // A counter never goes down: the negative "bytes" is not added.
        Assert.False(series.ContainsKey("probe_bytes_sum_total"));

        // null and a string are not numbers: their series never appear.
        Assert.False(series.ContainsKey("probe_none"));
        Assert.False(series.ContainsKey("probe_method"));
    }

    [Fact]
    public void BurstSetCountsEveryRecordExactly()
    {
        var run = new ProbeRun();
        int events = run.ApplySet("burst").Count;
        Dictionary<string, double> series = run.Scrape();

        Assert.Equal(1493, events);
        Assert.Equal(1493, series["probe_records_total"]);
        Assert.Equal(503.0 * 1493, series["probe_status_sum_total"]);
        Assert.Equal(2.5 * 1493, series["probe_latency_sum_total"]);
    }

    [Fact]
    public void LegacyTimestampsEventTimeIntegerAndFloat()
    {
        var run = new ProbeRun();
        var events = run.Apply(File.ReadAllBytes(Path.Combine(Vectors.Root, "legacy", "v1-timestamps.msgpack")));

        Assert.Equal(
            [new EventTimestamp(1700000000, 500000000), new EventTimestamp(1700000001, 0), new EventTimestamp(1700000002, 250000000)],
            events.Select(e => e.Timestamp));
        Assert.All(events, e =>
        {
            Assert.Equal(12.5, e.Record.CpuP);
            Assert.Equal(10.0, e.Record.UserP);
            Assert.Equal(2.5, e.Record.SystemP);
        });

        // cpu0.p_user and cpu0.p_system are integers in this chunk: the pattern gauge takes any number.
        Dictionary<string, double> series = run.Scrape();
        Assert.Equal(25, series[PrometheusText.Key("probe_core_percent", ("cpu", "cpu0"), ("mode", "total"))]);
        Assert.Equal(20, series[PrometheusText.Key("probe_core_percent", ("cpu", "cpu0"), ("mode", "user"))]);
        Assert.Equal(5, series[PrometheusText.Key("probe_core_percent", ("cpu", "cpu0"), ("mode", "system"))]);
    }

    [Fact]
    public void LegacyMetadataHeaderAndIntegerMapKey()
    {
        var run = new ProbeRun();
        var events = run.Apply(File.ReadAllBytes(Path.Combine(Vectors.Root, "legacy", "v2-metadata.msgpack")));

        var (timestamp, record) = Assert.Single(events);
        Assert.Equal(new EventTimestamp(1700000000, 500000000), timestamp);
        Assert.Equal(404, record.Status);
        Assert.Equal(0.5, record.Latency);
    }

    /// <summary>
    /// The runtime's reader reads headers and keys as MessagePack-CSharp's own <c>MessagePackReader</c> does: timestamps
    /// of every form, metadata maps empty and not, keys and the offset each body ends at.
    /// </summary>
    [Theory]
    [InlineData("legacy/v1-timestamps.msgpack")]
    [InlineData("legacy/v2-metadata.msgpack")]
    [InlineData("types/0000.msgpack")]
    [InlineData("cpu/0000.msgpack")]
    [InlineData("burst/0000.msgpack")]
    public void HeadersReadAsMessagePackCSharpReadsThem(string file)
    {
        byte[] chunk = File.ReadAllBytes(Path.Combine(Vectors.Root, file));
        var ours = new List<(EventTimestamp, string, string, long)>();
        var reader = new ChunkReader(chunk);
        while (!reader.End)
        {
            EventTimestamp timestamp = EventReader.ReadEventHeader(ref reader, out ReadOnlyMemory<byte> metadata);
            var keys = new List<string>();
            if (reader.TryReadBodyMapHeader(out int count))
            {
                for (int i = 0; i < count; i++)
                {
                    if (reader.TryReadKey(out ReadOnlySpan<byte> key))
                    {
                        keys.Add(System.Text.Encoding.UTF8.GetString(key));
                        reader.Skip();
                    }
                }
            }

            ours.Add((timestamp, Convert.ToHexString(metadata.Span), string.Join(',', keys), reader.Consumed));
        }

        Assert.Equal(LibraryHeaders(chunk), ours);
        Assert.All(ours, e => Assert.NotEmpty(e.Item3));
        Assert.Contains(ours, e => file.Contains("metadata") ? e.Item2.Length > 0 : e.Item2.Length == 0);
    }

    /// <summary>The same walk with MessagePack-CSharp's reader, written for clarity, not speed.</summary>
    private static List<(EventTimestamp, string, string, long)> LibraryHeaders(byte[] chunk)
    {
        var events = new List<(EventTimestamp, string, string, long)>();
        var reader = new MessagePackReader(chunk);
        while (!reader.End)
        {
            Assert.Equal(2, reader.ReadArrayHeader());
            byte[] metadata = [];
            EventTimestamp timestamp;
            if (reader.NextMessagePackType == MessagePackType.Array)
            {
                int length = reader.ReadArrayHeader();
                timestamp = LibraryTimestamp(ref reader);
                if (length > 1)
                {
                    long start = reader.Consumed;
                    bool empty = reader.NextMessagePackType == MessagePackType.Map && reader.CreatePeekReader().ReadMapHeader() == 0;
                    reader.Skip();
                    metadata = empty || chunk[start] is < 0x80 or > 0x8f and < 0xde ? [] : chunk[(int)start..(int)reader.Consumed];
                }

                for (int i = 2; i < length; i++)
                {
                    reader.Skip();
                }
            }
            else
            {
                timestamp = LibraryTimestamp(ref reader);
            }

            var keys = new List<string>();
            int count = reader.ReadMapHeader();
            for (int i = 0; i < count; i++)
            {
                if (reader.NextMessagePackType == MessagePackType.String)
                {
                    keys.Add(reader.ReadString()!);
                }
                else
                {
                    reader.Skip();
                }

                reader.Skip();
            }

            events.Add((timestamp, Convert.ToHexString(metadata), string.Join(',', keys), reader.Consumed));
        }

        return events;
    }

    private static EventTimestamp LibraryTimestamp(ref MessagePackReader reader)
    {
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Extension:
                ExtensionResult ext = reader.ReadExtensionFormat();
                byte[] data = ext.Data.ToArray();
                return new EventTimestamp(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(data), System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(4)));
            case MessagePackType.Float:
                return EventTimestamp.FromDouble(reader.ReadDouble());
            default:
                return new EventTimestamp(reader.ReadInt64(), 0);
        }
    }

    /// <summary>
    /// Every truncation of a real chunk, placed so that its last byte is the last before a guard page. The flush's
    /// structural check, which runs before any decoding, refuses each one; the generated decoder alone (as a hook-free
    /// replay would run it) ends each in an exception, its own or the span's bounds check. A read past the end would
    /// touch the guard page and kill the test process instead.
    /// </summary>
    [Fact]
    public unsafe void ATruncatedChunkIsRefusedWithoutReadingPastTheEnd()
    {
        byte[] chunk = File.ReadAllBytes(Vectors.Chunks("cpu")[1]);
        using var buffer = new GuardedBuffer(chunk.Length);
        var run = new ProbeRun();
        for (int length = 1; length < chunk.Length; length++)
        {
            nint at = buffer.Place(chunk.AsSpan(0, length), atEnd: true);
            Assert.False(ChunkStructure.TryValidate(new ReadOnlySpan<byte>((byte*)at, length), out int events, out _), $"{length} bytes");
            Assert.Equal(0, events);

            int truncated = length;
            Exception? error = Record.Exception(() => run.Apply(Wrap((byte*)at, truncated)));
            // The decoder's own check, or a bounds check of the span it reads (an index, or a slice past the end).
            Assert.True(error is MalformedChunkException or IndexOutOfRangeException or ArgumentOutOfRangeException, $"{length} bytes: {error?.GetType().Name ?? "no exception"}");
        }
    }

    [Fact]
    public void AnEventThatIsNotAnArrayIsReportedWithItsOffset()
    {
        var run = new ProbeRun();
        var error = Assert.Throws<MalformedChunkException>(() => run.Apply([0x81, 0xa1, 0x61, 0x01]));
        Assert.Equal("expected an event [header, body] at byte 0", error.Message);
    }

    /// <summary>Unmanaged bytes as the flush path sees them (<c>Native.UnmanagedMemory</c>, as a chunk Fluent Bit passed).</summary>
    private static unsafe ReadOnlyMemory<byte> Wrap(byte* data, int length) =>
        FluentBit.Plugins.Native.UnmanagedMemory.TryWrapChunk(data, (nuint)length, out ReadOnlyMemory<byte> chunk, out string problem)
            ? chunk
            : throw new InvalidOperationException(problem);
}

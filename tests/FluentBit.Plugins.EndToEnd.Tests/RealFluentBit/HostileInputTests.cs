using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using FluentBit.Plugins.TestKit;
using FluentBit.Plugins.Testing;
using Xunit;
using Xunit.Abstractions;

namespace FluentBit.Plugins.EndToEnd.Tests.RealFluentBit;

/// <summary>
/// The rows of the README's bad-input table that can arrive through Fluent Bit, sent one by one through its
/// forward input (PackedForward: Fluent Bit appends the events as they are) to test_exporter: Fluent Bit stays up,
/// each row moves exactly the counters the table names, and the good records sent last are counted exactly.
/// </summary>
[Trait("Category", FluentBitProcess.Category)]
public class HostileInputTests(ITestOutputHelper output)
{
    private const string Status = "test_status_sum_total";
    private const string Latency = "test_latency_seconds_total";
    private const string Nested = "test_nested_value";

    /// <summary>One row: the events sent, and what the plugin must count for it (records, sums, skips).</summary>
    private sealed record Row(string Name, byte[] Events, int Records, double StatusSum, double LatencySum, params (string Metric, string Reason)[] Skipped)
    {
        public string? RecordSkip { get; init; }

        /// <summary>False where Fluent Bit itself takes the events in (acknowledges them) but never hands them to an output.</summary>
        public bool Delivered { get; init; } = true;

        /// <summary>
        /// For a damaged chunk: the plugin refuses it whole (FLB_ERROR), and Fluent Bit counts this many records as
        /// dropped (its own count of the chunk's records, here the complete events before the damage).
        /// </summary>
        public int Dropped { get; init; }

        /// <summary>The tag to send under; null: one of its own per row, so no two rows share a chunk.</summary>
        public string? Tag { get; init; }
    }

    private static byte[] Good(long status) => new ChunkBuilder().Event(new Dictionary<string, object?> { ["status"] = status }).ToArray();

    private static byte[] Damaged(params byte[] tail) => [.. Good(5), .. tail];

    private static Row[] Rows()
    {
        byte[] timestamp = [0xd7, 0x00, 0x65, 0x53, 0xf1, 0x00, 0, 0, 0, 0];
        byte[] truncated = Good(7)[..^3];
        var big = new string('x', 1 << 20);
        byte[] invalidUtf8 = [0x73, 0xff, 0xfe, 0x74];
        return
        [
            // Fluent Bit 5.1.1 acknowledges an event whose body is not a map and drops it before any output: the row
            // cannot reach a plugin through Fluent Bit (the host and the runtime tests cover it).
            new("a body that is not a map", new ChunkBuilder().Event("just a string").ToArray(), 0, 0, 0) { Delivered = false },
            new("integer, binary, nil and boolean keys", new ChunkBuilder().Event(MessagePackValue.Map((1L, 5L), (new byte[] { 1 }, 2L), (null, 3L), (true, 4L), ("status", 200L))).ToArray(), 1, 200, 0),
            new("a value of the wrong type", new ChunkBuilder().Event(new Dictionary<string, object?> { ["status"] = "abc", ["latency"] = new Dictionary<string, object?> { ["a"] = 1L } }).ToArray(), 1, 0, 0, (Status, "invalid_value"), (Latency, "invalid_value")),
            new("NaN and infinities", new ChunkBuilder().Event(new Dictionary<string, object?> { ["latency"] = double.NaN }).Event(new Dictionary<string, object?> { ["latency"] = double.PositiveInfinity }).ToArray(), 2, 0, 0, (Latency, "invalid_value"), (Latency, "invalid_value")),
            new("an integer beyond its property's range", new ChunkBuilder().Event(new Dictionary<string, object?> { ["status"] = 1L << 40 }).ToArray(), 1, 0, 0, (Status, "invalid_value")),
            new("a negative counter increment", new ChunkBuilder().Event(new Dictionary<string, object?> { ["latency"] = -1.5, ["status"] = 1L }).ToArray(), 1, 1, 0, (Latency, "invalid_value")),
            new("a 1 MB string as a number and as a key", new ChunkBuilder().Event(new Dictionary<string, object?> { ["status"] = big, [big] = 1L }).ToArray(), 1, 0, 0, (Status, "invalid_value")),
            new("invalid UTF-8 in a key and a value", new ChunkBuilder().Event(MessagePackValue.Map((MessagePackValue.Str(invalidUtf8), 1L), ("status", MessagePackValue.Str(invalidUtf8)))).ToArray(), 1, 0, 0, (Status, "invalid_value")),
            // Fluent Bit 5.1.1 acknowledges an event nested deeper than msgpack-c unpacks and drops it: it never
            // reaches a plugin through Fluent Bit; 20 levels do, and where the record accessor expects a number it
            // finds an array: invalid_value.
            new("10,000 levels of nesting where a record accessor descends", new ChunkBuilder().Event(new Dictionary<string, object?> { ["nested"] = new Dictionary<string, object?> { ["value"] = MessagePackValue.Nested(10_000) }, ["status"] = 2L }).ToArray(), 0, 0, 0) { Delivered = false },
            new("20 levels of nesting where a record accessor descends", new ChunkBuilder().Event(new Dictionary<string, object?> { ["nested"] = new Dictionary<string, object?> { ["value"] = MessagePackValue.Nested(20) }, ["status"] = 2L }).ToArray(), 1, 2, 0, (Nested, "invalid_value")),
            // Fluent Bit appends PackedForward entries to its chunk as they are: damaged ones reach the plugin, which
            // refuses the chunk whole with FLB_ERROR; Fluent Bit counts the chunk's records as dropped, never as processed.
            new("a truncated event", Damaged(truncated), 0, 0, 0) { Dropped = 1 },
            new("the unused code 0xc1", Damaged([0x92, 0x92, .. timestamp, 0x80, 0x81, 0xa6, .. "status"u8, 0xc1]), 0, 0, 0) { Dropped = 1 },
            new("an event that is not [header, body]", Damaged(0x05), 0, 0, 0) { Dropped = 1 },
            new("a header without a timestamp", Damaged([0x92, 0x80, 0x81, 0xa6, .. "status"u8, 0x05]), 0, 0, 0) { Dropped = 1 },
            new("an empty tag", Good(9), 0, 0, 0) { Delivered = false, Tag = "" },
            new("user code throwing on a record", new ChunkBuilder().Event(new Dictionary<string, object?> { ["fail"] = -1.0, ["status"] = 100L }).Event(new Dictionary<string, object?> { ["status"] = 3L }).ToArray(), 1, 3, 0) { RecordSkip = "failed" },
        ];
    }

    [Fact]
    public void EveryRowThatCanArriveThroughForwardMovesExactlyItsCountersAndFluentBitStaysUp()
    {
        int port = Scrape.FreePort();
        int forward = Scrape.FreePort();
        using FluentBitRun run = FluentBitRun.Start(
            ["-e", Artifacts.TestExporter, "-i", "forward", "-p", "listen=127.0.0.1", "-p", $"port={forward}", "-p", "buffer_max_size=8M", "-p", "buffer_chunk_size=2M",
             .. FluentBitRun.OutputArguments("test_exporter", port)],
            ["test_exporter.0"]);
        double delivered = 0;
        double records = 0;
        double statusSum = 0;
        double latencySum = 0;
        var skipped = new Dictionary<string, double>();
        var recordSkips = new Dictionary<string, double>();
        double dropped = 0;
        double errors = 0;
        int index = 0;
        foreach (Row row in Rows())
        {
            // The row, then one good marker record: once Fluent Bit has handed the marker over, it has handled the row.
            int events = CountEvents(row.Events);
            Assert.True(ForwardClient.Send(forward, row.Tag ?? $"hostile.{index++}", row.Events), $"{row.Name}: Fluent Bit did not take the events in; log:\n{run.Process.Log}");
            Assert.True(ForwardClient.Send(forward, "marker", Marker), $"{row.Name}: the marker was refused; log:\n{run.Process.Log}");
            delivered += (row.Delivered && row.Dropped == 0 ? events : 0) + 1;
            dropped += row.Dropped;
            errors += row.Dropped > 0 ? 1 : 0;
            run.WaitForProcessed("test_exporter.0", delivered);
            Assert.True(SpinWait.SpinUntil(() => run.Output("dropped_records", "test_exporter.0") == dropped, TimeSpan.FromSeconds(60)),
                $"{row.Name}: Fluent Bit dropped {run.Output("dropped_records", "test_exporter.0")} records, expected {dropped}");
            Assert.False(run.Process.HasExited, run.Process.Log);

            records += row.Records + 1;
            statusSum += row.StatusSum + 1000;
            latencySum += row.LatencySum + 1;
            foreach ((string metric, string reason) in row.Skipped)
            {
                string key = PrometheusText.Key("fluentbit_plugin_values_skipped_total", ("metric", metric), ("reason", reason));
                skipped[key] = skipped.GetValueOrDefault(key) + 1;
            }

            if (row.RecordSkip is { } reasonSkipped)
            {
                string key = PrometheusText.Key("fluentbit_plugin_records_skipped_total", ("reason", reasonSkipped));
                recordSkips[key] = recordSkips.GetValueOrDefault(key) + 1;
            }

            Dictionary<string, double> series = PrometheusText.Parse(Scrape.Text(port));
            Assert.True(records == series.GetValueOrDefault("test_records_total"), $"{row.Name}: test_records_total {series.GetValueOrDefault("test_records_total")}, expected {records}");
            Assert.True(statusSum == series.GetValueOrDefault(Status), $"{row.Name}: {Status} {series.GetValueOrDefault(Status)}, expected {statusSum}");
            Assert.True(latencySum == series.GetValueOrDefault(Latency), $"{row.Name}: {Latency} {series.GetValueOrDefault(Latency)}, expected {latencySum}");
            Assert.Equal(delivered, series["fluentbit_plugin_records_decoded_total"]);
            foreach ((string key, double count) in skipped.Concat(recordSkips))
            {
                Assert.True(count == series.GetValueOrDefault(key), $"{row.Name}: {key} {series.GetValueOrDefault(key)}, expected {count}");
            }

            Assert.Equal(errors, series.GetValueOrDefault(PrometheusText.Key("fluentbit_plugin_chunks_flushed_total", ("result", "error"))));
            output.WriteLine($"{row.Name}: {(row.Delivered ? events : 0)} of {events} event(s) handed to the plugin{(row.Dropped > 0 ? ", refused whole (FLB_ERROR), dropped by Fluent Bit" : "")}; counted as expected");
        }

        // The good records after all of that are counted exactly.
        var good = new ChunkBuilder();
        for (int i = 0; i < 100; i++)
        {
            good.Event(new Dictionary<string, object?> { ["status"] = 200L, ["latency"] = 0.5 });
        }

        Assert.True(ForwardClient.Send(forward, "good", good.ToArray()));
        run.WaitForProcessed("test_exporter.0", delivered + 100);
        Dictionary<string, double> final = Scrape.Metrics(port);
        Assert.Equal(records + 100, final["test_records_total"]);
        Assert.Equal(statusSum + 20_000, final[Status]);
        Assert.Equal(latencySum + 50, final[Latency]);
        Assert.Equal(dropped, run.Output("dropped_records", "test_exporter.0"));
        Assert.Contains("[error] [test_exporter.0] dropped a damaged ", run.Process.Log);
        Assert.Matches(@"\[error\] \[test_exporter\.0\] skipped event \d+ of a \d+-byte chunk \(tag 'hostile\.\d+'\): the plugin's code threw InvalidOperationException: fail must not be negative \(got -1\); the chunk's other events are applied", run.Process.Log);
        run.StopCleanly();
    }

    private static readonly byte[] Marker = new ChunkBuilder().Event(new Dictionary<string, object?> { ["status"] = 1000L, ["latency"] = 1.0 }).ToArray();

    /// <summary>Counts the complete top-level MessagePack values (events) in a chunk, up to any damage.</summary>
    private static int CountEvents(byte[] chunk)
    {
        var reader = new MessagePack.MessagePackReader(chunk);
        int count = 0;
        try
        {
            while (!reader.End)
            {
                reader.Skip();
                count++;
            }
        }
        catch (Exception e) when (e is System.IO.EndOfStreamException or MessagePack.MessagePackSerializationException)
        {
        }

        return count;
    }
}
